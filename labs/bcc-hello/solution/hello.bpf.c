// SPDX-License-Identifier: GPL-2.0
/*
 * For comparison, not for editing: the kernel half of hello.py written for libbpf instead of
 * BCC. Where BCC compiles C text at run time against the kernel's headers, this file is compiled
 * once, ahead of time, against vmlinux.h; the ring buffer record and the helpers are the same.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct event {
	__u32 pid;
	char comm[16];
	char filename[64];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 * 4096);
} events SEC(".maps");

/*
 * "ksyscall/execve" is libbpf's counterpart of BCC's attach_kprobe(get_syscall_fnname("execve")),
 * and BPF_KSYSCALL unpacks the system call's own arguments as the syscall__ prefix does in BCC.
 */
SEC("ksyscall/execve")
int BPF_KSYSCALL(hello, const char *filename)
{
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_probe_read_user_str(e->filename, sizeof(e->filename), filename);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
