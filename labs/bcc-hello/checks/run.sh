#!/bin/sh
# Runs the learner's hello.py (as root: through sudo when the check is not), waits for its header
# line, runs ./kid-<nonce> three times and stops it with SIGINT. Passes when hello.py compiled,
# attached, printed the header and exited with status 0. Its output stays in hello.out for the
# check that follows.
# The grader's run nonce; a fresh one when the script is run by hand.
nonce=${BPFLAB_NONCE:-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')}
echo "$nonce" >hello.nonce
true_bin=/usr/bin/true
[ -x "$true_bin" ] || true_bin=/bin/true
cp "$true_bin" "./kid-$nonce"
trap 'rm -f "./kid-$nonce"' EXIT

# SIGTERM first: sudo relays it to the program, which a SIGKILL of sudo would leave running.
stop_now() {
	kill -TERM "$1" 2>/dev/null && sleep 1
	kill -KILL "$1" 2>/dev/null
}

fail() {
	echo "FAIL: $*"
	if [ -s hello.err ]; then
		echo "FAIL: its stderr ends with:"
		tail -n 8 hello.err | sed 's/^/FAIL:   /'
	fi
	stop_now "$hello"
	exit 1
}

# Created before hello.py starts, so that a header left over from an earlier run never counts.
: >hello.out
# A background command of a non-interactive shell starts with SIGINT ignored, and Python then
# never raises KeyboardInterrupt; env --default-signal=INT restores the default (around sudo
# too, which must relay the signal) so that kill -INT acts like Ctrl-C.
if [ "$(id -u)" -eq 0 ]; then
	set -- env --default-signal=INT
else
	set -- env --default-signal=INT sudo -n env --default-signal=INT
fi
"$@" python3 hello.py >hello.out 2>hello.err &
hello=$!

# BCC compiles the C text with clang when the program starts: allow it half a minute.
tries=0
until grep -q '^PID' hello.out; do
	kill -0 "$hello" 2>/dev/null || fail "hello.py exited before it printed its header line (PID COMM FILENAME)."
	tries=$((tries + 1))
	[ "$tries" -le 300 ] || fail "hello.py did not print its header line within 30 seconds."
	sleep 0.1
done

for _ in 1 2 3; do
	"./kid-$nonce"
done
# Ring buffer records reach Python on the next poll.
sleep 1

kill -0 "$hello" 2>/dev/null || fail "hello.py exited by itself; it must keep polling until Ctrl-C (SIGINT)."
kill -INT "$hello"
tries=0
while kill -0 "$hello" 2>/dev/null; do
	tries=$((tries + 1))
	[ "$tries" -le 50 ] || fail "hello.py was still running 5 seconds after SIGINT; catch KeyboardInterrupt around the poll loop."
	sleep 0.1
done
wait "$hello"
status=$?
[ "$status" -eq 0 ] || fail "hello.py exited with status $status after SIGINT; catch KeyboardInterrupt and let it end normally."
echo "hello.py compiled, attached, printed its header and stopped cleanly on SIGINT"
