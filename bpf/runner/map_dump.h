/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The final dump: one {"type":"map"} line per map of the object, entries decoded through the map's
 * BTF key and value types. Ring buffers are streamed instead, and .kconfig is the kernel's, not
 * the program's. Per-CPU maps give each entry's value as an array with one element per CPU.
 */
#ifndef BPFLAB_MAP_DUMP_H
#define BPFLAB_MAP_DUMP_H

#include <bpf/libbpf.h>
#include <stdbool.h>

#include "json.h"

/* Returns 0, or -1 after writing an {"type":"error","stage":"dump"} line. */
int dump_maps(struct bpf_object *obj, unsigned long limit, struct json *j);

/* Whether the dump shows this map: not ring buffers, .kconfig or libbpf's USDT maps. */
bool map_dumped(const struct bpf_map *map);

/*
 * Writes the map's fields (name, map_type, sizes, max_entries, at most `limit` entries, truncated)
 * into the object j has open. Returns 0, or -errno with j left mid-object (json_reset it).
 */
int map_dump_write(struct json *j, const struct bpf_map *map, const struct btf *btf, unsigned long limit);

/* The map's name as the learner wrote it: ".bss" rather than libbpf's "hello_bp.bss". */
const char *map_display_name(const struct bpf_map *map);

#endif
