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

/* Size -> buffers of that size created and not yet destroyed. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u64);
	__type(value, __s64);
} leaks_by_size SEC(".maps");

static void add_outstanding(__u64 size, __s64 delta)
{
	__s64 *count = bpf_map_lookup_elem(&leaks_by_size, &size);

	if (count) {
		__sync_fetch_and_add(count, delta);
		return;
	}
	/* Another thread may have created the entry since our lookup: then add to that one. */
	if (bpf_map_update_elem(&leaks_by_size, &size, &delta, BPF_NOEXIST)) {
		count = bpf_map_lookup_elem(&leaks_by_size, &size);
		if (count)
			__sync_fetch_and_add(count, delta);
	}
}

SEC("uprobe/gfx_create_buffer")
int BPF_KPROBE(create_enter, __u64 size)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	bpf_map_update_elem(&creating, &tid, &size, BPF_ANY);
	return 0;
}

SEC("uretprobe/gfx_create_buffer")
int BPF_KRETPROBE(create_exit, void *buf)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 addr = (__u64)buf, *size = bpf_map_lookup_elem(&creating, &tid);

	if (!size)
		return 0;
	if (addr) { /* NULL: the allocation failed, nothing to track */
		bpf_map_update_elem(&live_buffers, &addr, size, BPF_ANY);
		add_outstanding(*size, 1);
	}
	bpf_map_delete_elem(&creating, &tid);
	return 0;
}

SEC("uprobe/gfx_destroy_buffer")
int BPF_KPROBE(destroy, void *buf)
{
	__u64 addr = (__u64)buf, *size = bpf_map_lookup_elem(&live_buffers, &addr);

	if (!size) /* NULL, or created before we attached */
		return 0;
	add_outstanding(*size, -1);
	bpf_map_delete_elem(&live_buffers, &addr);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
