#!/bin/sh
# The first process of a local sandbox. `unshare` starts it as pid 1 of a new pid namespace, in
# new mount, net, uts and ipc namespaces (see namespaces.ts). It builds the sandbox's own root
# file system (sandbox-root.ts writes its fstab), pivots into it and detaches the host's, prints
# "ready <its pid on the host>", drops the capabilities that could undo any of this, and from then
# on only reaps orphans. When the driver kills it, the kernel kills every other process of the
# namespace with it, and the mount namespace (with the sandbox's own bpffs and everything pinned
# there) goes away.
#
# usage: sandbox-init.sh NAME ROOT FSTAB [DEVICE...] -- [LINK...] -- DROP...
#   ROOT: an empty host directory to build the new root on (in this mount namespace only).
#   FSTAB: the new root's mounts, every target under ROOT.
#   DEVICEs: names in the host's /dev to copy into the sandbox's (nodes and symlinks alike).
#   LINKs: top-level host directories that are symlinks (bin -> usr/bin), copied as symlinks.
#   DROP...: the command prefix that drops capabilities (setpriv ...), run before the reaper.
set -eu
name=$1 root=$2 fstab=$3
shift 3
devices=
while [ "$1" != -- ]; do devices="$devices /dev/$1"; shift; done
shift
links=
while [ "$1" != -- ]; do links="$links /$1"; shift; done
shift

# Our pid as the host sees it, read while /proc is still the host's. `read` is a builtin, so
# /proc/self is this shell itself.
host_pid=
while read -r key value _; do
  if [ "$key" = NSpid: ]; then host_pid=$value; fi
done </proc/self/status
echo "$name" >/proc/sys/kernel/hostname

# The new root: a small tmpfs holding only mount points and symlinks, made read-only at the end.
mount -t tmpfs -o nosuid,nodev,mode=0755,size=1m bpflab-root "$root"
cd "$root"
: >.empty
printf '%s' "$fstab" >.fstab
mount --all --fstab .fstab
mount -o remount,bind,ro,nosuid,nodev,noexec sys/kernel/tracing
# $devices and $links are names without blanks, split on purpose.
# shellcheck disable=SC2086
cp -a $devices dev/
# shellcheck disable=SC2086
if [ -n "$links" ]; then cp -P $links .; fi
rm .empty .fstab

# Into the new root. pivot_root(".", ".") stacks the host's root on top of the new one; detaching
# it leaves the new root, and the host's tree cannot be reached again from here.
pivot_root . .
umount -l .
cd /
mount -o remount,bind,ro /
ip link set lo up

# The OOM killer should pick a memory hog, never the process that holds the sandbox together:
# exempt it where we may (CAP_SYS_RESOURCE), else undo the sandbox-wide preference set on entry.
echo -1000 >/proc/self/oom_score_adj 2>/dev/null || echo 0 >/proc/self/oom_score_adj
echo "ready $host_pid"

# pid 1 ignores signals it has no handler for, except SIGKILL from the host; bash reaps every
# child that dies, including orphans reparented to it. `sleep &` gives `wait` something to do.
exec "$@" bash -c 'trap "" HUP INT QUIT TERM; while :; do sleep 86400 & wait; done' </dev/null >/dev/null 2>&1
