/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Live map snapshots (`run --map-every MS`): while the run streams, every MS milliseconds one
 * {"type":"maps","t_ms":…,"maps":[…]} line holds every dumped map but .rodata (constants), each
 * in the final dump's shape with at most --map-every-limit entries. Snapshots stop, after a
 * warning line, once they have written MAP_WATCH_MAX_BYTES, so a big map cannot fill the reader.
 */
#ifndef BPFLAB_MAP_WATCH_H
#define BPFLAB_MAP_WATCH_H

#include <bpf/libbpf.h>

#include "json.h"
#include "run.h"

#define MAP_WATCH_MAX_BYTES (8UL << 20)

struct map_watch;

/*
 * Sets *out to a watch whose first snapshot is due MS from now, or to NULL without --map-every.
 * Returns 0, or -1 after writing an {"type":"error","stage":"run"} line to j.
 */
int map_watch_open(struct map_watch **out, struct bpf_object *obj, const struct run_options *opts,
		   struct json *j);

/* The timer to poll: readable when a snapshot is due; -1 for a NULL watch. */
int map_watch_fd(const struct map_watch *w);

/* Writes the due snapshot. Returns 0, or -errno when stdout cannot be written. */
int map_watch_tick(struct map_watch *w);

void map_watch_close(struct map_watch *w);

#endif
