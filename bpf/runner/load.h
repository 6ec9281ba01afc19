/* SPDX-License-Identifier: Apache-2.0 */
/* Opening and loading a BPF object while keeping every program's verifier log. */
#ifndef BPFLAB_LOAD_H
#define BPFLAB_LOAD_H

#include <bpf/libbpf.h>

#include "json.h"

/*
 * Opens and loads path. On success *objp is loaded and a {"type":"loaded"} line is written; on
 * failure the error (and, for a rejected program, its {"type":"verifier"} line) is written and
 * EXIT_OPEN or EXIT_LOAD returned with *objp NULL. Verifier logs are cut to their last log_limit
 * bytes (0: whole). Each of the nrodata "NAME=VALUE" in rodata sets a `const volatile` global
 * before the load (rodata.h); one that cannot be set is an open error.
 */
int load_object(const char *path, size_t log_limit, const char *const *rodata, int nrodata,
		struct bpf_object **objp, struct json *j);

#endif
