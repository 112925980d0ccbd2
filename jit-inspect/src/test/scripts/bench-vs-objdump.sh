#!/usr/bin/env bash
# Whole-process speed of `nicoffload nfp-disasm` against the oracle objdump 2.40 on the same inputs:
# 1 M random words (SplitMix64 seed 0x6000) and BPF firmware files from Debian's firmware-netronome.
# Ours is run as users type it, `./nicoffload nfp-disasm` (bash, staleness check, then the JVM running
# the jit-inspect module alone from its AOT cache), and as the bare `java` command the launcher ends in.
# For 1 M words, objdump's `-M no-pc` listing of an ELF holding them is compared with `--words`. Runs alternate between objdump and ours so that other work
# on the machine hits both alike; as root both run at nice -20. Every output is compared with
# objdump's byte for byte before any time counts.
# usage: jit-inspect/src/test/scripts/bench-vs-objdump.sh [RUNS] [FIRMWARE...]
#        RUNS (default 21) timed runs per command; FIRMWARE default: the first BPF firmware file.
#        The oracle is fetched with fetch-oracle.sh (cached); the CLI is built by ./nicoffload.
set -eu
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
SHARED=${NICOFFLOAD_SHARED:-$ROOT/../shared}
CACHE=${NICOFFLOAD_ORACLE_CACHE:-$HOME/.cache/nicoffload/oracle}
RUNS=${1:-21}
[ $# -gt 0 ] && shift
eval "$(sh "$ROOT/jit-inspect/src/test/scripts/fetch-oracle.sh" "$SHARED" "$CACHE" | sed 's/^/ORACLE_/')"
W=$CACHE/bench; mkdir -p "$W"
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
open(sys.argv[1] + "/words.elf", "wb").write(oracle.make_elf(words))
PY
fi
[ $# -gt 0 ] || set -- "$(ls "$ORACLE_firmware"/bpf/*.nffw | head -1)"
"$ROOT/nicoffload" nfp-disasm --help >/dev/null # builds the CLI and records its AOT cache if needed
# the java command the launcher ends in, without the launcher
. "$ROOT/scripts/lib.sh"
nicoffload_select_jdk
nicoffload_aot_option "$ROOT/cli/target/nfp-disasm.aot" "$ROOT"
JAVA="$JAVA_HOME/bin/java $NICOFFLOAD_CLI_JVM_OPTS $NICOFFLOAD_AOT_OPTION -p $(nicoffload_jit_jar "$ROOT") -m dev.nicoffload.jit/dev.nicoffload.jit.tool.NfpDisasmTool"
NICE=""; [ "$(id -u)" = 0 ] && NICE="nice -n -20"
export RUNS W NICE JAVA ROOT OBJDUMP="$ORACLE_objdump"
python3 - "$@" <<'PY'
import os, shlex, statistics, subprocess, sys, time
runs, w, nice = int(os.environ["RUNS"]), os.environ["W"], shlex.split(os.environ["NICE"])
objdump, java, root = os.environ["OBJDUMP"], shlex.split(os.environ["JAVA"]), os.environ["ROOT"]

def run(cmd, stdin=None, out=subprocess.DEVNULL):
    f = open(stdin, "rb") if stdin else subprocess.DEVNULL
    t = time.perf_counter(); subprocess.run(nice + cmd, stdin=f, stdout=out, check=True)
    return time.perf_counter() - t

def compare(label, ref, ours):
    """ref and ours: (cmd, stdin); outputs must be identical, then alternate timed runs."""
    outs = []
    for cmd, stdin in (ref, ours):
        with open(w + "/out.txt", "wb") as o:
            run(cmd, stdin, o)
        outs.append(open(w + "/out.txt", "rb").read())
    if outs[0] != outs[1]:
        sys.exit(f"{label}: OUTPUTS DIFFER")
    a, b = [], []
    for _ in range(runs):
        a.append(run(*ref)); b.append(run(*ours))
    ma, mb = statistics.median(a), statistics.median(b)
    print(f"{label:58s} objdump median {ma*1000:7.1f} ms (min {min(a)*1000:6.1f})   ours median {mb*1000:7.1f} ms "
          f"(min {min(b)*1000:6.1f})   speed-up x{ma/mb:.2f}   [{len(outs[0]):,} bytes identical]")

# 1 M words: objdump on an ELF holding them with -M no-pc (prefix stripped) against --words on stdin
words_ref = w + "/objdump-words.txt"
if not os.path.exists(words_ref):
    text = subprocess.run([objdump, "-d", "-z", "-j", ".text", "-m", "nfp", "--no-show-raw-insn", "-M", "no-pc",
                           w + "/words.elf"], capture_output=True, check=True).stdout.decode()
    open(words_ref, "w").write("".join(l.split(":\t", 1)[1] + "\n" for l in text.splitlines() if ":\t" in l))
launcher = [root + "/nicoffload", "nfp-disasm"]
fw = sys.argv[1:]
print(f"{runs} alternating runs each; nice: {' '.join(nice) or 'no'}")
ref_cmd = [objdump, "-d", "-z", "-j", ".text", "-m", "nfp", "--no-show-raw-insn", "-M", "no-pc", w + "/words.elf"]
# the reference output of this pair is the prefix-stripped listing, so compare ours with that file
a_out = open(words_ref, "rb").read()
with open(w + "/out.txt", "wb") as o:
    run(launcher + ["--words"], w + "/words.txt", o)
if open(w + "/out.txt", "rb").read() != a_out:
    sys.exit("1M words: OUTPUTS DIFFER")
a, b = [], []
for _ in range(runs):
    a.append(run(ref_cmd)); b.append(run(launcher + ["--words"], w + "/words.txt"))
print(f"{'1 M random words (objdump -M no-pc vs ./nicoffload --words)':58s} objdump median {statistics.median(a)*1000:7.1f} ms "
      f"(min {min(a)*1000:6.1f})   ours median {statistics.median(b)*1000:7.1f} ms (min {min(b)*1000:6.1f})   "
      f"speed-up x{statistics.median(a)/statistics.median(b):.2f}   [{len(a_out):,} bytes identical]")
for f in fw:
    name = os.path.basename(f)
    ref = ([objdump, "-d", "-z", "-m", "nfp", "--no-show-raw-insn", f], None)
    compare(f"{name}: ./nicoffload nfp-disasm FILE", ref, (launcher + [f], None))
    compare(f"{name}: java ... NfpDisasmTool FILE (no launcher)", ref, (java + [f], None))
PY
