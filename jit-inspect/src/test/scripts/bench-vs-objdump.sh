#!/bin/sh
# Whole-process speed of nfp-disasm (this module, in a fresh JVM) against the oracle objdump on the
# same inputs: 1 M random words (SplitMix64 seed 0x6000) and one BPF firmware file.
# usage: bench-vs-objdump.sh   (run from the jit-inspect module directory after `mvn test-compile`;
#        JAVA_HOME must point to JDK 22+; the oracle is fetched with fetch-oracle.sh)
set -eu
MOD=$(cd "$(dirname "$0")/../../.." && pwd)
SHARED=${NICOFFLOAD_SHARED:-$MOD/../../shared}
CACHE=${NICOFFLOAD_ORACLE_CACHE:-$HOME/.cache/nicoffload/oracle}
eval "$(sh "$MOD/src/test/scripts/fetch-oracle.sh" "$SHARED" "$CACHE" | sed 's/^/ORACLE_/')"
W=$CACHE/bench; mkdir -p "$W"
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
CP=$MOD/target/classes:$MOD/target/test-classes
TOOL="$JAVA -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp $CP dev.nicoffload.jit.bench.NfpDisasmMain"
if [ ! -f "$W/words.elf" ]; then
  python3 - "$W" "$SHARED/nfp-vectors/tools" <<'PY'
import struct, sys
sys.path.insert(0, sys.argv[2])
import oracle
M = (1 << 64) - 1
s = 0x6000; words = []
for _ in range(1000000):
    s = (s + 0x9E3779B97F4A7C15) & M
    z = s
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    words.append(z ^ (z >> 31))
open(sys.argv[1] + "/words.txt", "w").write("".join("%016x\n" % w for w in words))
open(sys.argv[1] + "/words.bin", "wb").write(b"".join(struct.pack("<Q", w) for w in words))
open(sys.argv[1] + "/words.elf", "wb").write(oracle.make_elf(words))
PY
fi
FW=$(ls "$ORACLE_firmware"/bpf/*.nffw | head -1)
t() { # t LABEL CMD... : best wall time of 5 runs (the minimum is the least disturbed by other load)
  label=$1; shift
  best=
  for i in 1 2 3 4 5; do
    s=$(date +%s.%N); "$@" > "$W/out.txt"; e=$(date +%s.%N)
    d=$(echo "$e - $s" | bc); if [ -z "$best" ] || [ "$(echo "$d < $best" | bc)" = 1 ]; then best=$d; fi
  done
  printf '%-40s %6.3f s\n' "$label" "$best" >&2
  echo "$best"
}
O=$ORACLE_objdump
a=$(t "objdump 1M words -M no-pc" "$O" -d -z -j .text -m nfp --no-show-raw-insn -M no-pc "$W/words.elf")
sed -n 's/^ *[0-9a-f]*:\t//p' "$W/out.txt" > "$W/objdump-words.txt"
b=$(t "nfp-disasm --words 1M" sh -c "$TOOL --words < '$W/words.txt'")
cmp -s "$W/out.txt" "$W/objdump-words.txt" && echo "  outputs identical" >&2 || echo "  OUTPUTS DIFFER" >&2
c=$(t "objdump firmware $(basename "$FW")" "$O" -d -z -m nfp --no-show-raw-insn "$FW")
cp "$W/out.txt" "$W/objdump-fw.txt"
d=$(t "nfp-disasm firmware" $TOOL "$FW")
cmp -s "$W/out.txt" "$W/objdump-fw.txt" && echo "  outputs identical" >&2 || echo "  OUTPUTS DIFFER" >&2
echo "whole-process speed-up vs objdump: 1M words x$(echo "scale=2; $a / $b" | bc), firmware x$(echo "scale=2; $c / $d" | bc)" >&2
