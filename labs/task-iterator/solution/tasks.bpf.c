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
	/* Every thread is a task; its group's leader has pid == tgid. */
	if (task->pid != task->tgid)
		return 0;
	BPF_SEQ_PRINTF(seq, "%s threads=%d parent=%s\n", task->comm, task->signal->nr_threads,
		       task->real_parent->comm);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
