// SPDX-License-Identifier: GPL-2.0
// pathlen.bpf.c: adds up, per process name, the length of every path passed to execve.
#include "bpflab.h"

char LICENSE[] SEC("license") = "GPL";

#define PATH_MAX_READ 256

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, char[TASK_COMM_LEN]);
	__type(value, u64);
} path_bytes SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int sum_path_lengths(struct trace_event_raw_sys_enter *ctx)
{
	char comm[TASK_COMM_LEN] = {};
	char path[PATH_MAX_READ];
	u64 len, *total;
	long n;

	/* The helper returns the bytes it copied, the terminating NUL included. */
	n = bpf_probe_read_user_str(path, sizeof(path), (const char *)ctx->args[0]);
	if (n <= 0)
		return 0;
	len = n - 1;

	bpf_get_current_comm(&comm, sizeof(comm));
	total = bpf_map_lookup_elem(&path_bytes, &comm);
	if (total) {
		__sync_fetch_and_add(total, len);
		return 0;
	}
	bpf_map_update_elem(&path_bytes, &comm, &len, BPF_NOEXIST);
	return 0;
}
