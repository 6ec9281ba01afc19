/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Attaching every loaded program to the target its section names, and undoing all of it.
 * Everything attached is recorded in struct attachments as it happens, so detach_all() after a
 * partial failure removes exactly what was made and nothing else.
 */
#ifndef BPFLAB_ATTACH_H
#define BPFLAB_ATTACH_H

#include <bpf/libbpf.h>
#include <stddef.h>

#include "json.h"
#include "run.h"

struct tc_filter {
	struct bpf_tc_hook hook;
	struct bpf_tc_opts opts;
};

/* An iterator's link, and its program for naming its output. */
struct iter_link {
	struct bpf_link *link;
	const struct bpf_program *prog;
};

struct attachments {
	struct bpf_link **links; /* tracing, uprobe, perf_event (each owns its perf fd) */
	size_t nlinks;
	struct iter_link *iters; /* BPF iterators (SEC("iter/…")), read when the run stops */
	size_t niters;
	int *xdp_links;          /* bpf_link fds: closing one detaches its XDP program */
	size_t nxdp;
	struct tc_filter *filters;
	size_t nfilters;
	int *clsact_ifindexes;   /* clsact qdiscs this run created, destroyed on detach */
	size_t nclsact;
};

/*
 * Attaches every program of a loaded object, writing an {"type":"attached"} line per program.
 * On the first failure writes an {"type":"error","stage":"attach"} line and returns -1.
 */
int attach_all(struct attachments *a, struct bpf_object *obj, const struct run_options *opts, struct json *j);

/*
 * Runs every iterator once and writes each line of its output as {"type":"iter","program":…,
 * "line":…}; a read that fails, or output beyond ITER_MAX_BYTES, is a {"type":"warning"} line.
 * Returns -errno only when stdout cannot be written.
 */
int read_iterators(struct attachments *a, struct json *j);

/* Detaches and frees everything in a; safe on a zeroed or partially filled struct. */
void detach_all(struct attachments *a);

#endif
