// SPDX-License-Identifier: Apache-2.0
/* udpgame: the deterministic UDP game traffic of lessons 6-8 (topology and wire format in
 * game.h). One process plays every role in lockstep, so each count is the same on every run:
 *
 *   udpgame run [--no-relay] [--report FILE]  play one match on loopback, write a report
 *   udpgame samples                           print every update the players send
 *   udpgame expect RENDER_MS [HISTORY]        positions interpolated at RENDER_MS from each
 *                                             player's last HISTORY samples (default 8)
 *
 * Players send their updates through a raw socket with the UDP checksum computed in full. Over
 * loopback an ordinary UDP socket leaves the checksum to "hardware" that never runs, and the
 * receiver trusts it; computing it here means a program that rewrites a packet without fixing
 * the checksum gets that packet dropped, as it would on a real network.
 *
 * Build: cc -O2 -o udpgame udpgame.c -lm
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/types.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "game.h"

#define PLAYERS 4
#define TICKS 40           /* the match lasts 40 ticks, t = 0 .. 1950 ms */
#define JOIN_EVERY_TICKS 5 /* player p joins at tick 5 * (p - 1): 40, 35, 30, 25 updates */
#define REPLY_TIMEOUT_MS 250
#define MAX_MISSES 3 /* consecutive losses before the match is called off */

struct stats {
	unsigned sent[PLAYERS + 1], acked[PLAYERS + 1], world_from[PLAYERS + 1];
	unsigned ps_received, ps_relayed, world_received, world_replies;
	unsigned long csum_errors;
	int stalled;
};

static int join_tick(int player) { return JOIN_EVERY_TICKS * (player - 1); }

/* Player p circles its own centre; the numbers are arbitrary but fixed, with negative
 * coordinates on purpose (fixed-point code must handle the sign). */
static void true_position(int player, double t_s, double *x, double *y)
{
	double cx = 8.0 * player - 20.0, cy = 12.0 - 6.0 * player;
	double r = 1.5 + player, omega = 0.3 + 0.25 * player, phase = 0.9 * player;

	*x = cx + r * cos(omega * t_s + phase);
	*y = cy + r * sin(omega * t_s + phase);
}

static __s32 to_q16(double v) { return (__s32)lround(v * GAME_Q16_ONE); }

/* The update player p sends at tick `tick`, exactly as it goes on the wire. */
static struct game_msg update_for(int player, int tick)
{
	struct game_msg m = {.magic = GAME_MAGIC, .kind = GAME_KIND_UPDATE, .player = player};
	double x, y;

	m.seq = tick - join_tick(player);
	m.t_ms = tick * GAME_TICK_MS;
	true_position(player, m.t_ms / 1000.0, &x, &y);
	m.x = to_q16(x);
	m.y = to_q16(y);
	return m;
}

static struct sockaddr_in addr_of(__u32 host_addr, int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};

	a.sin_addr.s_addr = htonl(host_addr);
	return a;
}

static int udp_bound(__u32 host_addr, int port)
{
	struct sockaddr_in a = addr_of(host_addr, port);
	int one = 1, fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		fprintf(stderr, "udpgame: cannot bind UDP %s:%d: %s\n", inet_ntoa(a.sin_addr), port,
			strerror(errno));
		exit(2);
	}
	return fd;
}

static __u32 sum16(const void *data, size_t len, __u32 sum)
{
	const __u8 *p = data;

	for (; len > 1; p += 2, len -= 2)
		sum += (p[0] << 8) | p[1];
	if (len)
		sum += p[0] << 8;
	return sum;
}

static __u16 fold(__u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* Send one update from player p's address and port to the PlayerServer, with an IPv4 header
 * of our own (the kernel fills in its checksum and id) and a complete UDP checksum. */
static void send_update(int raw_fd, const struct game_msg *m)
{
	struct {
		__u8 ver_ihl, tos;
		__u16 tot_len, id, frag_off;
		__u8 ttl, protocol;
		__u16 check;
		__u32 saddr, daddr;
		__u16 sport, dport, ulen, ucheck;
		struct game_msg msg;
	} __attribute__((packed)) pkt = {0};
	struct {
		__u32 saddr, daddr;
		__u8 zero, protocol;
		__u16 len;
	} __attribute__((packed)) pseudo;
	struct sockaddr_in to = addr_of(GAME_SERVER_ADDR, GAME_PLAYER_SERVER_PORT);
	__u16 udp_len = 8 + sizeof(*m), check;

	pkt.ver_ihl = 0x45;
	pkt.tot_len = htons(20 + udp_len);
	pkt.ttl = 64;
	pkt.protocol = IPPROTO_UDP;
	pkt.saddr = htonl(GAME_CLIENT_ADDR_BASE + m->player);
	pkt.daddr = htonl(GAME_SERVER_ADDR);
	pkt.sport = htons(GAME_CLIENT_PORT_BASE + m->player);
	pkt.dport = htons(GAME_PLAYER_SERVER_PORT);
	pkt.ulen = htons(udp_len);
	pkt.msg = *m;

	pseudo = (typeof(pseudo)){pkt.saddr, pkt.daddr, 0, IPPROTO_UDP, pkt.ulen};
	check = fold(sum16(&pkt.sport, udp_len, sum16(&pseudo, sizeof(pseudo), 0)));
	pkt.ucheck = htons(check ? check : 0xffff); /* 0 would mean "no checksum" */

	if (sendto(raw_fd, &pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to)) != sizeof(pkt)) {
		fprintf(stderr, "udpgame: raw send failed: %s\n", strerror(errno));
		exit(2);
	}
}

/* Wait for one game message on fd; 0 on success, -1 when none arrives in time. */
static int recv_msg(int fd, struct game_msg *m, struct sockaddr_in *from)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	for (;;) {
		socklen_t len = sizeof(*from);

		if (poll(&p, 1, REPLY_TIMEOUT_MS) <= 0)
			return -1;
		ssize_t n = recvfrom(fd, m, sizeof(*m), 0, (struct sockaddr *)from, &len);
		if (n == sizeof(*m) && m->magic == GAME_MAGIC && m->player >= 1 && m->player <= PLAYERS)
			return 0; /* anything else is not game traffic: ignore it and keep waiting */
	}
}

static unsigned long udp_csum_errors(void)
{
	char line[1024];
	unsigned long v[16] = {0};
	int row = 0;
	FILE *f = fopen("/proc/net/snmp", "r");

	if (!f)
		return 0;
	/* Two "Udp:" lines: names, then values; InCsumErrors is the 7th value. */
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "Udp:", 4) && row++ == 1)
			sscanf(line + 4, "%lu %lu %lu %lu %lu %lu %lu", &v[0], &v[1], &v[2], &v[3], &v[4],
			       &v[5], &v[6]);
	fclose(f);
	return v[6];
}

static void play(int relay, struct stats *st)
{
	int raw = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	int world = udp_bound(GAME_SERVER_ADDR, GAME_WORLD_PORT);
	int player_server = relay ? udp_bound(GAME_SERVER_ADDR, GAME_PLAYER_SERVER_PORT) : -1;
	int client[PLAYERS + 1], misses = 0;
	unsigned long csum_before = udp_csum_errors();

	if (raw < 0) {
		fprintf(stderr, "udpgame: raw socket: %s (needs CAP_NET_RAW)\n", strerror(errno));
		exit(2);
	}
	for (int p = 1; p <= PLAYERS; p++)
		client[p] = udp_bound(GAME_CLIENT_ADDR_BASE + p, GAME_CLIENT_PORT_BASE + p);

	for (int tick = 0; tick < TICKS && misses < MAX_MISSES; tick++) {
		for (int p = 1; p <= PLAYERS && misses < MAX_MISSES; p++) {
			struct game_msg m, in;
			struct sockaddr_in from, to;

			if (tick < join_tick(p))
				continue;
			m = update_for(p, tick);
			send_update(raw, &m);
			st->sent[p]++;

			if (relay) {
				if (recv_msg(player_server, &in, &from)) {
					misses++;
					continue;
				}
				st->ps_received++;
				to = addr_of(GAME_SERVER_ADDR, GAME_WORLD_PORT);
				if (sendto(player_server, &in, sizeof(in), 0, (struct sockaddr *)&to, sizeof(to)) ==
				    sizeof(in))
					st->ps_relayed++;
			}

			if (recv_msg(world, &in, &from)) {
				misses++;
				continue;
			}
			st->world_received++;
			st->world_from[in.player]++;
			in.kind = GAME_KIND_ACK;
			to = addr_of(GAME_CLIENT_ADDR_BASE + in.player, GAME_CLIENT_PORT_BASE + in.player);
			if (sendto(world, &in, sizeof(in), 0, (struct sockaddr *)&to, sizeof(to)) == sizeof(in))
				st->world_replies++;

			if (recv_msg(client[in.player], &in, &from)) {
				misses++;
				continue;
			}
			st->acked[in.player]++;
			misses = 0;
		}
	}
	st->stalled = misses >= MAX_MISSES;
	st->csum_errors = udp_csum_errors() - csum_before;
}

static void report(FILE *out, int relay, const struct stats *st)
{
	fprintf(out, "mode %s\n", relay ? "relay" : "no-relay");
	for (int p = 1; p <= PLAYERS; p++)
		fprintf(out, "player %d addr 127.0.1.%d port %d sent %u acked %u\n", p, p,
			GAME_CLIENT_PORT_BASE + p, st->sent[p], st->acked[p]);
	fprintf(out, "playerserver received %u relayed %u\n", st->ps_received, st->ps_relayed);
	fprintf(out, "world received %u replies %u\n", st->world_received, st->world_replies);
	for (int p = 1; p <= PLAYERS; p++)
		fprintf(out, "world-from %d %u\n", p, st->world_from[p]);
	fprintf(out, "udp-csum-errors %lu\n", st->csum_errors);
	fprintf(out, "stalled %s\n", st->stalled ? "yes" : "no");
}

static int cmd_run(int argc, char **argv)
{
	const char *report_path = NULL;
	int relay = 1;
	struct stats st = {0};

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--no-relay"))
			relay = 0;
		else if (!strcmp(argv[i], "--report") && i + 1 < argc)
			report_path = argv[++i];
		else {
			fprintf(stderr, "usage: udpgame run [--no-relay] [--report FILE]\n");
			return 2;
		}
	}
	play(relay, &st);
	report(stdout, relay, &st);
	if (report_path) {
		FILE *f = fopen(report_path, "w");
		if (!f) {
			fprintf(stderr, "udpgame: %s: %s\n", report_path, strerror(errno));
			return 2;
		}
		report(f, relay, &st);
		fclose(f);
	}
	return st.stalled ? 1 : 0;
}

static int cmd_samples(void)
{
	printf("# player seq t_ms x_q16 y_q16 x_m y_m\n");
	for (int p = 1; p <= PLAYERS; p++)
		for (int tick = join_tick(p); tick < TICKS; tick++) {
			struct game_msg m = update_for(p, tick);
			printf("%d %u %u %d %d %.6f %.6f\n", p, m.seq, m.t_ms, m.x, m.y,
			       (double)m.x / GAME_Q16_ONE, (double)m.y / GAME_Q16_ONE);
		}
	return 0;
}

/* The reference answer of lesson 8: linear interpolation between the two retained samples
 * around the render time, in exact arithmetic on the Q16.16 values that were sent. */
static int cmd_expect(int argc, char **argv)
{
	int render_ms, history = 8, first_tick;

	if (argc < 1 || argc > 2 || sscanf(argv[0], "%d", &render_ms) != 1 ||
	    (argc == 2 && (sscanf(argv[1], "%d", &history) != 1 || history < 2 || history > TICKS))) {
		fprintf(stderr, "usage: udpgame expect RENDER_MS [HISTORY]\n");
		return 2;
	}
	first_tick = TICKS - history;
	for (int p = 1; p <= PLAYERS; p++) {
		int from = first_tick > join_tick(p) ? first_tick : join_tick(p);
		if (render_ms < from * GAME_TICK_MS || render_ms > (TICKS - 1) * GAME_TICK_MS) {
			fprintf(stderr, "udpgame: %d ms is outside player %d's history (%d..%d ms)\n",
				render_ms, p, from * GAME_TICK_MS, (TICKS - 1) * GAME_TICK_MS);
			return 1;
		}
		int tick = render_ms / GAME_TICK_MS < TICKS - 1 ? render_ms / GAME_TICK_MS : TICKS - 2;
		struct game_msg a = update_for(p, tick), b = update_for(p, tick + 1);
		double f = (double)(render_ms - (int)a.t_ms) / (b.t_ms - a.t_ms);
		printf("player %d x %.6f y %.6f\n", p, (a.x + f * (b.x - a.x)) / GAME_Q16_ONE,
		       (a.y + f * (b.y - a.y)) / GAME_Q16_ONE);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "run"))
		return cmd_run(argc > 2 ? argc - 2 : 0, argv + 2);
	if (!strcmp(argv[1], "samples"))
		return cmd_samples();
	if (!strcmp(argv[1], "expect"))
		return cmd_expect(argc - 2, argv + 2);
	fprintf(stderr, "usage: udpgame [run [--no-relay] [--report FILE] | samples | expect RENDER_MS "
			"[HISTORY]]\n");
	return 2;
}
