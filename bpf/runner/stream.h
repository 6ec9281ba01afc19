/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The run loop: ring buffer records and trace_pipe lines become JSON lines until SIGINT, SIGTERM,
 * SIGHUP, stdin EOF or the deadline; then the ring buffers are drained.
 */
#ifndef BPFLAB_STREAM_H
#define BPFLAB_STREAM_H

#include <bpf/libbpf.h>

#include "json.h"
#include "map_watch.h"
#include "run.h"

struct stream;

/* The context of one ring buffer map's callback. */
struct ringbuf_source {
	struct stream *stream;
	const char *map_name;
};

struct stream {
	struct ring_buffer *rb; /* NULL when the object has no ring buffer */
	struct ringbuf_source *sources;
	size_t nsources;
	int trace_fd;           /* trace_pipe, or -1 */
	int signal_fd;          /* signalfd for the stop signals, blocked since stream_block_signals() */
	const struct btf *btf;
	__u32 event_type_id;    /* BTF type decoding ring buffer records, or 0 for hex */
	struct json *j;
	struct map_watch *watch; /* --map-every snapshots, or NULL */
	int output_error;       /* set when stdout could not be written: stop and fail the run */
};

/*
 * Blocks the stop signals for the whole process, so that a signal during open, load or attach is
 * held until the loop reads it instead of killing the runner before it cleans up. Returns the
 * signalfd, or -errno.
 */
int stream_block_signals(void);

/*
 * Prepares s (ring buffers of obj, trace_pipe when asked). On failure writes an
 * {"type":"error","stage":"run"} line and returns -1.
 */
int stream_open(struct stream *s, struct bpf_object *obj, const struct run_options *opts, struct json *j);

/* Streams until a stop condition; returns 0, or -1 after writing an error line. */
int stream_run(struct stream *s, const struct run_options *opts);

/* Consumes whatever the ring buffers still hold. */
int stream_drain(struct stream *s);

void stream_close(struct stream *s);

#endif
