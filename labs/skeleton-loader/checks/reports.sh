#!/bin/sh
# After run.sh: each of the three kid-<nonce> execs is reported once, with a pid of its own and,
# as ppid, the pid of their common parent (the grading shell). The pids are the kernel's, which
# need not be the ones a shell in a pid namespace sees, so they are compared with each other.
nonce=$(cat loader.nonce)
lines=$(grep "^exec pid=[0-9][0-9]* ppid=[0-9][0-9]* comm=kid-$nonce\$" loader.out)
found=$(printf '%s' "$lines" | grep -c '^exec')
if [ "$found" -ne 3 ]; then
	echo "FAIL: expected 3 lines \"exec pid=<pid> ppid=<ppid> comm=kid-$nonce\", found $found."
	total=$(grep -c '^exec ' loader.out)
	echo "FAIL: ./loader printed $total exec line(s) in all."
	[ "$total" -eq 0 ] || grep '^exec ' loader.out | head -n 5 | sed 's/^/FAIL:   /'
	exit 1
fi
pids=$(printf '%s\n' "$lines" | sed 's/^exec pid=\([0-9]*\) .*/\1/' | sort -u | grep -vcx 0)
ppids=$(printf '%s\n' "$lines" | sed 's/.* ppid=\([0-9]*\) .*/\1/' | sort -u)
if [ "$pids" -ne 3 ]; then
	echo "FAIL: the three execs should carry three different, non-zero pids:"
	printf '%s\n' "$lines" | sed 's/^/FAIL:   /'
	exit 1
fi
if [ "$(printf '%s\n' "$ppids" | wc -l)" -ne 1 ] || [ "$ppids" = 0 ]; then
	echo "FAIL: the three execs have one parent, so one non-zero ppid:"
	printf '%s\n' "$lines" | sed 's/^/FAIL:   /'
	exit 1
fi
echo "the three execs were reported, each with its pid and their parent's"
