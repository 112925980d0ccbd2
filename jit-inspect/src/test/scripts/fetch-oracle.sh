#!/bin/sh
# Fetch the test oracle for the NFP disassembler into a cache directory (idempotent).
#  1. GNU objdump 2.40 built for nfp-elf from Debian's binutils-source (shared/nfp-vectors/tools/build-oracle.sh)
#  2. Debian bookworm's firmware-netronome package, unpacked with dpkg-deb -x
# Usage: fetch-oracle.sh SHARED_DIR [CACHE_DIR]   (CACHE_DIR default: ~/.cache/nicoffload/oracle)
# Prints two lines on success: "objdump=<path>" and "firmware=<dir>".
# Nothing here is written into the repository; firmware and listings stay in the cache.
set -eu
SHARED=${1:?usage: fetch-oracle.sh SHARED_DIR [CACHE_DIR]}
CACHE=${2:-${HOME}/.cache/nicoffload/oracle}
mkdir -p "$CACHE"
OBJDUMP="$CACHE/binutils/build/binutils/objdump"
FW="$CACHE/firmware/lib/firmware/netronome"

if [ ! -x "$OBJDUMP" ]; then
  sh "$SHARED/nfp-vectors/tools/build-oracle.sh" "$CACHE/binutils" >"$CACHE/build-oracle.log" 2>&1 || {
    echo "oracle build failed, see $CACHE/build-oracle.log" >&2; exit 1; }
fi

if [ ! -d "$FW/bpf" ]; then
  # A private apt configuration that only knows bookworm non-free-firmware, so that the
  # machine's own sources stay untouched.
  A="$CACHE/apt"
  mkdir -p "$A/lists/partial" "$A/archives/partial" "$A/etc"
  echo "deb http://deb.debian.org/debian bookworm non-free-firmware" >"$A/etc/sources.list"
  set -- -o Dir::Etc::SourceList="$A/etc/sources.list" -o Dir::Etc::SourceParts=/nonexistent \
         -o Dir::State::Lists="$A/lists" -o Dir::Cache::Archives="$A/archives" \
         -o Debug::NoLocking=1 -o APT::Sandbox::User=root
  apt-get "$@" -qq update >"$CACHE/apt.log" 2>&1
  (cd "$A" && apt-get "$@" -qq download firmware-netronome >>"$CACHE/apt.log" 2>&1)
  DEB=$(ls "$A"/firmware-netronome_*.deb | head -1)
  mkdir -p "$CACHE/firmware"
  dpkg-deb -x "$DEB" "$CACHE/firmware"
fi
[ -d "$FW/bpf" ] || { echo "no netronome/bpf firmware in $CACHE/firmware" >&2; exit 1; }
echo "objdump=$OBJDUMP"
echo "firmware=$FW"
