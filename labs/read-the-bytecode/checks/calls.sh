#!/bin/sh
# Question 1: the number of call instructions in the xlated program.
. "$(dirname "$0")/xlated.sh"
given=$(require_answer calls) || { echo "$given"; exit 1; }
xlated_dump
# Opcode 0x85 is BPF_JMP | BPF_CALL: helper calls, kernel function calls and BPF-to-BPF calls.
expected=$(grep -c '^ *[0-9][0-9]*: (85) call ' xlated.txt)
[ "$given" = "$expected" ] ||
	fail "answer.txt says calls = $given, but that is not what the xlated dump of this load shows. Count the instructions that read \`call\` in \`bpftool prog dump xlated\`, not the calls in the source."
echo "calls = $given matches the xlated dump"
