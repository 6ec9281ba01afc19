// SPDX-License-Identifier: GPL-2.0
/* A task iterator: one line per task of the process named by `comm_prefix`, with its pid. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

const volatile char comm_prefix[16] = "";

SEC("iter/task")
int list_tasks(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;
	if (!task)
		return 0;
	for (int i = 0; i < sizeof(comm_prefix) && comm_prefix[i]; i++)
		if (task->comm[i] != comm_prefix[i])
			return 0;
	BPF_SEQ_PRINTF(seq, "task %d %s\n", task->tgid, task->comm);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
