// SPDX-License-Identifier: GPL-2.0
// hello.bpf.c: one line of bpf_printk per execve. Turn it into one ring-buffer record per execve.
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
	u32 pid = bpf_get_current_pid_tgid() >> 32;
	char comm[TASK_COMM_LEN];
	char filename[64];

	bpf_get_current_comm(&comm, sizeof(comm));
	bpf_probe_read_user_str(filename, sizeof(filename), (const char *)ctx->args[0]);
	bpf_printk("pid %d (%s) execs %s", pid, comm, filename);

	/* TODO: reserve a struct event in `events`, fill in pid, comm and filename, submit it. */
	return 0;
}
