// SPDX-License-Identifier: Apache-2.0
#include "btf_json.h"

#include <string.h>

/* Deeper nesting than this is not a real BPF data layout; bail out to hex rather than recurse. */
#define MAX_DEPTH 32

static void write_type(struct json *j, const struct btf *btf, __u32 id, const void *data, size_t avail,
		       int depth);

/* Reads nr_bits at bit_off from little-endian data, sign-extending when asked. */
static __u64 read_bits(const void *data, size_t avail, __u32 bit_off, __u32 nr_bits, bool is_signed,
		       __s64 *as_signed)
{
	unsigned char bytes[16] = {0};
	size_t first = bit_off / 8;
	size_t n = (bit_off % 8 + nr_bits + 7) / 8;
	if (n > sizeof(bytes))
		n = sizeof(bytes);
	if (first + n > avail)
		n = first < avail ? avail - first : 0;
	memcpy(bytes, (const unsigned char *)data + first, n);
	__u64 v = 0;
	for (size_t i = 0; i < 8; i++)
		v |= (__u64)bytes[i] << (8 * i);
	/* The spill-over byte of a field that straddles eight bytes. */
	unsigned shift = bit_off % 8;
	if (shift)
		v = (v >> shift) | ((__u64)bytes[8] << (64 - shift));
	if (nr_bits < 64)
		v &= (1ULL << nr_bits) - 1;
	if (is_signed && nr_bits > 0 && nr_bits < 64 && (v >> (nr_bits - 1)) & 1)
		*as_signed = (__s64)(v | ~((1ULL << nr_bits) - 1));
	else
		*as_signed = (__s64)v;
	return v;
}

/* encoding: BTF_INT_SIGNED / BTF_INT_BOOL bits of an INT type (0 for unsigned, enums included). */
static void write_int_bits(struct json *j, __u8 encoding, const void *data, size_t avail, __u32 bit_off,
			   __u32 nr_bits)
{
	if (nr_bits > 64) { /* __int128 */
		json_hex(j, (const char *)data + bit_off / 8, nr_bits / 8);
		return;
	}
	__s64 s;
	__u64 u = read_bits(data, avail, bit_off, nr_bits, encoding & BTF_INT_SIGNED, &s);
	if (encoding & BTF_INT_BOOL)
		json_bool(j, u != 0);
	else if (encoding & BTF_INT_SIGNED)
		json_int(j, s);
	else
		json_uint(j, u);
}

static bool is_char(const struct btf *btf, const struct btf_type *t)
{
	if (!btf_is_int(t) || t->size != 1)
		return false;
	const char *name = btf__name_by_offset(btf, t->name_off);
	return (btf_int_encoding(t) & BTF_INT_CHAR) || (name && strcmp(name, "char") == 0);
}

/* The caller checked that data holds the whole array. */
static void write_array(struct json *j, const struct btf *btf, const struct btf_type *t, const void *data,
			int depth)
{
	const struct btf_array *a = btf_array(t);
	__u32 elem_id = btf__resolve_type(btf, a->type);
	const struct btf_type *elem = btf__type_by_id(btf, elem_id);
	if (elem && is_char(btf, elem)) {
		json_string_n(j, data, strnlen(data, a->nelems));
		return;
	}
	__s64 elem_size = btf__resolve_size(btf, a->type);
	json_array_begin(j);
	for (__u32 i = 0; elem_size > 0 && i < a->nelems; i++)
		write_type(j, btf, a->type, (const char *)data + i * elem_size, elem_size, depth + 1);
	json_array_end(j);
}

/* Members of a struct or union; anonymous struct/union members are flattened into the parent. */
static void write_members(struct json *j, const struct btf *btf, const struct btf_type *t, const void *data,
			  size_t avail, int depth)
{
	const struct btf_member *m = btf_members(t);
	for (__u16 i = 0; i < btf_vlen(t); i++, m++) {
		const char *name = btf__name_by_offset(btf, m->name_off);
		__u32 bit_off = btf_member_bit_offset(t, i);
		__u32 bitfield = btf_member_bitfield_size(t, i);
		__u32 mid = btf__resolve_type(btf, m->type);
		const struct btf_type *mt = btf__type_by_id(btf, mid);
		if ((!name || !*name) && mt && (btf_is_struct(mt) || btf_is_union(mt))) {
			write_members(j, btf, mt, (const char *)data + bit_off / 8, avail - bit_off / 8, depth + 1);
			continue;
		}
		json_key(j, name && *name ? name : "(anonymous)");
		if (bitfield)
			write_int_bits(j, mt && btf_is_int(mt) ? btf_int_encoding(mt) : 0, data, avail, bit_off,
				       bitfield);
		else
			write_type(j, btf, m->type, (const char *)data + bit_off / 8, avail - bit_off / 8, depth + 1);
	}
}

static void write_datasec(struct json *j, const struct btf *btf, const struct btf_type *t, const void *data,
			  size_t avail, int depth)
{
	const struct btf_var_secinfo *v = btf_var_secinfos(t);
	json_object_begin(j);
	for (__u16 i = 0; i < btf_vlen(t); i++, v++) {
		const struct btf_type *var = btf__type_by_id(btf, v->type);
		if (!var || v->offset + v->size > avail)
			continue;
		json_key(j, btf__name_by_offset(btf, var->name_off));
		write_type(j, btf, v->type, (const char *)data + v->offset, v->size, depth + 1);
	}
	json_object_end(j);
}

static void write_enum(struct json *j, const struct btf_type *t, const void *data, size_t avail)
{
	/* Enum signedness is BTF's kind_flag (libbpf >= 1.0); numbers keep comparisons simple. */
	__s64 s;
	__u64 u = read_bits(data, avail, 0, t->size * 8, btf_kflag(t), &s);
	if (btf_kflag(t))
		json_int(j, s);
	else
		json_uint(j, u);
}

static void write_type(struct json *j, const struct btf *btf, __u32 id, const void *data, size_t avail,
		       int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	if (t && btf_is_datasec(t)) {
		write_datasec(j, btf, t, data, avail, depth);
		return;
	}
	__s64 size = btf__resolve_size(btf, id);
	__s32 rid = btf__resolve_type(btf, id);
	t = rid >= 0 ? btf__type_by_id(btf, rid) : NULL;
	if (!t || size < 0 || (size_t)size > avail || depth > MAX_DEPTH) {
		json_hex(j, data, avail);
		return;
	}
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		write_int_bits(j, btf_int_encoding(t), data, avail, btf_int_offset(t), btf_int_bits(t));
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		write_enum(j, t, data, avail);
		break;
	case BTF_KIND_FLOAT:
		if (t->size == sizeof(float))
			json_double(j, *(const float *)data);
		else if (t->size == sizeof(double))
			json_double(j, *(const double *)data);
		else
			json_hex(j, data, t->size);
		break;
	case BTF_KIND_PTR: {
		__s64 s;
		json_uint(j, read_bits(data, avail, 0, size * 8, false, &s));
		break;
	}
	case BTF_KIND_ARRAY:
		write_array(j, btf, t, data, depth);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		json_object_begin(j);
		write_members(j, btf, t, data, avail, depth);
		json_object_end(j);
		break;
	default:
		json_hex(j, data, size);
	}
}

void btf_json_write(struct json *j, const struct btf *btf, __u32 type_id, const void *data, size_t size)
{
	if (!btf || !type_id) {
		json_hex(j, data, size);
		return;
	}
	write_type(j, btf, type_id, data, size, 0);
}
