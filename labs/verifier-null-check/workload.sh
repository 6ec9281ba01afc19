#!/bin/sh
# verifier-null-check workload: a program named vn-<nonce> (a link to env) calls execve exactly
# three times, each time starting true by its full path (no PATH search, so no failed attempts).
set -eu
: "${BPFLAB_NONCE:?the grader sets BPFLAB_NONCE}"

mkdir -p bin
ln -sf /usr/bin/env "bin/vn-$BPFLAB_NONCE"
for _ in 1 2 3; do
	"./bin/vn-$BPFLAB_NONCE" /bin/true
done
