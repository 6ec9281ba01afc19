#!/bin/sh
# First check of lab player-interpolation: build the game simulator, then run the learner's
# loader, which attaches players.bpf.o to lo, plays one match through ./udpgame and prints the
# tree and the interpolated positions. The output stays in interpolation.out for the next checks.
cd "$(dirname "$0")" || exit 1
CC=${CC:-$(command -v cc || command -v clang)}
if ! "$CC" -O2 -o udpgame udpgame.c -lm; then
	echo "FAIL: the game simulator did not build"
	exit 1
fi

# Between two ticks and inside every player's last 8 samples (1600..1950 ms).
RENDER_MS="1637 1917"
echo "$RENDER_MS" >render-times
# shellcheck disable=SC2086 # one argument per render time
./interpolate $RENDER_MS >interpolation.out 2>interpolate.err
status=$?
cat interpolation.out
# A loader that died before detaching leaves its filter on lo: remove the qdisc holding it.
tc qdisc del dev lo clsact 2>/dev/null

if [ "$status" -ne 0 ]; then
	echo "FAIL: interpolate exited with status $status"
	head -n 5 interpolate.err | sed 's/^/FAIL: /'
	exit 1
fi
if [ ! -s interpolation.out ]; then
	echo "FAIL: interpolate printed nothing"
	exit 1
fi
