#!/bin/sh
# The first process of a local sandbox. `unshare` starts it as pid 1 of a new pid namespace, in
# new mount, net, uts and ipc namespaces (see namespaces.ts). It builds the sandbox's own root
# filesystem, pivots into it and detaches the host's, prints "ready <its pid on the host>", drops
# the capabilities that could undo any of this, and from then on only reaps orphans. When the
# driver kills it, the kernel kills every other process of the namespace with it, and the mount
# namespace (with the sandbox's own bpffs and everything pinned there) goes away.
#
# usage: sandbox-init.sh NAME WORKSPACE ROOT HOME TOOLS_SOURCE TOOLS_DIR TMP_BYTES [SECRET...] -- DROP...
#   ROOT: an empty host directory to build the new root on (in this mount namespace only).
#   TOOLS_SOURCE may be empty (the bpf/ toolchain has not been built).
#   SECRETs: host paths under /etc that must read as empty (shadow, private keys).
#   DROP...: the command prefix that drops capabilities (setpriv ...), run before the reaper.
set -eu
name=$1 workspace=$2 root=$3 home=$4 tools_source=$5 tools_dir=$6 tmp_bytes=$7
shift 7

# Our pid as the host sees it, read while /proc is still the host's. `read` is a builtin, so
# /proc/self is this shell itself.
host_pid=
while read -r key value _; do
  if [ "$key" = NSpid: ]; then host_pid=$value; fi
done </proc/self/status

# A bind that is read-only, whatever the source is (util-linux remounts the bind itself).
bind_ro() { mount --bind -o ro,nosuid,nodev "$1" "$2"; }
tmpfs() { mount -t tmpfs -o "nosuid,nodev,$2" "bpflab-$3" "$1"; }

# The new root: a small tmpfs holding only mount points and symlinks, made read-only at the end.
tmpfs "$root" mode=0755,size=1m root
cd "$root"
mkdir -p ./"$home" ./"$tools_dir" dev proc sys tmp var/tmp

# The host's system directories, read-only; merged-usr symlinks (bin -> usr/bin) stay symlinks.
for dir in usr bin sbin lib lib32 lib64 libx32 etc; do
  if [ -L "/$dir" ]; then
    ln -s "$(readlink "/$dir")" "$dir"
  elif [ -d "/$dir" ]; then
    mkdir "$dir"
    bind_ro "/$dir" "$dir"
  fi
done
# Host secrets in /etc read as empty: directories get an empty tmpfs, files an empty file (the
# bind keeps the file alive after its name is gone).
: >.empty
while [ "$1" != -- ]; do
  if [ -d "./$1" ]; then
    mount -t tmpfs -o ro,nosuid,nodev,noexec,mode=0,size=4k bpflab-hidden "./$1"
  else
    bind_ro .empty "./$1"
  fi
  shift
done
shift
rm .empty

if [ -n "$tools_source" ]; then bind_ro "$tools_source" "./$tools_dir"; fi
mount --bind "$workspace" "./$home"
tmpfs tmp "mode=1777,size=$tmp_bytes" tmp
tmpfs var/tmp "mode=1777,size=$tmp_bytes" var-tmp

# A /dev of a few devices, not the host's devtmpfs: no disks, no /dev/mem, no /dev/kmsg.
mount -t tmpfs -o nosuid,noexec,mode=0755,size=64k bpflab-dev dev
device() { mknod -m 0666 "dev/$1" c "$2" "$3"; }
device null 1 3
device zero 1 5
device full 1 7
device random 1 8
device urandom 1 9
device tty 5 0
mkdir dev/pts dev/shm
mount -t devpts -o newinstance,nosuid,noexec,mode=0620,ptmxmode=0666 bpflab-devpts dev/pts
ln -s pts/ptmx dev/ptmx
ln -s /proc/self/fd dev/fd
ln -s /proc/self/fd/0 dev/stdin
ln -s /proc/self/fd/1 dev/stdout
ln -s /proc/self/fd/2 dev/stderr
tmpfs dev/shm "mode=1777,size=$tmp_bytes" shm

# sysfs of this network namespace (its devices only; no cgroupfs under it), read-only; a bpffs of
# our own (what the learner pins dies with this namespace) and tracefs (one per kernel: reading is
# what labs need; writing would change tracing for the whole machine), read-only too.
mount -t sysfs -o nosuid,nodev,noexec bpflab-sysfs sys
mount -t bpf -o nosuid,nodev,noexec bpf sys/fs/bpf
mount -t tracefs -o nosuid,nodev,noexec tracefs sys/kernel/tracing
# Uprobes: the uprobe PMU of perf_event_open needs CAP_SYS_ADMIN, which the sandbox does not
# get; the tracefs interface needs only a writable uprobe_events. Hiding the PMU makes libbpf
# use that one, and that one file stays writable.
mount --bind sys/kernel/tracing/uprobe_events sys/kernel/tracing/uprobe_events
mount -t tmpfs -o ro,nosuid,nodev,noexec,mode=0555,size=4k bpflab-hidden sys/devices/uprobe
mount -o remount,bind,ro,nosuid,nodev,noexec sys/kernel/tracing
mount -o remount,bind,ro,nosuid,nodev,noexec sys

# Into the new root; the host's tree, lazily detached, cannot be reached again from here.
# (umount reads the mount table from /proc, so the sandbox's own comes first.)
mkdir .host
pivot_root . .host
cd /
mount -t proc -o nosuid,nodev,noexec proc /proc
umount -l /.host
rmdir /.host

echo "$name" >/proc/sys/kernel/hostname
ip link set lo up
# Machine-wide knobs under /proc are root-writable by mode alone; keep them read-only.
for knob in sys sysrq-trigger irq bus fs; do
  if [ -e "/proc/$knob" ]; then bind_ro "/proc/$knob" "/proc/$knob"; fi
done
mount -o remount,bind,ro /

# The OOM killer should pick a memory hog, never the process that holds the sandbox together:
# exempt it where we may (CAP_SYS_RESOURCE), else undo the sandbox-wide preference set on entry.
echo -1000 >/proc/self/oom_score_adj 2>/dev/null || echo 0 >/proc/self/oom_score_adj
echo "ready $host_pid"

# pid 1 ignores signals it has no handler for, except SIGKILL from the host; bash reaps every
# child that dies, including orphans reparented to it. `sleep &` gives `wait` something to do.
exec "$@" bash -c 'trap "" HUP INT QUIT TERM; while :; do sleep 86400 & wait; done' </dev/null >/dev/null 2>&1
