#!/bin/sh
# Judge of lab udp-xdp-ban: what the game's servers received (udpgame.report, written by the
# workload). Player 4 is banned: none of its 25 updates may reach the PlayerServer, and therefore
# none reaches the world or is acknowledged; players 1-3 must lose nothing (40, 35 and 30 updates).
report=udpgame.report
if [ ! -s "$report" ]; then
	echo "FAIL: the game wrote no report; the workload's output above says why"
	exit 1
fi
awk '
	$1 == "player" { sent[$2] = $8; acked[$2] = $10 }
	$1 == "world-from" { world[$2] = $3 }
	$1 == "stalled" { stalled = $2 }
	END {
		bad = 0
		if (stalled == "yes") { print "FAIL: the match stalled: packets of players other than 4 were dropped"; bad = 1 }
		for (p = 1; p <= 3; p++)
			if (world[p] != sent[p]) {
				printf "FAIL: player %d sent %d updates but the world received %d: only player 4 is banned\n", p, sent[p], world[p]
				bad = 1
			}
		if (world[4] != 0) {
			printf "FAIL: the world received %d of player 4'"'"'s %d updates; all of them must be dropped\n", world[4], sent[4]
			bad = 1
		}
		if (acked[4] != 0) { printf "FAIL: player 4 got %d acknowledgements\n", acked[4]; bad = 1 }
		if (bad) exit 1
		printf "Player 4'"'"'s %d updates never reached a server; players 1-3 lost none.\n", sent[4]
	}
' "$report"
