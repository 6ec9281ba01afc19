#!/bin/sh
# Lab task-iterator: each line reads "<comm> threads=<n> parent=<parent's comm>". The test
# family's leader has 4 threads (its parent is whatever started it); its child has 1 thread and
# the leader for parent.
read -r leader child <family.names
status=0
line() { grep -E "^$1( |\$)" tasks.out | head -n 1; }
got=$(line "$leader")
if ! echo "$got" | grep -q -E "^$leader threads=4 parent=[^ ]+\$"; then
	echo "FAIL: expected \"$leader threads=4 parent=<its parent's name>\", got \"${got:-no line}\""
	status=1
fi
got=$(line "$child")
if [ "$got" != "$child threads=1 parent=$leader" ]; then
	echo "FAIL: expected \"$child threads=1 parent=$leader\", got \"${got:-no line for $child}\""
	status=1
fi
[ "$status" -eq 0 ] && echo "$leader has 4 threads and $child is its child."
exit "$status"
