// SPDX-License-Identifier: Apache-2.0
#include "map_dump.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "btf_json.h"

/* The kernel's "operation not supported" (not in the UAPI errno headers). */
#ifndef ENOTSUPP
#define ENOTSUPP 524
#endif

static bool is_percpu(enum bpf_map_type type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

static bool is_array(enum bpf_map_type type)
{
	return type == BPF_MAP_TYPE_ARRAY || type == BPF_MAP_TYPE_PERCPU_ARRAY;
}

const char *map_display_name(const struct bpf_map *map)
{
	const char *name = bpf_map__name(map);
	if (!bpf_map__is_internal(map))
		return name;
	/* libbpf names internal maps <object prefix>.<section>, the prefix itself free of dots. */
	const char *dot = strchr(name, '.');
	return dot ? dot : name;
}

static int dump_error(struct json *j, const char *map, int err)
{
	char msg[256];
	snprintf(msg, sizeof(msg), "reading map '%s': %s", map, strerror(err < 0 ? -err : err));
	json_line_begin(j, "error");
	json_kv_string(j, "stage", "dump");
	json_kv_string(j, "message", msg);
	json_object_end(j);
	json_emit(j);
	return -1;
}

static void write_value(struct json *j, const struct btf *btf, __u32 type_id, const char *value,
			size_t value_size, int ncpus)
{
	if (ncpus <= 0) {
		btf_json_write(j, btf, type_id, value, value_size);
		return;
	}
	/* The kernel lays per-CPU values out 8-byte aligned, one after another. */
	size_t stride = (value_size + 7) & ~(size_t)7;
	json_array_begin(j);
	for (int cpu = 0; cpu < ncpus; cpu++)
		btf_json_write(j, btf, type_id, value + cpu * stride, value_size);
	json_array_end(j);
}

int map_dump_write(struct json *j, const struct bpf_map *map, const struct btf *btf, unsigned long limit)
{
	enum bpf_map_type type = bpf_map__type(map);
	int fd = bpf_map__fd(map);
	size_t key_size = bpf_map__key_size(map), value_size = bpf_map__value_size(map);
	int ncpus = is_percpu(type) ? libbpf_num_possible_cpus() : 0;
	if (ncpus < 0)
		return ncpus;
	size_t value_buf = ncpus ? ((value_size + 7) & ~(size_t)7) * ncpus : value_size;
	/* Zero-sized keys (queues, stacks) still need a valid pointer. */
	char *key = calloc(1, key_size + 1), *next = calloc(1, key_size + 1), *value = calloc(1, value_buf + 1);
	if (!key || !next || !value) {
		free(key), free(next), free(value);
		return -ENOMEM;
	}

	json_kv_string(j, "name", map_display_name(map));
	json_kv_string(j, "map_type", libbpf_bpf_map_type_str(type));
	json_kv_int(j, "key_size", key_size);
	json_kv_int(j, "value_size", value_size);
	json_kv_int(j, "max_entries", bpf_map__max_entries(map));
	json_key(j, "entries");
	json_array_begin(j);
	unsigned long count = 0;
	bool truncated = false;
	int err = 0;
	const void *prev = NULL;
	while ((err = bpf_map_get_next_key(fd, prev, next)) == 0) {
		if (count == limit) {
			truncated = true;
			break;
		}
		memcpy(key, next, key_size);
		prev = key;
		/* An entry deleted since get_next_key, or a map whose values user space cannot read. */
		if (bpf_map_lookup_elem(fd, key, value))
			continue;
		json_object_begin(j);
		json_key(j, "key");
		if (!bpf_map__btf_key_type_id(map) && is_array(type) && key_size == sizeof(__u32))
			json_uint(j, *(__u32 *)key); /* .bss, .data, .rodata: arrays without a key type */
		else
			btf_json_write(j, btf, bpf_map__btf_key_type_id(map), key, key_size);
		json_key(j, "value");
		write_value(j, btf, bpf_map__btf_value_type_id(map), value, value_size, ncpus);
		json_object_end(j);
		count++;
	}
	json_array_end(j);
	json_kv_bool(j, "truncated", truncated);
	free(key), free(next), free(value);
	/* ENOENT ends the iteration; EINVAL/ENOTSUPP mean the map type has no keys (queue, stack). */
	if (err && errno != ENOENT && errno != EINVAL && errno != ENOTSUPP && errno != EOPNOTSUPP)
		return -errno;
	return 0;
}

static int dump_map(const struct bpf_map *map, const struct btf *btf, unsigned long limit, struct json *j)
{
	json_line_begin(j, "map");
	int err = map_dump_write(j, map, btf, limit);
	if (err) {
		json_reset(j);
		return dump_error(j, bpf_map__name(map), err);
	}
	json_object_end(j);
	return json_emit(j) ? -1 : 0;
}

bool map_dumped(const struct bpf_map *map)
{
	enum bpf_map_type type = bpf_map__type(map);
	if (type == BPF_MAP_TYPE_RINGBUF || type == BPF_MAP_TYPE_USER_RINGBUF || bpf_map__fd(map) < 0)
		return false;
	/* libbpf's own: .kconfig values, and the USDT argument specs of <bpf/usdt.bpf.h>. */
	if (bpf_map__is_internal(map) && strcmp(map_display_name(map), ".kconfig") == 0)
		return false;
	return strncmp(bpf_map__name(map), "__bpf_usdt_", strlen("__bpf_usdt_")) != 0;
}

int dump_maps(struct bpf_object *obj, unsigned long limit, struct json *j)
{
	const struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map;
	bpf_object__for_each_map(map, obj)
	{
		if (map_dumped(map) && dump_map(map, btf, limit, j))
			return -1;
	}
	return 0;
}
