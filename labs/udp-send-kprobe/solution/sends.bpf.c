// SPDX-License-Identifier: Apache-2.0
/* Count the datagrams UDP sockets send, per destination port, with a kprobe on udp_sendmsg. */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/* What was sent to one destination port. */
struct send_stats {
	__u64 datagrams;
	__u64 bytes; /* payload bytes: udp_sendmsg's len, without the UDP and IP headers */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u16); /* destination port, host byte order */
	__type(value, struct send_stats);
} sends SEC(".maps");

/* int udp_sendmsg(struct sock *sk, struct msghdr *msg, size_t len) */
SEC("kprobe/udp_sendmsg")
int BPF_KPROBE(count_udp_send, struct sock *sk, struct msghdr *msg, size_t len)
{
	struct sockaddr_in *to = BPF_CORE_READ(msg, msg_name);
	struct send_stats first = {.datagrams = 1, .bytes = len}, *stats;
	__u16 dport;

	/* sendto() names the destination: the system call copied that address into kernel memory
	 * and msg_name points at the copy. send() on a connected socket names none; the
	 * destination is then the socket's own peer. Both ports are in network byte order. */
	if (to)
		dport = bpf_ntohs(BPF_CORE_READ(to, sin_port));
	else
		dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));

	stats = bpf_map_lookup_elem(&sends, &dport);
	if (!stats) {
		/* The port's first datagram. If another CPU inserted it meanwhile, add to its entry. */
		if (!bpf_map_update_elem(&sends, &dport, &first, BPF_NOEXIST))
			return 0;
		stats = bpf_map_lookup_elem(&sends, &dport);
		if (!stats)
			return 0;
	}
	__sync_fetch_and_add(&stats->datagrams, 1);
	__sync_fetch_and_add(&stats->bytes, len);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
