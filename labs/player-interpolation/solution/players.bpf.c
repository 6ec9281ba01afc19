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
	struct game_msg *msg;
	struct player_history *h, fresh = {};
	__u32 player, slot;

	if ((void *)(ip + 1) > data_end)
		return TC_ACT_OK;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP)
		return TC_ACT_OK;
	udp = (void *)ip + ip->ihl * 4;
	msg = (void *)(udp + 1);
	if ((void *)(msg + 1) > data_end)
		return TC_ACT_OK;
	if (udp->dest != bpf_htons(GAME_PLAYER_SERVER_PORT))
		return TC_ACT_OK;
	/* The payload is little-endian like this machine: no byte swapping, unlike the headers. */
	if (msg->magic != GAME_MAGIC || msg->kind != GAME_KIND_UPDATE)
		return TC_ACT_OK;

	player = msg->player;
	h = bpf_map_lookup_elem(&history, &player);
	if (!h) {
		bpf_map_update_elem(&history, &player, &fresh, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&history, &player);
		if (!h)
			return TC_ACT_OK;
	}
	/* One update per player is in flight at a time in this game, so plain stores suffice; with
	 * concurrent writers for one player the value would need a bpf_spin_lock. */
	slot = h->count % HISTORY_LEN;
	h->ring[slot].t_ms = msg->t_ms;
	h->ring[slot].x = msg->x;
	h->ring[slot].y = msg->y;
	h->count++;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
