#!/bin/sh
# Compiles every *.bpf.c beside this script into OUTDIR/<name>.o (BTF included: -g).
# usage: build.sh OUTDIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUTDIR}
command -v clang >/dev/null 2>&1 || { echo "clang not found: run scripts/install-deps.sh" >&2; exit 1; }
mkdir -p "$out"
for c in "$here"/*.bpf.c; do
	n=$(basename "$c" .bpf.c)
	if [ ! -e "$out/$n.o" ] || [ "$c" -nt "$out/$n.o" ]; then
		clang -O2 -g -target bpf -I/usr/include/x86_64-linux-gnu -c "$c" -o "$out/$n.o"
	fi
done
