#!/bin/sh
# hello-execve workload: starts five programs whose names exist only in this run,
# hx-<nonce>-1 … hx-<nonce>-5 (links to true), each exactly once and by path, so each is one
# execve call with a filename no other run (or learner) can produce.
set -eu
: "${BPFLAB_NONCE:?the grader sets BPFLAB_NONCE}"

mkdir -p bin
for i in 1 2 3 4 5; do
	ln -sf /bin/true "bin/hx-$BPFLAB_NONCE-$i"
done
for i in 1 2 3 4 5; do
	"./bin/hx-$BPFLAB_NONCE-$i"
done
