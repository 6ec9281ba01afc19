#!/bin/sh
# After run.sh: one line "<pid> <comm> ./kid-<nonce>" for each of the three execs, each with a
# pid of its own. The pids are the kernel's, which need not be the ones a shell in a pid
# namespace sees, so they are compared with each other rather than with the shell's.
nonce=$(cat hello.nonce)
lines=$(grep -a "^[0-9][0-9]*[[:space:]].*[[:space:]]\./kid-$nonce\$" hello.out)
found=$(printf '%s' "$lines" | grep -c .)
if [ "$found" -ne 3 ]; then
	echo "FAIL: expected 3 lines \"<pid> <comm> ./kid-$nonce\", one per execve, found $found. hello.py printed:"
	head -n 6 hello.out | sed 's/^/FAIL:   /'
	exit 1
fi
pids=$(printf '%s\n' "$lines" | awk '{ print $1 }' | sort -u | grep -vcx 0)
if [ "$pids" -ne 3 ]; then
	echo "FAIL: the three execs ran in three processes, so they need three different, non-zero pids:"
	printf '%s\n' "$lines" | sed 's/^/FAIL:   /'
	exit 1
fi
echo "all three execs were reported with their pid and filename"
