// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Family 19, exit: exit, exit_group; recorded at entry, flagged as not returning. */
#include <errno.h>
#include <pthread.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "tests/kernel/ktest.h"

static void body_exit_group(struct kt_shm *sh, void *arg)
{
	(void)arg;
	kt_sys(SYS_exit_group, 42, 0, 0, 0, 0, 0);
	kt_child_fail(sh, "exit_group returned");
}

static void test_exit_group(void)
{
	const struct la_event *ev;
	struct kt_run r;

	if (kt_run(&r, "kt-exit-group", body_exit_group, NULL))
		return;
	KT_ASSERT(!r.sh->failed);
	KT_ASSERT(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 42);
	KT_NRS(&r, r.pid, SYS_exit_group);
	KT_REC(ev, &r, r.pid, SYS_exit_group, 0);
	KT_SYS(ev, SYS_exit_group, 42, 0, 0, 0, 0, 0, 0);
	KT_CTX(ev, &r.sh->ctx);
	KT_NO_ITEMS(ev, LA_F_NORETURN);
	KT_ASSERT(ev->ts_enter <= ev->ts_exit);
}

/* The status is an int; the kernel keeps its low byte, the record the register. */
static void body_exit_wide(struct kt_shm *sh, void *arg)
{
	(void)arg;
	(void)sh;
	kt_sys(SYS_exit_group, 0x12345601, 7, 0, 0, 0, 0);
}

static void test_exit_wide(void)
{
	const struct la_event *ev;
	struct kt_run r;

	if (kt_run(&r, "kt-exit-wide", body_exit_wide, NULL))
		return;
	KT_ASSERT(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 1);
	KT_REC(ev, &r, r.pid, SYS_exit_group, 0);
	KT_SYS(ev, SYS_exit_group, 0x12345601, 7, 0, 0, 0, 0, 0);
	KT_NO_ITEMS(ev, LA_F_NORETURN);
}

static void *thread_exit(void *arg)
{
	struct kt_shm *sh = arg;

	sh->v[1] = gettid();
	kt_fill_ctx(&sh->c[0]);
	/* the thread ends here, without glibc's own exit path */
	kt_sys(SYS_exit, 7, 0, 0, 0, 0, 0);
	return NULL;
}

static void body_exit_thread(struct kt_shm *sh, void *arg)
{
	pthread_t t;

	(void)arg;
	if (pthread_create(&t, NULL, thread_exit, sh)) {
		kt_child_fail(sh, "pthread_create");
		return;
	}
	pthread_join(t, NULL);
	kt_sys(SYS_exit_group, 3, 0, 0, 0, 0, 0);
}

static void test_exit_thread(void)
{
	const struct la_event *ev;
	struct kt_run r;

	if (kt_run(&r, "kt-exit-thread", body_exit_thread, NULL))
		return;
	KT_ASSERT(!r.sh->failed);
	KT_ASSERT(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 3);
	KT_EQ(kt_count(&r, r.pid, SYS_exit), 1);
	KT_REC(ev, &r, r.pid, SYS_exit, 0);
	KT_SYS(ev, SYS_exit, 7, 0, 0, 0, 0, 0, 0);
	KT_CTX(ev, &r.sh->c[0]);
	KT_EQ(ev->tid, r.sh->v[1]);
	KT_NO_ITEMS(ev, LA_F_NORETURN);
	KT_REC(ev, &r, r.pid, SYS_exit_group, 0);
	KT_SYS(ev, SYS_exit_group, 3, 0, 0, 0, 0, 0, 0);
	KT_CTX(ev, &r.sh->ctx);
	KT_NO_ITEMS(ev, LA_F_NORETURN);
	/* the thread's exit came before the process's */
	KT_ASSERT(kt_find(&r, r.pid, SYS_exit, 0)->ts_enter < ev->ts_enter);
}

/* glibc's _exit() after a fork: exit_group in the new process's name. */
static void body_glibc(struct kt_shm *sh, void *arg)
{
	pid_t pid;
	int st;

	(void)arg;
	pid = fork();
	if (!pid)
		_exit(5);
	sh->v[0] = pid;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 5)
		kt_child_fail(sh, "grandchild");
	kt_end(sh);
}

static void test_glibc(void)
{
	const struct la_event *ev;
	struct kt_ctx gc;
	struct kt_run r;

	if (kt_run(&r, "kt-exit-glibc", body_glibc, NULL))
		return;
	KT_CHILD_OK(&r);
	gc = r.sh->ctx;
	gc.pid = gc.tid = r.sh->v[0];
	gc.ppid = r.pid;
	KT_EQ(kt_count_all(&r, r.sh->v[0], -1), 1);
	KT_REC(ev, &r, r.sh->v[0], SYS_exit_group, 0);
	KT_EQ(ev->args[0], 5);
	KT_EQ(ev->ret, 0);
	KT_CTX(ev, &gc);
	KT_NO_ITEMS(ev, LA_F_NORETURN);
}

void ktest_register_exit(void)
{
	CU_pSuite s = kt_suite("exit");

	kt_test(s, "exit_group(42): at entry, LA_F_NORETURN, args[0] the status", test_exit_group);
	kt_test(s, "exit_group with a status wider than a byte", test_exit_wide);
	kt_test(s, "exit(7) of a thread, then exit_group(3)", test_exit_thread);
	kt_test(s, "glibc _exit(5) in a forked process", test_glibc);
}
