#!/bin/bash
# The filesystems BPF tools expect, and the bpflab toolchain on every login shell's PATH. Ubuntu's
# systemd mounts bpffs and tracefs already; this makes sure of it on every boot (mode: system).
# Idempotent: mounts only what is missing, rewrites the same profile snippet.
set -eux -o pipefail

if ! mountpoint -q /sys/fs/bpf; then
  mount -t bpf bpf /sys/fs/bpf
fi
if ! mountpoint -q /sys/kernel/tracing; then
  mount -t tracefs tracefs /sys/kernel/tracing
fi

# The toolchain (bpflab-runner, shared headers, vmlinux.h and its precompiled header) is installed
# into /opt/bpflab by bpflab's lima driver after the VM is READY (see install-toolchain.sh).
cat >/etc/profile.d/bpflab.sh <<'PROFILE'
export PATH="/opt/bpflab/bin:$PATH"
PROFILE
