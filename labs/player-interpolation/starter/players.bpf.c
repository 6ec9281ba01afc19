// SPDX-License-Identifier: Apache-2.0
/* Keep the last HISTORY_LEN positions of every player, read from the updates the players send
 * to the PlayerServer (UDP 8000) as they arrive on loopback. */
#include "vmlinux.h"
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "game.h"
#include "players.h"

#define ETH_P_IP 0x0800
#define TC_ACT_OK 0

/* Player id -> its recent samples. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_PLAYERS);
	__type(key, __u32);
	__type(value, struct player_history);
} history SEC(".maps");

SEC("tc")
int record_positions(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp;

	if ((void *)(ip + 1) > data_end)
		return TC_ACT_OK;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP)
		return TC_ACT_OK;
	udp = (void *)ip + ip->ihl * 4;
	if ((void *)(udp + 1) > data_end)
		return TC_ACT_OK;
	if (udp->dest != bpf_htons(GAME_PLAYER_SERVER_PORT))
		return TC_ACT_OK;

	/* TODO 1: the payload (struct game_msg, game.h) follows the UDP header. Prove all 24 bytes
	 *         are inside the packet, and keep only updates (magic and kind). The payload is
	 *         little-endian like this machine: no bpf_ntoh* here.
	 * TODO 2: find the player's struct player_history in `history`, creating a zeroed one
	 *         for its first update.
	 * TODO 3: store (t_ms, x, y) in ring[count % HISTORY_LEN] and count the update. */
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
