/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Dependences for the cache filter's test: process A (this one) writes FILE,
 * process B (its child) reads it twice with pread, then A writes again (mode
 * "rewrite": FILE; the other modes: OTHER, leaving FILE as it was), then B
 * reads FILE twice more: mode "close" closes and opens it again before, mode
 * "sleep" waits 1.5 s before.  Prints "A B" (the pids) once both are done.  The
 * steps are ordered through anonymous shared memory, which no captured syscall
 * touches.
 *
 * usage: cachedep rewrite|other|close|sleep FILE OTHER
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

static volatile int *step;

static void wait_step(int n)
{
	while (__atomic_load_n(step, __ATOMIC_ACQUIRE) < n)
		usleep(1000);
}

static void set_step(int n)
{
	__atomic_store_n(step, n, __ATOMIC_RELEASE);
}

int main(int argc, char **argv)
{
	int fd, other, status;
	char buf[4];
	pid_t b;

	if (argc != 4 || (strcmp(argv[1], "rewrite") && strcmp(argv[1], "other") &&
			  strcmp(argv[1], "close") && strcmp(argv[1], "sleep")))
		return 2;
	step = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (step == MAP_FAILED)
		return 1;
	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	other = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || other < 0)
		return 1;
	b = fork();
	if (b < 0)
		return 1;
	if (b == 0) {
		wait_step(1);
		fd = open(argv[2], O_RDONLY);
		if (fd < 0 || pread(fd, buf, 4, 0) != 4 || pread(fd, buf, 4, 0) != 4)
			_exit(1);
		set_step(2);
		wait_step(3);
		if (!strcmp(argv[1], "close") && (close(fd) || open(argv[2], O_RDONLY) != fd))
			_exit(1);
		if (!strcmp(argv[1], "sleep"))
			usleep(1500000);
		if (pread(fd, buf, 4, 0) != 4 || pread(fd, buf, 4, 0) != 4)
			_exit(1);
		_exit(0);
	}
	if (write(fd, "abcd", 4) != 4)
		return 1;
	set_step(1);
	wait_step(2);
	if (write(strcmp(argv[1], "rewrite") ? other : fd, "efgh", 4) != 4)
		return 1;
	set_step(3);
	if (waitpid(b, &status, 0) != b || status)
		return 1;
	printf("%d %d\n", getpid(), b);
	return 0;
}
