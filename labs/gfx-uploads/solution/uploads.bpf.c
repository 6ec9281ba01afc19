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

/* floor(log2(v)) for v > 0, by halving the search range: no loop for the verifier to bound. */
static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0;

	if (v >> 32) { v >>= 32; r += 32; }
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8) { v >>= 8; r += 8; }
	if (v >> 4) { v >>= 4; r += 4; }
	if (v >> 2) { v >>= 2; r += 2; }
	if (v >> 1) r += 1;
	return r;
}

SEC("uprobe/gfx_upload")
int BPF_KPROBE(count_upload, void *buf, const void *data, __u64 bytes)
{
	__u32 f = frame, bucket;
	__u64 *total = bpf_map_lookup_elem(&bytes_per_frame, &f), *uploads;

	if (total)
		__sync_fetch_and_add(total, bytes);
	if (bytes == 0)
		return 0;
	bucket = log2_u64(bytes);
	uploads = bpf_map_lookup_elem(&upload_sizes, &bucket);
	if (uploads)
		__sync_fetch_and_add(uploads, 1);
	return 0;
}

SEC("uprobe/gfx_present")
int BPF_KPROBE(end_frame)
{
	__sync_fetch_and_add(&frame, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
