// SPDX-License-Identifier: Apache-2.0
/* recvflags: the workload of lab udp-recv-fentry. Binds a UDP socket on 127.0.0.1, sends itself
 * nine datagrams and receives them with known flags, so that the flags udp_recvmsg() was called
 * with can be checked:
 *
 *   2 x recv(MSG_PEEK)       looks at the first datagram without taking it
 *   4 x recv(0)              takes datagrams 1-4
 *   3 x recv(MSG_DONTWAIT)   takes datagrams 5-7 (they are there, so nothing waits)
 *   2 x recv(0)              takes datagrams 8-9
 *
 * Its name, recvflags, is what the lab's program filters on. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

static int take(int fd, int flags, int times)
{
	char buf[64];

	for (int i = 0; i < times; i++)
		if (recv(fd, buf, sizeof(buf), flags) < 0) {
			perror("recvflags: recv");
			return -1;
		}
	return 0;
}

int main(void)
{
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(addr);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    getsockname(fd, (struct sockaddr *)&addr, &len)) {
		perror("recvflags: socket");
		return 1;
	}
	for (int i = 1; i <= 9; i++) {
		char msg[16];
		int n = snprintf(msg, sizeof(msg), "datagram %d", i);

		if (sendto(fd, msg, n, 0, (struct sockaddr *)&addr, sizeof(addr)) != n) {
			perror("recvflags: sendto");
			return 1;
		}
	}
	if (take(fd, MSG_PEEK, 2) || take(fd, 0, 4) || take(fd, MSG_DONTWAIT, 3) || take(fd, 0, 2))
		return 1;
	printf("recvflags: 9 datagrams received on port %d: flags 0 x6, MSG_DONTWAIT x3, MSG_PEEK x2\n",
	       ntohs(addr.sin_port));
	close(fd);
	return 0;
}
