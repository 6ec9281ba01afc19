// SPDX-License-Identifier: GPL-2.0
/* Counts execve calls per pid, but dereferences a lookup result without checking it for NULL. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("tp/syscalls/sys_enter_execve")
int count_execve(void *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	__u64 *count = bpf_map_lookup_elem(&counts, &pid);
	*count += 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
