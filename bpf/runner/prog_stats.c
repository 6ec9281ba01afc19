// SPDX-License-Identifier: Apache-2.0
/*
 * {"type":"program_stats"} lines, from bpf_prog_info read after the run: xlated size (in
 * instructions), JIT size, the verifier's processed instructions (kernels ≥ 5.16, else 0) and the
 * run count and total run time, which the kernel counts only while bpf_stats_enabled is on.
 */
#include "prog_stats.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define STATS_SYSCTL "/proc/sys/kernel/bpf_stats_enabled"

/*
 * kernel.bpf_stats_enabled as it reads now: 1 when it was written 1 (by the server). It does not
 * count the holders of BPF_ENABLE_STATS fds, which turn the statistics on without changing it.
 */
static bool stats_sysctl_on(void)
{
	FILE *f = fopen(STATS_SYSCTL, "r");
	int value = 0;
	if (f) {
		if (fscanf(f, "%d", &value) != 1)
			value = 0;
		fclose(f);
	}
	return value == 1;
}

int prog_stats_enable(struct json *j)
{
	int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (fd >= 0 || stats_sysctl_on())
		return fd;
	char msg[256];
	snprintf(msg, sizeof(msg),
		 "run counts and times are not collected: enabling kernel.bpf_stats_enabled failed (%s)",
		 strerror(errno));
	json_warning_line(j, msg);
	return -1;
}

int print_prog_stats(struct bpf_object *obj, bool stats_held, struct json *j)
{
	bool counted = stats_held || stats_sysctl_on();
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, obj) {
		int fd = bpf_program__fd(prog);
		if (fd < 0)
			continue; /* SEC("?…"): not loaded */
		struct bpf_prog_info info = {0};
		__u32 len = sizeof(info);
		if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
			char msg[256];
			snprintf(msg, sizeof(msg), "cannot read the kernel's information on program '%s': %s",
				 bpf_program__name(prog), strerror(errno));
			if (json_warning_line(j, msg))
				return -EIO;
			continue;
		}
		json_line_begin(j, "program_stats");
		json_kv_string(j, "program", bpf_program__name(prog));
		json_kv_string(j, "section", bpf_program__section_name(prog));
		json_kv_string(j, "prog_type", libbpf_bpf_prog_type_str(info.type));
		json_kv_int(j, "xlated_insns", info.xlated_prog_len / sizeof(struct bpf_insn));
		json_kv_int(j, "jited_bytes", info.jited_prog_len);
		json_kv_int(j, "verified_insns", info.verified_insns);
		json_kv_bool(j, "stats_enabled", counted);
		json_kv_int(j, "run_cnt", info.run_cnt);
		json_kv_int(j, "run_time_ns", info.run_time_ns);
		json_object_end(j);
		int err = json_emit(j);
		if (err)
			return err;
	}
	return 0;
}
