// SPDX-License-Identifier: Apache-2.0
#include "attach.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libbpf_log.h"
#include "perf.h"
#include "probe.h"

/* Grows *arr by one element of `size` bytes; out of memory is not survivable for the runner. */
static void *push(void *arr_ptr, size_t *n, size_t size)
{
	void **arr = arr_ptr;
	void *grown = realloc(*arr, (*n + 1) * size);
	if (!grown) {
		fputs("bpflab-runner: out of memory\n", stderr);
		abort();
	}
	*arr = grown;
	return (char *)grown + (*n)++ * size;
}

/* Writes the attach stage's error line: the program, its section, what failed and why. */
static int error_line(struct json *j, const struct bpf_program *prog, const char *what, const char *why)
{
	char msg[2048];
	snprintf(msg, sizeof(msg), "program '%s' (SEC(\"%s\")): %s: %s", bpf_program__name(prog),
		 bpf_program__section_name(prog), what, why);
	json_error_line(j, "attach", bpf_program__name(prog), msg);
	return -1;
}

/* Why as the errno's text and libbpf's last warning (`detail`), when it gave one. */
static int failed_with(struct json *j, const struct bpf_program *prog, const char *what, int err,
		       const char *detail)
{
	char why[1280];
	snprintf(why, sizeof(why), "%s%s%s", strerror(err < 0 ? -err : err), *detail ? "; " : "", detail);
	return error_line(j, prog, what, why);
}

static int fail(struct json *j, const struct bpf_program *prog, int err, const char *fmt, const char *arg)
{
	char what[512];
	snprintf(what, sizeof(what), fmt, arg);
	return failed_with(j, prog, what, err, libbpf_log_last());
}

/*
 * An attach the kernel refused. When the kernel lacks the feature altogether, the feature probe's
 * reason says why better than the errno or libbpf's hint (ENOENT for kprobes without
 * CONFIG_KPROBE_EVENTS; a `ulimit -l` hint for fentry without trampolines); otherwise as fail().
 */
static int attach_failed(struct json *j, const struct bpf_program *prog, int err, const char *fmt,
			 const char *arg)
{
	char what[512], detail[1024], why[512];
	snprintf(what, sizeof(what), fmt, arg);
	snprintf(detail, sizeof(detail), "%s", libbpf_log_last()); /* before the probe's own warnings */
	if (probe_program_unsupported(prog, why, sizeof(why)))
		return error_line(j, prog, what, why);
	return failed_with(j, prog, what, err, detail);
}

static void attached(struct json *j, const struct bpf_program *prog, const char *target, const char *event,
		     int cpus)
{
	json_line_begin(j, "attached");
	json_kv_string(j, "program", bpf_program__name(prog));
	json_kv_string(j, "section", bpf_program__section_name(prog));
	json_kv_string(j, "target", target);
	if (event) {
		json_kv_string(j, "event", event);
		json_kv_int(j, "cpus", cpus);
	}
	json_object_end(j);
	json_emit(j);
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int interface_index(struct json *j, const struct bpf_program *prog, const char *ifname)
{
	if (!ifname)
		return fail(j, prog, EINVAL, "%s", "this program needs --ifname"), -1;
	int ifindex = if_nametoindex(ifname);
	if (!ifindex)
		return fail(j, prog, errno, "no interface '%s'", ifname), -1;
	return ifindex;
}

/*
 * uprobe/<func>[+off] and uretprobe/<func> on --uprobe-binary, bare uprobe and uretprobe (which
 * libbpf leaves to the loader) on --uprobe-function there too; libbpf's uprobe/<path>:<func> as is.
 */
static int attach_uprobe(struct attachments *a, struct bpf_program *prog, const char *sec,
			 const struct run_options *o, struct json *j)
{
	const char *slash = strchr(sec, '/');
	char target[1024];
	struct bpf_link *link;
	if (slash && strchr(slash, ':')) {
		link = bpf_program__attach(prog);
		snprintf(target, sizeof(target), "%s", slash + 1);
	} else {
		const char *spec = slash ? slash + 1 : o->uprobe_function;
		if (!spec || !*spec)
			return fail(j, prog, EINVAL, "%s",
				    slash ? "name the function: SEC(\"uprobe/<function>\")"
					  : "a bare SEC(\"uprobe\") or SEC(\"uretprobe\") needs --uprobe-function");
		if (!o->uprobe_binary)
			return fail(j, prog, EINVAL, "%s", "a uprobe needs --uprobe-binary");
		char func[256];
		snprintf(func, sizeof(func), "%s", spec);
		size_t offset = 0;
		char *plus = strchr(func, '+');
		if (plus) {
			offset = strtoul(plus + 1, NULL, 0);
			*plus = '\0';
		}
		LIBBPF_OPTS(bpf_uprobe_opts, uo, .func_name = func, .retprobe = has_prefix(sec, "uretprobe"));
		link = bpf_program__attach_uprobe_opts(prog, -1, o->uprobe_binary, offset, &uo);
		snprintf(target, sizeof(target), "%s:%s", o->uprobe_binary, spec);
	}
	if (!link)
		return attach_failed(j, prog, errno, "attaching to %s failed", target);
	*(struct bpf_link **)push(&a->links, &a->nlinks, sizeof(link)) = link;
	attached(j, prog, target, NULL, 0);
	return 0;
}

/* Bare usdt (libbpf leaves it to the loader): the --usdt PROVIDER:NAME probe in --uprobe-binary. */
static int attach_usdt(struct attachments *a, struct bpf_program *prog, const struct run_options *o,
		       struct json *j)
{
	const char *colon = o->usdt ? strchr(o->usdt, ':') : NULL;
	if (!colon || colon == o->usdt || !colon[1])
		return fail(j, prog, EINVAL, "%s", "a bare SEC(\"usdt\") needs --usdt PROVIDER:NAME");
	if (!o->uprobe_binary)
		return fail(j, prog, EINVAL, "%s", "a USDT probe needs --uprobe-binary");
	char provider[128];
	snprintf(provider, sizeof(provider), "%.*s", (int)(colon - o->usdt), o->usdt);
	struct bpf_link *link = bpf_program__attach_usdt(prog, -1, o->uprobe_binary, provider, colon + 1, NULL);
	char target[1024];
	snprintf(target, sizeof(target), "%s:%s", o->uprobe_binary, o->usdt);
	if (!link)
		return attach_failed(j, prog, errno, "attaching to USDT probe %s failed", target);
	*(struct bpf_link **)push(&a->links, &a->nlinks, sizeof(link)) = link;
	attached(j, prog, target, NULL, 0);
	return 0;
}

/* tc/ingress, tc/egress, classifier/… (bare tc or classifier: ingress) on --ifname via clsact. */
static int attach_tc(struct attachments *a, struct bpf_program *prog, const char *sec,
		     const struct run_options *o, struct json *j)
{
	const char *dir = strchr(sec, '/');
	enum bpf_tc_attach_point point;
	if (!dir || strcmp(dir, "/ingress") == 0)
		point = BPF_TC_INGRESS;
	else if (strcmp(dir, "/egress") == 0)
		point = BPF_TC_EGRESS;
	else
		return fail(j, prog, EINVAL, "%s", "tc direction must be ingress or egress");
	int ifindex = interface_index(j, prog, o->ifname);
	if (ifindex < 0)
		return -1;

	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = point);
	bool have_clsact = false;
	for (size_t i = 0; i < a->nclsact; i++)
		have_clsact |= a->clsact_ifindexes[i] == ifindex;
	int err = have_clsact ? 0 : bpf_tc_hook_create(&hook);
	if (err && err != -EEXIST)
		return fail(j, prog, err, "creating a clsact qdisc on %s failed", o->ifname);
	if (!err && !have_clsact)
		*(int *)push(&a->clsact_ifindexes, &a->nclsact, sizeof(int)) = ifindex;

	LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = bpf_program__fd(prog));
	err = bpf_tc_attach(&hook, &opts);
	if (err)
		return attach_failed(j, prog, err, "attaching to %s failed", o->ifname);
	struct tc_filter *f = push(&a->filters, &a->nfilters, sizeof(*f));
	*f = (struct tc_filter){.hook = hook, .opts = opts};

	char target[IF_NAMESIZE + 16];
	snprintf(target, sizeof(target), "%s/%s", o->ifname, point == BPF_TC_INGRESS ? "ingress" : "egress");
	attached(j, prog, target, NULL, 0);
	return 0;
}

/*
 * XDP through a bpf_link rather than netlink (bpf_xdp_attach): the kernel detaches a link when its
 * last fd closes, so not even a SIGKILLed runner can leave an XDP program on the interface.
 */
static int attach_xdp(struct attachments *a, struct bpf_program *prog, const struct run_options *o,
		      struct json *j)
{
	int ifindex = interface_index(j, prog, o->ifname);
	if (ifindex < 0)
		return -1;
	/* The kernel's choice first (native when the driver has XDP), then generic (skb) mode. */
	LIBBPF_OPTS(bpf_link_create_opts, lo);
	int fd = bpf_link_create(bpf_program__fd(prog), ifindex, BPF_XDP, &lo);
	if (fd < 0 && errno != EBUSY && errno != EEXIST) {
		lo.flags = XDP_FLAGS_SKB_MODE;
		fd = bpf_link_create(bpf_program__fd(prog), ifindex, BPF_XDP, &lo);
	}
	if (fd < 0)
		return attach_failed(j, prog, errno, "attaching XDP to %s failed", o->ifname);
	*(int *)push(&a->xdp_links, &a->nxdp, sizeof(int)) = fd;

	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	const char *mode = "unknown";
	if (bpf_xdp_query(ifindex, 0, &q) == 0)
		mode = q.attach_mode == XDP_ATTACHED_DRV ? "native"
		     : q.attach_mode == XDP_ATTACHED_HW	 ? "offload"
							 : "generic";
	char target[IF_NAMESIZE + 16];
	snprintf(target, sizeof(target), "%s (%s)", o->ifname, mode);
	attached(j, prog, target, NULL, 0);
	return 0;
}

/* Online CPUs from /sys/devices/system/cpu/online ("0-3,6"); returns the count, or -errno. */
static int online_cpus(bool *online, int max)
{
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");
	if (!f)
		return -errno;
	int count = 0, lo, hi;
	char sep;
	while (fscanf(f, "%d", &lo) == 1) {
		hi = lo;
		sep = (char)fgetc(f);
		if (sep == '-') {
			if (fscanf(f, "%d", &hi) != 1)
				break;
			sep = (char)fgetc(f);
		}
		for (int c = lo; c <= hi && c < max; c++, count++)
			online[c] = true;
		if (sep != ',')
			break;
	}
	fclose(f);
	return count;
}

/* perf_event programs: the first event of --perf-event this machine can open, on every online CPU. */
static int attach_perf_event(struct attachments *a, struct bpf_program *prog, const struct run_options *o,
			     struct json *j)
{
	static const char *const fallback[] = {"cycles", "cpu-clock"};
	const char *const *names = o->perf_event_count ? o->perf_events : fallback;
	int count = o->perf_event_count ? o->perf_event_count : 2;
	enum { MAX_CPUS = 4096 };
	static bool online[MAX_CPUS];
	int ncpus = online_cpus(online, MAX_CPUS);
	if (ncpus <= 0)
		return fail(j, prog, -ncpus, "%s", "reading /sys/devices/system/cpu/online failed");
	int first_cpu = 0;
	while (!online[first_cpu])
		first_cpu++;

	const struct perf_event_choice *event = NULL;
	int fd = -ENOENT;
	for (int i = 0; i < count && fd < 0; i++) {
		event = perf_event_by_name(names[i]);
		if (!event)
			return fail(j, prog, EINVAL, "unknown perf event '%s'", names[i]);
		fd = perf_event_open_sampling(event, -1, first_cpu, o->perf_freq);
	}
	if (fd < 0)
		return fail(j, prog, fd, "%s", "none of the requested perf events can be opened");

	for (int cpu = first_cpu; cpu < MAX_CPUS; cpu++) {
		if (!online[cpu])
			continue;
		if (fd < 0)
			fd = perf_event_open_sampling(event, -1, cpu, o->perf_freq);
		if (fd < 0)
			return fail(j, prog, fd, "perf_event_open(%s) failed", event->name);
		struct bpf_link *link = bpf_program__attach_perf_event(prog, fd);
		if (!link) {
			int err = errno;
			close(fd);
			return fail(j, prog, err, "attaching to perf event %s failed", event->name);
		}
		*(struct bpf_link **)push(&a->links, &a->nlinks, sizeof(link)) = link;
		fd = -1;
	}
	char target[64];
	snprintf(target, sizeof(target), "perf_event %s", event->name);
	attached(j, prog, target, event->name, ncpus);
	return 0;
}

static int attach_one(struct attachments *a, struct bpf_program *prog, const struct run_options *o,
		      struct json *j)
{
	const char *sec = bpf_program__section_name(prog);
	switch (bpf_program__type(prog)) {
	case BPF_PROG_TYPE_SCHED_CLS:
		return attach_tc(a, prog, sec, o, j);
	case BPF_PROG_TYPE_XDP:
		return attach_xdp(a, prog, o, j);
	case BPF_PROG_TYPE_PERF_EVENT:
		return attach_perf_event(a, prog, o, j);
	case BPF_PROG_TYPE_KPROBE:
		if (has_prefix(sec, "uprobe") || has_prefix(sec, "uretprobe"))
			return attach_uprobe(a, prog, sec, o, j);
		if (strcmp(sec, "usdt") == 0)
			return attach_usdt(a, prog, o, j);
		break;
	default:
		break;
	}
	/* Tracepoints, raw tracepoints, kprobes, fentry/fexit, LSM, iterators: libbpf knows the target. */
	struct bpf_link *link = bpf_program__attach(prog);
	if (!link) {
		int err = errno;
		if (err == EOPNOTSUPP)
			return fail(j, prog, err, "%s", "bpflab cannot attach this section automatically");
		return attach_failed(j, prog, err, "%s", "attach failed");
	}
	if (bpf_program__expected_attach_type(prog) == BPF_TRACE_ITER)
		*(struct iter_link *)push(&a->iters, &a->niters, sizeof(struct iter_link)) =
			(struct iter_link){.link = link, .prog = prog};
	else
		*(struct bpf_link **)push(&a->links, &a->nlinks, sizeof(link)) = link;
	const char *slash = strchr(sec, '/');
	attached(j, prog, slash ? slash + 1 : sec, NULL, 0);
	return 0;
}

int attach_all(struct attachments *a, struct bpf_object *obj, const struct run_options *opts, struct json *j)
{
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, obj)
	{
		if (!bpf_program__autoload(prog))
			continue;
		libbpf_log_clear();
		if (attach_one(a, prog, opts, j))
			return -1;
	}
	return 0;
}

static int iter_warning(struct json *j, const char *program, const char *what)
{
	char msg[512];
	snprintf(msg, sizeof(msg), "iterator '%s': %s", program, what);
	return json_warning_line(j, msg);
}

int read_iterators(struct attachments *a, struct json *j)
{
	enum { ITER_MAX_BYTES = 1 << 20 };
	char buf[8192];
	for (size_t i = 0; i < a->niters; i++) {
		const char *program = bpf_program__name(a->iters[i].prog);
		int fd = bpf_iter_create(bpf_link__fd(a->iters[i].link));
		if (fd < 0) {
			char what[256];
			snprintf(what, sizeof(what), "starting it failed: %s", strerror(errno));
			if (iter_warning(j, program, what))
				return -EIO;
			continue;
		}
		size_t len = 0, total = 0;
		ssize_t n;
		int err = 0;
		while (total < ITER_MAX_BYTES && (n = read(fd, buf + len, sizeof(buf) - len)) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				char what[256];
				snprintf(what, sizeof(what), "reading it failed: %s", strerror(errno));
				err = iter_warning(j, program, what);
				break;
			}
			len += n;
			total += n;
			/* A line longer than the buffer is cut into pieces rather than lost. */
			if ((err = json_emit_text_lines(j, "iter", program, buf, &len, len == sizeof(buf))))
				break;
		}
		if (!err)
			err = json_emit_text_lines(j, "iter", program, buf, &len, true);
		if (!err && total >= ITER_MAX_BYTES)
			err = iter_warning(j, program, "output cut after 1 MiB");
		close(fd);
		if (err)
			return -EIO;
	}
	return 0;
}

void detach_all(struct attachments *a)
{
	for (size_t i = 0; i < a->nlinks; i++)
		bpf_link__destroy(a->links[i]);
	for (size_t i = 0; i < a->niters; i++)
		bpf_link__destroy(a->iters[i].link);
	for (size_t i = 0; i < a->nxdp; i++)
		close(a->xdp_links[i]);
	for (size_t i = 0; i < a->nfilters; i++) {
		struct tc_filter *f = &a->filters[i];
		f->opts.prog_fd = f->opts.flags = f->opts.prog_id = 0;
		bpf_tc_detach(&f->hook, &f->opts);
	}
	for (size_t i = 0; i < a->nclsact; i++) {
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = a->clsact_ifindexes[i],
			    .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);
		bpf_tc_hook_destroy(&hook);
	}
	free(a->links);
	free(a->iters);
	free(a->xdp_links);
	free(a->filters);
	free(a->clsact_ifindexes);
	*a = (struct attachments){0};
}
