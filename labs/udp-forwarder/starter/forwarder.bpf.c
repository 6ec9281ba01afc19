// SPDX-License-Identifier: Apache-2.0
/* Forward the players' updates to the WorldServerLeader in the kernel: every UDP datagram that
 * arrives for port 8000 leaves tc for port 10000, with its checksum still valid. */
#include "vmlinux.h"
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define ETH_P_IP 0x0800
#define ETH_HLEN 14
#define TC_ACT_OK 0
#define TC_ACT_SHOT 2

#define PLAYER_SERVER_PORT 8000
#define WORLD_PORT 10000

SEC("tc/ingress")
int forward_updates(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp;
	__u32 udp_off;

	if ((void *)(ip + 1) > data_end)
		return TC_ACT_OK;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP)
		return TC_ACT_OK;
	udp_off = ETH_HLEN + ip->ihl * 4; /* where the UDP header starts, from skb->data */
	udp = (void *)eth + udp_off;
	if ((void *)(udp + 1) > data_end)
		return TC_ACT_OK;
	if (udp->dest != bpf_htons(PLAYER_SERVER_PORT))
		return TC_ACT_OK;

	/* TODO 1: update the UDP checksum for the port you are about to change, with
	 *         bpf_l4_csum_replace(skb, offset of udp->check, old port, new port, flags).
	 *         Both ports in network byte order; flags carry the field size (2) and
	 *         BPF_F_MARK_MANGLED_0 (UDP's "0 means no checksum").
	 * TODO 2: write the new destination port with bpf_skb_store_bytes(). After either
	 *         helper, `udp` and friends are invalid: use offsets, not the old pointers. */
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
