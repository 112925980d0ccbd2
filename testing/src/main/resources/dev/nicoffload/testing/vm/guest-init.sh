#!/bin/sh
# PID 1 of the nicoffload test guest. The root file system is the host's, read-only over 9p.
# Kernel command line: nicoffload.run=<host dir> holding `mounts` and `env`.
# Then it serves commands: the host writes an id N on the virtio-serial port "ctl"; the guest runs
# <run dir>/cmds/N/cmd from the directory in cmds/N/cwd with stdout/stderr on the ports "out"/"err",
# ends each stream with the marker NUL "NICOFFLOAD-END N" NUL and answers "N STATUS" on "ctl".
# "exit" powers the guest off; status 0 goes to the isa-debug-exit port (QEMU exits with 2*0+1).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 NICOFFLOAD_IN_GUEST=1

mount -t proc proc /proc
# the guest's uptime when init starts (end of the kernel's boot) and when it serves commands, for
# scripts/measure-guest.sh; read with the shell's builtin (no fork)
read -r NICOFFLOAD_INIT_UPTIME _ </proc/uptime 2>/dev/null || NICOFFLOAD_INIT_UPTIME=?
export NICOFFLOAD_INIT_UPTIME
mount -t sysfs sysfs /sys
grep -q ' /dev devtmpfs' /proc/mounts || mount -t devtmpfs devtmpfs /dev

say() { echo "nicoffload-guest: $*" > /dev/console; }
finish() { # finish STATUS
	say "exit status $1 at uptime $(cut -d' ' -f1 /proc/uptime) s"
	sync
	printf "\\$(printf %o "$1")" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
	poweroff -f
	echo o > /proc/sysrq-trigger
	sleep 30
}

RUN=
for arg in $(cat /proc/cmdline); do
	case $arg in nicoffload.run=*) RUN=${arg#nicoffload.run=} ;; esac
done
[ -n "$RUN" ] && [ -r "$RUN/mounts" ] || { say "no run directory on the kernel command line"; finish 250; }
# Read everything we need before /tmp is replaced by a tmpfs (the run dir may live under the host's /tmp).
MOUNTS=$(cat "$RUN/mounts")

mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug
mount -t bpf bpf /sys/fs/bpf
mkdir -p /dev/shm && mount -t tmpfs tmpfs /dev/shm
ip link set lo up 2>/dev/null

# "TAG PATH ro|rw" per line, parents before children.
echo "$MOUNTS" | while read -r tag path mode; do
	[ -n "$tag" ] || continue
	mkdir -p "$path" 2>/dev/null
	opts=trans=virtio,version=9p2000.L,msize=512000
	[ "$mode" = ro ] && opts=$opts,ro
	mount -t 9p -o "$opts" "$tag" "$path" || { say "cannot mount $tag at $path"; finish 251; }
done

port() { # device node of the virtio-serial port with the given name
	for p in /sys/class/virtio-ports/*; do
		[ "$(cat "$p/name" 2>/dev/null)" = "$1" ] && { echo "/dev/${p##*/}"; return; }
	done
	echo /dev/console
}
OUT=$(port out); ERR=$(port err)

. "$RUN/env"
[ -n "${NICOFFLOAD_HOME:-}" ] && export PATH="$NICOFFLOAD_HOME:$PATH"
CTL=$(port ctl)
exec 3<>"$CTL" || { say "cannot open the control port"; finish 253; }
read -r NICOFFLOAD_READY_UPTIME _ </proc/uptime
export NICOFFLOAD_READY_UPTIME
say "init started at uptime $NICOFFLOAD_INIT_UPTIME s; agent ready at uptime $NICOFFLOAD_READY_UPTIME s"
echo ready >&3
while read -r id <&3; do
	case $id in
	exit) break ;;
	*[!0-9]*|'') say "ignoring control line '$id'"; continue ;;
	esac
	dir=$RUN/cmds/$id
	say "running command $id at uptime $(cut -d' ' -f1 /proc/uptime) s"
	(cd "$(cat "$dir/cwd")" && exec sh "$dir/cmd") < /dev/null > "$OUT" 2> "$ERR" 3>&-
	rc=$?
	printf '\000NICOFFLOAD-END %s\000' "$id" > "$OUT"
	printf '\000NICOFFLOAD-END %s\000' "$id" > "$ERR"
	echo "$id $rc" >&3
done
finish 0
