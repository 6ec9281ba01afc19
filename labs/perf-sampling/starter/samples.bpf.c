// SPDX-License-Identifier: Apache-2.0
/* A sampling profiler's first step: on every sample of the perf event (CPU cycles where the
 * machine has a PMU, the cpu-clock timer where it does not), count it for the task that was
 * running on that CPU. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define TASK_COMM_LEN 16

struct task_key {
	__u32 pid;                /* thread group id, as the host's (initial) pid namespace numbers it */
	char comm[TASK_COMM_LEN]; /* the task's name */
};

/* Task -> samples taken while it was running. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, struct task_key);
	__type(value, __u64);
} samples SEC(".maps");

SEC("perf_event")
int count_sample(struct bpf_perf_event_data *ctx)
{
	struct task_key key = {};
	__u64 one = 1, *count;

	/* TODO: every sample lands in one entry: name the task that was running instead
	 *       (bpf_get_current_pid_tgid, bpf_get_current_comm). */

	count = bpf_map_lookup_elem(&samples, &key);
	if (count) {
		__sync_fetch_and_add(count, 1);
		return 0;
	}
	if (bpf_map_update_elem(&samples, &key, &one, BPF_NOEXIST)) {
		count = bpf_map_lookup_elem(&samples, &key);
		if (count)
			__sync_fetch_and_add(count, 1);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
