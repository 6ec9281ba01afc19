// SPDX-License-Identifier: GPL-2.0
/* A bare SEC("usdt") program: the loader names the probe (--usdt bpflab:tick in testdata/workload.c). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/usdt.bpf.h>

__u64 ticks;

SEC("usdt")
int BPF_USDT(on_tick)
{
	__sync_fetch_and_add(&ticks, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
