#!/usr/bin/env bash
# Builds the Linux 6.1 test kernel from Debian's linux-source-6.1 into ~/.cache/nicoffload/kernel/:
# the nfpsim kernel (netdevsim + simulated NFP) when the nfpsim patch and config are found in
# shared/testkernel/nfpsim beside the project, else the plain netdevsim kernel with the options
# documented in shared/testkernel/README.md. About 12 minutes on 2 cores; prints progress.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=lib.sh
. "$ROOT/scripts/lib.sh"
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/nicoffload/kernel
NFPSIM_DIR=$ROOT/../shared/testkernel/nfpsim
mkdir -p "$CACHE"

NICOFFLOAD_PACKAGES="linux-source-6.1 flex bison bc libelf-dev libssl-dev make gcc xz-utils" nicoffload_install_deps

src=$CACHE/linux-source-6.1
if [ ! -f "$src/Makefile" ]; then
	nicoffload_log "unpacking /usr/src/linux-source-6.1.tar.xz"
	tar -C "$CACHE" -xJf /usr/src/linux-source-6.1.tar.xz
fi
cd "$src"
if [ -f "$NFPSIM_DIR/nfpsim-6.1.192.patch" ] && [ -f "$NFPSIM_DIR/config-6.1.192-nfpsim" ]; then
	flavour=nfpsim
	if [ ! -f drivers/net/ethernet/netronome/nfp/bpf/nfpsim.c ]; then
		nicoffload_log "applying $NFPSIM_DIR/nfpsim-6.1.192.patch"
		patch -p1 -s < "$NFPSIM_DIR/nfpsim-6.1.192.patch"
	fi
	cp "$NFPSIM_DIR/config-6.1.192-nfpsim" .config
	make -s olddefconfig
else
	flavour=netdevsim
	nicoffload_log "nfpsim patch not found beside the project: building the plain netdevsim kernel"
	make -s defconfig
	make -s kvm_guest.config
	scripts/config -e BPF_SYSCALL -e BPF_JIT -e NETDEVSIM -e NET_DEVLINK -e NET_9P -e NET_9P_VIRTIO \
		-e 9P_FS -e 9P_FS_POSIX_ACL -e VIRTIO_PCI -e VIRTIO_CONSOLE -e DEBUG_FS -e VETH -e NET_CLS_BPF \
		-e NET_SCH_INGRESS -e XDP_SOCKETS -e BPF_EVENTS -e NET_ACT_BPF -d DEBUG_INFO -d DEBUG_INFO_DWARF5 \
		-e DEBUG_INFO_NONE -d DRM -d SOUND -d USB_SUPPORT -d WLAN -d WIRELESS -d CFG80211
	make -s olddefconfig
fi
nicoffload_log "compiling the $flavour kernel with $(nproc) jobs (about 12 minutes on 2 cores); a line every 250 files"
make -j"$(nproc)" bzImage 2>&1 | awk '/^  (CC|AS|LD|AR)/ { n++; if (n % 250 == 0) { printf "nicoffload: kernel build: %d files compiled\n", n; fflush() } } /error|Error/ { print }' >&2
test "${PIPESTATUS[0]}" -eq 0
cp arch/x86/boot/bzImage "$CACHE/bzImage-6.1.192-$flavour"
nicoffload_log "kernel ready: $CACHE/bzImage-6.1.192-$flavour"
