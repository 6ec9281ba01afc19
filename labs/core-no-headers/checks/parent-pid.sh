#!/bin/sh
# Each kid-<nonce> event must carry, as ppid, the pid of the par-<nonce> exec from the same run.
# Pairs are matched by nonce, so events from other learners' runs on a shared kernel never mix.
[ -s events.jsonl ] || { echo "FAIL: the program submitted no events."; exit 1; }
awk '
	# The value of a top-level "name": number or "string" on a JSON line, quotes removed.
	function field(name,   re, v) {
		re = "\"" name "\"[ ]*:[ ]*"
		if (!match($0, re "(\"[^\"]*\"|-?[0-9]+)")) return ""
		v = substr($0, RSTART, RLENGTH)
		sub(re, "", v)
		gsub(/"/, "", v)
		return v
	}
	{
		comm = field("comm")
		if (comm ~ /^par-/) parent[substr(comm, 5)] = field("pid")
		else if (comm ~ /^kid-/) { kids++; nonce[kids] = substr(comm, 5); ppid[kids] = field("ppid") }
	}
	END {
		for (i = 1; i <= kids; i++) {
			if (!(nonce[i] in parent)) continue
			paired++
			if (ppid[i] != parent[nonce[i]]) {
				wrong++
				if (wrong == 1) example = "kid-" nonce[i] " reported ppid " ppid[i] " but par-" nonce[i] " had pid " parent[nonce[i]]
			}
		}
		if (paired == 0) { print "FAIL: no kid-<nonce> event has a matching par-<nonce> exec event."; exit 1 }
		if (wrong > 0) { print "FAIL: " wrong " of " paired " children carry the wrong parent pid: " example "."; exit 1 }
		print paired " children, each with its parent'"'"'s pid"
	}
' events.jsonl
