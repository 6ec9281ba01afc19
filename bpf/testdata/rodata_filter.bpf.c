// SPDX-License-Identifier: GPL-2.0
/* getppid calls of one process, the way libbpf-bootstrap filters: by `const volatile` globals set before load. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

enum verbosity { QUIET, CHATTY };

const volatile int my_pid = 0;
const volatile __u64 min_duration_ns = 0;
const volatile bool enabled = true;
const volatile char label[8] = "none";
const volatile enum verbosity verbosity = QUIET;

__u64 calls;

SEC("tp/syscalls/sys_enter_getppid")
int count_getppid(void *ctx)
{
	if (!enabled || (my_pid && bpf_get_current_pid_tgid() >> 32 != my_pid))
		return 0;
	__sync_fetch_and_add(&calls, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
