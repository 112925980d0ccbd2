# Shared by ./nicoffload and scripts/*.sh: JDK selection, system packages, quiet build.
# shellcheck shell=bash

NICOFFLOAD_PACKAGES="qemu-system-x86 clang llvm libbpf1 libbpf-dev bpftool iproute2 ethtool gcc libcap2-bin graphviz xdp-tools libxdp1"

nicoffload_log() { echo "nicoffload: $*" >&2; }

# Sets JAVA_HOME to a JDK >= 22: $JAVA_HOME if it qualifies, else Temurin 25, else the newest under /usr/lib/jvm.
nicoffload_select_jdk() {
	local candidate v
	for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
		candidate=${candidate%/}
		[ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
		# the JDK's release file names its version: no JVM start needed
		v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$candidate/release" 2>/dev/null)
		if [ "${v:-0}" -ge 22 ] 2>/dev/null; then
			export JAVA_HOME=$candidate
			return 0
		fi
	done
	nicoffload_log "no JDK >= 22 found (looked at \$JAVA_HOME and /usr/lib/jvm); install Temurin 25 or set JAVA_HOME"
	return 1
}

# Installs missing Debian packages (idempotent: does nothing when all are present).
nicoffload_install_deps() {
	local installed missing="" p
	# one dpkg-query for all packages; a package it does not know is missing too
	# shellcheck disable=SC2086
	installed=$(dpkg-query -W -f='${Package} ${Status}\n' $NICOFFLOAD_PACKAGES 2>/dev/null | awk '$NF == "installed" { print $1 }')
	for p in $NICOFFLOAD_PACKAGES; do
		echo "$installed" | grep -qx "$p" || missing="$missing $p"
	done
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

# Builds the CLI and its modules (no tests) when a source or pom is newer than the last build.
nicoffload_ensure_built() {
	local root=$1 stamp=$1/cli/target/.launcher-stamp
	if [ -f "$stamp" ] && [ -f "$root/cli/target/module-path" ] && \
		[ -z "$(find "$root" -path "$root/.git" -prune -o \( -name pom.xml -o -path '*/src/*' \) -newer "$stamp" -print -quit 2>/dev/null)" ]; then
		return 0
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
	touch "$stamp"
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
