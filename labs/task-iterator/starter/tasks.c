// SPDX-License-Identifier: Apache-2.0
/* tasks: load tasks.bpf.o through its skeleton, create a task iterator from its program and copy
 * everything the iterator writes to stdout. Each read() runs the program over the next tasks;
 * read() returns 0 once every task of the machine has been visited.
 *
 *   usage: tasks */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "tasks.skel.h"

int main(void)
{
	struct tasks_bpf *skel = tasks_bpf__open_and_load();
	struct bpf_link *link = NULL;
	char buf[4096];
	ssize_t n;
	int fd = -1, err = 1;

	if (!skel) {
		fprintf(stderr, "tasks: cannot load tasks.bpf.o: %s\n", strerror(errno));
		return 1;
	}
	/* An iterator program is attached to nothing: its link is what new iterators are made from. */
	link = bpf_program__attach_iter(skel->progs.list_tasks, NULL);
	if (!link) {
		fprintf(stderr, "tasks: cannot attach the iterator: %s\n", strerror(errno));
		goto cleanup;
	}
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		fprintf(stderr, "tasks: cannot create an iterator: %s\n", strerror(errno));
		goto cleanup;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	if (n < 0) {
		fprintf(stderr, "tasks: reading the iterator failed: %s\n", strerror(errno));
		goto cleanup;
	}
	err = 0;
cleanup:
	if (fd >= 0)
		close(fd);
	bpf_link__destroy(link);
	tasks_bpf__destroy(skel);
	return err;
}
