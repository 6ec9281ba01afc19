// SPDX-License-Identifier: Apache-2.0
/* Buffers created through libgfx.so and never destroyed, by size. The size is an argument of
 * gfx_create_buffer and the buffer its return value, so the entry probe parks the size per
 * thread until the return probe can pair it with the buffer. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/* Thread id -> size asked for by the gfx_create_buffer call in progress on that thread. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} creating SEC(".maps");

/* Buffer address -> its size, for every buffer alive right now. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, __u64);
} live_buffers SEC(".maps");

/* Size -> buffers of that size created and not yet destroyed. Keep entries that drop to 0. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u64);
	__type(value, __s64);
} leaks_by_size SEC(".maps");

SEC("uprobe/gfx_create_buffer")
int BPF_KPROBE(create_enter, __u64 size)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	bpf_map_update_elem(&creating, &tid, &size, BPF_ANY);
	return 0;
}

/* TODO 1: a return probe on gfx_create_buffer (SEC("uretprobe/..."), BPF_KRETPROBE): take the
 *         parked size of this thread out of `creating`; unless the returned buffer is NULL,
 *         remember it in live_buffers and add 1 to leaks_by_size[size]. */

SEC("uprobe/gfx_destroy_buffer")
int BPF_KPROBE(destroy, void *buf)
{
	/* TODO 2: if buf is a buffer in live_buffers, subtract 1 from leaks_by_size for its size
	 *         and forget the buffer. */
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
