#!/usr/bin/env bash
# Runs every test of nicoffload: installs what is missing, builds everything with ./mvnw, runs the
# host unit tests, installs each module's artifacts as it goes, builds the separate consumer project
# (samples/consumer, depending on nicoffload-api only) offline against them, then boots the
# netdevsim/nfpsim test kernel ONCE and runs all kernel-facing tests (package dev.nicoffload.it,
# the consumer app among them) inside it in one JVM. Extra arguments go to Maven.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=lib.sh
. "$ROOT/scripts/lib.sh"
cd "$ROOT"
start=$(date +%s)
started=$(date +%s.%N) # to the nanosecond: a fresh clone's files are at most a moment older
nicoffload_log "[1/4] system packages"
nicoffload_install_deps
nicoffload_log "[2/4] JDK"
nicoffload_select_jdk
nicoffload_log "using JAVA_HOME=$JAVA_HOME"
nicoffload_log "[3/4] test kernel"
nicoffload_ensure_kernel "$ROOT"
nicoffload_log "[4/4] ./mvnw install: host tests, the consumer project, the guest tests in one VM boot"
./mvnw -B -ntp install "$@"
if [ $# -eq 0 ] && [ -f cli/target/module-path ]; then
	# the whole reactor was just built: ./nicoffload can run it as is (with its start-up caches)
	nicoffload_mark_built "$ROOT" "$started"
fi
nicoffload_log "all tests passed in $(( $(date +%s) - start )) s"
