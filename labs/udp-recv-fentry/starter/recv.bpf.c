// SPDX-License-Identifier: Apache-2.0
/* Count the flags of recvmsg() calls on UDP sockets, on kernels before and after Linux 5.19
 * removed udp_recvmsg()'s `noblock` parameter:
 *
 *   before 5.19: udp_recvmsg(sk, msg, len, noblock, flags, addr_len)   6 arguments, flags 5th
 *   since 5.19:  udp_recvmsg(sk, msg, len, flags, addr_len)            5 arguments, flags 4th
 *
 * This program was written from course notes that predate 5.19. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/* recvmsg() calls of the workload, per flags value. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} recv_flags SEC(".maps");

static bool is_workload(void)
{
	const char name[] = "recvflags";
	char comm[16];

	bpf_get_current_comm(comm, sizeof(comm));
	for (int i = 0; i < sizeof(name); i++)
		if (comm[i] != name[i])
			return false;
	return true;
}

/* TODO: this signature is the old one. It loads on every kernel, because the verifier types
 *       arguments from the kernel's BTF by position, and on 5.19 and later `flags` here is really
 *       addr_len, a pointer. Make the program right on both: take `__u64 *ctx` instead of
 *       BPF_PROG's named arguments, ask bpf_get_func_arg_cnt(ctx) how many arguments
 *       udp_recvmsg has, and read flags with bpf_get_func_arg(ctx, n, &value) at the right
 *       position. */
SEC("fentry/udp_recvmsg")
int BPF_PROG(count_recv_flags, struct sock *sk, struct msghdr *msg, size_t len, int noblock,
	     int flags)
{
	__u64 one = 1, *count;
	__u32 key = (__u32)flags;

	if (!is_workload())
		return 0;
	count = bpf_map_lookup_elem(&recv_flags, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&recv_flags, &key, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
