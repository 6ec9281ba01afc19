# Shared by the check scripts that run a learner's tracer the way a learner does: started as root,
# driven with execs of uniquely named programs, stopped with Ctrl-C. Sourced, not run:
#   . ./tracer.sh
# Every function that finds a fault prints "FAIL: ..." lines, stops the tracer and exits 1; the
# learner-facing wording is composed from the NAME given to tracer_start and the caller's text.

# tracer_nonce: prints the grader's run nonce, or a fresh one when the script is run by hand.
tracer_nonce() {
	echo "${BPFLAB_NONCE:-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')}"
}

# tracer_programs NAME...: copies true to ./NAME for each NAME, programs whose execs only this run
# makes, and removes them when the script exits (this takes the EXIT trap).
tracer_programs() {
	tracer_true=/usr/bin/true
	[ -x "$tracer_true" ] || tracer_true=/bin/true
	tracer_copies=
	for tracer_copy in "$@"; do
		cp "$tracer_true" "./$tracer_copy"
		tracer_copies="$tracer_copies ./$tracer_copy"
	done
	# The names are the caller's own nonce-named words, so splitting on spaces is safe.
	trap 'rm -f $tracer_copies' EXIT
}

# tracer_start NAME OUT ERR CMD...: runs CMD in the background as root (through sudo -n when the
# check is not), stdout to OUT and stderr to ERR. NAME is how the FAIL messages call it.
tracer_start() {
	tracer_name=$1
	tracer_out=$2
	tracer_err=$3
	shift 3
	# Emptied before the tracer starts, so that a ready line left over from an earlier run never
	# counts.
	: >"$tracer_out"
	# A background command of a non-interactive shell starts with SIGINT ignored (and Python then
	# never raises KeyboardInterrupt); env --default-signal=INT restores the default, around sudo
	# too, which must relay the signal, so that kill -INT acts like Ctrl-C.
	if [ "$(id -u)" -eq 0 ]; then
		env --default-signal=INT "$@" >"$tracer_out" 2>"$tracer_err" &
	else
		env --default-signal=INT sudo -n env --default-signal=INT "$@" >"$tracer_out" 2>"$tracer_err" &
	fi
	tracer_pid=$!
}

# tracer_running: succeeds while the tracer has not exited.
tracer_running() {
	kill -0 "$tracer_pid" 2>/dev/null
}

# tracer_fail MESSAGE...: prints MESSAGE and the end of the tracer's stderr as FAIL lines, stops
# the tracer and exits 1.
tracer_fail() {
	echo "FAIL: $*"
	if [ -s "$tracer_err" ]; then
		echo "FAIL: its stderr ends with:"
		tail -n 8 "$tracer_err" | sed 's/^/FAIL:   /'
	fi
	# SIGTERM first: sudo relays it to the tracer, which a SIGKILL of sudo would leave running.
	kill -TERM "$tracer_pid" 2>/dev/null && sleep 1
	kill -KILL "$tracer_pid" 2>/dev/null
	exit 1
}

# tracer_wait_for PATTERN SECONDS WHAT [WHAT_IN_FULL]: waits until a line of OUT matches the
# grep PATTERN. Fails when the tracer exits first ("NAME exited before it printed WHAT_IN_FULL.",
# where the exact line expected helps most) or after SECONDS ("NAME did not print WHAT within
# SECONDS seconds.").
tracer_wait_for() {
	tracer_tries=0
	until grep -q "$1" "$tracer_out"; do
		tracer_running || tracer_fail "$tracer_name exited before it printed ${4:-$3}."
		tracer_tries=$((tracer_tries + 1))
		[ "$tracer_tries" -le $(($2 * 10)) ] || tracer_fail "$tracer_name did not print $3 within $2 seconds."
		sleep 0.1
	done
}

# tracer_stop_with_sigint SECONDS LATE_HINT STATUS_HINT: sends SIGINT, as Ctrl-C does, and passes
# when the tracer then exits with status 0. Fails with "NAME was still running SECONDS seconds
# after SIGINT; LATE_HINT" or "NAME exited with status N after SIGINT; STATUS_HINT".
tracer_stop_with_sigint() {
	kill -INT "$tracer_pid"
	tracer_tries=0
	while tracer_running; do
		tracer_tries=$((tracer_tries + 1))
		[ "$tracer_tries" -le $(($1 * 10)) ] ||
			tracer_fail "$tracer_name was still running $1 seconds after SIGINT; $2"
		sleep 0.1
	done
	wait "$tracer_pid"
	tracer_status=$?
	[ "$tracer_status" -eq 0 ] || tracer_fail "$tracer_name exited with status $tracer_status after SIGINT; $3"
}
