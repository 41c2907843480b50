/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * forkloop (after the eAudit paper): fork(), the child _exit()s at once, the
 * parent waits for it.  Prints the forks made, the wall time and the time per
 * fork+exit+wait.
 *
 * usage: forkloop [iterations]     (default 10000)
 */
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

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10000, i;
	double t0, t;
	int status;

	if (argc > 2 || n <= 0) {
		fprintf(stderr, "usage: forkloop [iterations]\n");
		return 2;
	}
	t0 = now();
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("forkloop: fork");
			return 1;
		}
		if (!pid)
			_exit(0);
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "forkloop: child failed\n");
			return 1;
		}
	}
	t = now() - t0;
	printf("forks=%ld seconds=%.3f us_per_fork=%.2f\n", n, t, t * 1e6 / n);
	return 0;
}
