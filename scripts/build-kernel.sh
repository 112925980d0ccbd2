#!/usr/bin/env bash
# Builds the test kernel from Debian's linux-source-6.1 into ~/.cache/nicoffload/kernel/ (about 12
# minutes on 2 cores): the nfpsim kernel when ../shared/testkernel/nfpsim beside the project has the
# patch and config, else the plain netdevsim kernel. The script itself ships in nicoffload-testing.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
if [ -d "$ROOT/../shared/testkernel/nfpsim" ]; then
	export NICOFFLOAD_NFPSIM_DIR=${NICOFFLOAD_NFPSIM_DIR:-$(cd "$ROOT/../shared/testkernel/nfpsim" && pwd)}
fi
exec bash "$ROOT/testing/src/main/resources/dev/nicoffload/testing/vm/build-kernel.sh" "$@"
