/* What players.bpf.c keeps per player and interpolate.c reads back: the last HISTORY_LEN
 * samples of each player, in a ring. Include after the header defining __u32/__s32. */
#ifndef BPFLAB_PLAYERS_H
#define BPFLAB_PLAYERS_H

#define HISTORY_LEN 8 /* a power of two, so `count % HISTORY_LEN` is a mask the verifier trusts */
#define MAX_PLAYERS 64

struct player_sample {
	__u32 t_ms; /* game time of the update */
	__s32 x;    /* Q16.16 metres */
	__s32 y;    /* Q16.16 metres */
};

struct player_history {
	__u32 count;                     /* updates seen; the next one goes to ring[count % HISTORY_LEN] */
	struct player_sample ring[HISTORY_LEN]; /* not in time order once it has wrapped */
};

#endif /* BPFLAB_PLAYERS_H */
