#!/bin/sh
# Question 2: what the verifier turned bpf_map_update_elem(&last_exec, ...) into.
. "$(dirname "$0")/xlated.sh"
given=$(require_answer update) || { echo "$given"; exit 1; }
xlated_dump
# The call instruction inside the source-line block (the "; ..." line from linum) of the update.
expected=$(awk '
	/^;/ { in_update = index($0, "bpf_map_update_elem(&last_exec") > 0; next }
	in_update && / \(85\) call / { sub(/.* \(85\) call /, ""); sub(/#.*/, ""); print; exit }
' xlated.txt)
[ -n "$expected" ] || fail "the xlated dump has no call on the line of bpf_map_update_elem(&last_exec, ...); the check cannot judge this kernel's answer."
[ "$given" = "$expected" ] ||
	fail "answer.txt says update = $given. Find the source line of bpf_map_update_elem(&last_exec, ...) in the dump made with \`linum\` and read the name after \`call\` below it."
echo "update = $given matches the xlated dump"
