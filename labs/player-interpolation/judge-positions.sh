#!/bin/sh
# Judge of lab player-interpolation, part 2: positions interpolated at each render time, within
# TOLERANCE metres of the reference (./udpgame expect: linear interpolation, exact arithmetic,
# between the two Q16.16 samples around the render time).
TOLERANCE=0.001
out=interpolation.out
if [ ! -s render-times ] || [ ! -s "$out" ]; then
	echo "FAIL: interpolate printed nothing"
	exit 1
fi
status=0
for t in $(cat render-times); do
	./udpgame expect "$t" | awk -v t="$t" -v tol="$TOLERANCE" '
		NR == FNR { wx[$2] = $4; wy[$2] = $6; players++; next }
		$1 == "render" && $2 == "t=" t {
			p = $3; sub(/^player=/, "", p); x = $4; y = $5; sub(/^x=/, "", x); sub(/^y=/, "", y)
			seen[p] = 1
			if (!(p in wx)) { printf "FAIL: t=%s: there is no player %s\n", t, p; bad = 1; next }
			if ((x - wx[p])^2 > tol^2 || (y - wy[p])^2 > tol^2) {
				printf "FAIL: t=%s player %s: expected x=%s y=%s, got x=%s y=%s\n", t, p, wx[p], wy[p], x, y
				bad = 1
			}
		}
		END {
			for (p in wx) if (!(p in seen)) { printf "FAIL: t=%s: no position for player %s\n", t, p; bad = 1 }
			if (!bad) printf "t=%s: all %d players within %s m\n", t, players, tol
			exit bad
		}
	' - "$out" || status=1
done
exit $status
