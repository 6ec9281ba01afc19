// SPDX-License-Identifier: Apache-2.0
/*
 * `bpflab-runner code OBJ`: the program as the kernel sees it. After load (nothing attached), for
 * each program, bpf_obj_get_info_by_fd gives the instructions as the verifier left them (map ids
 * in place of fds, helper calls fixed up, context accesses rewritten), their BTF line info (which
 * source line each instruction came from, with the line's text) and, where the kernel lets this
 * process see it, the JIT image with the offset of each line in it. See bpf/README.md.
 */
#include "prog_code.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "exit_codes.h"
#include "json.h"
#include "load.h"

#define MAX_CALL_TARGETS 512

static const char usage[] = "usage: bpflab-runner code OBJ [--log-limit BYTES] [--rodata NAME=VALUE]...\n";

int parse_code(int argc, char **argv, struct code_options *o)
{
	enum { LOG_LIMIT = 256, RODATA };
	static const struct option long_opts[] = {
		{"log-limit", required_argument, NULL, LOG_LIMIT},
		{"rodata", required_argument, NULL, RODATA},
		{NULL, 0, NULL, 0},
	};
	*o = (struct code_options){0};
	int c;
	while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		if (c == LOG_LIMIT) {
			char *end;
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || v < 0) {
				fprintf(stderr, "bpflab-runner: invalid number for --log-limit\n%s", usage);
				return EXIT_USAGE;
			}
			o->log_limit = v;
		} else if (c == RODATA) {
			if (o->rodata_count == PROG_CODE_MAX_RODATA) {
				fprintf(stderr, "bpflab-runner: at most %d --rodata settings\n%s", PROG_CODE_MAX_RODATA, usage);
				return EXIT_USAGE;
			}
			o->rodata[o->rodata_count++] = optarg;
		} else {
			fprintf(stderr, "bpflab-runner: unknown option\n%s", usage);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "bpflab-runner: code takes exactly one object file\n%s", usage);
		return EXIT_USAGE;
	}
	o->object_path = argv[optind];
	return 0;
}

/*
 * {"type":"helpers","names":["unspec","map_lookup_elem",…]}: this kernel's helper names by id,
 * from `enum bpf_func_id` in its BTF, so clang's `call 1` can be named without a table that ages.
 */
static void helpers_line(const struct btf *vmlinux, struct json *j)
{
	json_line_begin(j, "helpers");
	json_key(j, "names");
	json_array_begin(j);
	__s32 id = vmlinux ? btf__find_by_name_kind(vmlinux, "bpf_func_id", BTF_KIND_ENUM) : -1;
	const struct btf_type *t = id > 0 ? btf__type_by_id(vmlinux, id) : NULL;
	if (t) {
		const struct btf_enum *e = btf_enum(t);
		__u32 expected = 0;
		for (int i = 0; i < btf_vlen(t); i++, e++) {
			const char *name = btf__name_by_offset(vmlinux, e->name_off);
			if ((__u32)e->val != expected || strncmp(name, "BPF_FUNC_", 9) != 0)
				break; /* __BPF_FUNC_MAX_ID, or an enum not laid out as ids 0, 1, 2… */
			json_string(j, name + 9);
			expected++;
		}
	}
	json_array_end(j);
	json_object_end(j);
	json_emit(j);
}

struct call_target {
	__u32 insn;
	__u64 address; /* 0 for a kfunc, named from BTF instead */
	const char *name;
	char resolved[128];
};

/* Names the helper call targets (address = __bpf_call_base + imm) from /proc/kallsyms, in one pass. */
static void resolve_addresses(struct call_target *calls, int n, __s32 *imms)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	if (!f)
		return;
	char line[512], sym[256], kind;
	unsigned long long addr, base = 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &addr, &kind, sym) == 3 && strcmp(sym, "__bpf_call_base") == 0) {
			base = addr;
			break;
		}
	}
	if (!base) { /* kallsyms shows zeros to this process: nothing to resolve */
		fclose(f);
		return;
	}
	for (int i = 0; i < n; i++)
		calls[i].address = imms[i] ? base + (__s64)imms[i] : 0;
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &addr, &kind, sym) != 3)
			continue;
		for (int i = 0; i < n; i++) {
			if (calls[i].address == addr && !calls[i].resolved[0])
				snprintf(calls[i].resolved, sizeof(calls[i].resolved), "%.127s", sym);
		}
	}
	fclose(f);
}

/* "calls":[{"insn":N,"target":"htab_map_update_elem"}]: what each call of the xlated code reaches. */
static void calls_field(const struct bpf_insn *insns, __u32 count, const struct btf *vmlinux, struct json *j)
{
	static struct call_target calls[MAX_CALL_TARGETS];
	static __s32 imms[MAX_CALL_TARGETS];
	int n = 0, helpers = 0;
	for (__u32 i = 0; i < count && n < MAX_CALL_TARGETS; i++) {
		const struct bpf_insn *in = &insns[i];
		if (in->code != (BPF_JMP | BPF_CALL))
			continue;
		calls[n] = (struct call_target){.insn = i};
		imms[n] = 0;
		if (in->src_reg == BPF_PSEUDO_KFUNC_CALL && vmlinux) {
			const struct btf_type *t = btf__type_by_id(vmlinux, in->imm);
			calls[n].name = t ? btf__name_by_offset(vmlinux, t->name_off) : NULL;
		} else if (in->src_reg == 0 && in->imm) {
			imms[n] = in->imm;
			helpers++;
		}
		n++;
	}
	if (helpers)
		resolve_addresses(calls, n, imms);
	json_key(j, "calls");
	json_array_begin(j);
	for (int i = 0; i < n; i++) {
		const char *name = calls[i].name ? calls[i].name : calls[i].resolved[0] ? calls[i].resolved : NULL;
		if (!name)
			continue;
		json_object_begin(j);
		json_kv_int(j, "insn", calls[i].insn);
		json_kv_string(j, "target", name);
		json_object_end(j);
	}
	json_array_end(j);
}

/* Offset of a JIT address in the image of all functions laid end to end; -1 when it is in none. */
static long jited_offset(__u64 address, const __u64 *ksyms, const __u32 *lens, __u32 nfuncs)
{
	long before = 0;
	for (__u32 f = 0; f < nfuncs; f++) {
		if (address >= ksyms[f] && address < ksyms[f] + lens[f])
			return before + (long)(address - ksyms[f]);
		before += lens[f];
	}
	return -1;
}

/* Why the JIT column is empty, in words, or NULL when the image was read. */
static const char *jit_unavailable(const struct bpf_prog_info *info)
{
	if (info->jited_prog_len == 0)
		return "the kernel runs this program in its interpreter: it was not JIT-compiled "
		       "(net.core.bpf_jit_enable is 0, or this kernel has no JIT)";
	if (!info->jited_prog_insns)
		return "the kernel hides JIT code from this sandbox: reading it needs CAP_SYSLOG, or "
		       "kernel.kptr_restrict=0 with kernel.perf_event_paranoid<=1";
	return NULL;
}

static int code_line(struct bpf_program *prog, const struct btf *obj_btf, const struct btf *vmlinux,
		     struct json *j)
{
	int fd = bpf_program__fd(prog);
	struct bpf_prog_info info = {0};
	__u32 len = sizeof(info);
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	/* Second call: the same counts, now with room for each array. */
	__u32 n_xlated = info.xlated_prog_len, n_jited = info.jited_prog_len;
	__u32 n_lines = info.nr_line_info, n_jlines = info.nr_jited_line_info;
	__u32 n_ksyms = info.nr_jited_ksyms, n_lens = info.nr_jited_func_lens;
	__u32 line_rec = info.line_info_rec_size ? info.line_info_rec_size : sizeof(struct bpf_line_info);
	void *xlated = calloc(1, n_xlated + 1), *jited = calloc(1, n_jited + 1);
	void *lines = calloc(n_lines + 1, line_rec);
	__u64 *jlines = calloc(n_jlines + 1, sizeof(__u64)), *ksyms = calloc(n_ksyms + 1, sizeof(__u64));
	__u32 *lens = calloc(n_lens + 1, sizeof(__u32));
	int err = 0;
	if (!xlated || !jited || !lines || !jlines || !ksyms || !lens) {
		err = -ENOMEM;
		goto out;
	}
	memset(&info, 0, sizeof(info));
	info.xlated_prog_len = n_xlated;
	info.xlated_prog_insns = (__u64)(unsigned long)xlated;
	info.jited_prog_len = n_jited;
	info.jited_prog_insns = (__u64)(unsigned long)jited;
	info.nr_line_info = n_lines;
	info.line_info_rec_size = line_rec;
	info.line_info = (__u64)(unsigned long)lines;
	info.nr_jited_line_info = n_jlines;
	info.jited_line_info_rec_size = sizeof(__u64);
	info.jited_line_info = (__u64)(unsigned long)jlines;
	info.nr_jited_ksyms = n_ksyms;
	info.jited_ksyms = (__u64)(unsigned long)ksyms;
	info.nr_jited_func_lens = n_lens;
	info.jited_func_lens = (__u64)(unsigned long)lens;
	len = sizeof(info);
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		err = -errno;
		goto out;
	}

	json_line_begin(j, "code");
	json_kv_string(j, "program", bpf_program__name(prog));
	json_kv_string(j, "section", bpf_program__section_name(prog));
	json_kv_int(j, "id", info.id);
	struct utsname uts;
	if (uname(&uts) == 0) /* the JIT's instruction set */
		json_kv_string(j, "machine", uts.machine);
	json_key(j, "xlated");
	if (info.xlated_prog_insns)
		json_hex(j, xlated, info.xlated_prog_len);
	else
		json_null(j); /* a blinded program, hidden from this process */
	calls_field(xlated, info.xlated_prog_insns ? info.xlated_prog_len / sizeof(struct bpf_insn) : 0, vmlinux, j);

	json_key(j, "lines");
	json_array_begin(j);
	for (__u32 i = 0; i < info.nr_line_info && obj_btf; i++) {
		const struct bpf_line_info *l = (const void *)((const char *)lines + (size_t)i * line_rec);
		json_object_begin(j);
		json_kv_int(j, "insn", l->insn_off);
		json_kv_string(j, "file", btf__name_by_offset(obj_btf, l->file_name_off) ?: "");
		json_kv_int(j, "line", BPF_LINE_INFO_LINE_NUM(l->line_col));
		json_kv_int(j, "col", BPF_LINE_INFO_LINE_COL(l->line_col));
		json_kv_string(j, "source", btf__name_by_offset(obj_btf, l->line_off) ?: "");
		json_object_end(j);
	}
	json_array_end(j);

	const char *why = jit_unavailable(&info);
	json_kv_int(j, "jited_len", n_jited);
	json_key(j, "jited");
	if (why)
		json_null(j);
	else
		json_hex(j, jited, info.jited_prog_len);
	/* jited_lines[i]: offset in the JIT image where lines[i] starts. */
	json_key(j, "jited_lines");
	json_array_begin(j);
	bool have_addresses = !why && info.jited_line_info && info.nr_jited_line_info == info.nr_line_info;
	for (__u32 i = 0; have_addresses && i < info.nr_jited_line_info; i++)
		json_int(j, jited_offset(jlines[i], ksyms, lens, info.nr_jited_ksyms < info.nr_jited_func_lens
									 ? info.nr_jited_ksyms
									 : info.nr_jited_func_lens));
	json_array_end(j);
	if (why)
		json_kv_string(j, "jit_unavailable", why);
	json_object_end(j);
	err = json_emit(j);
out:
	free(xlated);
	free(jited);
	free(lines);
	free(jlines);
	free(ksyms);
	free(lens);
	return err;
}

int prog_code_main(const struct code_options *opts)
{
	struct json j = {0};
	struct bpf_object *obj = NULL;
	int ret = load_object(opts->object_path, opts->log_limit, opts->rodata, opts->rodata_count, &obj, &j);
	if (ret != EXIT_OK)
		goto out;
	/* NULL when the kernel has no BTF: helpers and kfuncs then go unnamed. */
	struct btf *vmlinux = btf__load_vmlinux_btf();
	helpers_line(vmlinux, &j);
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, obj)
	{
		if (bpf_program__fd(prog) < 0)
			continue;
		int err = code_line(prog, bpf_object__btf(obj), vmlinux, &j);
		if (err) {
			char msg[256];
			snprintf(msg, sizeof(msg), "reading program '%s' back from the kernel failed: %s",
				 bpf_program__name(prog), strerror(-err));
			json_error_line(&j, "dump", bpf_program__name(prog), msg);
			ret = EXIT_DUMP;
		}
	}
	btf__free(vmlinux);
out:
	bpf_object__close(obj);
	json_free(&j);
	return ret;
}
