#!/bin/sh
# verifier-budget workload: a program named vb-<nonce> (a link to env) calls execve exactly three
# times, each on a 200-character path (./bin/ and a 194-character link to true), so only a program
# that measures the whole path adds up 600.
set -eu
: "${BPFLAB_NONCE:?the grader sets BPFLAB_NONCE}"

long="./bin/$(printf '%194s' '' | tr ' ' p)"
mkdir -p bin
ln -sf /usr/bin/env "bin/vb-$BPFLAB_NONCE"
ln -sf /bin/true "$long"
for _ in 1 2 3; do
	"./bin/vb-$BPFLAB_NONCE" "$long"
done
