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
	/* TODO 1: look up the current frame's slot in draws_per_frame and add 1 to it.
	 *         Array lookups fail past max_entries: the verifier insists you check. */
	return 0;
}

/* TODO 2: a second program, on the function that ends a frame (gfx.h), that advances `frame`.
 *         Several threads could render at once: make the increment atomic. */

char LICENSE[] SEC("license") = "GPL";
