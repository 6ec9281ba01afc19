#!/bin/bash
# Builds the bpflab toolchain from a copy of the repository's bpf/ folder into /opt/bpflab, where
# every sandbox finds it (TOOLS_DIR in server/sandbox/types.ts). Not a Lima provisioning script:
# bpflab's lima driver copies bpf/ and this script into a READY VM and runs it as root, because
# the toolchain comes from the bpflab checkout, not from the template. vmlinux.h and its
# precompiled header are generated from this VM's own kernel BTF.
# Idempotent: bpf/Makefile rebuilds only what changed (kernel, clang or sources).
#
# usage: install-toolchain.sh SOURCE_DIR   (SOURCE_DIR holds bpf/)
set -eux -o pipefail

source_dir=$1
make -C "$source_dir/bpf" BUILD=/opt/bpflab
/opt/bpflab/bin/bpflab-runner probe >/dev/null
