// SPDX-License-Identifier: Apache-2.0
/* interpolate: load players.bpf.o on loopback, let one match of the UDP game run, then read every
 * player's recent positions back from the `history` map, arrange them as a left-child
 * right-sibling tree, print the tree in order and interpolate each player at the render times.
 *
 *   usage: interpolate RENDER_MS...     (in the lab's directory: it runs ./udpgame)
 *
 *   world                       the root
 *   `- child: player 1 -sibling-> player 2 -sibling-> ...     players: siblings, ascending id
 *             `- child: sample t=1600 -sibling-> sample t=1650 -sibling-> ...
 *                       a player's samples: its children, so siblings, oldest first
 */
#include <errno.h>
#include <linux/types.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "game.h"
#include "players.h"
#include "players.skel.h"

#define MAX_RENDER_TIMES 16

enum node_kind { NODE_WORLD, NODE_PLAYER, NODE_SAMPLE };

struct node {
	enum node_kind kind;
	__u32 player;                /* NODE_PLAYER: its id */
	struct player_sample sample; /* NODE_SAMPLE: the recorded state */
	struct node *child;          /* world: its first player; player: its oldest sample */
	struct node *sibling;        /* player: the next player; sample: the next sample in time */
};

static struct node *new_node(enum node_kind kind)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n) {
		perror("interpolate: calloc");
		exit(1);
	}
	n->kind = kind;
	return n;
}

static void free_tree(struct node *n)
{
	while (n) {
		struct node *next = n->sibling;

		free_tree(n->child);
		free(n);
		n = next;
	}
}

/* The player's node under `world`, inserted into the sibling list in ascending id. */
static struct node *insert_player(struct node *world, __u32 id)
{
	/* TODO 1: walk world->child and the ->sibling links to the first player whose id is not
	 *         smaller; return it if it is this player, else link a new NODE_PLAYER in there. */
	(void)world;
	(void)id;
	return NULL;
}

/* Add a sample to the player's children, keeping the sibling list in ascending time. */
static void insert_sample(struct node *player, const struct player_sample *s)
{
	/* TODO 2: the player's samples are its children: the first is player->child, the others
	 *         follow through ->sibling. Link a new NODE_SAMPLE before the first that is not older. */
	(void)player;
	(void)s;
}

/* Every player and its retained samples from the `history` map, as a tree under a new world. */
static struct node *read_history(int map_fd)
{
	struct node *world = new_node(NODE_WORLD);

	/* TODO 3: iterate the map: bpf_map_get_next_key(map_fd, NULL, &next) gives the first key,
	 *         then pass the previous key to get the next one, until it fails. For each player,
	 *         bpf_map_lookup_elem() its struct player_history, insert_player(), and
	 *         insert_sample() each of its min(count, HISTORY_LEN) retained samples. */
	(void)map_fd;
	return world;
}

static double metres(__s32 q16) { return (double)q16 / GAME_Q16_ONE; }

/* Pre-order: a node, then its child subtree, then its siblings. */
static void walk(const struct node *n, int depth)
{
	/* TODO 4: print every node, indented two spaces per level:
	 *           world
	 *             player 1
	 *               sample t=1600 x=-12.519196 y=8.445496     (metres(), "%.6f")
	 *               sample t=1650 ...                         (a sibling: same depth)
	 *             player 2 ...                                (a sibling: same depth) */
	(void)n;
	(void)depth;
	printf("world\n");
}

/* a + (b - a) * (t - ta) / (tb - ta) in Q16.16, in integers only. */
static __s32 lerp_q16(__s32 a, __s32 b, __u32 ta, __u32 tb, __u32 t)
{
	/* TODO 5: the fraction (t - ta) / (tb - ta) as Q16.16, then a + (b - a) * fraction.
	 *         Which intermediate values need 64 bits? */
	(void)b;
	(void)ta;
	(void)tb;
	(void)t;
	return a;
}

/* The player's position at time t from the two samples around it; -1 when t is not covered. */
static int interpolate(const struct node *player, __u32 t, __s32 *x, __s32 *y)
{
	/* TODO 6: walk the player's samples (its children) for consecutive samples a, b with
	 *         a.t_ms <= t <= b.t_ms, and interpolate x and y between them with lerp_q16(). */
	(void)player;
	(void)t;
	(void)x;
	(void)y;
	return -1;
}

/* Run ./udpgame once, in the foreground; 0 when the match completed. */
static int play_match(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		/* Its summary goes to udpgame.report; stdout stays ours. */
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execl("./udpgame", "udpgame", "run", "--report", "udpgame.report", (char *)NULL);
		perror("interpolate: ./udpgame");
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, tc);
	struct players_bpf *skel = NULL;
	struct node *world = NULL;
	__u32 render[MAX_RENDER_TIMES];
	int renders = argc - 1, err = 1, hook_created = 0;

	if (renders < 1 || renders > MAX_RENDER_TIMES) {
		fprintf(stderr, "usage: interpolate RENDER_MS...\n");
		return 2;
	}
	for (int i = 0; i < renders; i++)
		render[i] = strtoul(argv[i + 1], NULL, 10);

	skel = players_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "interpolate: cannot load players.bpf.o: %s\n", strerror(errno));
		return 1;
	}
	hook.ifindex = if_nametoindex("lo");
	err = bpf_tc_hook_create(&hook); /* adds the clsact qdisc; -EEXIST: already there */
	if (err && err != -EEXIST) {
		fprintf(stderr, "interpolate: cannot add clsact to lo: %s\n", strerror(-err));
		goto cleanup;
	}
	hook_created = !err;
	tc.prog_fd = bpf_program__fd(skel->progs.record_positions);
	err = bpf_tc_attach(&hook, &tc);
	if (err) {
		fprintf(stderr, "interpolate: cannot attach to lo ingress: %s\n", strerror(-err));
		goto cleanup;
	}

	err = play_match();
	tc.prog_fd = tc.prog_id = tc.flags = 0; /* bpf_tc_detach wants only handle and priority */
	bpf_tc_detach(&hook, &tc);
	if (err) {
		fprintf(stderr, "interpolate: the match did not complete (see udpgame.report)\n");
		goto cleanup;
	}

	world = read_history(bpf_map__fd(skel->maps.history));
	walk(world, 0);
	for (int i = 0; i < renders; i++)
		for (const struct node *p = world->child; p; p = p->sibling) {
			__s32 x, y;

			if (interpolate(p, render[i], &x, &y))
				printf("render t=%u player=%u outside the history\n", render[i], p->player);
			else
				printf("render t=%u player=%u x=%.6f y=%.6f\n", render[i], p->player, metres(x),
				       metres(y));
		}

cleanup:
	free_tree(world);
	if (hook_created) {
		/* Both directions named: destroy the clsact qdisc itself, not just its ingress. */
		hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
		bpf_tc_hook_destroy(&hook);
	}
	players_bpf__destroy(skel);
	return err ? 1 : 0;
}
