// SPDX-License-Identifier: GPL-2.0
/* Every execve: pid, command and file name through a ring buffer; a count in .bss. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct exec_event {
	__u32 pid;
	char comm[16];
	char filename[64];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} events SEC(".maps");

__u64 exec_count;
const volatile __u32 ignored_pid = 0;
/* Keeps struct exec_event in BTF for --event-type. */
struct exec_event *unused_event __attribute__((unused));

SEC("tp/syscalls/sys_enter_execve")
int handle_execve(struct trace_event_raw_sys_enter *ctx)
{
	struct exec_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_probe_read_user_str(e->filename, sizeof(e->filename), (const char *)ctx->args[0]);
	bpf_ringbuf_submit(e, 0);
	__sync_fetch_and_add(&exec_count, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
