// SPDX-License-Identifier: Apache-2.0
/* family: the process the checks look for. Renames itself to argv[1], starts three more threads,
 * forks one child named argv[2], prints "ready" and waits until it is killed (at most 60 s).
 *
 *   usage: family LEADER_NAME CHILD_NAME */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

static void *idle(void *arg)
{
	(void)arg;
	sleep(60);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t threads[3];

	if (argc != 3) {
		fprintf(stderr, "usage: family LEADER_NAME CHILD_NAME\n");
		return 2;
	}
	prctl(PR_SET_NAME, argv[1]);
	for (int i = 0; i < 3; i++)
		pthread_create(&threads[i], NULL, idle, NULL);
	if (fork() == 0) {
		prctl(PR_SET_NAME, argv[2]);
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* goes when the leader goes */
		sleep(60);
		return 0;
	}
	printf("ready\n");
	fflush(stdout);
	sleep(60);
	return 0;
}
