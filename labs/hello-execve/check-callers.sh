#!/bin/sh
# Judges the records of this run's programs (events.jsonl, one JSON record per line): each must
# carry a real pid, a different one per program, and the name of the process that called execve,
# which is the workload script, not the program being started.
: "${BPFLAB_NONCE:?the grader sets BPFLAB_NONCE}"

exec awk -v nonce="$BPFLAB_NONCE" '
function field(line, name,    m) {
	if (match(line, "\"" name "\":(\"[^\"]*\"|[0-9]+)")) {
		m = substr(line, RSTART + length(name) + 3, RLENGTH - length(name) - 3)
		gsub(/"/, "", m)
		return m
	}
	return ""
}
field($0, "filename") ~ ("/hx-" nonce "-[1-5]$") {
	records++
	pid = field($0, "pid")
	if (pid == 0) zero++
	if (!(pid in pids)) distinct++
	pids[pid] = 1
	comm = field($0, "comm")
	if (comm != "workload.sh") wrong = comm
}
END {
	if (records == 0) {
		print "FAIL: no record names a program of this run, so pid and comm cannot be judged"
		exit 1
	}
	if (zero) print "FAIL: " zero " records have pid 0; the pid is the upper 32 bits of bpf_get_current_pid_tgid()"
	if (distinct != records) print "FAIL: " records " records share " distinct " pids; each program runs in a process of its own"
	if (wrong != "") print "FAIL: comm was \"" wrong "\" where the calling process is workload.sh; use bpf_get_current_comm()"
	exit (zero || distinct != records || wrong != "")
}' events.jsonl
