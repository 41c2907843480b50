// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Family 2, write: write, writev, pwrite, pwritev, pwritev2; raw arguments, no buffers. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "tests/kernel/ktest.h"

static char path[4096];

static void body_write(struct kt_shm *sh, void *arg)
{
	struct iovec *iov = (struct iovec *)sh->buf2;
	int fd, p[2];

	(void)arg;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd != 3 || pipe(p)) {
		kt_child_fail(sh, "setup: fd %d: %s", fd, strerror(errno));
		return;
	}
	close(p[0]);
	memcpy(sh->buf, "hello, world", 12);
	iov[0].iov_base = sh->buf;
	iov[0].iov_len = 5;
	iov[1].iov_base = sh->buf + 5;
	iov[1].iov_len = 7;
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_write, fd, (long)sh->buf, 5, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_write, -1, (long)sh->buf, 5, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_writev, fd, (long)iov, 2, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_pwrite64, fd, (long)sh->buf, 3, 100, 0, 0);
	sh->v[4] = kt_sys(SYS_pwritev, fd, (long)iov, 2, 200, 0, 0);
	sh->v[5] = kt_sys(SYS_pwritev2, fd, (long)iov, 2, 300, 0, 0);
	sh->v[6] = kt_sys(SYS_pwritev2, fd, (long)iov, 1, -1, 0, 0);
	sh->v[7] = kt_sys(SYS_pwritev2, fd, (long)iov, 2, 0, 0, 0x100000);
	sh->v[8] = kt_sys(SYS_write, fd, 1, 10, 0, 0, 0);
	/* no reader: EPIPE (SIGPIPE is ignored, from the parent) */
	sh->v[9] = kt_sys(SYS_write, p[1], (long)sh->buf, 1, 0, 0, 0);
	sh->v[10] = p[1];
	kt_end(sh);
}

static void test_write(void)
{
	const struct la_event *ev;
	struct kt_run r;
	struct stat st;
	long buf, iov;
	int i;

	kt_path(path, sizeof(path), "write.dat");
	if (kt_run(&r, "kt-write", body_write, NULL))
		return;
	KT_CHILD_OK(&r);
	buf = (long)r.sh->buf;
	iov = (long)r.sh->buf2;
	KT_EQ(r.sh->v[0], 5);
	KT_EQ(r.sh->v[1], -EBADF);
	KT_EQ(r.sh->v[2], 12);
	KT_EQ(r.sh->v[3], 3);
	KT_EQ(r.sh->v[4], 12);
	KT_EQ(r.sh->v[5], 12);
	KT_EQ(r.sh->v[6], 5);
	KT_EQ(r.sh->v[7], -EOPNOTSUPP);
	KT_EQ(r.sh->v[8], -EFAULT);
	KT_EQ(r.sh->v[9], -EPIPE);
	KT_ASSERT(!stat(path, &st) && st.st_size == 312);
	KT_NRS(&r, r.pid, SYS_write, SYS_write, SYS_writev, SYS_pwrite64, SYS_pwritev, SYS_pwritev2,
	       SYS_pwritev2, SYS_pwritev2, SYS_write, SYS_write);

	KT_REC(ev, &r, r.pid, SYS_write, 0);
	KT_SYS(ev, SYS_write, 3, buf, 5, 0, 0, 0, 5);
	KT_REC(ev, &r, r.pid, SYS_write, 1);
	KT_SYS(ev, SYS_write, -1L, buf, 5, 0, 0, 0, -EBADF);
	KT_REC(ev, &r, r.pid, SYS_writev, 0);
	KT_SYS(ev, SYS_writev, 3, iov, 2, 0, 0, 0, 12);
	KT_REC(ev, &r, r.pid, SYS_pwrite64, 0);
	KT_SYS(ev, SYS_pwrite64, 3, buf, 3, 100, 0, 0, 3);
	KT_REC(ev, &r, r.pid, SYS_pwritev, 0);
	KT_SYS(ev, SYS_pwritev, 3, iov, 2, 200, 0, 0, 12);
	KT_REC(ev, &r, r.pid, SYS_pwritev2, 0);
	KT_SYS(ev, SYS_pwritev2, 3, iov, 2, 300, 0, 0, 12);
	KT_REC(ev, &r, r.pid, SYS_pwritev2, 1);
	KT_SYS(ev, SYS_pwritev2, 3, iov, 1, -1L, 0, 0, 5);
	KT_REC(ev, &r, r.pid, SYS_pwritev2, 2);
	KT_SYS(ev, SYS_pwritev2, 3, iov, 2, 0, 0, 0x100000, -EOPNOTSUPP);
	KT_REC(ev, &r, r.pid, SYS_write, 2);
	KT_SYS(ev, SYS_write, 3, 1, 10, 0, 0, 0, -EFAULT);
	KT_REC(ev, &r, r.pid, SYS_write, 3);
	KT_SYS(ev, SYS_write, r.sh->v[10], buf, 1, 0, 0, 0, -EPIPE);
	for (i = 0; i < 10; i++) {
		ev = kt_find(&r, r.pid, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_CTX(ev, &r.sh->ctx);
		KT_NO_ITEMS(ev, 0);
	}
}

void ktest_register_write(void)
{
	CU_pSuite s = kt_suite("write");

	kt_test(s, "write, writev, pwrite, pwritev, pwritev2: args and ret", test_write);
}
