// SPDX-License-Identifier: Apache-2.0
/*
 * The integration tests' workload, with exact counts:
 *   bpflab-workload add N      calls add_numbers() N times (uprobe target), prints the last sum
 *   bpflab-workload getppid N  makes N getppid syscalls
 *   bpflab-workload tick N     passes the USDT probe bpflab:tick N times
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * A USDT probe without <sys/sdt.h> (systemtap-sdt-dev): a nop at the probe site and the ELF note
 * that names it, laid out as SystemTap's STAP_PROBE does (no arguments, no semaphore).
 */
#define USDT_PROBE(provider, name)                                                                 \
	__asm__ __volatile__("990: nop\n"                                                           \
			     ".pushsection .note.stapsdt,\"?\",\"note\"\n"                          \
			     ".balign 4\n"                                                          \
			     ".4byte 992f-991f, 994f-993f, 3\n"                                     \
			     "991: .asciz \"stapsdt\"\n"                                            \
			     "992: .balign 4\n"                                                     \
			     "993: .8byte 990b\n"                                                   \
			     ".8byte _.stapsdt.base\n"                                              \
			     ".8byte 0\n"                                                           \
			     ".asciz \"" #provider "\"\n"                                           \
			     ".asciz \"" #name "\"\n"                                               \
			     ".asciz \"\"\n"                                                        \
			     "994: .balign 4\n"                                                     \
			     ".popsection\n"                                                        \
			     ".ifndef _.stapsdt.base\n"                                             \
			     ".pushsection .stapsdt.base,\"aG\",\"progbits\",.stapsdt.base,comdat\n"\
			     ".weak _.stapsdt.base\n"                                               \
			     ".hidden _.stapsdt.base\n"                                             \
			     "_.stapsdt.base: .space 1\n"                                           \
			     ".size _.stapsdt.base, 1\n"                                            \
			     ".popsection\n"                                                        \
			     ".endif\n")

__attribute__((noinline)) int add_numbers(int a, int b)
{
	/* Keeps the call from being folded away, so the uprobe sees every one. */
	__asm__ volatile("" : "+r"(a));
	return a + b;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fputs("usage: bpflab-workload add|getppid|tick N\n", stderr);
		return 64;
	}
	int n = atoi(argv[2]), sum = 0;
	if (strcmp(argv[1], "add") == 0) {
		for (int i = 0; i < n; i++)
			sum = add_numbers(sum, i);
		printf("%d\n", sum);
	} else if (strcmp(argv[1], "tick") == 0) {
		for (int i = 0; i < n; i++)
			USDT_PROBE(bpflab, tick);
	} else {
		for (int i = 0; i < n; i++)
			syscall(SYS_getppid);
	}
	return 0;
}
