// SPDX-License-Identifier: GPL-2.0
/* Reports every exec, optionally only the children of one process. */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include "execsnoop.h"

/*
 * Set by the loader between open and load. `const volatile` puts it in .rodata: the loader can
 * still write it through the skeleton, and once loaded the verifier knows its value, so with 0
 * the filter below is removed as dead code.
 */
const volatile int target_ppid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

SEC("tp/sched/sched_process_exec")
int handle_exec(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	int ppid = BPF_CORE_READ(task, real_parent, tgid);
	struct exec_event *e;

	if (target_ppid && ppid != target_ppid)
		return 0;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->ppid = ppid;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
