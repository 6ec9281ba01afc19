#!/bin/sh
# Runs the learner's hello.py (as root: through sudo when the check is not), waits for its header
# line, runs ./kid-<nonce> three times and stops it with SIGINT. Passes when hello.py compiled,
# attached, printed the header and exited with status 0. Its output stays in hello.out for the
# check that follows.
. ./tracer.sh

nonce=$(tracer_nonce)
echo "$nonce" >hello.nonce
tracer_programs "kid-$nonce"

tracer_start hello.py hello.out hello.err python3 hello.py
# BCC compiles the C text with clang when the program starts: allow it half a minute.
tracer_wait_for '^PID' 30 "its header line" "its header line (PID COMM FILENAME)"

for _ in 1 2 3; do
	"./kid-$nonce"
done
# Ring buffer records reach Python on the next poll.
sleep 1

tracer_running || tracer_fail "hello.py exited by itself; it must keep polling until Ctrl-C (SIGINT)."
tracer_stop_with_sigint 5 "a KeyboardInterrupt raised while BCC runs your ring-buffer callback is dropped (\"Exception ignored on calling ctypes callback function\"): set a flag from a SIGINT handler (signal.signal) and leave the poll loop when it is set." \
	"let SIGINT end the poll loop and the program return normally."
echo "hello.py compiled, attached, printed its header and stopped cleanly on SIGINT"
