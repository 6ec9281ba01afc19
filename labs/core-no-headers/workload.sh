#!/bin/sh
# Starts a parent named par-<nonce> (a copy of /bin/sh) that runs three children named
# kid-<nonce> (copies of true), so that every exec the checks look for is this run's own.
set -eu
nonce=$BPFLAB_NONCE
true_bin=/usr/bin/true
[ -x "$true_bin" ] || true_bin=/bin/true
cp "$true_bin" "./kid-$nonce"
cp /bin/sh "./par-$nonce"
trap 'rm -f "./kid-$nonce" "./par-$nonce"' EXIT
# The trailing ":" keeps the shell from replacing itself with the last child (exec without fork),
# which would make that child's parent the shell's parent instead.
"./par-$nonce" -c "./kid-$nonce; ./kid-$nonce; ./kid-$nonce; :"
