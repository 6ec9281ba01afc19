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
	struct call_start start = {};

	/* TODO 1: read each of the NCOUNTERS counters with
	 *         bpf_perf_event_read_value(&counters, i, &v, sizeof(v)) into a
	 *         struct bpf_perf_event_value v, keep v.counter in start.value[i], and save `start`
	 *         in `starts` under this thread's id. */
	(void)tid;
	(void)start;
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(crunch_exit)
{
	/* TODO 2: look up this thread's start values, read each counter again, add the increase
	 *         to totals.value[i] (another CPU may add at the same time), count the call in
	 *         totals.calls and delete the start entry. */
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
