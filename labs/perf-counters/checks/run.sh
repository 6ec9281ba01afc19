#!/bin/sh
# First check of lab perf-counters: run the loader, which runs ./work under the learner's probes,
# and keep its output in counters.out for the next checks.
./counters 5 >counters.out 2>counters.err
status=$?
cat counters.out
grep -v '^counters: no hardware counter' counters.err | head -n 5 | sed 's/^/FAIL: /'
if [ "$status" -ne 0 ]; then
	echo "FAIL: ./counters exited with status $status"
	exit 1
fi
if ! grep -q '^mode ' counters.out; then
	echo "FAIL: ./counters printed no totals"
	exit 1
fi
