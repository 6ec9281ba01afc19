#!/bin/sh
# After run.sh: the loader passed its argument to the program, so only children of the grading
# shell were reported: no odd-<nonce> (a grandchild), no line with another ppid.
nonce=$(cat loader.nonce)
ppid=$(cat loader.ppid)
if grep -q "comm=odd-$nonce\$" loader.out; then
	echo "FAIL: odd-$nonce was reported, but its parent is a subshell, not $ppid: target_ppid was not set before load."
	exit 1
fi
others=$(grep '^exec ' loader.out | grep -vc " ppid=$ppid ")
if [ "$others" -ne 0 ]; then
	echo "FAIL: $others exec line(s) have a ppid other than $ppid, the one passed to ./loader."
	exit 1
fi
echo "only children of $ppid were reported"
