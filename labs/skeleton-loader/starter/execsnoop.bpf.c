// SPDX-License-Identifier: GPL-2.0
/* Reports every exec with its pid, its parent's pid and its name, or only execs of one name. */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include "execsnoop.h"

/*
 * Set by the loader between open and load; empty means "every program". `const volatile` puts
 * it in .rodata: the loader can still write it through the skeleton, and once loaded the
 * verifier knows its value, so with an empty name the comparison below is removed as dead code.
 */
const volatile char target_comm[EXEC_COMM_LEN] = "";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

static __always_inline bool is_target(const char *comm)
{
	for (int i = 0; i < EXEC_COMM_LEN; i++) {
		if (comm[i] != target_comm[i])
			return false;
		if (comm[i] == '\0')
			break;
	}
	return true;
}

SEC("tp/sched/sched_process_exec")
int handle_exec(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct exec_event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	/* At sched_process_exec the task already carries the new program's name. */
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (target_comm[0] && !is_target(e->comm)) {
		bpf_ringbuf_discard(e, 0);
		return 0;
	}
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
