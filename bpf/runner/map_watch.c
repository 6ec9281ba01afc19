// SPDX-License-Identifier: Apache-2.0
/*
 * Live map snapshots for `run --map-every MS` (map_watch.h): a timerfd the stream loop polls, and
 * on each expiry one "maps" line written with the final dump's own per-map writer.
 */
#include "map_watch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "map_dump.h"

struct map_watch {
	struct bpf_object *obj;
	int timer_fd;
	unsigned long entry_limit;
	struct timespec started;
	size_t written;   /* bytes of snapshot lines so far */
	struct json j;    /* its own: a snapshot is written between the stream's lines */
};

static long ms_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000L + (now.tv_nsec - start->tv_nsec) / 1000000L;
}

int map_watch_open(struct map_watch **out, struct bpf_object *obj, const struct run_options *opts,
		   struct json *j)
{
	*out = NULL;
	if (opts->map_every_ms <= 0)
		return 0;
	struct map_watch *w = calloc(1, sizeof(*w));
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	struct itimerspec every = {
		.it_interval = {.tv_sec = opts->map_every_ms / 1000, .tv_nsec = opts->map_every_ms % 1000 * 1000000L},
	};
	every.it_value = every.it_interval;
	int err = !w ? ENOMEM : fd < 0 ? errno : timerfd_settime(fd, 0, &every, NULL) ? errno : 0;
	if (err) {
		free(w);
		if (fd >= 0)
			close(fd);
		char msg[256];
		snprintf(msg, sizeof(msg), "starting --map-every snapshots: %s", strerror(err));
		json_error_line(j, "run", NULL, msg);
		return -1;
	}
	w->obj = obj;
	w->timer_fd = fd;
	w->entry_limit = opts->map_every_limit;
	clock_gettime(CLOCK_MONOTONIC, &w->started);
	*out = w;
	return 0;
}

int map_watch_fd(const struct map_watch *w)
{
	return w ? w->timer_fd : -1;
}

/* No more snapshots: the timer never fires again (it stays open, so the loop's poll set holds). */
static int stop_watching(struct map_watch *w, const char *why)
{
	struct itimerspec off = {0};
	timerfd_settime(w->timer_fd, 0, &off, NULL);
	char msg[512];
	snprintf(msg, sizeof(msg), "live map snapshots stopped: %s; the maps are still dumped when the run stops",
		 why);
	return json_warning_line(&w->j, msg);
}

int map_watch_tick(struct map_watch *w)
{
	__u64 expirations;
	if (read(w->timer_fd, &expirations, sizeof(expirations)) < 0)
		return 0; /* EAGAIN: not due after all */

	const struct btf *btf = bpf_object__btf(w->obj);
	struct json *j = &w->j;
	json_line_begin(j, "maps");
	json_kv_int(j, "t_ms", ms_since(&w->started));
	json_key(j, "maps");
	json_array_begin(j);
	struct bpf_map *map;
	bpf_object__for_each_map(map, w->obj)
	{
		/* Read-only data holds the program's constants: they never change during a run. */
		if (!map_dumped(map) || strncmp(map_display_name(map), ".rodata", strlen(".rodata")) == 0)
			continue;
		json_object_begin(j);
		int err = map_dump_write(j, map, btf, w->entry_limit);
		if (err) {
			json_reset(j);
			char why[256];
			snprintf(why, sizeof(why), "reading map '%s': %s", map_display_name(map), strerror(-err));
			return stop_watching(w, why);
		}
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
	w->written += j->len + 1;
	int err = json_emit(j);
	if (err || w->written < MAP_WATCH_MAX_BYTES)
		return err;
	char why[64];
	snprintf(why, sizeof(why), "they reached %lu MiB", MAP_WATCH_MAX_BYTES >> 20);
	return stop_watching(w, why);
}

void map_watch_close(struct map_watch *w)
{
	if (!w)
		return;
	close(w->timer_fd);
	json_free(&w->j);
	free(w);
}
