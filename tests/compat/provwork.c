/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The workload of the cache filter's dependence test (provgraph.py): four
 * processes (comm pw-A .. pw-D, forked by pw-main, which made a pipe and a
 * socket pair before) exchange data through files under DIR, the pipe and the
 * socket pair, one step at a time:
 *
 *   1 A writes F twice                  8 B reads G twice
 *   2 B reads F twice                   9 A writes the pipe three times
 *   3 A writes F again                 10 D reads the pipe three times
 *   4 B reads F twice                  11 D writes H twice
 *   5 C writes G                       12 B writes the socket three times
 *   6 B reads G 100 times (unchanged)  13 D reads the socket three times, answers once
 *   7 C rewrites G                     14 B reads the answer, writes K twice
 *                                      15 C reads H twice through a dup of its
 *                                         descriptor, closes both
 *                                      16 D opens L, writes it twice, closes it
 *                                      17 C opens L, reads it twice, closes it
 *
 * pw-main marks the start of step N with close(1000 + N), which fails: the
 * checker numbers every syscall by the step it fell in, the same in every run.
 * A step starts 3 ms after the one before ended and its mark, so that the
 * log's millisecond time stamps order them.  The steps are ordered through
 * anonymous shared memory, which no captured syscall touches.
 *
 * usage: provwork DIR
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#define STEPS 17

struct shared {
	int step; /* the step that may run */
	int done; /* the last step finished */
};

static struct shared *sh;
static char dir[PATH_MAX - 8];
static int pipefd[2], sp[2];

static void wait_step(int n)
{
	while (__atomic_load_n(&sh->step, __ATOMIC_ACQUIRE) < n)
		usleep(200);
}

static void step_done(int n)
{
	__atomic_store_n(&sh->done, n, __ATOMIC_RELEASE);
}

static int open_in(const char *name, int flags)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return open(p, flags, 0600);
}

/* @n calls of pread(@fd) of 4 bytes: 0 when each read them. */
static int preads(int fd, int n)
{
	char buf[4];

	while (n--)
		if (pread(fd, buf, 4, 0) != 4)
			return -1;
	return 0;
}

static int writes(int fd, const char *s, int n)
{
	while (n--)
		if (write(fd, s, 4) != 4)
			return -1;
	return 0;
}

static int reads(int fd, int n)
{
	char buf[4];

	while (n--)
		if (read(fd, buf, 4) != 4)
			return -1;
	return 0;
}

static int role_a(void)
{
	int f;

	wait_step(1);
	f = open_in("F", O_WRONLY | O_CREAT | O_TRUNC);
	if (f < 0 || writes(f, "aaaa", 2))
		return 1;
	step_done(1);
	wait_step(3);
	if (pwrite(f, "AAAA", 4, 0) != 4)
		return 1;
	step_done(3);
	wait_step(9);
	if (writes(pipefd[1], "pppp", 3))
		return 1;
	step_done(9);
	return 0;
}

static int role_b(void)
{
	int f, g, k;

	wait_step(2);
	f = open_in("F", O_RDONLY);
	if (f < 0 || preads(f, 2))
		return 1;
	step_done(2);
	wait_step(4);
	if (preads(f, 2))
		return 1;
	step_done(4);
	wait_step(6);
	g = open_in("G", O_RDONLY);
	if (g < 0 || preads(g, 100))
		return 1;
	step_done(6);
	wait_step(8);
	if (preads(g, 2))
		return 1;
	step_done(8);
	wait_step(12);
	if (writes(sp[0], "ssss", 3))
		return 1;
	step_done(12);
	wait_step(14);
	k = open_in("K", O_WRONLY | O_CREAT | O_TRUNC);
	if (k < 0 || reads(sp[0], 1) || writes(k, "kkkk", 2))
		return 1;
	step_done(14);
	return 0;
}

static int role_c(void)
{
	int g, h, d;

	wait_step(5);
	g = open_in("G", O_WRONLY | O_CREAT | O_TRUNC);
	if (g < 0 || writes(g, "gggg", 1))
		return 1;
	step_done(5);
	wait_step(7);
	if (pwrite(g, "GGGG", 4, 0) != 4)
		return 1;
	step_done(7);
	wait_step(15);
	h = open_in("H", O_RDONLY);
	if (h < 0 || (d = fcntl(h, F_DUPFD_CLOEXEC, 0)) < 0 || reads(d, 2) || close(d) || close(h))
		return 1;
	step_done(15);
	wait_step(17);
	h = open_in("L", O_RDONLY);
	if (h < 0 || reads(h, 2) || close(h))
		return 1;
	step_done(17);
	return 0;
}

static int role_d(void)
{
	int h;

	wait_step(10);
	if (reads(pipefd[0], 3))
		return 1;
	step_done(10);
	wait_step(11);
	h = open_in("H", O_WRONLY | O_CREAT | O_TRUNC);
	if (h < 0 || writes(h, "hhhh", 2))
		return 1;
	step_done(11);
	wait_step(13);
	if (reads(sp[1], 3) || writes(sp[1], "dddd", 1))
		return 1;
	step_done(13);
	wait_step(16);
	h = open_in("L", O_WRONLY | O_CREAT | O_TRUNC);
	if (h < 0 || writes(h, "llll", 2) || close(h))
		return 1;
	step_done(16);
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const comms[] = {"pw-A", "pw-B", "pw-C", "pw-D"};
	int (*const roles[])(void) = {role_a, role_b, role_c, role_d};
	pid_t pids[4];
	int i, n, status, rc = 0;

	if (argc != 2 || strlen(argv[1]) >= sizeof(dir))
		return 2;
	strcpy(dir, argv[1]);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 1;
	prctl(PR_SET_NAME, "pw-main");
	if (pipe(pipefd) || socketpair(AF_UNIX, SOCK_STREAM, 0, sp))
		return 1;
	for (i = 0; i < 4; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			return 1;
		if (!pids[i]) {
			prctl(PR_SET_NAME, comms[i]);
			_exit(roles[i]());
		}
	}
	for (i = 1; i <= STEPS; i++) {
		usleep(3000);
		close(1000 + i);
		usleep(3000);
		__atomic_store_n(&sh->step, i, __ATOMIC_RELEASE);
		/* a role that failed never finishes its step: give up after 10 s */
		for (n = 0; __atomic_load_n(&sh->done, __ATOMIC_ACQUIRE) < i; n++) {
			if (n == 50000) {
				for (int j = 0; j < 4; j++)
					kill(pids[j], SIGKILL);
				return 1;
			}
			usleep(200);
		}
	}
	for (i = 0; i < 4; i++)
		if (waitpid(pids[i], &status, 0) != pids[i] || status)
			rc = 1;
	return rc;
}
