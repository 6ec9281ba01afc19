/* SPDX-License-Identifier: Apache-2.0 */
#ifndef BPFLAB_RUN_H
#define BPFLAB_RUN_H

#include <stdbool.h>
#include <stddef.h>

#define RUN_MAX_PERF_EVENTS 8
#define RUN_MAX_RODATA 32

struct run_options {
	const char *object_path;
	const char *uprobe_binary;  /* --uprobe-binary: target of uprobe/<func> sections */
	const char *uprobe_function; /* --uprobe-function: function of bare uprobe/uretprobe sections */
	const char *usdt;           /* --usdt PROVIDER:NAME: probe of bare usdt sections */
	const char *ifname;         /* --ifname: interface for tc and XDP programs */
	const char *perf_events[RUN_MAX_PERF_EVENTS]; /* --perf-event: tried in order */
	int perf_event_count;
	unsigned long perf_freq;    /* --perf-freq: samples per second per CPU */
	const char *event_type;     /* --event-type: BTF struct decoding ring buffer records */
	bool trace_pipe;            /* --trace-pipe: stream trace_pipe lines */
	long duration_ms;           /* --duration-ms: stop after this long; <0 means no limit */
	bool ignore_stdin;          /* --ignore-stdin: stdin EOF does not stop the run */
	unsigned long dump_limit;   /* --dump-limit: entries per map in the final dump */
	long map_every_ms;          /* --map-every: live map snapshots this often (map_watch.h); 0: none */
	unsigned long map_every_limit; /* --map-every-limit: entries per map in each snapshot */
	size_t log_limit;           /* --log-limit: bytes of each verifier log printed (0: all) */
	const char *rodata[RUN_MAX_RODATA]; /* --rodata NAME=VALUE: `const volatile` globals set before load */
	int rodata_count;
	bool stats;                 /* --stats: run counts and times (kernel.bpf_stats_enabled) for the run */
};

/* `bpflab-runner run`: returns an exit code from exit_codes.h. */
int run_main(const struct run_options *opts);

#endif
