// SPDX-License-Identifier: GPL-2.0
/*
 * Reports every exec with the new program's pid and name and its parent's pid and name, using
 * nothing from the kernel's headers: the types come from vmlinux.h, generated from the running
 * kernel's BTF, and the field offsets are relocated by libbpf when the program is loaded (CO-RE).
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#define COMM_LEN 16

/* One ring-buffer record; the runner decodes it through BTF by this struct's name. */
struct exec_event {
	__u32 pid;
	__u32 ppid;
	char comm[COMM_LEN];
	char parent_comm[COMM_LEN];
};

/*
 * clang puts a type into the object's BTF only when a global refers to it; this unused pointer
 * keeps struct exec_event there, so that records can be decoded by field name.
 */
struct exec_event *unused_exec_event __attribute__((unused));

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

SEC("tp/sched/sched_process_exec")
int report_exec(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct exec_event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;

	e->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	/*
	 * TODO: fill in the parent. `task` points at the kernel's struct task_struct of the process
	 * that just called exec; its real_parent field points at the parent's task_struct, whose
	 * tgid is the parent's pid and whose comm is its name. A tracepoint program cannot follow
	 * kernel pointers with `->`: read them with BPF_CORE_READ() and BPF_CORE_READ_STR_INTO().
	 */
	e->ppid = 0;
	e->parent_comm[0] = '\0';

	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
