// SPDX-License-Identifier: GPL-2.0
/* Packets arriving on one interface, counted before the network stack sees them. */
#include "bpflab.h"

__u64 packets;

SEC("xdp")
int count_xdp(struct xdp_md *ctx)
{
	__sync_fetch_and_add(&packets, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
