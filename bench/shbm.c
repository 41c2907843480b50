/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * shbm (after the eAudit paper): a loop of fork() and execve() of /bin/echo, the
 * parent waiting for each child.  The children's output goes to /dev/null.
 * Prints the programs run, the wall time and the time per fork+exec.
 *
 * usage: shbm [iterations]     (default 2000)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	char *const args[] = {"echo", "shbm", NULL};
	long n = argc > 1 ? atol(argv[1]) : 2000, i;
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC), status;
	double t0, t;

	if (argc > 2 || n <= 0 || null < 0) {
		fprintf(stderr, "usage: shbm [iterations]\n");
		return 2;
	}
	t0 = now();
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("shbm: fork");
			return 1;
		}
		if (!pid) {
			if (dup2(null, 1) < 0)
				_exit(126);
			execve("/bin/echo", args, environ);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "shbm: /bin/echo failed\n");
			return 1;
		}
	}
	t = now() - t0;
	printf("execs=%ld seconds=%.3f ms_per_exec=%.4f\n", n, t, t * 1e3 / n);
	return 0;
}
