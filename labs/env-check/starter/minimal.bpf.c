// SPDX-License-Identifier: GPL-2.0
/*
 * The smallest proof that this kernel loads and attaches BPF programs: count every execve() in
 * a one-slot array. Check builds it with clang, loads it (the verifier must accept it) and
 * attaches it to its tracepoint; your check-env.sh is judged beside it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} execs SEC(".maps");

SEC("tp/syscalls/sys_enter_execve")
int count_execs(void *ctx)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&execs, &zero);

	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
