# Sourced by the read-the-bytecode checks (POSIX sh, run in the lab's run directory).
#
# Loads lastexec.bpf.o into a private directory on the BPF filesystem, keeps the xlated dump of
# its program, with source lines, in xlated.txt, and unloads it again. The first check to run
# makes the dump and the others read the same file, so all answers are judged against one load.
# Nothing here knows an answer: every expected value is computed from that dump.

PATH=$PATH:/usr/sbin:/sbin
PROGRAM=track_exec
# Loading BPF and reading xlated code need root: sudo when the check is not.
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO="sudo -n"

fail() {
	echo "FAIL: $*"
	exit 1
}

xlated_dump() {
	[ -s xlated.txt ] && return 0
	pin=$($SUDO mktemp -d /sys/fs/bpf/rtbXXXXXX 2>/dev/null) ||
		fail "could not create a directory in /sys/fs/bpf; is the BPF filesystem mounted there?"
	if ! $SUDO bpftool prog loadall lastexec.bpf.o "$pin" >bpftool.log 2>&1; then
		$SUDO rm -rf "$pin"
		echo "FAIL: bpftool could not load lastexec.bpf.o:"
		tail -n 5 bpftool.log | sed 's/^/  /'
		exit 1
	fi
	$SUDO bpftool prog dump xlated pinned "$pin/$PROGRAM" linum >xlated.tmp 2>>bpftool.log
	status=$?
	# Unpinning drops the last reference: the kernel frees the program and its maps.
	$SUDO rm -rf "$pin"
	if [ "$status" -ne 0 ] || [ ! -s xlated.tmp ]; then
		echo "FAIL: bpftool prog dump xlated failed:"
		tail -n 5 bpftool.log | sed 's/^/  /'
		exit 1
	fi
	mv xlated.tmp xlated.txt
}

# The learner's value for a key in answer.txt: the first word after "key =", with anything from
# a "#" on dropped, so that a pasted "name#12345" from the dump counts as "name".
answer() {
	sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" answer.txt | head -n 1 | sed 's/[[:space:]#].*//'
}

# Fails unless answer.txt has a value for the key; prints it.
require_answer() {
	[ -f answer.txt ] || fail "answer.txt is missing."
	value=$(answer "$1")
	[ -n "$value" ] || fail "answer.txt has no value after \"$1 =\"."
	printf '%s\n' "$value"
}
