#!/bin/sh
# Runs the learner's ./loader filtered to the name kid-<nonce>, execs kid-<nonce> three times and
# odd-<nonce> once, then stops the loader with SIGINT. Passes when the loader attached, was still
# running when stopped and exited with status 0. Its output stays in loader.out for the checks
# that follow.
. ./tracer.sh

nonce=$(tracer_nonce)
echo "$nonce" >loader.nonce
tracer_programs "kid-$nonce" "odd-$nonce"

# Loading BPF needs root: tracer_start uses sudo when the check is not root.
tracer_start ./loader loader.out loader.err ./loader "kid-$nonce"
tracer_wait_for '^attached$' 10 '"attached"'

"./kid-$nonce"
"./kid-$nonce"
"./kid-$nonce"
"./odd-$nonce"
# Ring buffer records reach user space on the next poll; give it a few of its 100 ms timeouts.
sleep 0.5

tracer_running ||
	tracer_fail "./loader exited by itself after attaching; it must keep polling the ring buffer until Ctrl-C (SIGINT)."
tracer_stop_with_sigint 3 "leave the poll loop once stop is set." "it should clean up and return 0."
echo "./loader attached, kept running and exited cleanly on SIGINT"
