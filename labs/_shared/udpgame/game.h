/* The bpflab UDP game: wire format and topology, shared by the simulator (udpgame.c) and the
 * BPF programs of lessons 6-8. Include it after the header that defines __u16/__u32/__s32
 * (vmlinux.h in BPF programs, <linux/types.h> in user space).
 *
 *   SingleClient p  127.0.1.p:(9000+p) --update--> PlayerServer      127.0.0.1:8000
 *   PlayerServer    127.0.0.1:8000     --relay---> WorldServerLeader 127.0.0.1:10000
 *   WorldServerLeader 127.0.0.1:10000  --ack-----> SingleClient p    127.0.1.p:(9000+p)
 *
 * Every message is one UDP datagram holding one struct game_msg: 24 bytes, little-endian
 * (the byte order of the x86-64 and arm64 machines the game runs on), no padding. Unlike the
 * IP and UDP headers around it, nothing in the payload is in network byte order.
 */
#ifndef BPFLAB_GAME_H
#define BPFLAB_GAME_H

#define GAME_MAGIC 0x454d4147u /* the bytes "GAME" read as a little-endian __u32 */

#define GAME_KIND_UPDATE 1 /* SingleClient -> PlayerServer, relayed unchanged to the world */
#define GAME_KIND_ACK 2    /* WorldServerLeader -> SingleClient */

#define GAME_PLAYER_SERVER_PORT 8000
#define GAME_WORLD_PORT 10000
#define GAME_CLIENT_PORT_BASE 9000 /* player p sends from and is answered on 9000 + p */

#define GAME_SERVER_ADDR 0x7f000001u      /* 127.0.0.1, host byte order */
#define GAME_CLIENT_ADDR_BASE 0x7f000100u /* player p is 127.0.1.p, host byte order */

#define GAME_TICK_MS 50 /* one update per player per tick */

/* Positions are Q16.16 fixed point: metres * 65536, two's complement. */
#define GAME_Q16_ONE 65536

struct game_msg {
	__u32 magic;  /* GAME_MAGIC */
	__u16 kind;   /* GAME_KIND_* */
	__u16 player; /* 1..players */
	__u32 seq;    /* per player, from 0 */
	__u32 t_ms;   /* game time of the tick: tick * GAME_TICK_MS */
	__s32 x;      /* Q16.16 metres */
	__s32 y;      /* Q16.16 metres */
};

_Static_assert(sizeof(struct game_msg) == 24, "struct game_msg is the 24-byte wire format");

#endif /* BPFLAB_GAME_H */
