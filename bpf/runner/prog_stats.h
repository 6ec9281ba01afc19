/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the kernel knows about each loaded program, for the grader's kernel-side checks: its
 * size after the verifier rewrote it, the verifier's processed-instruction count, and with
 * --stats its run count and run time (kernel.bpf_stats_enabled, on for the run only).
 */
#ifndef BPFLAB_PROG_STATS_H
#define BPFLAB_PROG_STATS_H

#include <bpf/libbpf.h>
#include <stdbool.h>

#include "json.h"

/*
 * Turns run statistics on for as long as the returned fd stays open (BPF_ENABLE_STATS: the
 * kernel counts its holders and turns them off when the last one closes, even after SIGKILL).
 * Without CAP_SYS_ADMIN (a local sandbox) it returns -1, and the statistics are on only if
 * kernel.bpf_stats_enabled already is (the server sets it); otherwise a warning line says so.
 */
int prog_stats_enable(struct json *j);

/*
 * Writes one {"type":"program_stats"} line per loaded program; `stats_held`: prog_stats_enable()
 * returned an fd that is still open. Returns -errno only when stdout cannot be written; a program
 * whose information cannot be read gets a warning line instead.
 */
int print_prog_stats(struct bpf_object *obj, bool stats_held, struct json *j);

#endif
