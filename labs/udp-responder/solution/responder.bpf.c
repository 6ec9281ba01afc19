// SPDX-License-Identifier: Apache-2.0
/* Count the WorldServerLeader's replies per SingleClient as they leave through loopback (tc
 * egress): packets and bytes, keyed by the client's UDP port. */
#include "vmlinux.h"
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define ETH_P_IP 0x0800
#define TC_ACT_OK 0

#define WORLD_PORT 10000

struct reply_stats {
	__u64 packets;
	__u64 bytes; /* skb->len: the whole frame, Ethernet header included */
};

/* Client port (host byte order) -> replies sent to it. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u16);
	__type(value, struct reply_stats);
} replies SEC(".maps");

SEC("tc/egress")
int count_replies(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp;
	struct reply_stats *stats, fresh = {};
	__u16 client;

	if ((void *)(ip + 1) > data_end)
		return TC_ACT_OK;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP)
		return TC_ACT_OK;
	udp = (void *)ip + ip->ihl * 4;
	if ((void *)(udp + 1) > data_end)
		return TC_ACT_OK;
	/* A reply is whatever the world server sends: it comes *from* port 10000. */
	if (udp->source != bpf_htons(WORLD_PORT))
		return TC_ACT_OK;

	client = bpf_ntohs(udp->dest);
	stats = bpf_map_lookup_elem(&replies, &client);
	if (!stats) {
		bpf_map_update_elem(&replies, &client, &fresh, BPF_NOEXIST);
		stats = bpf_map_lookup_elem(&replies, &client);
		if (!stats)
			return TC_ACT_OK;
	}
	__sync_fetch_and_add(&stats->packets, 1);
	__sync_fetch_and_add(&stats->bytes, skb->len);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
