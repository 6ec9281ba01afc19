/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bpflab-runner's exit status: one per stage, so a caller can tell a learner's mistake (open,
 * load, attach) from a platform fault (run, dump) without parsing output. Values follow
 * sysexits.h's range so they never collide with a shell's 126/127/128+N.
 */
#ifndef BPFLAB_EXIT_CODES_H
#define BPFLAB_EXIT_CODES_H

enum bpflab_exit {
	EXIT_OK = 0,           /* stopped normally (signal, stdin EOF or --duration-ms) */
	EXIT_USAGE = 64,       /* bad command line */
	EXIT_OPEN = 65,        /* the object is not a valid BPF ELF (bpf_object__open) */
	EXIT_LOAD = 66,        /* map creation or verifier rejection (bpf_object__load) */
	EXIT_ATTACH = 67,      /* a program could not be attached to its section's target */
	EXIT_RUN = 68,         /* polling, trace_pipe or output failed while running */
	EXIT_DUMP = 69,        /* reading maps after the run failed */
};

#endif
