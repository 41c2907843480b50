/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A known workload for the compatibility tests: prints its pid, then makes
 * exactly the syscalls asked for.
 *
 * usage: workload READS OPENS FAILED_OPENS
 *   READS        read() of 64 bytes from /dev/zero
 *   OPENS        openat() + close() of /dev/null
 *   FAILED_OPENS openat() of a path that does not exist (-ENOENT)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long reads, opens, failed, i;
	char buf[64];
	int fd;

	if (argc != 4)
		return 2;
	reads = atol(argv[1]);
	opens = atol(argv[2]);
	failed = atol(argv[3]);
	printf("%d\n", getpid());
	fflush(stdout);
	fd = open("/dev/zero", O_RDONLY);
	if (fd < 0)
		return 1;
	for (i = 0; i < reads; i++)
		if (read(fd, buf, sizeof(buf)) != sizeof(buf))
			return 1;
	for (i = 0; i < opens; i++) {
		int nfd = openat(AT_FDCWD, "/dev/null", O_RDONLY);

		if (nfd < 0 || close(nfd))
			return 1;
	}
	for (i = 0; i < failed; i++)
		if (openat(AT_FDCWD, "/nonexistent/lauditd-test", O_RDONLY) >= 0)
			return 1;
	return 0;
}
