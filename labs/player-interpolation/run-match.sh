#!/bin/sh
# The workload of lab player-interpolation: build the game simulator, then run your loader,
# which attaches players.bpf.o to lo, plays one match through ./udpgame and prints the tree and
# the interpolated positions (kept in interpolation.out for the checks).
cd "$(dirname "$0")" || exit 1
CC=${CC:-$(command -v cc || command -v clang)}
"$CC" -O2 -o udpgame udpgame.c -lm || exit 1

# Between two ticks and inside every player's last 8 samples (1600..1950 ms).
RENDER_MS="1637 1917"
echo "$RENDER_MS" >render-times
# shellcheck disable=SC2086 # one argument per render time
./interpolate $RENDER_MS >interpolation.out
echo "$?" >interpolation.status
cat interpolation.out
# A loader that died before detaching leaves its filter on lo: remove the qdisc holding it.
tc qdisc del dev lo clsact 2>/dev/null
exit 0
