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
	struct udp_flow key = {};

	/* Every access must be proven inside [data, data_end) before it happens. */
	if ((void *)(eth + 1) > data_end)
		return TC_ACT_OK;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;

	/* TODO 1: the IPv4 header follows the Ethernet header. Check its bounds, and leave
	 *         everything that is not UDP (ip->protocol) alone. */

	/* TODO 2: the UDP header follows the IP header, which is ip->ihl * 4 bytes long.
	 *         Check its bounds too. */

	/* TODO 3: fill `key` from the two headers, converting from network byte order
	 *         (bpf_ntohl, bpf_ntohs). */

	/* TODO 4: add 1 to the flow's counter in `flows`, creating the entry for its first
	 *         packet. Another CPU may count the same flow at the same time. */
	(void)key;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
