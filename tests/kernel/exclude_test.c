// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Processes left out of capture (capture_exclude()), as lauditd leaves its
 * plugins out: none of their syscalls is recorded, nor those of what they
 * fork, while a process that is not left out is recorded as before; an entry
 * goes when its process ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "tests/kernel/ktest.h"

/* The read lengths that name a body's steps in its records. */
#define KT_X_BEFORE 3
#define KT_X_AFTER  4
#define KT_X_CHILD  5

/* Records counted by process: the first is the child, the second its child. */
struct kt_x_counts {
	pid_t pid[2];
	int records[2];
	int reads[2][8]; /* by read length */
};

/* What the rings held while a test ran: each record's pid, syscall and third argument. */
#define KT_X_SEEN 65536
static struct {
	uint32_t pid;
	int32_t nr;
	uint64_t a2;
} kt_x_seen[KT_X_SEEN];
static size_t kt_x_nseen;

static void kt_x_on(void *arg, const struct la_event *ev, size_t len)
{
	(void)arg;
	(void)len;
	if (kt_x_nseen == KT_X_SEEN)
		return;
	kt_x_seen[kt_x_nseen].pid = ev->pid;
	kt_x_seen[kt_x_nseen].nr = ev->nr;
	kt_x_seen[kt_x_nseen].a2 = ev->args[2];
	kt_x_nseen++;
}

/* Start noting what the rings hold. */
static void kt_x_watch(void)
{
	kt_main_sync(0);
	kt_x_nseen = 0;
	kt_main_sink.on = kt_x_on;
}

/* Stop, and count the records of @c's processes. */
static void kt_x_count(struct kt_x_counts *c)
{
	size_t j;
	int i;

	kt_main_sync(0);
	kt_main_sink.on = NULL;
	KT_ASSERT(kt_x_nseen < KT_X_SEEN);
	for (j = 0; j < kt_x_nseen; j++) {
		for (i = 0; i < 2; i++) {
			if (!c->pid[i] || kt_x_seen[j].pid != (uint32_t)c->pid[i])
				continue;
			c->records[i]++;
			if (kt_x_seen[j].nr == SYS_read && kt_x_seen[j].a2 < 8)
				c->reads[i][kt_x_seen[j].a2]++;
		}
	}
}

static void kt_x_reads(int fd, int n, long len)
{
	char b[8];

	while (n--)
		kt_sys(SYS_read, fd, (long)b, len, 0, 0, 0);
}

/*
 * The child: @n reads of KT_X_AFTER bytes from /dev/null, then a child of its
 * own that makes 2 reads of KT_X_CHILD, whose pid goes to *@gpid.
 */
static void kt_x_work(int n, pid_t *gpid)
{
	int fd = open("/dev/null", O_RDONLY);
	pid_t g;

	kt_x_reads(fd, n, KT_X_AFTER);
	g = fork();
	if (!g) {
		kt_x_reads(fd, 2, KT_X_CHILD);
		_exit(0);
	}
	*gpid = g;
	waitpid(g, NULL, 0);
	_exit(0);
}

/* Fork a child that runs kt_x_work(); *@c gets its pid and, once it ended, its child's. */
static pid_t kt_x_fork(struct kt_x_counts *c, pid_t *shared)
{
	pid_t pid = fork();

	if (!pid)
		kt_x_work(10, shared);
	c->pid[0] = pid;
	return pid;
}

static void kt_x_wait(struct kt_x_counts *c, pid_t pid, pid_t *shared)
{
	int st = -1;

	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	KT_EQ(st, 0);
	c->pid[1] = *shared;
}

/* A process forked by a thread while it is marked is left out, with its own children. */
static void test_forked(void)
{
	struct kt_x_counts out = {0}, in = {0};
	pid_t *shared, a, b;

	shared = mmap(NULL, 2 * sizeof(pid_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		      -1, 0);
	KT_ASSERT_FATAL(shared != MAP_FAILED);
	kt_x_watch();
	KT_EQ(capture_exclude(kt_cap, (pid_t)syscall(SYS_gettid)), 0);
	a = kt_x_fork(&out, &shared[0]);
	KT_EQ(capture_include(kt_cap, (pid_t)syscall(SYS_gettid)), 0);
	KT_EQ(capture_is_excluded(kt_cap, a), 1);
	b = kt_x_fork(&in, &shared[1]);
	KT_EQ(capture_is_excluded(kt_cap, b), 0);
	kt_x_wait(&out, a, &shared[0]);
	kt_x_wait(&in, b, &shared[1]);
	kt_x_count(&out);
	kt_x_count(&in);
	KT_EQ(out.records[0], 0);
	KT_EQ(out.records[1], 0);
	KT_EQ(in.reads[0][KT_X_AFTER], 10);
	KT_EQ(in.reads[1][KT_X_CHILD], 2);
	/* both ended: their entries are gone before their pids could be given again */
	KT_EQ(capture_is_excluded(kt_cap, a), 0);
	KT_EQ(capture_is_excluded(kt_cap, out.pid[1]), 0);
	munmap(shared, 2 * sizeof(pid_t));
}

/*
 * A process that ran captured is left out from its next syscall on (its
 * thread's verdict, kept in its stash, is looked up again).
 */
static void test_running(void)
{
	struct kt_x_counts c = {0};
	int ready[2], go[2], fd;
	pid_t *shared, pid;
	char x = 0;

	shared = mmap(NULL, sizeof(pid_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
		      0);
	KT_ASSERT_FATAL(shared != MAP_FAILED);
	KT_ASSERT_FATAL(!pipe(ready) && !pipe(go));
	kt_x_watch();
	pid = fork();
	if (!pid) {
		fd = open("/dev/null", O_RDONLY);
		kt_x_reads(fd, 3, KT_X_BEFORE);
		if (write(ready[1], &x, 1) != 1 || read(go[0], &x, 1) != 1)
			_exit(1);
		close(fd);
		kt_x_work(7, shared);
	}
	c.pid[0] = pid;
	KT_EQ(read(ready[0], &x, 1), 1);
	KT_EQ(capture_exclude(kt_cap, pid), 0);
	KT_EQ(write(go[1], &x, 1), 1);
	kt_x_wait(&c, pid, shared);
	kt_x_count(&c);
	KT_EQ(c.reads[0][KT_X_BEFORE], 3);
	KT_EQ(c.reads[0][KT_X_AFTER], 0);
	KT_EQ(c.records[1], 0);
	KT_EQ(capture_is_excluded(kt_cap, pid), 0);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
	munmap(shared, sizeof(pid_t));
}

void ktest_register_exclude(void)
{
	CU_pSuite s = kt_suite("exclude");

	kt_test(s, "forked while marked", test_forked);
	kt_test(s, "left out while running", test_running);
}
