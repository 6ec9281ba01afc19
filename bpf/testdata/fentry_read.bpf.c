// SPDX-License-Identifier: GPL-2.0
/* An fentry program on vfs_read: it loads only where the kernel has BPF trampolines. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

__u64 reads;

SEC("fentry/vfs_read")
int BPF_PROG(count_read_entry, struct file *file)
{
	__sync_fetch_and_add(&reads, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
