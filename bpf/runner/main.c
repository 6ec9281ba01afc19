// SPDX-License-Identifier: Apache-2.0
/*
 * bpflab-runner: loads a learner's BPF object, attaches it, streams what it reports as JSON lines
 * and dumps its maps; or probes which BPF features this kernel really has. See bpf/README.md.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit_codes.h"
#include "probe.h"
#include "prog_code.h"
#include "run.h"

static const char usage[] =
	"usage: bpflab-runner run OBJ [--uprobe-binary PATH] [--uprobe-function NAME[+OFF]]\n"
	"                             [--usdt PROVIDER:NAME] [--ifname IF]\n"
	"                             [--perf-event cycles,instructions,cpu-clock] [--perf-freq N]\n"
	"                             [--event-type STRUCT] [--trace-pipe] [--duration-ms N]\n"
	"                             [--ignore-stdin] [--dump-limit N] [--log-limit BYTES]\n"
	"                             [--rodata NAME=VALUE]... [--stats] [--map-every MS [--map-every-limit N]]\n"
	"       bpflab-runner code OBJ [--log-limit BYTES] [--rodata NAME=VALUE]...\n"
	"       bpflab-runner probe\n";

static int usage_error(const char *fmt, const char *arg)
{
	fputs("bpflab-runner: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	fputs(usage, stderr);
	return EXIT_USAGE;
}

static int parse_number(const char *arg, const char *flag, long min, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (errno || *end || end == arg || v < min)
		return usage_error("invalid number for %s", flag);
	*out = v;
	return 0;
}

static int parse_run(int argc, char **argv, struct run_options *o)
{
	enum { UPROBE = 256, IFNAME, PERF_EVENT, PERF_FREQ, EVENT_TYPE, TRACE_PIPE, DURATION, NO_STDIN, LIMIT, LOG_LIMIT, RODATA, UPROBE_FUNCTION, USDT, STATS, MAP_EVERY, MAP_EVERY_LIMIT };
	static const struct option long_opts[] = {
		{"uprobe-binary", required_argument, NULL, UPROBE},
		{"uprobe-function", required_argument, NULL, UPROBE_FUNCTION},
		{"usdt", required_argument, NULL, USDT},
		{"ifname", required_argument, NULL, IFNAME},
		{"perf-event", required_argument, NULL, PERF_EVENT},
		{"perf-freq", required_argument, NULL, PERF_FREQ},
		{"event-type", required_argument, NULL, EVENT_TYPE},
		{"trace-pipe", no_argument, NULL, TRACE_PIPE},
		{"duration-ms", required_argument, NULL, DURATION},
		{"ignore-stdin", no_argument, NULL, NO_STDIN},
		{"dump-limit", required_argument, NULL, LIMIT},
		{"log-limit", required_argument, NULL, LOG_LIMIT},
		{"rodata", required_argument, NULL, RODATA},
		{"map-every", required_argument, NULL, MAP_EVERY},
		{"map-every-limit", required_argument, NULL, MAP_EVERY_LIMIT},
		{"stats", no_argument, NULL, STATS},
		{NULL, 0, NULL, 0},
	};
	*o = (struct run_options){.perf_freq = 99, .duration_ms = -1, .dump_limit = 10000, .map_every_limit = 100};
	long n;
	int c, err;
	while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		switch (c) {
		case UPROBE: o->uprobe_binary = optarg; break;
		case UPROBE_FUNCTION: o->uprobe_function = optarg; break;
		case USDT: o->usdt = optarg; break;
		case IFNAME: o->ifname = optarg; break;
		case EVENT_TYPE: o->event_type = optarg; break;
		case TRACE_PIPE: o->trace_pipe = true; break;
		case RODATA:
			if (o->rodata_count == RUN_MAX_RODATA)
				return usage_error("at most %s --rodata settings", "32");
			o->rodata[o->rodata_count++] = optarg;
			break;
		case NO_STDIN: o->ignore_stdin = true; break;
		case STATS: o->stats = true; break;
		case PERF_EVENT:
			for (char *save, *name = strtok_r(optarg, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
				if (o->perf_event_count == RUN_MAX_PERF_EVENTS)
					return usage_error("too many events in %s", "--perf-event");
				o->perf_events[o->perf_event_count++] = name;
			}
			break;
		case PERF_FREQ:
			if ((err = parse_number(optarg, "--perf-freq", 1, &n)))
				return err;
			o->perf_freq = n;
			break;
		case DURATION:
			if ((err = parse_number(optarg, "--duration-ms", 0, &n)))
				return err;
			o->duration_ms = n;
			break;
		case LIMIT:
			if ((err = parse_number(optarg, "--dump-limit", 0, &n)))
				return err;
			o->dump_limit = n;
			break;
		case LOG_LIMIT:
			if ((err = parse_number(optarg, "--log-limit", 0, &n)))
				return err;
			o->log_limit = n;
			break;
		case MAP_EVERY:
			if ((err = parse_number(optarg, "--map-every", 1, &n)))
				return err;
			o->map_every_ms = n;
			break;
		case MAP_EVERY_LIMIT:
			if ((err = parse_number(optarg, "--map-every-limit", 0, &n)))
				return err;
			o->map_every_limit = n;
			break;
		default: return usage_error("%s", "unknown option");
		}
	}
	if (optind != argc - 1)
		return usage_error("%s", "run takes exactly one object file");
	o->object_path = argv[optind];
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("%s", "missing command");
	if (strcmp(argv[1], "probe") == 0) {
		if (argc != 2)
			return usage_error("%s", "probe takes no arguments");
		return probe_main();
	}
	if (strcmp(argv[1], "code") == 0) {
		struct code_options opts;
		int err = parse_code(argc - 1, argv + 1, &opts);
		return err ? err : prog_code_main(&opts);
	}
	if (strcmp(argv[1], "run") == 0) {
		struct run_options opts;
		int err = parse_run(argc - 1, argv + 1, &opts);
		return err ? err : run_main(&opts);
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	return usage_error("unknown command '%s'", argv[1]);
}
