// SPDX-License-Identifier: GPL-2.0
/*
 * Bare SEC("uprobe") and SEC("uretprobe"), as libbpf-bootstrap's uprobe example writes them: the
 * loader names the binary and function (here --uprobe-binary and --uprobe-function).
 */
#include "bpflab.h"

__u64 entries;
__s64 last_result;

SEC("uprobe")
int BPF_KPROBE(bare_entry, int a, int b)
{
	__sync_fetch_and_add(&entries, 1);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(bare_return, int ret)
{
	last_result = ret;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
