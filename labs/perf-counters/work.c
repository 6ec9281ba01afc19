// SPDX-License-Identifier: Apache-2.0
/* work: the workload of lab perf-counters. Calls crunch() ROUNDS times; each call spends a few
 * milliseconds of CPU in a loop (about 7 on the course's machines), touches 64 fresh pages and
 * sleeps twice for a millisecond. It measures what it did itself, with the thread's CPU clock,
 * and writes the truth to work.truth:
 *
 *   calls N / cpu-ns N / pages N / sleeps N / loop-iterations N
 *
 *   usage: work [ROUNDS] */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGES 64
#define SLEEPS 2
#define LOOP 4000000

static long page_size;

static unsigned long long thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* The function the probes attach to: not inlined, and kept in the symbol table. */
__attribute__((noinline, used)) unsigned long long crunch(unsigned long long seed)
{
	volatile unsigned long long acc = seed;
	struct timespec ms = {.tv_nsec = 1000000};
	char *pages = mmap(NULL, PAGES * page_size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (pages == MAP_FAILED)
		exit(1);
	for (int i = 0; i < PAGES; i++)
		pages[i * page_size] = (char)i; /* the first write to each page faults it in */
	for (long i = 0; i < LOOP; i++)
		acc = acc * 6364136223846793005ull + 1442695040888963407ull;
	for (int i = 0; i < SLEEPS; i++)
		nanosleep(&ms, NULL);
	munmap(pages, PAGES * page_size);
	return acc;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 5;
	unsigned long long cpu = 0, sum = 0;
	FILE *truth;

	page_size = sysconf(_SC_PAGESIZE);
	for (int r = 0; r < rounds; r++) {
		unsigned long long before = thread_cpu_ns();

		sum += crunch(r);
		cpu += thread_cpu_ns() - before;
	}
	truth = fopen("work.truth", "w");
	if (!truth)
		return 1;
	fprintf(truth, "calls %d\ncpu-ns %llu\npages %d\nsleeps %d\nloop-iterations %ld\n", rounds, cpu,
		rounds * PAGES, rounds * SLEEPS, (long)rounds * LOOP);
	fclose(truth);
	return sum == 42; /* uses the result, so the loop is not optimised away */
}
