#!/bin/sh
# After run.sh: one line "<pid> <comm> ./kid-<nonce>" for each of the three execs, with the pid
# of the process that made it.
nonce=$(cat hello.nonce)
missing=0
for pid in $(cat hello.pids); do
	found=$(grep -c "^$pid[[:space:]].*[[:space:]]\./kid-$nonce\$" hello.out)
	if [ "$found" -ne 1 ]; then
		missing=$((missing + 1))
		[ "$missing" -eq 1 ] && echo "FAIL: expected one line \"$pid <comm> ./kid-$nonce\", found $found."
	fi
done
if [ "$missing" -ne 0 ]; then
	echo "FAIL: $missing of 3 execs were not reported as \"<pid> <comm> <filename>\". hello.py printed:"
	head -n 6 hello.out | sed 's/^/FAIL:   /'
	exit 1
fi
echo "all three execs were reported with their pid and filename"
