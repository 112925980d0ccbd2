#!/usr/bin/env bash
# Builds the Linux 6.1 test kernel from Debian's linux-source-6.1 into $NICOFFLOAD_KERNEL_CACHE
# (default ~/.cache/nicoffload/kernel): the nfpsim kernel (netdevsim + simulated NFP) when
# $NICOFFLOAD_NFPSIM_DIR holds nfpsim-6.1.192.patch and config-6.1.192-nfpsim, else the plain
# netdevsim kernel with the options documented in shared/testkernel/README.md.
# About 12 minutes on 2 cores; prints progress. Shipped inside nicoffload-testing (KernelBuilder runs it).
set -euo pipefail
log() { echo "nicoffload: $*" >&2; }
CACHE=${NICOFFLOAD_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nicoffload/kernel}
NFPSIM_DIR=${NICOFFLOAD_NFPSIM_DIR:-}
mkdir -p "$CACHE"

missing=""
for p in linux-source-6.1 flex bison bc libelf-dev libssl-dev make gcc xz-utils patch; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	log "installing kernel build packages:$missing"
	sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get -o DPkg::Lock::Timeout=300 update -q >&2
	# shellcheck disable=SC2086
	$sudo apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends $missing >&2
fi

src=$CACHE/linux-source-6.1
if [ ! -f "$src/Makefile" ]; then
	log "unpacking /usr/src/linux-source-6.1.tar.xz"
	tar -C "$CACHE" -xJf /usr/src/linux-source-6.1.tar.xz
fi
cd "$src"
if [ -n "$NFPSIM_DIR" ] && [ -f "$NFPSIM_DIR/nfpsim-6.1.192.patch" ] && [ -f "$NFPSIM_DIR/config-6.1.192-nfpsim" ]; then
	flavour=nfpsim
	if [ ! -f drivers/net/ethernet/netronome/nfp/bpf/nfpsim.c ]; then
		log "applying $NFPSIM_DIR/nfpsim-6.1.192.patch"
		patch -p1 -s < "$NFPSIM_DIR/nfpsim-6.1.192.patch"
	fi
	cp "$NFPSIM_DIR/config-6.1.192-nfpsim" .config
	make -s olddefconfig
else
	flavour=netdevsim
	log "no nfpsim patch given (NICOFFLOAD_NFPSIM_DIR): building the plain netdevsim kernel"
	make -s defconfig
	make -s kvm_guest.config
	scripts/config -e BPF_SYSCALL -e BPF_JIT -e NETDEVSIM -e NET_DEVLINK -e NET_9P -e NET_9P_VIRTIO \
		-e 9P_FS -e 9P_FS_POSIX_ACL -e VIRTIO_PCI -e VIRTIO_CONSOLE -e DEBUG_FS -e VETH -e NET_CLS_BPF \
		-e NET_SCH_INGRESS -e XDP_SOCKETS -e BPF_EVENTS -e NET_ACT_BPF -d DEBUG_INFO -d DEBUG_INFO_DWARF5 \
		-e DEBUG_INFO_NONE -d DRM -d SOUND -d USB_SUPPORT -d WLAN -d WIRELESS -d CFG80211
	make -s olddefconfig
fi
log "compiling the $flavour kernel with $(nproc) jobs (about 12 minutes on 2 cores); a line every 250 files"
make -j"$(nproc)" bzImage 2>&1 | awk '/^  (CC|AS|LD|AR)/ { n++; if (n % 250 == 0) { printf "nicoffload: kernel build: %d files compiled\n", n; fflush() } } /(error|Error)[: ]/ && !/^  [A-Z]/ { print }' >&2
test "${PIPESTATUS[0]}" -eq 0
cp arch/x86/boot/bzImage "$CACHE/bzImage-6.1.192-$flavour"
log "kernel ready: $CACHE/bzImage-6.1.192-$flavour"
