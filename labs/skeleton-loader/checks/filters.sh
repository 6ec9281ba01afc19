#!/bin/sh
# After run.sh: the loader passed its argument to the program, so only execs of kid-<nonce> were
# reported: no odd-<nonce>, and none of the other programs the machine ran meanwhile.
nonce=$(cat loader.nonce)
if grep -q "comm=odd-$nonce\$" loader.out; then
	echo "FAIL: odd-$nonce was reported although ./loader was asked for kid-$nonce only: target_comm was not set before load."
	exit 1
fi
others=$(grep '^exec ' loader.out | grep -vc "comm=kid-$nonce\$")
if [ "$others" -ne 0 ]; then
	echo "FAIL: $others exec line(s) name another program than kid-$nonce, the name passed to ./loader."
	exit 1
fi
echo "only execs of kid-$nonce were reported"
