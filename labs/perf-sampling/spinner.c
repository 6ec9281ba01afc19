// SPDX-License-Identifier: Apache-2.0
/* spinner: the workload of lesson 10. Burns one second of CPU time under a name that carries the
 * run's nonce (spin-<$BPFLAB_NONCE, its 8 letters and digits>), so its samples can be told apart
 * from every other task on the machine, then writes what it did to spinner.out.
 *
 * Build: cc -O2 -o spinner spinner.c
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>

#define CPU_BUDGET_NS 1000000000LL /* 1 s of CPU time */
#define WALL_LIMIT_NS 5000000000LL /* give up after 5 s on a very busy machine */

static long long now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void)
{
	const char *nonce = getenv("BPFLAB_NONCE");
	char comm[16] = "spin-";
	long long start = now_ns(CLOCK_MONOTONIC), cpu = 0;
	volatile unsigned long long work = 0;
	FILE *out;

	/* comm holds 15 characters; keep the ones a task name shows plainly. */
	for (int i = 0, n = 5; nonce && nonce[i] && n < 15; i++)
		if (isalnum((unsigned char)nonce[i]))
			comm[n++] = nonce[i];
	if (comm[5] == '\0')
		snprintf(comm, sizeof(comm), "spin-local");
	prctl(PR_SET_NAME, comm);

	while ((cpu = now_ns(CLOCK_PROCESS_CPUTIME_ID)) < CPU_BUDGET_NS &&
	       now_ns(CLOCK_MONOTONIC) - start < WALL_LIMIT_NS)
		for (int i = 0; i < 100000; i++)
			work += i;

	out = fopen("spinner.out", "w");
	if (!out) {
		perror("spinner: spinner.out");
		return 1;
	}
	fprintf(out, "comm %s\ncpu_ms %lld\nwall_ms %lld\n", comm, cpu / 1000000,
		(now_ns(CLOCK_MONOTONIC) - start) / 1000000);
	fclose(out);
	printf("%s burned %lld ms of CPU\n", comm, cpu / 1000000);
	return 0;
}
