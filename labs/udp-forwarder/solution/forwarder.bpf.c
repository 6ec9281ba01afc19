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
	__u16 old_port, new_port = bpf_htons(WORLD_PORT);
	__u32 udp_off;

	if ((void *)(ip + 1) > data_end)
		return TC_ACT_OK;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP)
		return TC_ACT_OK;
	udp_off = ETH_HLEN + ip->ihl * 4;
	udp = (void *)eth + udp_off;
	if ((void *)(udp + 1) > data_end)
		return TC_ACT_OK;
	if (udp->dest != bpf_htons(PLAYER_SERVER_PORT))
		return TC_ACT_OK;
	old_port = udp->dest;

	/* The port is covered by the UDP checksum (not by the IP header's), so patch the checksum
	 * for the 2-byte change first. BPF_F_MARK_MANGLED_0 keeps a 0 checksum ("none") as 0 and
	 * writes 0xffff where the new sum would be 0. The helpers below change the packet, after
	 * which the verifier forgets every packet pointer: offsets are used from here on. */
	if (bpf_l4_csum_replace(skb, udp_off + offsetof(struct udphdr, check), old_port, new_port,
				BPF_F_MARK_MANGLED_0 | sizeof(new_port)))
		return TC_ACT_SHOT;
	if (bpf_skb_store_bytes(skb, udp_off + offsetof(struct udphdr, dest), &new_port,
				sizeof(new_port), 0))
		return TC_ACT_SHOT;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
