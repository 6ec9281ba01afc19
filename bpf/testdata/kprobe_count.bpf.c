// SPDX-License-Identifier: GPL-2.0
/* vfs_read calls; needs kprobe events, which some kernels (and this CI machine) lack. */
#include "bpflab.h"

__u64 reads;

SEC("kprobe/vfs_read")
int BPF_KPROBE(count_read)
{
	__sync_fetch_and_add(&reads, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
