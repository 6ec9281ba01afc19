// SPDX-License-Identifier: GPL-2.0
/*
 * loader: runs execsnoop.bpf.c through its generated skeleton and prints one line per exec.
 * Usage: ./loader [NAME]   (with NAME, only execs of programs called NAME are reported)
 *
 * Check builds execsnoop.bpf.o, generates execsnoop.skel.h from it with `bpftool gen skeleton`,
 * and compiles this file against libbpf. Then it runs ./loader with a program name, execs a few
 * programs, and stops it with SIGINT (Ctrl-C).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <bpf/libbpf.h>
#include "execsnoop.h"
#include "execsnoop.skel.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Called by libbpf for each record in the ring buffer; keep this output format. */
static int handle_event(void *ctx, void *data, size_t size)
{
	const struct exec_event *e = data;

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	printf("exec pid=%d ppid=%d comm=%s\n", e->pid, e->ppid, e->comm);
	return 0;
}

int main(int argc, char **argv)
{
	struct ring_buffer *rb = NULL;
	struct execsnoop_bpf *skel;
	int err;

	/* One line at a time even when stdout is a file or a pipe, so readers see events live. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	skel = execsnoop_bpf__open();
	if (!skel) {
		fprintf(stderr, "failed to open BPF skeleton\n");
		return 1;
	}

	/* .rodata is writable only until load: afterwards the kernel freezes it. */
	if (argc > 1)
		snprintf(skel->rodata->target_comm, sizeof(skel->rodata->target_comm), "%s", argv[1]);

	err = execsnoop_bpf__load(skel);
	if (err) {
		fprintf(stderr, "failed to load BPF skeleton: %d\n", err);
		goto cleanup;
	}

	err = execsnoop_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "failed to attach BPF skeleton: %d\n", err);
		goto cleanup;
	}

	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), handle_event, NULL, NULL);
	if (!rb) {
		err = -errno;
		fprintf(stderr, "failed to create ring buffer: %d\n", err);
		goto cleanup;
	}

	printf("attached\n");
	while (!stop) {
		err = ring_buffer__poll(rb, 100 /* ms */);
		if (err == -EINTR) {
			err = 0;
			break;
		}
		if (err < 0) {
			fprintf(stderr, "error polling ring buffer: %d\n", err);
			break;
		}
		err = 0;
	}

cleanup:
	ring_buffer__free(rb);
	execsnoop_bpf__destroy(skel);
	return err < 0 ? -err : 0;
}
