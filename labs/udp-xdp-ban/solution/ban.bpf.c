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
	struct udphdr *udp;
	__u64 one = 1, *count;
	__u32 saddr;

	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP)
		return XDP_PASS;
	udp = (void *)ip + ip->ihl * 4;
	if ((void *)(udp + 1) > data_end)
		return XDP_PASS;

	saddr = bpf_ntohl(ip->saddr);
	if (saddr != BANNED_ADDR || udp->dest != bpf_htons(PLAYER_SERVER_PORT))
		return XDP_PASS;

	count = bpf_map_lookup_elem(&dropped, &saddr);
	if (count)
		__sync_fetch_and_add(count, 1);
	else if (bpf_map_update_elem(&dropped, &saddr, &one, BPF_NOEXIST)) {
		/* Another CPU created the entry first: add to it. */
		count = bpf_map_lookup_elem(&dropped, &saddr);
		if (count)
			__sync_fetch_and_add(count, 1);
	}
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
