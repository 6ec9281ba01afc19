// SPDX-License-Identifier: Apache-2.0
/* Ban player 4 at the earliest hook: drop its updates in XDP, before the kernel builds a socket
 * buffer for them, and count what was dropped per source address. */
#include "vmlinux.h"
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define ETH_P_IP 0x0800 /* macros are not in BTF, so vmlinux.h cannot carry them */

#define BANNED_ADDR 0x7f000104 /* 127.0.1.4, player 4, in host byte order */
#define PLAYER_SERVER_PORT 8000

/* Packets dropped, per source address in host byte order. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} dropped SEC(".maps");

SEC("xdp")
int ban_player(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);

	/* Every access must be proven inside [data, data_end) before it happens. */
	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP)
		return XDP_PASS;

	/* TODO 1: the UDP header follows the IP header, which is ip->ihl * 4 bytes long. Check its
	 *         bounds before reading it. */

	/* TODO 2: a packet from BANNED_ADDR to PLAYER_SERVER_PORT is an update of the banned
	 *         player: add 1 to `dropped` for its source address (create the entry for the first
	 *         one) and drop it. Both fields are in network byte order on the wire. */

	return XDP_PASS; /* everything else goes on to the kernel's stack */
}

char LICENSE[] SEC("license") = "GPL";
