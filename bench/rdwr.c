/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * rdwr (after the eAudit paper): a tight loop of read() and write() of 64 bytes.
 *
 * By default each process reads 64 B at a time from a regular file of 1 MiB
 * (rewound with lseek() at end of file) and writes 64 B at a time to another
 * regular file (rewound every 1 MiB), both in a fresh temporary directory that
 * is removed at the end: the paper's rdwr reads and writes a file.  With -d it
 * reads /dev/zero and writes /dev/null instead.
 *
 * Prints the read() and write() calls made (the lseek() rewinds, one per 16384
 * calls, and the set-up are not counted), the loop's wall time and the time per
 * call of one process.
 *
 * usage: rdwr [-d] [-t seconds] [-r rate] [-T tmpdir] [iterations] [processes]
 *   -d          /dev/zero -> /dev/null instead of files
 *   -t seconds  run each process for this long instead of a number of iterations
 *   -r rate     at most this many calls per second per process (nanosleep()
 *               between batches of 1024 iterations); default: full speed
 *   -T tmpdir   where the temporary directory goes (default $TMPDIR or /tmp)
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK	   64
#define FILE_BYTES (1L << 20)

struct opts {
	int dev;
	double seconds;
	double rate;
	long n;
	char dir[PATH_MAX];
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Create @path holding FILE_BYTES bytes; returns an fd open for reading. */
static int make_input(const char *path)
{
	static char block[65536];
	long done;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	memset(block, 'x', sizeof(block));
	for (done = 0; done < FILE_BYTES; done += sizeof(block))
		if (write(fd, block, sizeof(block)) != (ssize_t)sizeof(block))
			return -1;
	if (lseek(fd, 0, SEEK_SET) < 0)
		return -1;
	return fd;
}

/* One process's loop; stores the calls made in *calls.  Returns 0 or 1. */
static int loop(const struct opts *o, int idx, long *calls)
{
	char buf[CHUNK], in_path[PATH_MAX + 32], out_path[PATH_MAX + 32];
	long i = 0, in_off = 0, out_off = 0;
	double start, end;
	int in, out, rc = 1;

	if (o->dev) {
		in = open("/dev/zero", O_RDONLY | O_CLOEXEC);
		out = open("/dev/null", O_WRONLY | O_CLOEXEC);
	} else {
		snprintf(in_path, sizeof(in_path), "%s/in.%d", o->dir, idx);
		snprintf(out_path, sizeof(out_path), "%s/out.%d", o->dir, idx);
		in = make_input(in_path);
		out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	}
	if (in < 0 || out < 0) {
		perror("rdwr: open");
		return 1;
	}
	start = now();
	end = o->seconds > 0 ? start + o->seconds : 0;
	for (;;) {
		/* clock_gettime() is a vDSO call, not a syscall: look every 1024 */
		if (!(i & 1023) && (end || o->rate > 0)) {
			double t = now();

			if (end && t >= end)
				break;
			if (o->rate > 0 && 2.0 * i / o->rate > t - start) {
				double ahead = 2.0 * i / o->rate - (t - start);
				struct timespec ts = {
					.tv_sec = (time_t)ahead,
					.tv_nsec = (long)((ahead - (time_t)ahead) * 1e9)};

				nanosleep(&ts, NULL);
			}
		}
		if (!end && i >= o->n)
			break;
		if (read(in, buf, sizeof(buf)) != sizeof(buf)) {
			perror("rdwr: read");
			goto out;
		}
		if (write(out, buf, sizeof(buf)) != sizeof(buf)) {
			perror("rdwr: write");
			goto out;
		}
		i++;
		if (o->dev)
			continue;
		in_off += CHUNK;
		out_off += CHUNK;
		if (in_off == FILE_BYTES) {
			if (lseek(in, 0, SEEK_SET) < 0)
				goto out;
			in_off = 0;
		}
		if (out_off == FILE_BYTES) {
			if (lseek(out, 0, SEEK_SET) < 0)
				goto out;
			out_off = 0;
		}
	}
	rc = 0;
out:
	*calls = 2 * i;
	close(in);
	close(out);
	if (!o->dev) {
		unlink(in_path);
		unlink(out_path);
	}
	return rc;
}

static __attribute__((noreturn)) void usage(void)
{
	fprintf(stderr, "usage: rdwr [-d] [-t seconds] [-r rate] [-T tmpdir] [iterations] "
			"[processes]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *tmp = getenv("TMPDIR");
	struct opts o = {.n = 1000000};
	int procs = 1, i, ch, status, rc = 0;
	long *calls, total = 0;
	double t0, t;

	while ((ch = getopt(argc, argv, "dt:r:T:")) != -1) {
		switch (ch) {
		case 'd':
			o.dev = 1;
			break;
		case 't':
			o.seconds = atof(optarg);
			if (o.seconds <= 0)
				usage();
			break;
		case 'r':
			o.rate = atof(optarg);
			if (o.rate <= 0)
				usage();
			break;
		case 'T':
			tmp = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind < argc)
		o.n = atol(argv[optind++]);
	if (optind < argc)
		procs = atoi(argv[optind++]);
	if (optind != argc || o.n <= 0 || procs <= 0)
		usage();
	if (!o.dev) {
		snprintf(o.dir, sizeof(o.dir), "%s/rdwr.XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(o.dir)) {
			perror("rdwr: mkdtemp");
			return 1;
		}
	}
	/* each child writes its count here; the parent sums them */
	calls = mmap(NULL, procs * sizeof(*calls), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (calls == MAP_FAILED) {
		perror("rdwr: mmap");
		return 1;
	}
	t0 = now();
	for (i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("rdwr: fork");
			return 1;
		}
		if (!pid)
			_exit(loop(&o, i, &calls[i]));
	}
	for (i = 0; i < procs; i++)
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			rc = 1;
	t = now() - t0;
	for (i = 0; i < procs; i++)
		total += calls[i];
	if (!o.dev && rmdir(o.dir))
		perror("rdwr: rmdir");
	printf("mode=%s processes=%d syscalls=%ld seconds=%.3f us_per_call=%.3f\n",
	       o.dev ? "dev" : "file", procs, total, t, total ? t * 1e6 * procs / total : 0.0);
	return rc;
}
