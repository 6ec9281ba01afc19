#!/bin/sh
# Judge of lab player-interpolation, part 1: the in-order walk of the tree. Expected: "world",
# then for each player in ascending id "player N" followed by its retained samples, oldest first,
# with the positions the simulator sent (./udpgame samples is the truth; the map keeps the last
# HISTORY_LEN = 8 samples of each player).
out=interpolation.out
if [ ! -s "$out" ]; then
	echo "FAIL: interpolate printed nothing"
	exit 1
fi
./udpgame samples | awk -v history=8 '
	# The truth: the last `history` samples of every player, in order.
	NR == FNR {
		if ($1 ~ /^#/) next
		n[$1]++; t[$1, n[$1]] = $3; x[$1, n[$1]] = $6; y[$1, n[$1]] = $7
		if ($1 > players) players = $1
		next
	}
	# The learner'"'"'s walk: every line up to the first "render" line.
	$1 == "render" { exit }
	{ got[++lines] = $0 }
	END {
		want[++w] = "world"
		for (p = 1; p <= players; p++) {
			want[++w] = "player " p
			for (i = n[p] - history + 1; i <= n[p]; i++) {
				want[++w] = "sample t=" t[p, i]; wx[w] = x[p, i]; wy[w] = y[p, i]
			}
		}
		for (i = 1; i <= w; i++) {
			line = got[i]; sub(/^[ \t]+/, "", line)
			split(line, f, " ")
			head = f[1] (f[2] == "" ? "" : " " f[2])
			if (head != want[i]) {
				printf "FAIL: walk line %d: expected \"%s\", got \"%s\"\n", i, want[i], line
				exit 1
			}
			if (want[i] ~ /^sample/) {
				gx = f[3]; gy = f[4]; sub(/^x=/, "", gx); sub(/^y=/, "", gy)
				if ((gx - wx[i])^2 > 1e-8 || (gy - wy[i])^2 > 1e-8) {
					printf "FAIL: walk line %d: %s should be at x=%s y=%s, got \"%s\"\n", i, want[i], wx[i], wy[i], line
					exit 1
				}
			}
		}
		if (lines > w) {
			printf "FAIL: the walk has %d lines, expected %d; extra: \"%s\"\n", lines, w, got[w + 1]
			exit 1
		}
		printf "The walk visits the world, %d players in ascending id and each one'"'"'s %d samples oldest first.\n", players, history
	}
' - "$out"
