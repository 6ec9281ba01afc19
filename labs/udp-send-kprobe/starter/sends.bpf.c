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

/* int udp_sendmsg(struct sock *sk, struct msghdr *msg, size_t len)
 * BPF_KPROBE names the probed function's arguments, read from the registers of the call. */
SEC("kprobe/udp_sendmsg")
int BPF_KPROBE(count_udp_send, struct sock *sk, struct msghdr *msg, size_t len)
{
	__u16 dport = 0;

	/* TODO 1: find the destination port. sendto() names the destination: msg->msg_name then
	 *         points at a struct sockaddr_in in kernel memory (read it with BPF_CORE_READ).
	 *         A connected socket's send() names none (msg_name is NULL): the port is then the
	 *         socket's peer, sk->__sk_common.skc_dport. Both are in network byte order. */

	/* TODO 2: add one datagram and len bytes to the port's entry in `sends`, creating the entry
	 *         for its first datagram. Another CPU may count the same port at the same time. */
	(void)sk;
	(void)msg;
	(void)len;
	(void)dport;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
