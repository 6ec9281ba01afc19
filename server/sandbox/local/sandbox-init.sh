#!/bin/sh
# The first process of a local sandbox. `unshare` starts it as pid 1 of a new pid namespace, in
# new mount, net, uts and ipc namespaces (see namespaces.ts). It builds the sandbox's view of the
# machine, prints "ready <its pid on the host>", and from then on only reaps orphans. When the
# driver kills it, the kernel kills every other process of the namespace with it, and the mount
# namespace (with the sandbox's own bpffs and everything pinned there) goes away.
#
# usage: sandbox-init.sh NAME WORKSPACE HOME TOOLS_SOURCE TOOLS_DIR TMP_BYTES [HIDDEN_DIR...]
#   TOOLS_SOURCE may be empty (the bpf/ toolchain has not been built).
#   HIDDEN_DIRs (the server's data dir, the repository) get an empty read-only tmpfs on top.
set -eu
name=$1 workspace=$2 home=$3 tools_source=$4 tools_dir=$5 tmp_bytes=$6
shift 6

# Our pid as the host sees it, read while /proc is still the host's. `read` is a builtin, so
# /proc/self is this shell itself.
host_pid=
while read -r key value _; do
  if [ "$key" = NSpid: ]; then host_pid=$value; fi
done </proc/self/status

mount -t proc -o nosuid,nodev,noexec proc /proc
echo "$name" >/proc/sys/kernel/hostname
ip link set lo up
# A bpffs instance of our own: what the learner pins lives and dies with this namespace.
mount -t bpf bpf /sys/fs/bpf
# tracefs has one instance per kernel; mounting it only makes it reachable at the usual path
# (the kernel refuses a second mount of it on the same directory, so skip it when the host has it).
if [ ! -e /sys/kernel/tracing/trace ]; then mount -t tracefs tracefs /sys/kernel/tracing; fi

# Binds first, while their sources are still visible; then cover what must not be seen.
if [ -n "$tools_source" ]; then mount --bind -o ro "$tools_source" "$tools_dir"; fi
mount --bind "$workspace" "$home"
mount -t tmpfs -o nosuid,nodev,mode=1777,size="$tmp_bytes" bpflab-tmp /tmp
mount -t tmpfs -o nosuid,nodev,mode=1777,size="$tmp_bytes" bpflab-shm /dev/shm
for hidden; do
  mount -t tmpfs -o ro,nosuid,nodev,noexec,mode=0,size=4k bpflab-hidden "$hidden"
done

# The OOM killer should pick a memory hog, never the process that holds the sandbox together:
# exempt it where we may (CAP_SYS_RESOURCE), else undo the sandbox-wide preference set on entry.
echo -1000 >/proc/self/oom_score_adj 2>/dev/null || echo 0 >/proc/self/oom_score_adj
echo "ready $host_pid"

# pid 1 ignores signals it has no handler for, except SIGKILL from the host; bash reaps every
# child that dies, including orphans reparented to it. `sleep &` gives `wait` something to do.
exec bash -c 'trap "" HUP INT QUIT TERM; while :; do sleep 86400 & wait; done' </dev/null >/dev/null 2>&1
