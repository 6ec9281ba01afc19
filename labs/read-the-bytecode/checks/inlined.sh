#!/bin/sh
# Question 3: the source line of the map lookup that left no call instruction.
. "$(dirname "$0")/xlated.sh"
given=$(require_answer inlined_line) || { echo "$given"; exit 1; }
xlated_dump
# Each "; <source> [file:... line_num:N ...]" line starts a block; a lookup's line counts as
# inlined when none of its blocks contains a call.
expected=$(awk '
	/^;/ {
		line = ""
		if (index($0, "bpf_map_lookup_elem(") && match($0, /line_num:[0-9]+/)) {
			line = substr($0, RSTART + 9, RLENGTH - 9)
			lookup[line] = 1
		}
		next
	}
	line != "" && / \(85\) call / { called[line] = 1 }
	END { for (l in lookup) if (!(l in called)) print l }
' xlated.txt | sort -n | tr '\n' ' ' | sed 's/ $//')
[ -n "$expected" ] || expected=none
[ "$given" = "$expected" ] ||
	fail "answer.txt says inlined_line = $given. Look for the lookup whose source line in the \`linum\` dump is followed by plain loads and arithmetic instead of a \`call\`, and give the line_num shown there."
echo "inlined_line = $given matches the xlated dump"
