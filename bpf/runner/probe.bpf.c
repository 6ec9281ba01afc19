// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * One tiny program per kernel feature that `bpflab-runner probe` tries for real. Each program
 * only counts that it ran; the probe loads one at a time (autoload), so a feature the kernel lacks
 * (fentry, kprobes) cannot stop the others from loading.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

__u64 hits_tracepoint;
__u64 hits_raw_tracepoint;
__u64 hits_kprobe;
__u64 hits_fentry;
__u64 hits_uprobe;
__u64 hits_perf_event;

SEC("?tp/syscalls/sys_enter_getppid")
int probe_tracepoint(void *ctx)
{
	__sync_fetch_and_add(&hits_tracepoint, 1);
	return 0;
}

SEC("?raw_tp/sys_enter")
int probe_raw_tracepoint(void *ctx)
{
	__sync_fetch_and_add(&hits_raw_tracepoint, 1);
	return 0;
}

/* vfs_read: exported, never inlined, present on every architecture and kernel version. */
SEC("?kprobe/vfs_read")
int probe_kprobe(void *ctx)
{
	__sync_fetch_and_add(&hits_kprobe, 1);
	return 0;
}

SEC("?fentry/vfs_read")
int BPF_PROG(probe_fentry)
{
	__sync_fetch_and_add(&hits_fentry, 1);
	return 0;
}

/* Attached by the probe to a function of the runner itself. */
SEC("?uprobe")
int probe_uprobe(void *ctx)
{
	__sync_fetch_and_add(&hits_uprobe, 1);
	return 0;
}

SEC("?perf_event")
int probe_perf_event(void *ctx)
{
	__sync_fetch_and_add(&hits_perf_event, 1);
	return 0;
}

SEC("?tc")
int probe_tc(struct __sk_buff *skb)
{
	return 0; /* TC_ACT_OK */
}

SEC("?xdp")
int probe_xdp(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
