// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Family 23, setuid: setuid, setgid, setreuid, setregid, setresuid, setresgid,
 * setfsuid, setfsgid.  A record's ids are the task's at the syscall's exit, as
 * auditd's: a change shows on its own record and every record after it.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "tests/kernel/ktest.h"

/* Fork a process that runs @fn(sh) and exits 0; return its pid after it is reaped. */
static long in_grandchild(struct kt_shm *sh, void (*fn)(struct kt_shm *sh))
{
	int st = 0;
	long pid = fork();

	if (!pid) {
		fn(sh);
		kt_sys(SYS_exit_group, 0, 0, 0, 0, 0, 0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || st)
		kt_child_fail(sh, "grandchild %ld: status %#x", pid, st);
	return pid;
}

/* setuid(12345) as root: uid, euid, suid and fsuid all change. */
static void gc_setuid(struct kt_shm *sh)
{
	sh->v[10] = kt_sys(SYS_setuid, 12345, 0, 0, 0, 0, 0);
	/* the next record, of a syscall that changes nothing */
	kt_sys(SYS_close, -1, 0, 0, 0, 0, 0);
	sh->v[11] = kt_sys(SYS_setuid, 0, 0, 0, 0, 0, 0);
	kt_fill_ctx(&sh->c[0]);
}

/* Each id on its own value, then the fs ids apart. */
static void gc_setres(struct kt_shm *sh)
{
	sh->v[20] = kt_sys(SYS_setresgid, 1001, 1002, 1003, 0, 0, 0);
	sh->v[21] = kt_sys(SYS_setresuid, 2001, 2002, 2003, 0, 0, 0);
	kt_sys(SYS_close, -2, 0, 0, 0, 0, 0);
	/* returns the previous fsuid; 2001 is the real uid, so allowed */
	sh->v[22] = kt_sys(SYS_setfsuid, 2001, 0, 0, 0, 0, 0);
	sh->v[23] = kt_sys(SYS_setfsgid, 1001, 0, 0, 0, 0, 0);
	kt_sys(SYS_close, -3, 0, 0, 0, 0, 0);
	sh->v[24] = kt_sys(SYS_setgid, 0, 0, 0, 0, 0, 0);
	kt_fill_ctx(&sh->c[1]);
}

static void body_setuid(struct kt_shm *sh, void *arg)
{
	(void)arg;
	/* to what they are: allowed, nothing changes */
	sh->v[0] = kt_sys(SYS_setuid, 0, 0, 0, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_setgid, 0, 0, 0, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_setreuid, -1, -1, 0, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_setregid, -1, -1, 0, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_setresuid, -1, -1, -1, 0, 0, 0);
	sh->v[5] = kt_sys(SYS_setresgid, -1, -1, -1, 0, 0, 0);
	sh->v[6] = kt_sys(SYS_setfsuid, 0, 0, 0, 0, 0, 0);
	sh->v[7] = kt_sys(SYS_setfsgid, 0, 0, 0, 0, 0, 0);
	sh->v[8] = in_grandchild(sh, gc_setuid);
	sh->v[9] = in_grandchild(sh, gc_setres);
	kt_end(sh);
}

static void test_setuid(void)
{
	const int nrs[8] = {SYS_setuid,	   SYS_setgid,	  SYS_setreuid, SYS_setregid,
			    SYS_setresuid, SYS_setresgid, SYS_setfsuid, SYS_setfsgid};
	const long args[8][3] = {{0, 0, 0},    {0, 0, 0},    {-1, -1, 0}, {-1, -1, 0},
				 {-1, -1, -1}, {-1, -1, -1}, {0, 0, 0},	  {0, 0, 0}};
	const struct la_event *ev;
	struct kt_ctx x;
	struct kt_run r;
	uint32_t gc;
	int i;

	if (kt_run(&r, "kt-setuid", body_setuid, NULL))
		return;
	KT_CHILD_OK(&r);
	KT_EQ(r.sh->ctx.uid, 0);
	for (i = 0; i < 8; i++)
		KT_EQ(r.sh->v[i], 0);
	for (i = 0; i < 8; i++) {
		KT_REC(ev, &r, r.pid, nrs[i], 0);
		KT_SYS(ev, nrs[i], args[i][0], args[i][1], args[i][2], 0, 0, 0, 0);
		KT_CTX(ev, &r.sh->ctx);
		KT_NO_ITEMS(ev, 0);
	}

	/* setuid(12345): on its record, the next, and refused back to 0 */
	gc = r.sh->v[8];
	KT_EQ(r.sh->v[10], 0);
	KT_EQ(r.sh->v[11], -EPERM);
	x = r.sh->ctx;
	x.pid = x.tid = gc;
	x.ppid = r.pid;
	x.uid = x.euid = x.suid = x.fsuid = 12345;
	KT_EQ(r.sh->c[0].uid, 12345);
	KT_EQ(r.sh->c[0].fsuid, 12345);
	/* first in the window: the setuid, the next record, the refused setuid */
	for (i = 0; i < 3; i++) {
		ev = kt_find(&r, gc, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_EQ(ev->nr, i == 1 ? SYS_close : SYS_setuid);
	}
	KT_REC(ev, &r, gc, SYS_setuid, 0);
	KT_SYS(ev, SYS_setuid, 12345, 0, 0, 0, 0, 0, 0);
	KT_CTX(ev, &x);
	KT_REC(ev, &r, gc, SYS_close, 0);
	KT_SYS(ev, SYS_close, -1L, 0, 0, 0, 0, 0, -EBADF);
	KT_CTX(ev, &x);
	KT_REC(ev, &r, gc, SYS_setuid, 1);
	KT_SYS(ev, SYS_setuid, 0, 0, 0, 0, 0, 0, -EPERM);
	KT_CTX(ev, &x);
	KT_CTX(ev, &r.sh->c[0]);
	KT_REC(ev, &r, gc, SYS_exit_group, 0);
	KT_CTX(ev, &x);

	/* each id apart */
	gc = r.sh->v[9];
	KT_EQ(r.sh->v[20], 0);
	KT_EQ(r.sh->v[21], 0);
	KT_EQ(r.sh->v[22], 2002);
	KT_EQ(r.sh->v[23], 1002);
	KT_EQ(r.sh->v[24], -EPERM);
	x = r.sh->ctx;
	x.pid = x.tid = gc;
	x.ppid = r.pid;
	x.gid = 1001;
	x.egid = x.fsgid = 1002;
	x.sgid = 1003;
	KT_REC(ev, &r, gc, SYS_setresgid, 0);
	KT_SYS(ev, SYS_setresgid, 1001, 1002, 1003, 0, 0, 0, 0);
	KT_CTX(ev, &x);
	x.uid = 2001;
	x.euid = x.fsuid = 2002;
	x.suid = 2003;
	KT_REC(ev, &r, gc, SYS_setresuid, 0);
	KT_SYS(ev, SYS_setresuid, 2001, 2002, 2003, 0, 0, 0, 0);
	KT_CTX(ev, &x);
	KT_REC_A0(ev, &r, gc, SYS_close, -2L);
	KT_CTX(ev, &x);
	x.fsuid = 2001;
	KT_REC(ev, &r, gc, SYS_setfsuid, 0);
	KT_SYS(ev, SYS_setfsuid, 2001, 0, 0, 0, 0, 0, 2002);
	KT_CTX(ev, &x);
	x.fsgid = 1001;
	KT_REC(ev, &r, gc, SYS_setfsgid, 0);
	KT_SYS(ev, SYS_setfsgid, 1001, 0, 0, 0, 0, 0, 1002);
	KT_CTX(ev, &x);
	KT_REC_A0(ev, &r, gc, SYS_close, -3L);
	KT_CTX(ev, &x);
	KT_REC(ev, &r, gc, SYS_setgid, 0);
	KT_SYS(ev, SYS_setgid, 0, 0, 0, 0, 0, 0, -EPERM);
	KT_CTX(ev, &x);
	/* and the process saw itself the same way */
	KT_CTX(ev, &r.sh->c[1]);
}

void ktest_register_setuid(void)
{
	CU_pSuite s = kt_suite("setuid");

	kt_test(s, "setuid family: ids at exit, on the change's record and after", test_setuid);
}
