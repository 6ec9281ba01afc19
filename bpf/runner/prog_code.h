/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `bpflab-runner code`: loads an object without attaching it and prints, per program, what the
 * kernel holds after the verifier: the rewritten (xlated) instructions with their source lines,
 * the kernel functions its calls reach, and the JIT image where the kernel shows it. The lab's
 * "Program" view is built from these lines (server/grader/program-view.ts).
 */
#ifndef BPFLAB_PROG_CODE_H
#define BPFLAB_PROG_CODE_H

#include <stddef.h>

#define PROG_CODE_MAX_RODATA 32

struct code_options {
	const char *object_path;
	size_t log_limit;                          /* --log-limit: bytes of each verifier log printed */
	const char *rodata[PROG_CODE_MAX_RODATA]; /* --rodata NAME=VALUE, as for `run` */
	int rodata_count;
};

/* Parses `code`'s arguments (argv[0] is "code"); returns 0 or EXIT_USAGE after printing why. */
int parse_code(int argc, char **argv, struct code_options *o);

/* Loads, prints a `helpers` line and one `code` line per program, and exits (unloading all). */
int prog_code_main(const struct code_options *opts);

#endif
