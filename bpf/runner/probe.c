// SPDX-License-Identifier: Apache-2.0
#include "probe.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "libbpf_log.h"
#include "perf.h"
#include "probe.skel.h"

struct outcome {
	bool available;
	char reason[256];
};

/* Fills a missing feature's reason: what was tried, the errno text, and what usually causes it. */
static void missing(struct outcome *o, const char *tried, int err, const char *hint)
{
	o->available = false;
	snprintf(o->reason, sizeof(o->reason), "%s failed: %s%s%s", tried, strerror(err < 0 ? -err : err),
		 hint ? "; " : "", hint ? hint : "");
}

static void present(struct outcome *o)
{
	o->available = true;
	o->reason[0] = '\0';
}

/* Opens the probe object with only `name` enabled and loads it. */
static struct probe_bpf *load_one(const char *name, struct bpf_program **prog, struct outcome *o,
					  const char *hint)
{
	struct probe_bpf *skel = probe_bpf__open();
	if (!skel) {
		missing(o, "opening the probe object", errno, NULL);
		return NULL;
	}
	*prog = bpf_object__find_program_by_name(skel->obj, name);
	bpf_program__set_autoload(*prog, true);
	int err = probe_bpf__load(skel);
	if (err) {
		char tried[96];
		snprintf(tried, sizeof(tried), "loading a SEC(\"%s\") program", bpf_program__section_name(*prog));
		missing(o, tried, err, hint);
		probe_bpf__destroy(skel);
		return NULL;
	}
	return skel;
}

/* After attaching: a feature only counts as available if its program actually ran. */
static void check_ran(struct outcome *o, volatile __u64 *hits, void (*trigger)(void))
{
	for (int i = 0; i < 200 && *hits == 0; i++)
		trigger();
	if (*hits)
		present(o);
	else
		snprintf(o->reason, sizeof(o->reason), "attached, but the program never ran");
}

static void trigger_getppid(void)
{
	syscall(SYS_getppid);
}

static void trigger_read(void)
{
	char buf[64];
	FILE *f = fopen("/proc/self/stat", "r");
	if (f) {
		(void)!fread(buf, 1, sizeof(buf), f);
		fclose(f);
	}
}

__attribute__((noinline)) int bpflab_probe_uprobe_target(int x)
{
	/* The empty asm keeps the compiler from folding the body away. */
	__asm__ volatile("" : "+r"(x));
	return x + 1;
}

static void trigger_uprobe(void)
{
	/* Called through a volatile pointer so the call cannot be inlined at this site either. */
	int (*volatile target)(int) = bpflab_probe_uprobe_target;
	target(1);
}

static void trigger_busy(void)
{
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	do
		clock_gettime(CLOCK_MONOTONIC, &now);
	while ((now.tv_sec - start.tv_sec) * 1000000000L + (now.tv_nsec - start.tv_nsec) < 2000000L);
}

static void probe_btf(struct outcome *o)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		missing(o, "reading /sys/kernel/btf/vmlinux", errno, "the kernel needs CONFIG_DEBUG_INFO_BTF=y");
		return;
	}
	struct btf *btf = btf__load_vmlinux_btf();
	if (!btf) {
		missing(o, "parsing /sys/kernel/btf/vmlinux", errno, NULL);
		return;
	}
	btf__free(btf);
	present(o);
}

static void probe_ringbuf(struct outcome *o)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, NULL, 0, 0, 4096, NULL);
	if (fd < 0) {
		missing(o, "creating a ring buffer map", errno, "ring buffers need Linux 5.8 or later");
		return;
	}
	close(fd);
	present(o);
}

/* tracepoint, raw tracepoint, kprobe, fentry: attach by section, trigger, count. */
static void probe_traced(struct outcome *o, const char *name, size_t hits_offset, void (*trigger)(void),
			 const char *hint)
{
	struct bpf_program *prog;
	struct probe_bpf *skel = load_one(name, &prog, o, hint);
	if (!skel)
		return;
	struct bpf_link *link = bpf_program__attach(prog);
	if (!link) {
		char tried[96];
		snprintf(tried, sizeof(tried), "attaching %s", bpf_program__section_name(prog));
		missing(o, tried, errno, hint);
	} else {
		check_ran(o, (volatile __u64 *)((char *)skel->bss + hits_offset), trigger);
		bpf_link__destroy(link);
	}
	probe_bpf__destroy(skel);
}

static void probe_uprobe(struct outcome *o)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0) {
		missing(o, "resolving /proc/self/exe", errno, NULL);
		return;
	}
	exe[n] = '\0';
	struct bpf_program *prog;
	struct probe_bpf *skel = load_one("probe_uprobe", &prog, o, NULL);
	if (!skel)
		return;
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .func_name = "bpflab_probe_uprobe_target");
	struct bpf_link *link = bpf_program__attach_uprobe_opts(prog, 0, exe, 0, &opts);
	if (!link) {
		missing(o, "attaching a uprobe", errno, "the kernel needs CONFIG_UPROBE_EVENTS=y");
	} else {
		check_ran(o, &skel->bss->hits_uprobe, trigger_uprobe);
		bpf_link__destroy(link);
	}
	probe_bpf__destroy(skel);
}

static void probe_perf_event(struct outcome *o)
{
	const struct perf_event_choice *cpu_clock = perf_event_by_name("cpu-clock");
	int pfd = perf_event_open_sampling(cpu_clock, 0, -1, 1000);
	if (pfd < 0) {
		missing(o, "perf_event_open(cpu-clock)", pfd, "check /proc/sys/kernel/perf_event_paranoid");
		return;
	}
	struct bpf_program *prog;
	struct probe_bpf *skel = load_one("probe_perf_event", &prog, o, NULL);
	if (skel) {
		struct bpf_link *link = bpf_program__attach_perf_event(prog, pfd);
		if (!link) {
			missing(o, "attaching a perf_event program", errno, NULL);
		} else {
			check_ran(o, &skel->bss->hits_perf_event, trigger_busy);
			bpf_link__destroy(link); /* also closes pfd */
			pfd = -1;
		}
		probe_bpf__destroy(skel);
	}
	if (pfd >= 0)
		close(pfd);
}

static void probe_hardware_pmu(struct outcome *o)
{
	int pfd = perf_event_open_sampling(perf_event_by_name("cycles"), 0, -1, 1000);
	if (pfd < 0) {
		missing(o, "perf_event_open(PERF_COUNT_HW_CPU_CYCLES)", pfd,
			"no hardware PMU is exposed (most VMs); use software events such as cpu-clock");
		return;
	}
	close(pfd);
	present(o);
}

static void probe_tc(struct outcome *o)
{
	int ifindex = if_nametoindex("lo");
	if (!ifindex) {
		missing(o, "finding lo", errno, NULL);
		return;
	}
	struct bpf_program *prog;
	struct probe_bpf *skel = load_one("probe_tc", &prog, o, NULL);
	if (!skel)
		return;
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
	int err = bpf_tc_hook_create(&hook);
	bool created = err == 0;
	if (err && err != -EEXIST) {
		missing(o, "creating a clsact qdisc on lo", err, "needs CAP_NET_ADMIN and CONFIG_NET_CLS_BPF");
	} else {
		LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = bpf_program__fd(prog));
		err = bpf_tc_attach(&hook, &opts);
		if (err) {
			missing(o, "attaching a tc program on lo", err, NULL);
		} else {
			opts.prog_fd = opts.flags = opts.prog_id = 0;
			bpf_tc_detach(&hook, &opts);
			present(o);
		}
		if (created) {
			hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
			bpf_tc_hook_destroy(&hook);
		}
	}
	probe_bpf__destroy(skel);
}

static void probe_xdp(struct outcome *o)
{
	int ifindex = if_nametoindex("lo");
	if (!ifindex) {
		missing(o, "finding lo", errno, NULL);
		return;
	}
	struct bpf_program *prog;
	struct probe_bpf *skel = load_one("probe_xdp", &prog, o, NULL);
	if (!skel)
		return;
	struct bpf_link *link = bpf_program__attach_xdp(prog, ifindex);
	if (!link) {
		missing(o, "attaching an XDP program to lo", errno, "needs CAP_NET_ADMIN");
	} else {
		bpf_link__destroy(link);
		present(o);
	}
	probe_bpf__destroy(skel);
}

#define HITS(field) offsetof(struct probe_bpf__bss, field)

static void probe_kprobe(struct outcome *o)
{
	probe_traced(o, "probe_kprobe", HITS(hits_kprobe), trigger_read, "the kernel needs CONFIG_KPROBE_EVENTS=y");
}

static void probe_fentry(struct outcome *o)
{
	probe_traced(o, "probe_fentry", HITS(hits_fentry), trigger_read,
		     "fentry needs BPF trampolines (CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS) and BTF");
}

static void probe_tracepoint(struct outcome *o)
{
	probe_traced(o, "probe_tracepoint", HITS(hits_tracepoint), trigger_getppid,
		     "is tracefs mounted at /sys/kernel/tracing?");
}

static void probe_raw_tracepoint(struct outcome *o)
{
	probe_traced(o, "probe_raw_tracepoint", HITS(hits_raw_tracepoint), trigger_getppid, NULL);
}

/* Every feature, in the order `probe` prints them; names as in server/protocol/kernel-features.ts. */
static const struct {
	const char *feature;
	void (*probe)(struct outcome *o);
} features[] = {
	{"btf", probe_btf},	  {"kprobe", probe_kprobe},	    {"fentry", probe_fentry},
	{"tracepoint", probe_tracepoint}, {"raw_tracepoint", probe_raw_tracepoint}, {"uprobe", probe_uprobe},
	{"tc", probe_tc},	  {"xdp", probe_xdp},		    {"ringbuf", probe_ringbuf},
	{"perf_event", probe_perf_event}, {"hardware_pmu", probe_hardware_pmu},
};
#define NFEATURES (sizeof(features) / sizeof(features[0]))

/* Tries one feature for real: true when it works (or is unknown), else false with the reason. */
static bool probe_feature(const char *feature, char *reason, size_t size)
{
	for (size_t i = 0; i < NFEATURES; i++) {
		if (strcmp(features[i].feature, feature) != 0)
			continue;
		struct outcome o = {0};
		features[i].probe(&o);
		if (!o.available)
			snprintf(reason, size, "%s", o.reason);
		return o.available;
	}
	return true;
}

/* The feature (as `probe` names it) a program of this section needs, or NULL. */
static const char *section_feature(const char *sec)
{
	static const struct {
		const char *prefix, *feature;
	} by_prefix[] = {
		{"kprobe/", "kprobe"},		{"kretprobe/", "kprobe"},	  {"ksyscall/", "kprobe"},
		{"kretsyscall/", "kprobe"},	{"fentry/", "fentry"},		  {"fexit/", "fentry"},
		{"fmod_ret/", "fentry"},	{"tp/", "tracepoint"},		  {"tracepoint/", "tracepoint"},
		{"raw_tp/", "raw_tracepoint"},	{"raw_tracepoint/", "raw_tracepoint"}, {"uprobe", "uprobe"},
		{"uretprobe", "uprobe"},	{"tc", "tc"},			  {"classifier", "tc"},
		{"xdp", "xdp"},			{"perf_event", "perf_event"},	  {"usdt", "uprobe"},
	};
	for (size_t i = 0; i < sizeof(by_prefix) / sizeof(by_prefix[0]); i++)
		if (strncmp(sec, by_prefix[i].prefix, strlen(by_prefix[i].prefix)) == 0)
			return by_prefix[i].feature;
	return NULL;
}

bool probe_program_unsupported(const struct bpf_program *prog, char *why, size_t size)
{
	const char *feature = section_feature(bpf_program__section_name(prog));
	char reason[256];
	if (!feature)
		return false;
	libbpf_log_init(false); /* the probe's own failures are expected: keep them off stderr */
	bool available = probe_feature(feature, reason, sizeof(reason));
	libbpf_log_init(true);
	if (available)
		return false;
	snprintf(why, size, "this kernel cannot run %s programs: %s", feature, reason);
	return true;
}

int probe_main(void)
{
	/* libbpf's complaints about missing features are expected here; keep stderr quiet. */
	libbpf_log_init(false);

	struct outcome r[NFEATURES] = {0};
	for (size_t i = 0; i < NFEATURES; i++)
		features[i].probe(&r[i]);

	struct utsname u;
	uname(&u);
	char build[sizeof(u.release) + sizeof(u.version) + 2];
	snprintf(build, sizeof(build), "%s %s", u.release, u.version);

	struct json j = {0};
	json_object_begin(&j);
	json_kv_string(&j, "kernelRelease", u.release);
	json_kv_string(&j, "kernelBuild", build);
	json_kv_string(&j, "arch", u.machine);
	json_key(&j, "available");
	json_object_begin(&j);
	for (size_t i = 0; i < NFEATURES; i++)
		json_kv_bool(&j, features[i].feature, r[i].available);
	json_object_end(&j);
	json_key(&j, "reasons");
	json_object_begin(&j);
	for (size_t i = 0; i < NFEATURES; i++)
		if (!r[i].available)
			json_kv_string(&j, features[i].feature, r[i].reason);
	json_object_end(&j);
	json_object_end(&j);
	int err = json_emit(&j);
	json_free(&j);
	return err ? 1 : 0;
}
