// SPDX-License-Identifier: GPL-2.0
// hello.bpf.c: one ring-buffer record per execve, with the caller's pid and name and the program's path.
#include "bpflab.h"

char LICENSE[] SEC("license") = "GPL";

/* One record per execve call: who calls it, and which program it asks for. */
struct event {
	u32 pid;
	char comm[TASK_COMM_LEN];
	char filename[128];
};

/* Keeps `struct event` in the object's BTF, so the grader can decode records by field name. */
BPFLAB_EVENT_TYPE(event);

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int handle_execve(struct trace_event_raw_sys_enter *ctx)
{
	struct event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0; /* the buffer is full: this event is lost */

	e->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	bpf_probe_read_user_str(&e->filename, sizeof(e->filename), (const char *)ctx->args[0]);

	bpf_ringbuf_submit(e, 0);
	return 0;
}
