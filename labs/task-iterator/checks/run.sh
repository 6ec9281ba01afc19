#!/bin/sh
# First check of lab task-iterator: start a known process family (./family: a leader with four
# threads and one child, named after the run's nonce), run the learner's ./tasks while it lives,
# and keep the iterator's output in tasks.out for the next checks.
nonce=${BPFLAB_NONCE:-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')}
leader="it-$nonce"
child="ic-$nonce"
echo "$leader $child" >family.names

./family "$leader" "$child" >family.out 2>&1 &
family=$!
trap 'kill -9 "$family" 2>/dev/null' EXIT
for _ in $(seq 50); do
	grep -q '^ready$' family.out && break
	sleep 0.1
done
if ! grep -q '^ready$' family.out; then
	echo "FAIL: the test process family did not start: $(head -c 300 family.out)"
	exit 1
fi

./tasks >tasks.out 2>tasks.err
status=$?
if [ "$status" -ne 0 ]; then
	echo "FAIL: ./tasks exited with status $status"
	head -n 5 tasks.err | sed 's/^/FAIL: /'
	exit 1
fi
lines=$(wc -l <tasks.out)
if ! grep -q "^$leader" tasks.out; then
	echo "FAIL: ./tasks printed $lines lines, none of them for the process $leader that was running"
	exit 1
fi
echo "./tasks printed $lines lines; the ones of the test family:"
grep -E "^(it|ic)-$nonce" tasks.out
