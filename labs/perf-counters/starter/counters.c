// SPDX-License-Identifier: Apache-2.0
/* counters: open three counters for the workload's task, hand them to counters.bpf.c through
 * its PERF_EVENT_ARRAY, attach its probes to crunch() in ./work, let ./work run and print the
 * totals. The counters are the CPU's own (cycles, instructions, cache misses) when the kernel
 * has a PMU driver for it, else the kernel's software counters, and the output says which.
 *
 *   usage: counters [ROUNDS]     (in the lab's directory: it runs ./work ROUNDS) */
#include <errno.h>
#include <linux/perf_event.h>
#include <linux/types.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "counters.h"
#include "counters.skel.h"

struct counter {
	__u32 type;
	__u64 config;
	const char *name;
};

/* The CPU's counters first; where it has none (most VMs), software counters in their slots. */
static const struct {
	const char *mode;
	struct counter counter[NCOUNTERS];
} SETS[] = {
	{"hardware",
	 {{PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, "cycles"},
	  {PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, "instructions"},
	  {PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES, "cache-misses"}}},
	{"software",
	 {{PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, "task-clock-ns"},
	  {PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, "page-faults"},
	  {PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES, "context-switches"}}},
};

/* One counting (not sampling) event for one task, on whichever CPU it runs. */
static int open_counter(const struct counter *c, pid_t pid)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = c->type,
		.config = c->config,
	};

	return syscall(SYS_perf_event_open, &attr, pid, -1, -1, 0);
}

/* Opens the first set whose counters all open; its index, or -1. */
static int open_set(pid_t pid, int fds[NCOUNTERS])
{
	for (size_t s = 0; s < sizeof(SETS) / sizeof(SETS[0]); s++) {
		int i;

		for (i = 0; i < NCOUNTERS; i++) {
			fds[i] = open_counter(&SETS[s].counter[i], pid);
			if (fds[i] < 0)
				break;
		}
		if (i == NCOUNTERS)
			return (int)s;
		fprintf(stderr, "counters: no %s counter %s (%s)\n", SETS[s].mode, SETS[s].counter[i].name,
			strerror(errno));
		while (i-- > 0)
			close(fds[i]);
	}
	return -1;
}

int main(int argc, char **argv)
{
	const char *rounds = argc > 1 ? argv[1] : "5";
	struct counters_bpf *skel = NULL;
	struct bpf_link *links[2] = {NULL, NULL};
	int go[2], fds[NCOUNTERS], set = -1, status, err = 1;
	pid_t work;

	/* The workload waits on a pipe until its counters and probes are in place. */
	if (pipe(go)) {
		perror("counters: pipe");
		return 1;
	}
	work = fork();
	if (work == 0) {
		char c;

		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		execl("./work", "work", rounds, (char *)NULL);
		perror("counters: ./work");
		_exit(127);
	}
	close(go[0]);

	set = open_set(work, fds);
	if (set < 0) {
		fprintf(stderr, "counters: neither hardware nor software counters could be opened\n");
		goto cleanup;
	}
	skel = counters_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "counters: cannot load counters.bpf.o: %s\n", strerror(errno));
		goto cleanup;
	}
	for (__u32 i = 0; i < NCOUNTERS; i++)
		if (bpf_map_update_elem(bpf_map__fd(skel->maps.counters), &i, &fds[i], BPF_ANY)) {
			fprintf(stderr, "counters: cannot store counter %u: %s\n", i, strerror(errno));
			goto cleanup;
		}
	for (int ret = 0; ret < 2; ret++) {
		LIBBPF_OPTS(bpf_uprobe_opts, uo, .func_name = "crunch", .retprobe = ret);
		struct bpf_program *prog = ret ? skel->progs.crunch_exit : skel->progs.crunch_enter;

		links[ret] = bpf_program__attach_uprobe_opts(prog, work, "./work", 0, &uo);
		if (!links[ret]) {
			fprintf(stderr, "counters: cannot attach %s to crunch in ./work: %s\n",
				bpf_program__name(prog), strerror(errno));
			goto cleanup;
		}
	}

	if (write(go[1], "g", 1) != 1 || waitpid(work, &status, 0) != work) {
		perror("counters: running ./work");
		goto cleanup;
	}
	work = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "counters: ./work failed\n");
		goto cleanup;
	}

	printf("mode %s\n", SETS[set].mode);
	printf("calls %llu\n", (unsigned long long)skel->bss->totals.calls);
	for (int i = 0; i < NCOUNTERS; i++)
		printf("%s %llu\n", SETS[set].counter[i].name,
		       (unsigned long long)skel->bss->totals.value[i]);
	if (set == 0 && skel->bss->totals.value[0])
		printf("ipc %.2f\n", (double)skel->bss->totals.value[1] / skel->bss->totals.value[0]);
	err = 0;

cleanup:
	if (work > 0) {
		kill(work, SIGKILL);
		waitpid(work, NULL, 0);
	}
	for (int i = 0; i < 2; i++)
		bpf_link__destroy(links[i]);
	counters_bpf__destroy(skel);
	if (set >= 0)
		for (int i = 0; i < NCOUNTERS; i++)
			close(fds[i]);
	return err;
}
