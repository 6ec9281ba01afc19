/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The CO-RE report: libbpf's relocation lines (debug level: which field each relocation asked
 * for, which kernel type matched, how each instruction was patched or poisoned), kept while an
 * object loads and written as one {"type":"core","lines":[…]} line for the grader to parse
 * (server/grader/core-report.ts). Every other debug line is dropped.
 */
#ifndef BPFLAB_CORE_REPORT_H
#define BPFLAB_CORE_REPORT_H

#include <bpf/libbpf.h>

#include "json.h"

/* One message libbpf printed (possibly part of a line, possibly several lines). */
void core_report_take(const char *text);
/* Forgets the lines kept so far (a new load attempt). */
void core_report_clear(void);
/* Writes the kept lines as a {"type":"core"} line, if there are any, and forgets them. */
void core_report_emit(struct json *j);

#endif
