// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Family 17, clone: clone, clone3, fork, vfork.  The parent's record returns the
 * new pid; the new process's return from the call makes no record.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <linux/sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "tests/kernel/ktest.h"

/* Wait for @pid and check it exited with @code; note a failure otherwise. */
static void reap(struct kt_shm *sh, long pid, int code)
{
	int st = 0;

	if (pid <= 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != code)
		kt_child_fail(sh, "grandchild %ld: status %#x, expected exit %d", pid, st, code);
}

static void body_clone(struct kt_shm *sh, void *arg)
{
	struct clone_args *ca = (struct clone_args *)sh->buf;
	long pid;

	(void)arg;
	ca->exit_signal = SIGCHLD;
	kt_begin(sh);
	/* each new process exits at once with its own code, without writing to sh */
	pid = kt_sys(SYS_clone, SIGCHLD, 0, 0, 0, 0, 0);
	if (!pid)
		kt_sys(SYS_exit_group, 11, 0, 0, 0, 0, 0);
	sh->v[0] = pid;
	reap(sh, pid, 11);
	pid = kt_sys(SYS_fork, 0, 0, 0, 0, 0, 0);
	if (!pid)
		kt_sys(SYS_exit_group, 12, 0, 0, 0, 0, 0);
	sh->v[1] = pid;
	reap(sh, pid, 12);
	pid = vfork();
	if (!pid)
		_exit(13);
	sh->v[2] = pid;
	reap(sh, pid, 13);
	pid = kt_sys(SYS_clone3, (long)ca, CLONE_ARGS_SIZE_VER0, 0, 0, 0, 0);
	if (!pid)
		kt_sys(SYS_exit_group, 14, 0, 0, 0, 0, 0);
	sh->v[3] = pid;
	reap(sh, pid, 14);
	sh->v[4] = kt_sys(SYS_clone3, (long)ca, 1, 0, 0, 0, 0);
	sh->v[5] = kt_sys(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0, 0);
	kt_end(sh);
}

static void test_clone(void)
{
	const int codes[4] = {11, 12, 13, 14};
	const struct la_event *ev;
	struct kt_ctx gc;
	struct kt_run r;
	int i;

	if (kt_run(&r, "kt-clone", body_clone, NULL))
		return;
	KT_CHILD_OK(&r);
	for (i = 0; i < 4; i++)
		KT_ASSERT(r.sh->v[i] > 0);
	KT_EQ(r.sh->v[4], -EINVAL);
	KT_EQ(r.sh->v[5], -EINVAL);
	/* (not KT_NRS: a sanitizer's vfork interceptor makes calls of its own) */
	KT_EQ(kt_count(&r, r.pid, SYS_clone), 2);
	KT_EQ(kt_count(&r, r.pid, SYS_fork), 1);
	KT_EQ(kt_count(&r, r.pid, SYS_vfork), 1);
	KT_EQ(kt_count(&r, r.pid, SYS_clone3), 2);

	KT_REC(ev, &r, r.pid, SYS_clone, 0);
	KT_SYS(ev, SYS_clone, SIGCHLD, 0, 0, 0, 0, 0, r.sh->v[0]);
	KT_CTX(ev, &r.sh->ctx);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_fork, 0);
	KT_SYS(ev, SYS_fork, 0, 0, 0, 0, 0, 0, r.sh->v[1]);
	KT_CTX(ev, &r.sh->ctx);
	KT_NO_ITEMS(ev, 0);
	/* vfork has no arguments: glibc's stub leaves the registers as they were */
	KT_REC(ev, &r, r.pid, SYS_vfork, 0);
	KT_EQ(ev->ret, r.sh->v[2]);
	KT_CTX(ev, &r.sh->ctx);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_clone3, 0);
	KT_SYS(ev, SYS_clone3, r.sh->buf, CLONE_ARGS_SIZE_VER0, 0, 0, 0, 0, r.sh->v[3]);
	KT_CTX(ev, &r.sh->ctx);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_clone3, 1);
	KT_SYS(ev, SYS_clone3, r.sh->buf, 1, 0, 0, 0, 0, -EINVAL);
	KT_REC(ev, &r, r.pid, SYS_clone, 1);
	KT_SYS(ev, SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0, 0, -EINVAL);

	/* each new process: its exit and nothing else, in its own name */
	for (i = 0; i < 4; i++) {
		uint32_t pid = r.sh->v[i];

		gc = r.sh->ctx;
		gc.pid = gc.tid = pid;
		gc.ppid = r.pid;
		KT_NRS(&r, pid, SYS_exit_group);
		KT_EQ(kt_count_all(&r, pid, -1), 1);
		KT_REC(ev, &r, pid, SYS_exit_group, 0);
		if (i == 2) {
			/* glibc's _exit */
			KT_EQ(ev->args[0], 13);
			KT_EQ(ev->ret, 0);
		} else {
			KT_SYS(ev, SYS_exit_group, codes[i], 0, 0, 0, 0, 0, 0);
		}
		KT_CTX(ev, &gc);
		KT_NO_ITEMS(ev, LA_F_NORETURN);
		/* the new process starts its own exe and proctitle cache */
		KT_ASSERT(kt_item(ev, LA_IT_EXE) != NULL);
		/* the vfork child ran before its parent's vfork returned */
		if (i == 2)
			KT_ASSERT(ev->ts_exit <= kt_find(&r, r.pid, SYS_vfork, 0)->ts_exit);
	}
}

void ktest_register_clone(void)
{
	CU_pSuite s = kt_suite("clone");

	kt_test(s, "clone, fork, vfork, clone3: ret is the new pid, no record in the new process",
		test_clone);
}
