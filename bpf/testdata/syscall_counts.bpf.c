// SPDX-License-Identifier: GPL-2.0
/* getppid calls per (pid, comm): a hash map with struct key and value, and a per-CPU total. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct caller {
	__u32 pid;
	char comm[16];
};

struct usage {
	__u64 calls;
	__s32 last_ret_hint;
	__u8 flags[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct caller);
	__type(value, struct usage);
} calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} total SEC(".maps");

SEC("tp/syscalls/sys_enter_getppid")
int count_getppid(void *ctx)
{
	struct caller key = {.pid = bpf_get_current_pid_tgid() >> 32};
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	struct usage *u = bpf_map_lookup_elem(&calls, &key);
	if (u) {
		__sync_fetch_and_add(&u->calls, 1);
	} else {
		struct usage fresh = {.calls = 1, .last_ret_hint = -1, .flags = {1, 2, 3, 4}};
		bpf_map_update_elem(&calls, &key, &fresh, BPF_NOEXIST);
	}
	__u32 zero = 0;
	__u64 *t = bpf_map_lookup_elem(&total, &zero);
	if (t)
		*t += 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
