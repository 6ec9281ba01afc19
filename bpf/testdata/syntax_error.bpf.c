// SPDX-License-Identifier: GPL-2.0
/* A missing semicolon on line 10: clang must name this file and line. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tp/syscalls/sys_enter_execve")
int handle_execve(void *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	bpf_printk("execve by %d", pid)
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
