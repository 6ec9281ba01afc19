#!/bin/sh
# Lab task-iterator: the leader of the test family has four threads; one line must stand for the
# whole process, so exactly one line starts with its name.
read -r leader _ <family.names
count=$(grep -c -E "^$leader( |\$)" tasks.out)
if [ "$count" -ne 1 ]; then
	echo "FAIL: $count lines for $leader, a process of 4 threads; expected 1 (its leader's)"
	exit 1
fi
echo "One line for $leader."
