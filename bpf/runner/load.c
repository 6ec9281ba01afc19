// SPDX-License-Identifier: Apache-2.0
#include "load.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_report.h"
#include "exit_codes.h"
#include "libbpf_log.h"
#include "map_dump.h"
#include "probe.h"
#include "rodata.h"

/*
 * Per program. Allocated with calloc, so only the pages the kernel writes cost memory. Kernels
 * before 6.4 fail a load whose log does not fit, hence the generous size.
 */
#define LOG_SIZE (16u << 20)

struct program_logs {
	char **bufs;
	size_t n;
};

static void free_logs(struct program_logs *logs)
{
	for (size_t i = 0; i < logs->n; i++)
		free(logs->bufs[i]);
	free(logs->bufs);
	*logs = (struct program_logs){0};
}

static int set_logs(struct bpf_object *obj, struct program_logs *logs, __u32 level)
{
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, obj) logs->n++;
	logs->bufs = calloc(logs->n, sizeof(char *));
	if (!logs->bufs)
		return -ENOMEM;
	size_t i = 0;
	bpf_object__for_each_program(prog, obj)
	{
		logs->bufs[i] = calloc(1, LOG_SIZE);
		if (!logs->bufs[i])
			return -ENOMEM;
		bpf_program__set_log_buf(prog, logs->bufs[i], LOG_SIZE);
		bpf_program__set_log_level(prog, level);
		i++;
	}
	return 0;
}

/*
 * libbpf 1.1 knows SEC("tc") and SEC("classifier") but not the direction suffixes bpflab (and
 * libbpf >= 1.3) use to say where to attach; give those programs their type before loading.
 */
static void fix_program_types(struct bpf_object *obj)
{
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, obj)
	{
		const char *sec = bpf_program__section_name(prog);
		if (bpf_program__type(prog) == BPF_PROG_TYPE_UNSPEC &&
		    (strncmp(sec, "tc/", 3) == 0 || strncmp(sec, "classifier/", 11) == 0))
			bpf_program__set_type(prog, BPF_PROG_TYPE_SCHED_CLS);
	}
}

/*
 * A log longer than log_limit bytes (0: no limit) is cut to its last whole lines within the
 * limit: the verifier's verdict and the instructions leading to it are at the end, and whoever
 * reads these lines need not hold a log that ran to the million instructions the verifier allows.
 */
static void verifier_line(struct json *j, const struct bpf_program *prog, const char *log, bool accepted,
			  size_t log_limit)
{
	size_t len = strlen(log);
	bool truncated = log_limit && len > log_limit;
	if (truncated) {
		const char *tail = log + len - log_limit;
		const char *next_line = strchr(tail, '\n');
		log = next_line ? next_line + 1 : tail;
	}
	json_line_begin(j, "verifier");
	json_kv_string(j, "program", bpf_program__name(prog));
	json_kv_string(j, "section", bpf_program__section_name(prog));
	json_kv_bool(j, "accepted", accepted);
	json_kv_bool(j, "truncated", truncated);
	json_kv_string(j, "log", log);
	json_object_end(j);
	json_emit(j);
}

static void loaded_line(struct bpf_object *obj, struct json *j)
{
	struct bpf_program *prog;
	struct bpf_map *map;
	json_line_begin(j, "loaded");
	json_key(j, "programs");
	json_array_begin(j);
	bpf_object__for_each_program(prog, obj)
	{
		if (!bpf_program__autoload(prog))
			continue;
		struct bpf_prog_info info = {0};
		__u32 len = sizeof(info);
		bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len);
		json_object_begin(j);
		json_kv_string(j, "name", bpf_program__name(prog));
		json_kv_string(j, "section", bpf_program__section_name(prog));
		json_kv_string(j, "prog_type", libbpf_bpf_prog_type_str(bpf_program__type(prog)));
		json_kv_int(j, "id", info.id);
		json_object_end(j);
	}
	json_array_end(j);
	json_key(j, "maps");
	json_array_begin(j);
	bpf_object__for_each_map(map, obj)
	{
		if (bpf_map__fd(map) < 0)
			continue;
		struct bpf_map_info info = {0};
		__u32 len = sizeof(info);
		bpf_obj_get_info_by_fd(bpf_map__fd(map), &info, &len);
		json_object_begin(j);
		json_kv_string(j, "name", map_display_name(map));
		json_kv_string(j, "map_type", libbpf_bpf_map_type_str(bpf_map__type(map)));
		json_kv_int(j, "id", info.id);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
	json_emit(j);
}

/*
 * The verifier's own reason, e.g. "R0 invalid mem access 'map_value_or_null'": the last line of
 * the log before its statistics.
 */
static void verifier_reason(const char *log, char *out, size_t size)
{
	static const char *const stats[] = {"processed ", "verification time", "stack depth", "max_states"};
	const char *end = log + strlen(log);
	out[0] = '\0';
	while (end > log) {
		const char *start = end - 1;
		while (start > log && start[-1] != '\n')
			start--;
		size_t len = end - start;
		while (len && (start[len - 1] == '\n' || start[len - 1] == ' '))
			len--;
		bool is_stat = false;
		for (size_t i = 0; i < sizeof(stats) / sizeof(stats[0]); i++)
			is_stat |= strncmp(start, stats[i], strlen(stats[i])) == 0;
		if (len && !is_stat) {
			snprintf(out, size, "%.*s", (int)len, start);
			return;
		}
		end = start;
	}
}

/* libbpf loads programs in object order and stops at the first failure. */
static struct bpf_program *failed_program(struct bpf_object *obj, struct program_logs *logs, char **log)
{
	struct bpf_program *prog;
	size_t i = 0;
	bpf_object__for_each_program(prog, obj)
	{
		if (bpf_program__autoload(prog) && bpf_program__fd(prog) < 0) {
			*log = logs->bufs[i];
			return prog;
		}
		i++;
	}
	return NULL;
}

int load_object(const char *path, size_t log_limit, const char *const *rodata, int nrodata,
		struct bpf_object **objp, struct json *j)
{
	struct program_logs logs = {0};
	struct bpf_object *obj = NULL;
	char msg[1536];
	int ret = EXIT_LOAD;
	/*
	 * Level 1 keeps the log of accepted programs too. A log too big for its buffer (ENOSPC)
	 * is retried at level 0, where libbpf asks for a level-1 log only of a failing program; a
	 * failure without any log is retried at level 2 in case the kernel said more there.
	 */
	__u32 level = 1;
	for (int attempt = 0; attempt < 2; attempt++) {
		libbpf_log_clear();
		core_report_clear();
		obj = bpf_object__open_file(path, NULL);
		if (!obj) {
			int err = errno;
			const char *detail = libbpf_log_last();
			snprintf(msg, sizeof(msg), "cannot open '%s': %s%s%s", path, strerror(err), *detail ? "; " : "",
				 detail);
			json_error_line(j, "open", NULL, msg);
			return EXIT_OPEN;
		}
		fix_program_types(obj);
		for (int i = 0; i < nrodata; i++) {
			if (rodata_set(obj, rodata[i], msg, sizeof(msg))) {
				json_error_line(j, "open", NULL, msg);
				ret = EXIT_OPEN;
				goto cleanup;
			}
		}
		if (set_logs(obj, &logs, level)) {
			json_error_line(j, "load", NULL, "out of memory for verifier logs");
			goto cleanup;
		}
		int err = bpf_object__load(obj);
		if (!err) {
			struct bpf_program *prog;
			size_t i = 0;
			bpf_object__for_each_program(prog, obj)
			{
				if (bpf_program__autoload(prog) && logs.bufs[i][0])
					verifier_line(j, prog, logs.bufs[i], true, log_limit);
				i++;
			}
			loaded_line(obj, j);
			*objp = obj;
			obj = NULL;
			ret = EXIT_OK;
			goto cleanup;
		}
		char *log = NULL;
		struct bpf_program *failed = failed_program(obj, &logs, &log);
		bool retry = attempt == 0 && failed &&
			     ((err == -ENOSPC && level > 0) || (!log[0] && level == 1));
		if (!retry) {
			char detail[1024], reason_buf[512];
			snprintf(detail, sizeof(detail), "%s", libbpf_log_last());
			if (failed && log[0]) {
				char reason[512];
				verifier_reason(log, reason, sizeof(reason));
				if (!reason[0]) /* a log cut short before the verifier's message */
					snprintf(reason, sizeof(reason), "%s", strerror(-err));
				verifier_line(j, failed, log, false, log_limit);
				snprintf(msg, sizeof(msg), "the verifier rejected program '%s': %s",
					 bpf_program__name(failed), reason);
			} else if (failed && probe_program_unsupported(failed, reason_buf, sizeof(reason_buf))) {
				/* Not the learner's code: libbpf's hint (`ulimit -l` for fentry) would mislead. */
				snprintf(msg, sizeof(msg), "loading program '%s' (SEC(\"%s\")) failed: %s",
					 bpf_program__name(failed), bpf_program__section_name(failed), reason_buf);
			} else {
				snprintf(msg, sizeof(msg), "loading '%s' failed: %s%s%s", path, strerror(-err),
					 *detail ? "; " : "", detail);
			}
			json_error_line(j, "load", failed ? bpf_program__name(failed) : NULL, msg);
			goto cleanup;
		}
		level = err == -ENOSPC ? 0 : 2;
		bpf_object__close(obj);
		obj = NULL;
		free_logs(&logs);
	}
cleanup:
	core_report_emit(j);
	bpf_object__close(obj);
	free_logs(&logs);
	return ret;
}
