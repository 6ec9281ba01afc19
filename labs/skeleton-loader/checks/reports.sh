#!/bin/sh
# After run.sh: each of the three kid-<nonce> execs is reported once, with this script's parent,
# the grading shell, as its ppid.
nonce=$(cat loader.nonce)
ppid=$(cat loader.ppid)
found=$(grep -c "^exec pid=[0-9][0-9]* ppid=$ppid comm=kid-$nonce\$" loader.out)
if [ "$found" -ne 3 ]; then
	echo "FAIL: expected 3 lines \"exec pid=<pid> ppid=$ppid comm=kid-$nonce\", found $found."
	total=$(grep -c '^exec ' loader.out)
	echo "FAIL: ./loader printed $total exec line(s) in all."
	[ "$total" -eq 0 ] || grep '^exec ' loader.out | head -n 5 | sed 's/^/FAIL:   /'
	exit 1
fi
echo "the three children were reported with the right pid and ppid"
