#!/bin/sh
# Compiles the pre-checker test corpus (*.bpf.c) into OUTDIR with clang, as the test build's
# generate-test-resources step. A line "// cflags: ..." in a source adds compiler flags (e.g. -mcpu=v3).
# usage: sh build.sh OUTDIR
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$1
mkdir -p "$OUT"
for c in "$HERE"/*.bpf.c; do
  n=$(basename "$c" .bpf.c)
  extra=$(sed -n 's|^// cflags: ||p' "$c" | head -n 1)
  if [ ! -f "$OUT/$n.o" ] || [ "$c" -nt "$OUT/$n.o" ] || [ "$HERE/corpus.h" -nt "$OUT/$n.o" ]; then
    # shellcheck disable=SC2086
    clang -O2 -g -target bpf $extra -I/usr/include/x86_64-linux-gnu -I"$HERE" -c "$c" -o "$OUT/$n.o"
  fi
done
# The same corpus with 32-bit subregisters (-mcpu=v3: ALU32, JMP32, atomics), into OUTDIR/v3, for the
# in-guest oracle, which compares the checker with the kernel on both instruction mixes.
mkdir -p "$OUT/v3"
for c in "$HERE"/*.bpf.c; do
  n=$(basename "$c" .bpf.c)
  if [ ! -f "$OUT/v3/$n.o" ] || [ "$c" -nt "$OUT/v3/$n.o" ] || [ "$HERE/corpus.h" -nt "$OUT/v3/$n.o" ]; then
    clang -O2 -g -target bpf -mcpu=v3 -I/usr/include/x86_64-linux-gnu -I"$HERE" -c "$c" -o "$OUT/v3/$n.o"
  fi
done

# The programs whose NFP results the nfpsim README records (the oracle's inputs), when the shared
# test kernel tree is present: compiled as its own build.sh does, into OUTDIR/nfpsim-readme.
NFPSIM_TEST=$HERE/../../../../../shared/testkernel/nfpsim/test
if [ -d "$NFPSIM_TEST" ]; then
  mkdir -p "$OUT/nfpsim-readme"
  for c in "$NFPSIM_TEST"/*.bpf.c; do
    n=$(basename "$c" .bpf.c)
    extra=""; [ "$n" = xdp_div32 ] && extra="-mcpu=v3"
    [ -f "$OUT/nfpsim-readme/$n.o" ] || clang -O2 -g -target bpf $extra -I/usr/include/x86_64-linux-gnu -c "$c" -o "$OUT/nfpsim-readme/$n.o"
  done
fi

# The adapter's test programs (offload/src/test/bpf/adapt), into OUTDIR/adapt (apart from the pre-checker corpus).
mkdir -p "$OUT/adapt"
for c in "$HERE"/adapt/*.bpf.c; do
  n=$(basename "$c" .bpf.c)
  if [ ! -f "$OUT/adapt/$n.o" ] || [ "$c" -nt "$OUT/adapt/$n.o" ]; then
    clang -O2 -g -target bpf -I/usr/include/x86_64-linux-gnu -c "$c" -o "$OUT/adapt/$n.o"
  fi
done
