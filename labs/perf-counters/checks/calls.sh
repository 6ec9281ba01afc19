#!/bin/sh
# Lab perf-counters: every call of crunch() that returned is counted once.
want=$(awk '$1 == "calls" { print $2 }' work.truth)
got=$(awk '$1 == "calls" { print $2 }' counters.out)
if [ "$got" != "$want" ]; then
	echo "FAIL: totals.calls is ${got:-missing}; ./work called crunch() $want times"
	exit 1
fi
echo "$got calls counted."
