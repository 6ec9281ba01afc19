// SPDX-License-Identifier: Apache-2.0
/* Draw calls per frame of every program using libgfx.so: a uprobe on gfx_draw counts, a uprobe
 * on gfx_present moves on to the next frame. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define MAX_FRAMES 64

/* Index: frame number; value: draw calls made in that frame. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_FRAMES);
	__type(key, __u32);
	__type(value, __u64);
} draws_per_frame SEC(".maps");

/* The frame being drawn. A global variable lives in the object's .bss map. */
__u32 frame;

SEC("uprobe/gfx_draw")
int BPF_KPROBE(count_draw)
{
	__u32 f = frame;
	__u64 *draws = bpf_map_lookup_elem(&draws_per_frame, &f);

	/* The lookup fails for f >= MAX_FRAMES, so later frames are not counted. */
	if (draws)
		__sync_fetch_and_add(draws, 1);
	return 0;
}

SEC("uprobe/gfx_present")
int BPF_KPROBE(end_frame)
{
	__sync_fetch_and_add(&frame, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
