// SPDX-License-Identifier: Apache-2.0
/* Count what the workload's crunch() costs with the CPU's counters: read each counter of the
 * `counters` array when crunch() is entered and again when it returns, and add the difference to
 * `totals`. The loader opens the counters (hardware, or software ones where there is no PMU). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "counters.h"

/* Slot i holds the file descriptor of counter i, opened by the loader for the workload's task. */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
	__uint(max_entries, NCOUNTERS);
} counters SEC(".maps");

/* The counters' values at the entry of the call in progress, per thread. */
struct call_start {
	__u64 value[NCOUNTERS];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct call_start);
} starts SEC(".maps");

struct totals totals = {};

SEC("uprobe")
int BPF_KPROBE(crunch_enter)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct bpf_perf_event_value v;
	struct call_start start = {};

	for (__u32 i = 0; i < NCOUNTERS; i++) {
		if (bpf_perf_event_read_value(&counters, i, &v, sizeof(v)))
			return 0;
		start.value[i] = v.counter;
	}
	bpf_map_update_elem(&starts, &tid, &start, BPF_ANY);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(crunch_exit)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct bpf_perf_event_value v;
	struct call_start *start = bpf_map_lookup_elem(&starts, &tid);

	if (!start)
		return 0;
	for (__u32 i = 0; i < NCOUNTERS; i++) {
		if (bpf_perf_event_read_value(&counters, i, &v, sizeof(v)))
			break;
		__sync_fetch_and_add(&totals.value[i], v.counter - start->value[i]);
	}
	__sync_fetch_and_add(&totals.calls, 1);
	bpf_map_delete_elem(&starts, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
