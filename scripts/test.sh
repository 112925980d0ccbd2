#!/usr/bin/env bash
# Runs every test of nicoffload: installs what is missing, builds everything with ./mvnw, runs the
# host unit tests, then boots the netdevsim/nfpsim test kernel ONCE and runs all kernel-facing tests
# (package dev.nicoffload.it) inside it in one JVM; installs the artifacts and builds the separate
# consumer project (samples/consumer) against them. Extra arguments go to Maven.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=lib.sh
. "$ROOT/scripts/lib.sh"
cd "$ROOT"
start=$(date +%s)
nicoffload_log "[1/4] system packages"
nicoffload_install_deps
nicoffload_log "[2/4] JDK"
nicoffload_select_jdk
nicoffload_log "using JAVA_HOME=$JAVA_HOME"
nicoffload_log "[3/4] test kernel"
nicoffload_ensure_kernel "$ROOT"
nicoffload_log "[4/4] ./mvnw install: host tests, the guest tests in one VM boot, the consumer project"
./mvnw -B -ntp install "$@"
nicoffload_log "all tests passed in $(( $(date +%s) - start )) s"
