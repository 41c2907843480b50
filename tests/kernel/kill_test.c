// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Family 24, kill: kill, tkill, tgkill, ptrace; raw arguments and return value. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "tests/kernel/ktest.h"

#define NOPID 0x7ffffff0L

static volatile long peek_word = 0x1122334455667788L;

static void body_kill(struct kt_shm *sh, void *arg)
{
	long pid = getpid(), tid = gettid(), gc;
	int st;

	(void)arg;
	signal(SIGUSR1, SIG_IGN);
	gc = kt_sys(SYS_fork, 0, 0, 0, 0, 0, 0);
	if (!gc)
		for (;;)
			kt_sys(SYS_pause, 0, 0, 0, 0, 0, 0);
	sh->v[20] = gc;
	sh->v[21] = tid;
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_kill, gc, 0, 0, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_kill, pid, 0, 0, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_kill, NOPID, 0, 0, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_kill, pid, 1000, 0, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_tkill, tid, 0, 0, 0, 0, 0);
	sh->v[5] = kt_sys(SYS_tkill, -5, 0, 0, 0, 0, 0);
	sh->v[6] = kt_sys(SYS_tgkill, pid, tid, SIGUSR1, 0, 0, 0);
	sh->v[7] = kt_sys(SYS_tgkill, pid, NOPID, 0, 0, 0, 0);
	sh->v[8] = kt_sys(SYS_ptrace, PTRACE_ATTACH, gc, 0, 0, 0, 0);
	if (waitpid(gc, &st, 0) != gc || !WIFSTOPPED(st))
		kt_child_fail(sh, "tracee did not stop: %#x", st);
	sh->v[9] = kt_sys(SYS_ptrace, PTRACE_PEEKDATA, gc, (long)&peek_word, (long)sh->buf, 0, 0);
	sh->v[10] = kt_sys(SYS_ptrace, PTRACE_DETACH, gc, 0, 0, 0, 0);
	sh->v[11] = kt_sys(SYS_ptrace, PTRACE_PEEKDATA, 1, 0, (long)sh->buf2, 0, 0);
	sh->v[12] = kt_sys(SYS_kill, gc, SIGKILL, 0, 0, 0, 0);
	if (waitpid(gc, &st, 0) != gc || !WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL)
		kt_child_fail(sh, "tracee not killed: %#x", st);
	kt_end(sh);
}

static void test_kill(void)
{
	const struct la_event *ev;
	struct kt_run r;
	long pid, tid, gc;
	int i;

	if (kt_run(&r, "kt-kill", body_kill, NULL))
		return;
	KT_CHILD_OK(&r);
	pid = r.pid;
	tid = r.sh->v[21];
	gc = r.sh->v[20];
	KT_EQ(tid, pid);
	KT_EQ(r.sh->v[0], 0);
	KT_EQ(r.sh->v[1], 0);
	KT_EQ(r.sh->v[2], -ESRCH);
	KT_EQ(r.sh->v[3], -EINVAL);
	KT_EQ(r.sh->v[4], 0);
	KT_EQ(r.sh->v[5], -EINVAL);
	KT_EQ(r.sh->v[6], 0);
	KT_EQ(r.sh->v[7], -ESRCH);
	KT_EQ(r.sh->v[8], 0);
	KT_EQ(r.sh->v[9], 0);
	KT_EQ(*(const long *)r.sh->buf, 0x1122334455667788L);
	KT_EQ(r.sh->v[10], 0);
	KT_EQ(r.sh->v[11], -ESRCH);
	KT_EQ(r.sh->v[12], 0);
	KT_NRS(&r, r.pid, SYS_kill, SYS_kill, SYS_kill, SYS_kill, SYS_tkill, SYS_tkill, SYS_tgkill,
	       SYS_tgkill, SYS_ptrace, SYS_ptrace, SYS_ptrace, SYS_ptrace, SYS_kill);

	KT_REC(ev, &r, r.pid, SYS_kill, 0);
	KT_SYS(ev, SYS_kill, gc, 0, 0, 0, 0, 0, 0);
	KT_REC(ev, &r, r.pid, SYS_kill, 1);
	KT_SYS(ev, SYS_kill, pid, 0, 0, 0, 0, 0, 0);
	KT_REC(ev, &r, r.pid, SYS_kill, 2);
	KT_SYS(ev, SYS_kill, NOPID, 0, 0, 0, 0, 0, -ESRCH);
	KT_REC(ev, &r, r.pid, SYS_kill, 3);
	KT_SYS(ev, SYS_kill, pid, 1000, 0, 0, 0, 0, -EINVAL);
	KT_REC(ev, &r, r.pid, SYS_tkill, 0);
	KT_SYS(ev, SYS_tkill, tid, 0, 0, 0, 0, 0, 0);
	KT_REC(ev, &r, r.pid, SYS_tkill, 1);
	KT_SYS(ev, SYS_tkill, -5L, 0, 0, 0, 0, 0, -EINVAL);
	KT_REC(ev, &r, r.pid, SYS_tgkill, 0);
	KT_SYS(ev, SYS_tgkill, pid, tid, SIGUSR1, 0, 0, 0, 0);
	KT_REC(ev, &r, r.pid, SYS_tgkill, 1);
	KT_SYS(ev, SYS_tgkill, pid, NOPID, 0, 0, 0, 0, -ESRCH);
	KT_REC(ev, &r, r.pid, SYS_ptrace, 0);
	KT_SYS(ev, SYS_ptrace, PTRACE_ATTACH, gc, 0, 0, 0, 0, 0);
	KT_REC(ev, &r, r.pid, SYS_ptrace, 1);
	KT_SYS(ev, SYS_ptrace, PTRACE_PEEKDATA, gc, &peek_word, r.sh->buf, 0, 0, 0);
	KT_REC(ev, &r, r.pid, SYS_ptrace, 2);
	KT_SYS(ev, SYS_ptrace, PTRACE_DETACH, gc, 0, 0, 0, 0, 0);
	KT_REC(ev, &r, r.pid, SYS_ptrace, 3);
	KT_SYS(ev, SYS_ptrace, PTRACE_PEEKDATA, 1, 0, r.sh->buf2, 0, 0, -ESRCH);
	KT_REC(ev, &r, r.pid, SYS_kill, 4);
	KT_SYS(ev, SYS_kill, gc, SIGKILL, 0, 0, 0, 0, 0);
	for (i = 0; i < 13; i++) {
		ev = kt_find(&r, r.pid, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_CTX(ev, &r.sh->ctx);
		KT_NO_ITEMS(ev, 0);
	}
	/* the tracee made no audited syscall, and a killed process makes no exit record */
	KT_EQ(kt_count_all(&r, gc, -1), 0);
}

void ktest_register_kill(void)
{
	CU_pSuite s = kt_suite("kill");

	kt_test(s, "kill, tkill, tgkill, ptrace: args and ret", test_kill);
}
