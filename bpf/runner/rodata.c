// SPDX-License-Identifier: Apache-2.0
#include "rodata.h"

#include <bpf/btf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map_dump.h"

/* The object's .rodata map: internal, displayed as `.rodata` (not `.rodata.str1.1`). */
static struct bpf_map *rodata_map(struct bpf_object *obj)
{
	struct bpf_map *map;
	bpf_object__for_each_map(map, obj)
	{
		if (bpf_map__is_internal(map) && strcmp(map_display_name(map), ".rodata") == 0)
			return map;
	}
	return NULL;
}

/* The variable's place in .rodata's DATASEC, or NULL. */
static const struct btf_var_secinfo *find_var(const struct btf *btf, const char *name)
{
	__s32 sec_id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (sec_id < 0)
		return NULL;
	const struct btf_type *sec = btf__type_by_id(btf, sec_id);
	const struct btf_var_secinfo *vs = btf_var_secinfos(sec);
	for (__u16 i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);
		if (strcmp(btf__name_by_offset(btf, var->name_off), name) == 0)
			return vs;
	}
	return NULL;
}

/* An integer of `bytes` bytes, signed or not, from text; false when it is no number or does not fit. */
static bool parse_int(const char *text, size_t bytes, bool is_signed, __u64 *out)
{
	char *end;
	errno = 0;
	if (is_signed) {
		long long v = strtoll(text, &end, 0);
		long long max = bytes >= 8 ? INT64_MAX : (1LL << (bytes * 8 - 1)) - 1;
		if (errno || *end || end == text || v > max || v < -max - 1)
			return false;
		*out = (__u64)v;
	} else {
		if (text[0] == '-')
			return false;
		unsigned long long v = strtoull(text, &end, 0);
		if (errno || *end || end == text || (bytes < 8 && v >> (bytes * 8)))
			return false;
		*out = v;
	}
	return true;
}

/* v in `bytes` bytes of the host's byte order, which `clang -target bpf` compiled for. */
static void store_int(char *slot, size_t bytes, __u64 v)
{
	__u8 u8 = v;
	__u16 u16 = v;
	__u32 u32 = v;
	switch (bytes) {
	case 1: memcpy(slot, &u8, 1); break;
	case 2: memcpy(slot, &u16, 2); break;
	case 4: memcpy(slot, &u32, 4); break;
	default: memcpy(slot, &v, 8); break;
	}
}

/* Writes value into slot, the variable vs of .rodata, by its BTF type; -1 with why when it cannot. */
static int store_value(const struct btf *btf, const struct btf_var_secinfo *vs, const char *name,
		       const char *value, char *slot, char *msg, size_t size)
{
	const struct btf_type *var = btf__type_by_id(btf, vs->type);
	__s32 type_id = btf__resolve_type(btf, var->type); /* past const, volatile and typedefs */
	const struct btf_type *t = type_id < 0 ? NULL : btf__type_by_id(btf, type_id);

	if (t && btf_is_array(t)) {
		const struct btf_array *a = btf_array(t);
		const struct btf_type *elem = btf__type_by_id(btf, btf__resolve_type(btf, a->type));
		if (elem && btf_is_int(elem) && elem->size == 1) {
			size_t len = strlen(value);
			if (len >= a->nelems) {
				snprintf(msg, size, "'%s' holds at most %u characters, and '%s' has %zu", name,
					 a->nelems - 1, value, len);
				return -1;
			}
			memset(slot, 0, a->nelems);
			memcpy(slot, value, len);
			return 0;
		}
	}
	if (t && (btf_is_int(t) || btf_is_enum(t)) && t->size <= 8) {
		bool is_bool = btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_BOOL);
		bool is_signed = btf_is_int(t) ? (btf_int_encoding(t) & BTF_INT_SIGNED) : btf_kflag(t);
		__u64 v;
		if (is_bool && (strcmp(value, "true") == 0 || strcmp(value, "false") == 0))
			v = value[0] == 't';
		else if (!parse_int(value, t->size, is_signed, &v) || (is_bool && v > 1)) {
			snprintf(msg, size, "'%s' is a %u-byte %s%s, which cannot hold '%s'", name, t->size,
				 is_bool ? "bool" : is_signed ? "signed " : "unsigned ", is_bool ? "" : "integer",
				 value);
			return -1;
		}
		store_int(slot, t->size, v);
		return 0;
	}
	snprintf(msg, size, "'%s' is neither an integer, an enum, a bool nor a char array: bpflab cannot set it",
		 name);
	return -1;
}

int rodata_set(struct bpf_object *obj, const char *assignment, char *msg, size_t size)
{
	const char *eq = strchr(assignment, '=');
	char name[128];
	if (!eq || eq == assignment || (size_t)(eq - assignment) >= sizeof(name)) {
		snprintf(msg, size, "--rodata takes NAME=VALUE, not '%s'", assignment);
		return -1;
	}
	snprintf(name, sizeof(name), "%.*s", (int)(eq - assignment), assignment);
	const char *value = eq + 1;

	const struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map = rodata_map(obj);
	const struct btf_var_secinfo *vs = btf && map ? find_var(btf, name) : NULL;
	size_t data_size = 0;
	const void *initial = map ? bpf_map__initial_value(map, &data_size) : NULL;
	if (!vs || !initial || vs->offset + vs->size > data_size) {
		snprintf(msg, size,
			 "no `const volatile` global '%s' in the object's .rodata (declare it at file scope, "
			 "e.g. `const volatile int %s = 0;`)",
			 name, name);
		return -1;
	}
	/* The section's bytes, changed in a copy and set back: libbpf's API for "before load". */
	char *data = malloc(data_size);
	if (!data) {
		snprintf(msg, size, "out of memory setting '%s'", name);
		return -1;
	}
	memcpy(data, initial, data_size);
	int ret = store_value(btf, vs, name, value, data + vs->offset, msg, size);
	if (!ret && (ret = bpf_map__set_initial_value(map, data, data_size)))
		snprintf(msg, size, "setting '%s' failed: %s", name, strerror(-ret));
	free(data);
	return ret ? -1 : 0;
}
