/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * rdwr (after the eAudit paper): a tight loop of read() and write() of 64 bytes,
 * from /dev/zero to /dev/null.  Prints the syscalls made and the time per call.
 *
 * usage: rdwr [iterations] [processes]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int loop(long n)
{
	char buf[64];
	int in = open("/dev/zero", O_RDONLY), out = open("/dev/null", O_WRONLY);
	long i;

	if (in < 0 || out < 0) {
		perror("rdwr: open");
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (read(in, buf, sizeof(buf)) != sizeof(buf) ||
		    write(out, buf, sizeof(buf)) != sizeof(buf)) {
			perror("rdwr");
			return 1;
		}
	}
	close(in);
	close(out);
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	int procs = argc > 2 ? atoi(argv[2]) : 1, i, status, rc = 0;
	double t0, t;

	if (n <= 0 || procs <= 0) {
		fprintf(stderr, "usage: rdwr [iterations] [processes]\n");
		return 2;
	}
	t0 = now();
	for (i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("rdwr: fork");
			return 1;
		}
		if (!pid)
			_exit(loop(n));
	}
	for (i = 0; i < procs; i++)
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			rc = 1;
	t = now() - t0;
	printf("syscalls=%ld seconds=%.3f us_per_call=%.3f\n", 2 * n * procs, t,
	       t * 1e6 / (2.0 * n));
	return rc;
}
