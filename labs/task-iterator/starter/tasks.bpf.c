// SPDX-License-Identifier: Apache-2.0
/* A task iterator: one line per process (thread group) of the machine, with its name, how many
 * threads it has and its parent's name. ./tasks creates the iterator and prints what it reads. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("iter/task")
int list_tasks(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;

	/* The iterator calls once more after the last task, with task == NULL. */
	if (!task)
		return 0;

	/* TODO 1: this prints every thread. Print one line per process: only the thread group's
	 *         leader, the task whose pid equals its tgid. */

	/* TODO 2: print "<comm> threads=<n> parent=<parent's comm>": the thread count is in the
	 *         task's signal_struct (task->signal->nr_threads), the parent is task->real_parent. */
	BPF_SEQ_PRINTF(seq, "%s\n", task->comm);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
