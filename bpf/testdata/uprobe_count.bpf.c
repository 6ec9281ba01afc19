// SPDX-License-Identifier: GPL-2.0
/* Calls of add_numbers() in --uprobe-binary (testdata/workload.c), entries and returns, last result. */
#include "bpflab.h"

__u64 entries;
__u64 returns;
__s64 last_result;

SEC("uprobe/add_numbers")
int BPF_KPROBE(on_entry, int a, int b)
{
	__sync_fetch_and_add(&entries, 1);
	return 0;
}

SEC("uretprobe/add_numbers")
int BPF_KRETPROBE(on_return, int ret)
{
	__sync_fetch_and_add(&returns, 1);
	last_result = ret;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
