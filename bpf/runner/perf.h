/* SPDX-License-Identifier: Apache-2.0 */
/* The perf events a perf_event program can sample on, by the names `perf list` uses. */
#ifndef BPFLAB_PERF_H
#define BPFLAB_PERF_H

#include <linux/types.h>
#include <sys/types.h>

struct perf_event_choice {
	const char *name;
	__u32 type;   /* PERF_TYPE_HARDWARE or PERF_TYPE_SOFTWARE */
	__u64 config; /* PERF_COUNT_HW_* or PERF_COUNT_SW_* */
};

/* NULL for a name that is not in the table. */
const struct perf_event_choice *perf_event_by_name(const char *name);

/* A sampling event at `freq` Hz for (pid, cpu) as perf_event_open(2) takes them; fd or -errno. */
int perf_event_open_sampling(const struct perf_event_choice *event, pid_t pid, int cpu, __u64 freq);

#endif
