#!/bin/sh
# Compiles the adapter's corpus (*.bpf.c beside this script: real-world patterns of per-CPU maps,
# LRU, global data, TC_ACT_OK and NO_PREALLOC) into OUTDIR with clang, as the offload module's
# generate-test-resources step. The equivalence tests (host) and the guest tests read OUTDIR.
# usage: sh build.sh OUTDIR
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:?usage: build.sh OUTDIR}
command -v clang >/dev/null 2>&1 || { echo "clang not found: run scripts/install-deps.sh" >&2; exit 1; }
mkdir -p "$OUT"
for c in "$HERE"/*.bpf.c; do
  n=$(basename "$c" .bpf.c)
  if [ ! -f "$OUT/$n.o" ] || [ "$c" -nt "$OUT/$n.o" ] || [ "$HERE/parse.h" -nt "$OUT/$n.o" ]; then
    clang -O2 -g -target bpf -I/usr/include/x86_64-linux-gnu -I"$HERE" -c "$c" -o "$OUT/$n.o"
  fi
done
