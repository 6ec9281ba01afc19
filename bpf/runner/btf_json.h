/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Raw bytes as JSON, decoded through a BTF type: structs and unions as objects keyed by member
 * name (anonymous members flattened), arrays as arrays, char arrays as strings, integers, enums,
 * bools and floats as numbers, DATASECs (.bss, .data, .rodata) as objects keyed by variable name.
 * Without a type, or when the bytes are fewer than the type needs, the bytes as a hex string.
 */
#ifndef BPFLAB_BTF_JSON_H
#define BPFLAB_BTF_JSON_H

#include <bpf/btf.h>
#include <stddef.h>

#include "json.h"

void btf_json_write(struct json *j, const struct btf *btf, __u32 type_id, const void *data, size_t size);

#endif
