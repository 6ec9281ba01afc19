// SPDX-License-Identifier: Apache-2.0
/* Bytes uploaded from CPU to "GPU" through libgfx.so: per frame, and a histogram of upload sizes
 * in power-of-two buckets. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define MAX_FRAMES 64
#define SIZE_BUCKETS 64

/* Index: frame number; value: bytes uploaded in that frame. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_FRAMES);
	__type(key, __u32);
	__type(value, __u64);
} bytes_per_frame SEC(".maps");

/* Index: floor(log2(bytes)); value: uploads of that size (bucket 7 holds 128..255 bytes). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SIZE_BUCKETS);
	__type(key, __u32);
	__type(value, __u64);
} upload_sizes SEC(".maps");

__u32 frame;

/* floor(log2(v)) for v > 0. */
static __always_inline __u32 log2_u64(__u64 v)
{
	/* TODO 3: without a loop, if you can: is v >= 2^32? then shift and add 32; 2^16? ... */
	return 0;
}

/* TODO 1: name the upload's arguments as in gfx.h: BPF_KPROBE(count_upload, ...). */
SEC("uprobe/gfx_upload")
int BPF_KPROBE(count_upload)
{
	/* TODO 2: add the uploaded bytes to this frame's total, and 1 to the upload's size bucket. */
	return 0;
}

SEC("uprobe/gfx_present")
int BPF_KPROBE(end_frame)
{
	__sync_fetch_and_add(&frame, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
