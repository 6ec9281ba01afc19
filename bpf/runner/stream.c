// SPDX-License-Identifier: Apache-2.0
#include "stream.h"

#include <bpf/btf.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "btf_json.h"

/* Tried in order; tracefs moved from debugfs to its own mount in Linux 4.1. */
static const char *const trace_pipes[] = {"/sys/kernel/tracing/trace_pipe",
					  "/sys/kernel/debug/tracing/trace_pipe"};

static int run_error(struct json *j, const char *fmt, const char *arg, int err)
{
	char msg[512];
	int n = snprintf(msg, sizeof(msg), fmt, arg);
	if (err && n > 0 && (size_t)n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - n, ": %s", strerror(err < 0 ? -err : err));
	json_line_begin(j, "error");
	json_kv_string(j, "stage", "run");
	json_kv_string(j, "message", msg);
	json_object_end(j);
	json_emit(j);
	return -1;
}

int stream_block_signals(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -errno;
	/* A reader that goes away must not kill us before cleanup; the write error stops the run. */
	signal(SIGPIPE, SIG_IGN);
	int fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return fd < 0 ? -errno : fd;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct ringbuf_source *src = ctx;
	struct stream *s = src->stream;
	json_line_begin(s->j, "event");
	json_kv_string(s->j, "map", src->map_name);
	json_key(s->j, "data");
	btf_json_write(s->j, s->btf, s->event_type_id, data, size);
	json_object_end(s->j);
	int err = json_emit(s->j);
	if (err) {
		s->output_error = err;
		return err; /* stops ring_buffer__poll/consume */
	}
	return 0;
}

static int open_ringbufs(struct stream *s, struct bpf_object *obj, struct json *j)
{
	struct bpf_map *map;
	size_t n = 0;
	bpf_object__for_each_map(map, obj)
		n += bpf_map__type(map) == BPF_MAP_TYPE_RINGBUF;
	if (!n)
		return 0;
	s->sources = calloc(n, sizeof(*s->sources));
	if (!s->sources)
		return run_error(j, "%s", "allocating ring buffer sources", ENOMEM);
	bpf_object__for_each_map(map, obj)
	{
		if (bpf_map__type(map) != BPF_MAP_TYPE_RINGBUF)
			continue;
		struct ringbuf_source *src = &s->sources[s->nsources++];
		*src = (struct ringbuf_source){.stream = s, .map_name = bpf_map__name(map)};
		int err = s->rb ? ring_buffer__add(s->rb, bpf_map__fd(map), on_record, src) : 0;
		if (!s->rb) {
			s->rb = ring_buffer__new(bpf_map__fd(map), on_record, src, NULL);
			err = s->rb ? 0 : -errno;
		}
		if (err)
			return run_error(j, "opening ring buffer '%s'", bpf_map__name(map), err);
	}
	return 0;
}

/*
 * The record type named by --event-type, looked up as a struct, then a typedef. A type the BTF
 * lacks never fails the run: the records are then written as hex, after a warning line.
 */
static int resolve_event_type(struct stream *s, struct bpf_object *obj, const char *name, struct json *j)
{
	s->btf = bpf_object__btf(obj);
	if (!name)
		return 0;
	__s32 id = s->btf ? btf__find_by_name_kind(s->btf, name, BTF_KIND_STRUCT) : -ENOENT;
	if (id < 0 && s->btf)
		id = btf__find_by_name_kind(s->btf, name, BTF_KIND_TYPEDEF);
	if (id >= 0) {
		s->event_type_id = id;
		return 0;
	}
	char msg[512];
	snprintf(msg, sizeof(msg),
		 "--event-type: no struct '%s' in the object's BTF, so ring buffer records are shown as hex. "
		 "clang keeps only types reachable from globals: build with lab.mk's EVENT_TYPE=%s, or add "
		 "BPFLAB_EVENT_TYPE(%s); (bpflab.h) at file scope",
		 name, name, name);
	return json_warning_line(j, msg) ? -1 : 0;
}

int stream_open(struct stream *s, struct bpf_object *obj, const struct run_options *opts, struct json *j)
{
	s->j = j;
	s->trace_fd = -1;
	if (resolve_event_type(s, obj, opts->event_type, j) || open_ringbufs(s, obj, j))
		return -1;
	if (opts->trace_pipe) {
		int err = ENOENT;
		for (size_t i = 0; i < sizeof(trace_pipes) / sizeof(trace_pipes[0]) && s->trace_fd < 0; i++) {
			s->trace_fd = open(trace_pipes[i], O_RDONLY | O_NONBLOCK | O_CLOEXEC);
			err = errno;
		}
		if (s->trace_fd < 0)
			return run_error(j, "%s", "opening trace_pipe (is tracefs mounted at /sys/kernel/tracing?)",
					 err);
	}
	return 0;
}

/* Emits every complete line in buf as a trace line; keeps a partial line for the next read. */
static void emit_trace_lines(struct stream *s, char *buf, size_t *len, bool flush_partial)
{
	int err = json_emit_text_lines(s->j, "trace", NULL, buf, len, flush_partial);
	if (err)
		s->output_error = err;
}

static int read_trace(struct stream *s, char *buf, size_t cap, size_t *len, bool flush_partial)
{
	for (;;) {
		/* A line longer than the buffer is cut into pieces rather than dropped. */
		if (*len == cap)
			emit_trace_lines(s, buf, len, true);
		ssize_t n = read(s->trace_fd, buf + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0)
			return n < 0 ? -errno : 0;
		*len += n;
		emit_trace_lines(s, buf, len, false);
	}
	if (flush_partial)
		emit_trace_lines(s, buf, len, true);
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int stream_run(struct stream *s, const struct run_options *opts)
{
	enum { RB, TRACE, STDIN, SIGNALS, WATCH };
	struct pollfd fds[] = {
		[RB] = {.fd = s->rb ? ring_buffer__epoll_fd(s->rb) : -1, .events = POLLIN},
		[TRACE] = {.fd = s->trace_fd, .events = POLLIN},
		[STDIN] = {.fd = opts->ignore_stdin ? -1 : STDIN_FILENO, .events = POLLIN},
		[SIGNALS] = {.fd = s->signal_fd, .events = POLLIN},
		[WATCH] = {.fd = map_watch_fd(s->watch), .events = POLLIN},
	};
	char trace_buf[8192];
	size_t trace_len = 0;
	long deadline = opts->duration_ms >= 0 ? now_ms() + opts->duration_ms : -1;

	while (!s->output_error) {
		int timeout = -1;
		if (deadline >= 0) {
			long left = deadline - now_ms();
			if (left <= 0)
				break;
			timeout = (int)left;
		}
		int n = poll(fds, sizeof(fds) / sizeof(fds[0]), timeout);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return run_error(s->j, "%s", "poll", errno);
		if (fds[SIGNALS].revents)
			break;
		if (fds[RB].revents) {
			int err = ring_buffer__consume(s->rb);
			if (err < 0 && !s->output_error)
				return run_error(s->j, "%s", "reading ring buffers", err);
		}
		if (fds[TRACE].revents) {
			int err = read_trace(s, trace_buf, sizeof(trace_buf), &trace_len, false);
			if (err)
				return run_error(s->j, "%s", "reading trace_pipe", err);
		}
		if (fds[WATCH].revents) {
			int err = map_watch_tick(s->watch);
			if (err)
				s->output_error = err;
		}
		if (fds[STDIN].revents & POLLNVAL) {
			fds[STDIN].fd = -1; /* no stdin at all: only signals and the deadline stop us */
		} else if (fds[STDIN].revents) {
			char discard[512];
			ssize_t r = read(STDIN_FILENO, discard, sizeof(discard));
			if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN))
				break; /* EOF: the caller's way to say "stop" when it cannot signal */
		}
	}
	if (s->trace_fd >= 0)
		read_trace(s, trace_buf, sizeof(trace_buf), &trace_len, true);
	if (s->output_error)
		return -1;
	return 0;
}

int stream_drain(struct stream *s)
{
	if (!s->rb)
		return 0;
	int err = ring_buffer__consume(s->rb);
	if (err < 0 && !s->output_error)
		return run_error(s->j, "%s", "draining ring buffers", err);
	return s->output_error ? -1 : 0;
}

void stream_close(struct stream *s)
{
	ring_buffer__free(s->rb);
	free(s->sources);
	if (s->trace_fd >= 0)
		close(s->trace_fd);
	s->rb = NULL;
	s->sources = NULL;
	s->trace_fd = -1;
}
