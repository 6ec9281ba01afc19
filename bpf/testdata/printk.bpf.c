// SPDX-License-Identifier: GPL-2.0
/* bpf_printk on every getppid, for --trace-pipe. */
#include "bpflab.h"

SEC("tracepoint/syscalls/sys_enter_getppid")
int say_hello(void *ctx)
{
	bpf_printk("bpflab hello from %d", bpf_get_current_pid_tgid() >> 32);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
