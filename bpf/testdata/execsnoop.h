/* SPDX-License-Identifier: GPL-2.0 */
/* The record execsnoop.bpf.c sends, as a libbpf-style tool keeps it: in a header shared with user space. */
#ifndef EXECSNOOP_H
#define EXECSNOOP_H

#define COMM_LEN 16
#define PATH_LEN 127

struct event {
	int pid;
	int ppid;
	unsigned int uid;
	char comm[COMM_LEN];
	char filename[PATH_LEN];
	bool exit_event;
};

#endif
