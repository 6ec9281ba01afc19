// SPDX-License-Identifier: Apache-2.0
/*
 * The integration tests' workload, with exact counts:
 *   bpflab-workload add N      calls add_numbers() N times (uprobe target), prints the last sum
 *   bpflab-workload getppid N  makes N getppid syscalls
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

__attribute__((noinline)) int add_numbers(int a, int b)
{
	/* Keeps the call from being folded away, so the uprobe sees every one. */
	__asm__ volatile("" : "+r"(a));
	return a + b;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fputs("usage: bpflab-workload add|getppid N\n", stderr);
		return 64;
	}
	int n = atoi(argv[2]), sum = 0;
	if (strcmp(argv[1], "add") == 0) {
		for (int i = 0; i < n; i++)
			sum = add_numbers(sum, i);
		printf("%d\n", sum);
	} else {
		for (int i = 0; i < n; i++)
			syscall(SYS_getppid);
	}
	return 0;
}
