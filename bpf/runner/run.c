// SPDX-License-Identifier: Apache-2.0
/*
 * `bpflab-runner run`: open → load → attach → stream → detach → drain → dump, one distinct error
 * line and exit code per stage, and every resource released on every path (goto cleanup).
 */
#include "run.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "attach.h"
#include "exit_codes.h"
#include "libbpf_log.h"
#include "load.h"
#include "map_dump.h"
#include "map_watch.h"
#include "prog_stats.h"
#include "stream.h"

int run_main(const struct run_options *opts)
{
	struct json j = {0};
	struct bpf_object *obj = NULL;
	struct attachments attachments = {0};
	struct map_watch *watch = NULL;
	struct stream stream = {.trace_fd = -1, .signal_fd = -1};
	int stats_fd = -1;
	int ret;

	libbpf_log_init(true);
	int signal_fd = stream_block_signals();
	if (signal_fd < 0) {
		json_line_begin(&j, "error");
		json_kv_string(&j, "stage", "run");
		json_kv_string(&j, "message", strerror(-signal_fd));
		json_object_end(&j);
		json_emit(&j);
		ret = EXIT_RUN;
		goto cleanup;
	}
	stream.signal_fd = signal_fd;

	ret = load_object(opts->object_path, opts->log_limit, opts->rodata, opts->rodata_count, &obj, &j);
	if (ret != EXIT_OK)
		goto cleanup;

	if (stream_open(&stream, obj, opts, &j)) {
		ret = EXIT_RUN;
		goto cleanup;
	}

	if (opts->stats)
		stats_fd = prog_stats_enable(&j);
	if (attach_all(&attachments, obj, opts, &j)) {
		ret = EXIT_ATTACH;
		goto cleanup;
	}

	if (map_watch_open(&watch, obj, opts, &j)) {
		ret = EXIT_RUN;
		goto cleanup;
	}
	stream.watch = watch;
	json_line_begin(&j, "ready");
	json_object_end(&j);
	if (json_emit(&j) || stream_run(&stream, opts)) {
		ret = EXIT_RUN;
		goto cleanup;
	}

	/* Iterators show the state at the end of the run, like the maps. */
	if (read_iterators(&attachments, &j)) {
		ret = EXIT_RUN;
		goto cleanup;
	}
	/* Detach before reading results, so maps stop changing while they are dumped. */
	detach_all(&attachments);
	if (stream_drain(&stream)) {
		ret = EXIT_RUN;
		goto cleanup;
	}
	if (print_prog_stats(obj, stats_fd >= 0, &j)) {
		ret = EXIT_RUN;
		goto cleanup;
	}
	if (dump_maps(obj, opts->dump_limit, &j)) {
		ret = EXIT_DUMP;
		goto cleanup;
	}

cleanup:
	map_watch_close(watch);
	detach_all(&attachments);
	stream_close(&stream);
	bpf_object__close(obj);
	if (stats_fd >= 0)
		close(stats_fd);
	if (signal_fd >= 0)
		close(signal_fd);
	json_free(&j);
	return ret;
}
