#!/bin/sh
# Judges the records of this run's programs (events.jsonl, one JSON record per line): each must
# carry a real pid, a different one per program, and the name of the process that called execve,
# which is the workload script, not the program being started.
set -u
: "${BPFLAB_NONCE:?the grader sets BPFLAB_NONCE}"

ours=$(grep -E "\"filename\":\"[^\"]*/hx-$BPFLAB_NONCE-[1-5]\"" events.jsonl || true)
if [ -z "$ours" ]; then
	echo "FAIL: no record names a program of this run, so pid and comm cannot be judged"
	exit 1
fi

status=0
pids=$(printf '%s\n' "$ours" | sed -n 's/.*"pid":\([0-9]*\).*/\1/p')
if printf '%s\n' "$pids" | grep -qx '0'; then
	echo "FAIL: a record has pid 0; the pid is the upper 32 bits of bpf_get_current_pid_tgid()"
	status=1
fi
records=$(printf '%s\n' "$ours" | wc -l)
distinct=$(printf '%s\n' "$pids" | sort -u | wc -l)
if [ "$distinct" -ne "$records" ]; then
	echo "FAIL: $records records share $distinct pids; each program runs in a process of its own"
	status=1
fi
comms=$(printf '%s\n' "$ours" | sed -n 's/.*"comm":"\([^"]*\)".*/\1/p' | sort -u | tr '\n' ' ')
if [ "$comms" != "workload.sh " ]; then
	echo "FAIL: comm was '${comms% }' where the calling process is workload.sh; use bpf_get_current_comm()"
	status=1
fi
exit "$status"
