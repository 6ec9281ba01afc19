// SPDX-License-Identifier: GPL-2.0
// count.bpf.c: counts execve calls per calling process name.
#include "bpflab.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, char[TASK_COMM_LEN]);
	__type(value, u64);
} exec_count SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int count_execs(void *ctx)
{
	char comm[TASK_COMM_LEN] = {};
	u64 zero = 0, *count;

	bpf_get_current_comm(&comm, sizeof(comm));
	/* Make sure the key exists (BPF_NOEXIST leaves an existing count alone), then count. */
	bpf_map_update_elem(&exec_count, &comm, &zero, BPF_NOEXIST);
	count = bpf_map_lookup_elem(&exec_count, &comm);
	/* The lookup can still fail (the map may be full): the verifier needs the test. */
	if (!count)
		return 0;
	__sync_fetch_and_add(count, 1);
	return 0;
}
