# Shared by ./nicoffload and scripts/*.sh: JDK selection, system packages, quiet build.
# shellcheck shell=bash

NICOFFLOAD_PACKAGES="qemu-system-x86 clang llvm libbpf1 libbpf-dev bpftool iproute2 ethtool gcc libcap2-bin graphviz xdp-tools libxdp1"

nicoffload_log() { echo "nicoffload: $*" >&2; }

# Sets JAVA_HOME to a JDK >= 22: $JAVA_HOME if it qualifies, else Temurin 25, else the newest under /usr/lib/jvm.
nicoffload_select_jdk() {
	local candidate
	# the usual cases first, without listing /usr/lib/jvm (the launcher's start-up counts)
	for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
		nicoffload_jdk_qualifies "$candidate" && { export JAVA_HOME=${candidate%/}; return 0; }
	done
	for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
		nicoffload_jdk_qualifies "$candidate" && { export JAVA_HOME=${candidate%/}; return 0; }
	done
	nicoffload_log "no JDK >= 22 found (looked at \$JAVA_HOME and /usr/lib/jvm); install Temurin 25 or set JAVA_HOME"
	return 1
}

# True if directory $1 holds a JDK (javac) of version 22 or later, read from its release file (no JVM start).
nicoffload_jdk_qualifies() {
	local dir=${1%/} line v
	[ -n "$dir" ] && [ -x "$dir/bin/javac" ] && [ -r "$dir/release" ] || return 1
	while IFS= read -r line; do
		case $line in
			JAVA_VERSION=*) v=${line#JAVA_VERSION=\"}; v=${v%%[!0-9]*}; [ "${v:-0}" -ge 22 ]; return ;;
		esac
	done < "$dir/release"
	return 1
}

# Installs missing Debian packages (idempotent: does nothing when all are present).
nicoffload_install_deps() {
	local missing
	# one dpkg-query for all packages; a package it does not know is missing too
	# (dpkg-query exits 1 when any is unknown: that must not end a caller running under set -e -o pipefail)
	# shellcheck disable=SC2086
	missing=$({ dpkg-query -W -f='${Package} ${Status}\n' $NICOFFLOAD_PACKAGES 2>/dev/null || true; } | awk -v want="$NICOFFLOAD_PACKAGES" '
		$NF == "installed" { have[$1] = 1 }
		END { n = split(want, w, " "); for (i = 1; i <= n; i++) if (!(w[i] in have)) printf " %s", w[i] }')
	if [ -z "$missing" ]; then
		return 0
	fi
	nicoffload_log "installing system packages:$missing"
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get -o DPkg::Lock::Timeout=300 update -q </dev/null >&2
	# shellcheck disable=SC2086
	$sudo apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends $missing </dev/null >&2
	nicoffload_log "system packages installed"
}

# Builds the CLI and its modules (no tests) when a source or pom is newer than the last build, then
# records the CLI's start-up caches (nicoffload_record_aot_cache). With PATHS, only they are checked
# for changes (a command that runs one module need not look at the others).
#   nicoffload_ensure_built ROOT [PATHS...]
nicoffload_ensure_built() {
	local root=$1 stamp=$1/cli/target/.launcher-stamp changed
	shift
	if [ -f "$stamp" ] && [ -f "$root/cli/target/module-path" ]; then
		if [ $# -gt 0 ]; then
			nicoffload_newer_than "$stamp" "$@"
			changed=$NICOFFLOAD_CHANGED
		else
			changed=$(find "$root" \( -path "$root/.git" -o -name target -o -name node_modules \) -prune -o \( -name pom.xml -o -path '*/src/*' \) -newer "$stamp" -print -quit 2>/dev/null)
		fi
		[ -z "$changed" ] && return 0
	fi
	nicoffload_log "building (first run or sources changed; ./mvnw -q package -DskipTests)..."
	local log
	log=$(mktemp)
	if ! (cd "$root" && ./mvnw -q -B -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package -pl cli -am) </dev/null >"$log" 2>&1; then
		cat "$log" >&2
		rm -f "$log"
		nicoffload_log "build failed"
		return 1
	fi
	rm -f "$log"
	nicoffload_mark_built "$root"
}

# Records that the CLI and its modules are built from the sources as they were at TIME (seconds since
# the epoch; default now): records the start-up caches, then dates the launcher's stamp.
#   nicoffload_mark_built ROOT [TIME]
nicoffload_mark_built() {
	local root=$1 when=${2:-}
	nicoffload_record_aot_cache "$root"
	if [ -n "$when" ]; then
		touch -d "@$when" "$root/cli/target/.launcher-stamp"
	else
		touch "$root/cli/target/.launcher-stamp"
	fi
}

# Sets NICOFFLOAD_CHANGED to the first file under PATHS (files or directories) newer than STAMP, or to
# nothing; bash builtins only, no fork (a millisecond the nfp-disasm launcher would feel).
#   nicoffload_newer_than STAMP PATHS...
nicoffload_newer_than() {
	local stamp=$1 p f had_globstar=0 had_nullglob=0
	shift
	NICOFFLOAD_CHANGED=
	shopt -q globstar && had_globstar=1
	shopt -q nullglob && had_nullglob=1
	shopt -s globstar nullglob
	for p in "$@"; do
		for f in "$p" "$p"/**; do
			if [ "$f" -nt "$stamp" ]; then
				NICOFFLOAD_CHANGED=$f
				break 2
			fi
		done
	done
	[ $had_globstar = 1 ] || shopt -u globstar
	[ $had_nullglob = 1 ] || shopt -u nullglob
}

# JVM options of the CLI, a short-lived tool: C1 only, serial GC, no perf-data file, and JVM log
# lines on stderr only (never mixed into a command's output; the AOT cache is silent when unusable).
# Fresh pages cost most of a short run where page faults are dear (about 11 us each in a small VM):
# a 32 MiB young generation is reused after each collection instead of growing through fresh memory,
# and the heap takes transparent huge pages when the kernel offers them (madvise or always; the flag
# is left out otherwise, as the JVM would warn). Both took `nfp-disasm FILE` from 153 to 121 ms and
# `--words` on 1 M words from 516 to 301 ms on such a VM.
NICOFFLOAD_CLI_JVM_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn32m -XX:-UsePerfData -Xlog:disable -Xlog:all=warning,aot*=off,cds*=off:stderr"
nicoffload_thp_line=
{ read -r nicoffload_thp_line </sys/kernel/mm/transparent_hugepage/enabled; } 2>/dev/null || true
case $nicoffload_thp_line in
	*"[always]"* | *"[madvise]"*) NICOFFLOAD_CLI_JVM_OPTS="$NICOFFLOAD_CLI_JVM_OPTS -XX:+UseTransparentHugePages" ;;
esac
unset nicoffload_thp_line
# In the test guest (single-threaded TCG) the JIT's compiler threads take turns with the command on one host
# thread: compile only 10x hotter code (C1 time of `nicoffload devices` there 15-17 s -> 7 s; scripts/measure-guest.sh).
if [ -n "${NICOFFLOAD_IN_GUEST:-}" ]; then
	NICOFFLOAD_CLI_JVM_OPTS="$NICOFFLOAD_CLI_JVM_OPTS -XX:CompileThresholdScaling=10"
fi
NICOFFLOAD_CLI_NATIVE_ACCESS="--enable-native-access=ALL-UNNAMED,rawbpf,dev.nicoffload.ffm,dev.nicoffload.offload,dev.nicoffload.maps,dev.nicoffload.api,dev.nicoffload.testing"

# Sets NICOFFLOAD_VERSION to the project version, read from the file Maven writes when it builds the CLI
# (cli/src/main/resources-filtered, the POM's version); bash builtins only, no fork. Fails when not built.
#   nicoffload_version ROOT
nicoffload_version() {
	local file=$1/cli/target/classes/dev/nicoffload/cli/version.properties line
	NICOFFLOAD_VERSION=
	if [ -r "$file" ]; then
		while IFS= read -r line; do
			case $line in version=*) NICOFFLOAD_VERSION=${line#version=} ;; esac
		done < "$file"
	fi
	[ -n "$NICOFFLOAD_VERSION" ] || { nicoffload_log "$file is missing: build the CLI first (./mvnw package -pl cli -am)"; return 1; }
}

# The CLI's module path (the same string every time: the AOT cache is tied to it).
nicoffload_cli_module_path() {
	local root=$1
	nicoffload_version "$root" || return 1
	echo "$root/cli/target/nicoffload-cli-$NICOFFLOAD_VERSION.jar:$(<"$root/cli/target/module-path")"
}

# The disassembler's own module: `nicoffload nfp-disasm` runs it alone (fewer jars to open at start-up).
nicoffload_jit_jar() {
	nicoffload_version "$1" || return 1
	echo "$1/jit-inspect/target/nicoffload-jit-inspect-$NICOFFLOAD_VERSION.jar"
}

# On JDK 25+, records ahead-of-time caches of the classes the tool loads and links, by running
# training workloads once: cli/target/nicoffload.aot for the CLI (dev.nicoffload.cli.AotTraining)
# and cli/target/nfp-disasm.aot for the disassembler alone (NfpDisasmTraining), with the JDK they
# belong to in *.aot.jdk. The launcher starts from them, which roughly halves JVM start-up.
nicoffload_record_aot_cache() {
	local root=$1 v
	rm -f "$root"/cli/target/*.aot "$root"/cli/target/*.aot.jdk
	v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release" 2>/dev/null)
	[ "${v:-0}" -ge 25 ] 2>/dev/null || return 0
	nicoffload_train "$root/cli/target/nicoffload.aot" $NICOFFLOAD_CLI_NATIVE_ACCESS -p "$(nicoffload_cli_module_path "$root")" \
		-m dev.nicoffload.cli/dev.nicoffload.cli.AotTraining
	nicoffload_train "$root/cli/target/nfp-disasm.aot" -p "$(nicoffload_jit_jar "$root")" \
		-m dev.nicoffload.jit/dev.nicoffload.jit.tool.NfpDisasmTraining "$root/cli/target"
}

# nicoffload_train CACHE JAVA-ARGS...: one training run recording CACHE (never fails the build).
nicoffload_train() {
	local aot=$1 log
	shift
	log=$(mktemp)
	# shellcheck disable=SC2086
	if "$JAVA_HOME/bin/java" $NICOFFLOAD_CLI_JVM_OPTS -XX:AOTCacheOutput="$aot" "$@" </dev/null >/dev/null 2>"$log" && [ -s "$aot" ]; then
		echo "$JAVA_HOME" > "$aot.jdk"
	else
		nicoffload_log "could not record the start-up cache $aot (the tool works, it only starts slower):"
		tail -5 "$log" >&2
		rm -f "$aot"
	fi
	rm -f "$log"
}

# Sets NICOFFLOAD_AOT_OPTION to -XX:AOTCache=CACHE when CACHE was recorded with this $JAVA_HOME after the
# CLI was last built, else to nothing (a variable, not output: no subshell on the launcher's path).
nicoffload_aot_option() {
	local aot=$1 root=$2
	NICOFFLOAD_AOT_OPTION=
	nicoffload_version "$root" || return 1
	if [ -f "$aot.jdk" ] && [ "$(<"$aot.jdk")" = "$JAVA_HOME" ] && [ "$aot" -nt "$root/cli/target/module-path" ] \
		&& [ "$aot" -nt "$root/cli/target/nicoffload-cli-$NICOFFLOAD_VERSION.jar" ]; then
		NICOFFLOAD_AOT_OPTION=-XX:AOTCache=$aot
	fi
}

# Prints the test kernel the VM will boot (same order as dev.nicoffload.testing.vm.KernelImage):
# $NICOFFLOAD_KERNEL, then shared/testkernel beside the project, then ~/.cache/nicoffload/kernel.
nicoffload_find_kernel() {
	local root=$1 cache=${XDG_CACHE_HOME:-$HOME/.cache}/nicoffload/kernel k
	if [ -n "${NICOFFLOAD_KERNEL:-}" ]; then
		[ -r "$NICOFFLOAD_KERNEL" ] && { echo "$NICOFFLOAD_KERNEL"; return 0; }
		nicoffload_log "NICOFFLOAD_KERNEL=$NICOFFLOAD_KERNEL is not readable"
		return 1
	fi
	for k in "$root/../shared/testkernel/nfpsim/bzImage-6.1.192-nfpsim" "$root/../shared/testkernel/bzImage-6.1.192-netdevsim" \
		"$cache/bzImage-6.1.192-nfpsim" "$cache/bzImage-6.1.192-netdevsim"; do
		[ -r "$k" ] && { readlink -f "$k"; return 0; }
	done
	return 1
}

# Makes sure a test kernel exists, building one from Debian's linux-source-6.1 when none does.
nicoffload_ensure_kernel() {
	local root=$1 k
	if k=$(nicoffload_find_kernel "$root"); then
		nicoffload_log "test kernel: $k"
		return 0
	fi
	nicoffload_log "no test kernel found: building one (about 12 minutes on 2 cores)"
	"$root/scripts/build-kernel.sh"
}
