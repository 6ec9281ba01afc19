#!/bin/bash
# The one guest recipe's packages, for both kinds of learner VM: Debian 12 with clang/LLVM and
# libbpf to build BPF programs, bpftool, perf and BCC to inspect and script them, the toolbox labs
# count on (python3, curl, nc, socat: server/sandbox/toolbox.ts), and the headers
# of the guest's kernel (BCC compiles against them; CO-RE labs need only BTF).
#
# - Lima runs it as root on every boot of a VM from lima/bpflab.yaml (mode: system): the kernel is
#   the one running, so its headers are `linux-headers-$(uname -r)`.
# - lima/vm-image.sh runs it in the chroot it builds the vm driver's disk image in: no kernel runs
#   there (`uname -r` is the host's), so it installs Debian's stock kernel and its headers.
#
# Idempotent: a stamp per kernel release skips the work once done; a new kernel installs again.
set -eux -o pipefail

export DEBIAN_FRONTEND=noninteractive
running=$(uname -r)
if [ -d "/lib/modules/$running" ]; then
  # Booted in this system: the kernel is the one that runs.
  kernel_packages=("linux-headers-$running")
  stamp=/var/lib/bpflab/packages-$running
else
  # A chroot being made into an image: Debian's stock kernel, which the image will boot.
  kernel_packages=(linux-image-amd64 linux-headers-amd64)
  stamp=/var/lib/bpflab/packages-image
fi
if [ -e "$stamp" ]; then
  exit 0
fi

apt-get update
apt-get install -y --no-install-recommends \
  clang llvm libbpf-dev libelf-dev zlib1g-dev pkg-config make gcc libc6-dev \
  bpftool linux-perf iproute2 procps python3 curl netcat-openbsd socat bpfcc-tools python3-bpfcc \
  "${kernel_packages[@]}"
apt-get clean

mkdir -p /var/lib/bpflab
touch "$stamp"
