# Sourced by the env-check checks (POSIX sh, run in the lab's run directory), one per item.
#
# An item passes when this machine has it and the learner's check-env.sh reports it right twice:
# "ok" on this machine, and "missing" on a pretend machine where BTF, BPFTOOL, CLANG and MOUNTS
# all point at nothing. Whether the machine has the item is decided here, independently.

PATH=$PATH:/usr/sbin:/sbin

fail() {
	echo "FAIL: $*"
	exit 1
}

# What check-env.sh said about item $1 in output file $2, without the "item:" prefix.
reported() {
	sed -n "s/^$1:[[:space:]]*//p" "$2" | head -n 1
}

has_fs_type() {
	awk -v type="$1" '$3 == type { found = 1 } END { exit !found }' /proc/self/mounts
}

present() {
	case $1 in
	btf) [ -r /sys/kernel/btf/vmlinux ] ;;
	bpftool) bpftool version >/dev/null 2>&1 ;;
	clang) echo 'int bpflab_probe;' | clang -target bpf -x c -c - -o /dev/null 2>/dev/null ;;
	tracefs) has_fs_type tracefs ;;
	bpffs) has_fs_type bpf ;;
	esac
}

# What a learner on a machine without item $1 should do.
how_to_fix() {
	case $1 in
	btf) echo "this kernel has no /sys/kernel/btf/vmlinux: it was built without CONFIG_DEBUG_INFO_BTF=y. Use a kernel with BTF (Ubuntu 20.10 and later, Debian 11 and later, WSL 5.15 and later) or the bpflab Lima VM." ;;
	bpftool) echo "bpftool does not run on this machine. Install it (Debian: apt install bpftool; Ubuntu: apt install linux-tools-common linux-tools-\$(uname -r)) or build it from github.com/libbpf/bpftool." ;;
	clang) echo "clang cannot compile for the BPF target here. Install clang and llvm (apt install clang llvm)." ;;
	tracefs) echo "tracefs is not mounted. Mount it: sudo mount -t tracefs tracefs /sys/kernel/tracing" ;;
	bpffs) echo "the BPF filesystem is not mounted. Mount it: sudo mount -t bpf bpf /sys/fs/bpf" ;;
	esac
}

# How the pretend machine hides item $1, in words.
hidden_by() {
	case $1 in
	btf) echo "BTF=/nonexistent/vmlinux" ;;
	bpftool) echo "BPFTOOL=/nonexistent/bpftool" ;;
	clang) echo "CLANG=/nonexistent/clang" ;;
	*) echo "MOUNTS pointing at a mount table without $1" ;;
	esac
}

# Runs check-env.sh on this machine and on the pretend one, once per grading run.
run_learner_script() {
	[ -f check-env.sh ] || fail "check-env.sh is missing."
	[ -f env-here.out ] || sh ./check-env.sh >env-here.out 2>/dev/null
	if [ ! -f env-nowhere.out ]; then
		printf 'proc /proc proc rw 0 0\nsysfs /sys sysfs rw 0 0\n' >mounts-nowhere
		BTF=/nonexistent/vmlinux BPFTOOL=/nonexistent/bpftool CLANG=/nonexistent/clang \
			MOUNTS="$PWD/mounts-nowhere" sh ./check-env.sh >env-nowhere.out 2>/dev/null
	fi
}

check_item() {
	item=$1
	run_learner_script
	said=$(reported "$item" env-here.out)
	[ -n "$said" ] ||
		fail "check-env.sh printed no line starting with \"$item:\"; it needs one, \"$item: ok ...\" or \"$item: missing ...\"."
	present "$item" || fail "$(how_to_fix "$item")"
	case $said in
	ok*) ;;
	*) fail "this machine has $item, but check-env.sh reported \"$item: $said\"." ;;
	esac
	said=$(reported "$item" env-nowhere.out)
	case $said in
	missing*) ;;
	*) fail "with $(hidden_by "$item"), check-env.sh reported \"$item: ${said:-(no line)}\"; it must say \"$item: missing\" when what it looks for is not there." ;;
	esac
	echo "$item: present here, and check-env.sh reports it right with and without it"
}
