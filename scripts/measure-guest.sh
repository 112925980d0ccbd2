#!/bin/bash
# Measures where the test guest's time goes, per phase (no assertions: figures for
# docs/testing-without-a-nic.md). One guest boot per workload:
#   scripts/measure-guest.sh cli      `nicoffload devices` under several JVM settings
#   scripts/measure-guest.sh jshell   samples/jshell/run.sh xdp-counter
#   scripts/measure-guest.sh tests [PACKAGES]   the guest test run (RunInGuest), default all packages
# Phases: QEMU start to init (kernel boot), init to agent ready, command; for a JVM: process start to
# `main` (uptime of the main class's load, -Xlog:class+load), classes loaded (and how many came from
# the AOT cache), JIT time (-XX:+CITime), whole JVM run. Phase times come from the guest's uptime and
# the JVM's own uptime decorations, so they are the guest's view; host wall times are printed too.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=lib.sh
. "$ROOT/scripts/lib.sh"

up() { local u _; read -r u _ </proc/uptime; echo "$u"; }

# In the guest: runs the JVM command "$@" with logging in LABEL's files and prints one table row.
#   guest_jvm LABEL MAINCLASS JAVA-ARGS...
guest_jvm() {
	local label=$1 main=$2 t0 t1 log
	shift 2
	guest_runs=$((${guest_runs:-0} + 1))
	log=/tmp/measure-$guest_runs
	t0=$(up)
	"$JAVA_HOME/bin/java" -Xlog:class+load=info:file="$log.cl":uptime -Xlog:aot=info,cds=info:file="$log.aot":uptime \
		-XX:+UnlockDiagnosticVMOptions -XX:+CITime "$@" >"$log.out" 2>"$log.err" || true
	t1=$(up)
	local cit aot
	cit=$(sed -n 's/^ *C1 {speed:.*//; s/^ *Total compilation time *: *\([0-9.]*\) s.*/\1/p' "$log.out" | head -1)
	aot=$(grep -m1 -i -E 'Opened (AOT|shared) cache|Using AOT|Mapped static region|unable to|disabled|mismatch' "$log.aot" || true)
	awk -v label="$label" -v main="$main" -v t0="$t0" -v t1="$t1" -v cit="${cit:-?}" '
		{ n++; if ($0 ~ /source: shared objects file/) shared++
		  if (!m && index($0, " " main " source:")) { m = $1; gsub(/[^0-9.]/, "", m); bn = n; bs = shared } }
		END { printf "| %-34s | %6.2f | %6s | %4d/%4d | %4d/%4d | %6s |\n", label, t1 - t0, m == "" ? "?" : m, bs, bn, shared, n, cit }' "$log.cl"
	[ -n "$aot" ] && echo "    aot/cds log: $aot"
	if ! grep -q . "$log.out" && grep -q . "$log.err"; then tail -3 "$log.err" | sed 's/^/    stderr: /'; fi
	return 0
}

guest_cli() {
	local mp base
	mp=$(nicoffload_cli_module_path "$ROOT")
	base="-XX:+UseSerialGC -Xmn32m -XX:-UsePerfData"
	echo "guest: init at ${NICOFFLOAD_INIT_UPTIME:-?} s, agent ready at ${NICOFFLOAD_READY_UPTIME:-?} s, now $(up) s"
	echo "| JVM settings (nicoffload devices) | wall s | main at s | cached/loaded before main | cached/loaded in all | JIT s |"
	echo "|---|---|---|---|---|---|"
	local aot=(-XX:AOTCache="$ROOT/cli/target/nicoffload.aot")
	# shellcheck disable=SC2086
	{
	guest_jvm "C1, no AOT cache" dev.nicoffload.cli.Main -XX:TieredStopAtLevel=1 $base $NICOFFLOAD_CLI_NATIVE_ACCESS -p "$mp" -m dev.nicoffload.cli/dev.nicoffload.cli.Main devices
	guest_jvm "C1 + AOT cache" dev.nicoffload.cli.Main -XX:TieredStopAtLevel=1 $base "${aot[@]}" $NICOFFLOAD_CLI_NATIVE_ACCESS -p "$mp" -m dev.nicoffload.cli/dev.nicoffload.cli.Main devices
	guest_jvm "C1 + AOT, 1 compiler thread" dev.nicoffload.cli.Main -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 $base "${aot[@]}" $NICOFFLOAD_CLI_NATIVE_ACCESS -p "$mp" -m dev.nicoffload.cli/dev.nicoffload.cli.Main devices
	guest_jvm "C1 + AOT, thresholds x10" dev.nicoffload.cli.Main -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10 $base "${aot[@]}" $NICOFFLOAD_CLI_NATIVE_ACCESS -p "$mp" -m dev.nicoffload.cli/dev.nicoffload.cli.Main devices
	guest_jvm "C1 + AOT, thresholds x10, 1 thread" dev.nicoffload.cli.Main -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10 -XX:CICompilerCount=1 $base "${aot[@]}" $NICOFFLOAD_CLI_NATIVE_ACCESS -p "$mp" -m dev.nicoffload.cli/dev.nicoffload.cli.Main devices
	guest_jvm "-Xint + AOT cache" dev.nicoffload.cli.Main -Xint $base "${aot[@]}" $NICOFFLOAD_CLI_NATIVE_ACCESS -p "$mp" -m dev.nicoffload.cli/dev.nicoffload.cli.Main devices
	guest_jvm "tiered C1+C2 + AOT cache" dev.nicoffload.cli.Main $base "${aot[@]}" $NICOFFLOAD_CLI_NATIVE_ACCESS -p "$mp" -m dev.nicoffload.cli/dev.nicoffload.cli.Main devices
	}
	local t0 t1
	t0=$(up); nicoffload devices >/dev/null 2>&1 || true; t1=$(up)
	echo "| launcher \`nicoffload devices\` (its guest options) | $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') | | | | |"
}

guest_jshell() {
	local t0 t1
	echo "guest: init at ${NICOFFLOAD_INIT_UPTIME:-?} s, agent ready at ${NICOFFLOAD_READY_UPTIME:-?} s, now $(up) s"
	t0=$(up); "$ROOT/samples/jshell/run.sh" xdp-counter >/tmp/m-jsh 2>&1 || true; t1=$(up)
	echo "| samples/jshell/run.sh xdp-counter | $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s |"
}

if [ "${1:-}" = --guest ]; then
	nicoffload_select_jdk
	case $2 in cli) guest_cli ;; jshell) guest_jshell ;; esac
	exit 0
fi

nicoffload_select_jdk
cd "$ROOT"
what=${1:-cli}
case $what in
	cli | jshell)
		console=$(mktemp)
		t0=$(date +%s.%N)
		./nicoffload vm --console -- "$ROOT/scripts/measure-guest.sh" --guest "$what" 2>"$console"
		t1=$(date +%s.%N)
		echo "host: whole \`nicoffload vm\` $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s; console:"
		grep -E 'nicoffload-guest' "$console" | sed 's/^/    /'
		rm -f "$console" ;;
	tests)
		# the guest test run of PACKAGES (default: all) without and with the AOT cache of the test JVM
		# (MEASURE_AOT=true: with it only; MEASURE_JVM_ARGS: more guest JVM options, e.g. JIT settings)
		pk=${2:-}
		for aot in ${MEASURE_AOT:-false true}; do
			t0=$(date +%s.%N)
			./mvnw -B -o -pl integration-tests -am verify -Dtest=RunInGuest -Dsurefire.failIfNoSpecifiedTests=false -Dnicoffload.fuzz.skip=true \
				${pk:+-Dnicoffload.guest.packages=$pk} -Dnicoffload.vm.jvmLog=true -Dnicoffload.vm.aot=$aot \
				${MEASURE_JVM_ARGS:+"-Dnicoffload.vm.jvmArgs=$MEASURE_JVM_ARGS"} \
				| grep -E '^\[guest\]|Tests run:|Total compilation time' | sed 's/^/    /' || true
			t1=$(date +%s.%N)
			run=integration-tests/target/guest-run
			echo "test run, AOT cache $aot: mvn verify $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s (host)"
			grep -E 'nicoffload-guest' "$run/console.log" | sed 's/^/    /' || true
			awk '{ n++; if ($0 ~ /source: shared objects file/) s++
				if (!m && index($0, " org.junit.platform.console.ConsoleLauncher source:")) { m = $1; gsub(/[^0-9.]/, "", m); bn = n; bs = s } }
				END { printf "    JVM to main %s s (classes cached/loaded before main %d/%d, in all %d/%d)\n", m, bs, bn, s, n }' "$run/class-load.log"
			grep -m1 -E 'Opened AOT cache|AOT cache|disabled|mismatch' "$run/guest-jvm-aot.log" | sed 's/^/    aot log: /' || true
		done ;;
	*) echo "usage: scripts/measure-guest.sh cli|jshell|tests [PACKAGES]" >&2; exit 2 ;;
esac
