#!/bin/sh
# check-env.sh: does this machine have what eBPF development needs?
#
# Prints one line per item (btf, bpftool, clang, tracefs, bpffs), in this form:
#   <item>: ok <what was found>
#   <item>: missing <what to do about it>
#
# The checker runs it with /bin/sh twice: as it is, and with the four variables below pointing
# at things that do not exist. Look only where they say, and it will report both machines right.
BTF=${BTF:-/sys/kernel/btf/vmlinux}
BPFTOOL=${BPFTOOL:-bpftool}
CLANG=${CLANG:-clang}
MOUNTS=${MOUNTS:-/proc/self/mounts}

# The mount point of the first filesystem of type $1 in $MOUNTS, or nothing.
mount_point() {
	awk -v type="$1" '$3 == type { print $2; exit }' "$MOUNTS" 2>/dev/null
}

# btf: the kernel's description of its own types. vmlinux.h and CO-RE are built from it.
if [ -r "$BTF" ]; then
	echo "btf: ok $BTF, $(wc -c <"$BTF") bytes"
else
	echo "btf: missing $BTF; the kernel must be built with CONFIG_DEBUG_INFO_BTF=y"
fi

# bpftool: it must run, not merely exist. Ubuntu's /usr/sbin/bpftool is a wrapper script that
# fails with "WARNING: bpftool not found for kernel ..." when no linux-tools package matches
# the running kernel.
if version=$("$BPFTOOL" version 2>/dev/null); then
	echo "bpftool: ok $(echo "$version" | head -n 1)"
else
	echo "bpftool: missing; install linux-tools-$(uname -r) (Ubuntu) or bpftool (Debian), or build it from github.com/libbpf/bpftool"
fi

# clang: it must compile for the BPF target, not only for this CPU.
if echo 'int bpflab_probe;' | "$CLANG" -target bpf -x c -c - -o /dev/null 2>/dev/null; then
	echo "clang: ok $("$CLANG" --version | head -n 1)"
else
	echo "clang: missing; install clang and llvm (a clang built with the BPF target)"
fi

# tracefs: tracepoints and bpf_printk() output live there.
if at=$(mount_point tracefs) && [ -n "$at" ]; then
	echo "tracefs: ok mounted at $at"
else
	echo "tracefs: missing; sudo mount -t tracefs tracefs /sys/kernel/tracing"
fi

# bpffs: pinned programs and maps live there, so they outlive the process that loaded them.
if at=$(mount_point bpf) && [ -n "$at" ]; then
	echo "bpffs: ok mounted at $at"
else
	echo "bpffs: missing; sudo mount -t bpf bpf /sys/fs/bpf"
fi
