#!/usr/bin/env bash
# Installs the Debian packages nicoffload needs (QEMU, clang/LLVM, libbpf, bpftool, iproute2, ...).
# Idempotent: prints what it does and does nothing when everything is present.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=lib.sh
. "$ROOT/scripts/lib.sh"
nicoffload_install_deps
nicoffload_log "system packages present: $NICOFFLOAD_PACKAGES"
