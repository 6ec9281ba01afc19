// SPDX-License-Identifier: Apache-2.0
/* Count UDP packets per flow as they arrive on loopback (tc ingress). */
#include "vmlinux.h"
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define ETH_P_IP 0x0800 /* macros are not in BTF, so vmlinux.h cannot carry them */
#define TC_ACT_OK 0

/* One flow, every field in host byte order so the numbers read naturally. */
struct udp_flow {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct udp_flow);
	__type(value, __u64);
} flows SEC(".maps");

SEC("tc/ingress")
int count_flows(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp;
	struct udp_flow key = {};
	__u64 one = 1, *count;

	/* Every access must be proven inside [data, data_end) before it happens. */
	if ((void *)(ip + 1) > data_end)
		return TC_ACT_OK;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP)
		return TC_ACT_OK;
	udp = (void *)ip + ip->ihl * 4;
	if ((void *)(udp + 1) > data_end)
		return TC_ACT_OK;

	key.saddr = bpf_ntohl(ip->saddr);
	key.daddr = bpf_ntohl(ip->daddr);
	key.sport = bpf_ntohs(udp->source);
	key.dport = bpf_ntohs(udp->dest);

	count = bpf_map_lookup_elem(&flows, &key);
	if (count) {
		__sync_fetch_and_add(count, 1);
		return TC_ACT_OK;
	}
	/* First packet of the flow. If another CPU inserted it meanwhile, add to its entry. */
	if (bpf_map_update_elem(&flows, &key, &one, BPF_NOEXIST)) {
		count = bpf_map_lookup_elem(&flows, &key);
		if (count)
			__sync_fetch_and_add(count, 1);
	}
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
