// SPDX-License-Identifier: Apache-2.0
/* Count the flags of recvmsg() calls on UDP sockets, on kernels before and after Linux 5.19
 * removed udp_recvmsg()'s `noblock` parameter:
 *
 *   before 5.19: udp_recvmsg(sk, msg, len, noblock, flags, addr_len)   6 arguments, flags 5th
 *   since 5.19:  udp_recvmsg(sk, msg, len, flags, addr_len)            5 arguments, flags 4th
 *
 * The verifier types fentry arguments from the kernel's BTF by position, so a program written for
 * the other signature loads and reads the wrong argument. This one asks the kernel how many
 * arguments the function has. */
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

SEC("fentry/udp_recvmsg")
int count_recv_flags(__u64 *ctx)
{
	__u64 nargs = bpf_get_func_arg_cnt(ctx), flags, one = 1, *count;
	__u32 key;

	if (!is_workload())
		return 0;
	/* Six arguments: the old signature, flags after noblock. Five: flags right after len. */
	if (bpf_get_func_arg(ctx, nargs == 6 ? 4 : 3, &flags))
		return 0;
	key = (__u32)flags;
	count = bpf_map_lookup_elem(&recv_flags, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&recv_flags, &key, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
