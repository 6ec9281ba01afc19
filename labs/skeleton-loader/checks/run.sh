#!/bin/sh
# Runs the learner's ./loader filtered to the name kid-<nonce>, execs kid-<nonce> three times and
# odd-<nonce> once, then stops the loader with SIGINT. Passes when the loader attached, was still
# running when stopped and exited with status 0. Its output stays in loader.out for the checks
# that follow.
# The grader's run nonce; a fresh one when the script is run by hand.
nonce=${BPFLAB_NONCE:-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')}
echo "$nonce" >loader.nonce
true_bin=/usr/bin/true
[ -x "$true_bin" ] || true_bin=/bin/true
cp "$true_bin" "./kid-$nonce"
cp "$true_bin" "./odd-$nonce"
trap 'rm -f "./kid-$nonce" "./odd-$nonce"' EXIT

# SIGTERM first: sudo relays it to the loader, which a SIGKILL of sudo would leave running.
stop_now() {
	kill -TERM "$1" 2>/dev/null && sleep 1
	kill -KILL "$1" 2>/dev/null
}

fail() {
	echo "FAIL: $*"
	if [ -s loader.err ]; then
		echo "FAIL: its stderr ends with:"
		tail -n 8 loader.err | sed 's/^/FAIL:   /'
	fi
	stop_now "$loader"
	exit 1
}

# Created before the loader starts, so that an "attached" left over from an earlier run is never
# mistaken for this one.
: >loader.out
# A background command of a non-interactive shell starts with SIGINT ignored;
# env --default-signal=INT restores the default (around sudo too, which must relay the signal)
# so that kill -INT acts like Ctrl-C. Loading BPF needs root: sudo when the check is not.
if [ "$(id -u)" -eq 0 ]; then
	set -- env --default-signal=INT
else
	set -- env --default-signal=INT sudo -n env --default-signal=INT
fi
"$@" ./loader "kid-$nonce" >loader.out 2>loader.err &
loader=$!

tries=0
until grep -q '^attached$' loader.out; do
	kill -0 "$loader" 2>/dev/null || fail "./loader exited before it printed \"attached\"."
	tries=$((tries + 1))
	[ "$tries" -le 100 ] || fail "./loader did not print \"attached\" within 10 seconds."
	sleep 0.1
done

"./kid-$nonce"
"./kid-$nonce"
"./kid-$nonce"
"./odd-$nonce"
# Ring buffer records reach user space on the next poll; give it a few of its 100 ms timeouts.
sleep 0.5

kill -0 "$loader" 2>/dev/null ||
	fail "./loader exited by itself after attaching; it must keep polling the ring buffer until Ctrl-C (SIGINT)."
kill -INT "$loader"
tries=0
while kill -0 "$loader" 2>/dev/null; do
	tries=$((tries + 1))
	[ "$tries" -le 30 ] || fail "./loader was still running 3 seconds after SIGINT; leave the poll loop once stop is set."
	sleep 0.1
done
wait "$loader"
status=$?
[ "$status" -eq 0 ] || fail "./loader exited with status $status after SIGINT; it should clean up and return 0."
echo "./loader attached, kept running and exited cleanly on SIGINT"
