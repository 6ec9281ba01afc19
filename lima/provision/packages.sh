#!/bin/bash
# Installs what an eBPF lab needs on Ubuntu 24.04: clang/LLVM and libbpf to build BPF programs,
# bpftool and BCC to inspect and script them, and the headers of the running kernel (BCC compiles
# against them; CO-RE labs need only BTF). Lima runs it as root on every boot (mode: system).
# Idempotent: a stamp per kernel release skips the work once done; a new kernel installs again.
set -eux -o pipefail

kernel=$(uname -r)
stamp=/var/lib/bpflab/packages-$kernel
if [ -e "$stamp" ]; then
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
# linux-tools-common only holds the /usr/sbin/bpftool wrapper; the binary comes with the
# kernel's own linux-tools package, which is why bpftool needs both.
apt-get install -y --no-install-recommends \
  clang llvm libbpf-dev libelf-dev zlib1g-dev pkg-config make gcc libc6-dev \
  iproute2 python3 bpfcc-tools python3-bpfcc \
  linux-tools-common "linux-tools-$kernel" "linux-headers-$kernel"

mkdir -p /var/lib/bpflab
touch "$stamp"
