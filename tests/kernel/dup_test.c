// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Family 7, dup: dup, dup2, dup3, and fcntl F_DUPFD / F_DUPFD_CLOEXEC only. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "tests/kernel/ktest.h"

static void body_dup(struct kt_shm *sh, void *arg)
{
	int fd;

	(void)arg;
	fd = open("/dev/null", O_RDONLY);
	if (fd != 3) {
		kt_child_fail(sh, "setup: fd %d: %s", fd, strerror(errno));
		return;
	}
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_dup, fd, 0, 0, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_dup2, fd, 900, 0, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_dup3, fd, 901, O_CLOEXEC, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_dup3, fd, fd, 0, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_dup2, fd, fd, 0, 0, 0, 0);
	sh->v[5] = kt_sys(SYS_dup, -1, 0, 0, 0, 0, 0);
	sh->v[6] = kt_sys(SYS_fcntl, fd, F_DUPFD, 500, 0, 0, 0);
	/* not duplications: not audited */
	sh->v[7] = kt_sys(SYS_fcntl, fd, F_GETFL, 0, 0, 0, 0);
	sh->v[8] = kt_sys(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC, 0, 0, 0);
	sh->v[9] = kt_sys(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 600, 0, 0, 0);
	sh->v[10] = kt_sys(SYS_fcntl, -1, F_DUPFD, 0, 0, 0, 0);
	sh->v[11] = kt_sys(SYS_fcntl, fd, F_GETFD, 0, 0, 0, 0);
	kt_end(sh);
}

static void test_dup(void)
{
	const struct la_event *ev;
	struct kt_run r;
	int i;

	if (kt_run(&r, "kt-dup", body_dup, NULL))
		return;
	KT_CHILD_OK(&r);
	KT_EQ(r.sh->v[0], 4);
	KT_EQ(r.sh->v[1], 900);
	KT_EQ(r.sh->v[2], 901);
	KT_EQ(r.sh->v[3], -EINVAL);
	KT_EQ(r.sh->v[4], 3);
	KT_EQ(r.sh->v[5], -EBADF);
	KT_EQ(r.sh->v[6], 500);
	/* the kernel's O_LARGEFILE (glibc's is 0 on x86-64) */
	KT_EQ(r.sh->v[7], O_RDONLY | 0100000);
	KT_EQ(r.sh->v[8], 0);
	KT_EQ(r.sh->v[9], 600);
	KT_EQ(r.sh->v[10], -EBADF);
	KT_EQ(r.sh->v[11], FD_CLOEXEC);
	KT_NRS(&r, r.pid, SYS_dup, SYS_dup2, SYS_dup3, SYS_dup3, SYS_dup2, SYS_dup, SYS_fcntl,
	       SYS_fcntl, SYS_fcntl);

	KT_REC(ev, &r, r.pid, SYS_dup, 0);
	KT_SYS(ev, SYS_dup, 3, 0, 0, 0, 0, 0, 4);
	KT_REC(ev, &r, r.pid, SYS_dup2, 0);
	KT_SYS(ev, SYS_dup2, 3, 900, 0, 0, 0, 0, 900);
	KT_REC(ev, &r, r.pid, SYS_dup3, 0);
	KT_SYS(ev, SYS_dup3, 3, 901, O_CLOEXEC, 0, 0, 0, 901);
	KT_REC(ev, &r, r.pid, SYS_dup3, 1);
	KT_SYS(ev, SYS_dup3, 3, 3, 0, 0, 0, 0, -EINVAL);
	KT_REC(ev, &r, r.pid, SYS_dup2, 1);
	KT_SYS(ev, SYS_dup2, 3, 3, 0, 0, 0, 0, 3);
	KT_REC(ev, &r, r.pid, SYS_dup, 1);
	KT_SYS(ev, SYS_dup, -1L, 0, 0, 0, 0, 0, -EBADF);
	KT_REC(ev, &r, r.pid, SYS_fcntl, 0);
	KT_SYS(ev, SYS_fcntl, 3, F_DUPFD, 500, 0, 0, 0, 500);
	KT_REC(ev, &r, r.pid, SYS_fcntl, 1);
	KT_SYS(ev, SYS_fcntl, 3, F_DUPFD_CLOEXEC, 600, 0, 0, 0, 600);
	KT_REC(ev, &r, r.pid, SYS_fcntl, 2);
	KT_SYS(ev, SYS_fcntl, -1L, F_DUPFD, 0, 0, 0, 0, -EBADF);
	for (i = 0; i < 9; i++) {
		ev = kt_find(&r, r.pid, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_CTX(ev, &r.sh->ctx);
		KT_NO_ITEMS(ev, 0);
	}
}

/*
 * fcntl's cmd is an unsigned int: the kernel ignores the upper half of the
 * register, so F_DUPFD with bits set there still duplicates, and must be audited.
 */
static void body_dup_upper(struct kt_shm *sh, void *arg)
{
	(void)arg;
	sh->v[0] = kt_sys(SYS_fcntl, 0, 0x100000000L | F_DUPFD, 700, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_fcntl, 0, 0x100000000L | F_DUPFD_CLOEXEC, 800, 0, 0, 0);
	kt_end(sh);
}

static void test_dup_upper(void)
{
	const struct la_event *ev;
	struct kt_run r;

	if (kt_run(&r, "kt-dup-upper", body_dup_upper, NULL))
		return;
	KT_CHILD_OK(&r);
	KT_EQ(r.sh->v[0], 700);
	KT_EQ(r.sh->v[1], 800);
	KT_EQ(kt_count(&r, r.pid, SYS_fcntl), 2);
	KT_REC(ev, &r, r.pid, SYS_fcntl, 0);
	KT_SYS(ev, SYS_fcntl, 0, 0x100000000L | F_DUPFD, 700, 0, 0, 0, 700);
	KT_REC(ev, &r, r.pid, SYS_fcntl, 1);
	KT_SYS(ev, SYS_fcntl, 0, 0x100000000L | F_DUPFD_CLOEXEC, 800, 0, 0, 0, 800);
}

void ktest_register_dup(void)
{
	CU_pSuite s = kt_suite("dup");

	kt_test(s, "dup, dup2, dup3, fcntl F_DUPFD(_CLOEXEC); F_GETFL, F_SETFD not", test_dup);
	kt_test(s, "fcntl F_DUPFD with the register's upper half set", test_dup_upper);
}
