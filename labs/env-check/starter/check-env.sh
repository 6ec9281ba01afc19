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

# btf: the kernel's description of its own types. vmlinux.h and CO-RE are built from it.
if [ -r "$BTF" ]; then
	echo "btf: ok $BTF, $(wc -c <"$BTF") bytes"
else
	echo "btf: missing $BTF; the kernel must be built with CONFIG_DEBUG_INFO_BTF=y"
fi

# bpftool: it must run, not merely exist. Ubuntu's /usr/sbin/bpftool is a wrapper script that
# fails with "WARNING: bpftool not found for kernel ..." when no linux-tools package matches
# the running kernel.
# TODO: run "$BPFTOOL" version. When it succeeds, print "bpftool: ok" and the first line it
# printed; otherwise "bpftool: missing" and how to get a bpftool that runs.
echo "bpftool: TODO"

# clang: it must compile for the BPF target, not only for this CPU.
# TODO: compile a one-line C program with "$CLANG" -target bpf (clang reads C from stdin with
# "-x c -", and "-c -o /dev/null" throws the object away), then print ok or missing.
echo "clang: TODO"

# tracefs: tracepoints and bpf_printk() output live there. $MOUNTS has one line per mounted
# filesystem: source, mount point, filesystem type, options, 0, 0.
# TODO: when a line's type is "tracefs", print "tracefs: ok" and its mount point; otherwise
# "tracefs: missing" and the mount command that fixes it.
echo "tracefs: TODO"

# bpffs: pinned programs and maps live there, so they outlive the process that loaded them.
# TODO: the same as tracefs, for the filesystem type "bpf".
echo "bpffs: TODO"
