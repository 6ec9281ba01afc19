/* SPDX-License-Identifier: GPL-2.0 */
/* The record execsnoop.bpf.c sends through the ring buffer; loader.c reads the same layout. */
#ifndef EXECSNOOP_H
#define EXECSNOOP_H

#define EXEC_COMM_LEN 16

struct exec_event {
	int pid;
	int ppid;
	char comm[EXEC_COMM_LEN];
};

#endif /* EXECSNOOP_H */
