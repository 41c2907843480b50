// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Family 1, read: read, readv, pread, preadv, preadv2; raw arguments, no buffers. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "tests/kernel/ktest.h"

#define DATA "0123456789abcdefghij"

static char path[4096];

static void body_read(struct kt_shm *sh, void *arg)
{
	struct iovec *iov = (struct iovec *)sh->buf2;
	int fd, p[2];

	(void)arg;
	fd = open(path, O_RDONLY);
	if (fd != 3 || pipe2(p, O_NONBLOCK)) {
		kt_child_fail(sh, "setup: fd %d: %s", fd, strerror(errno));
		return;
	}
	iov[0].iov_base = sh->buf;
	iov[0].iov_len = 5;
	iov[1].iov_base = sh->buf + 8;
	iov[1].iov_len = 7;
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_read, fd, (long)sh->buf, 64, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_read, -1, (long)sh->buf, 64, 0, 0, 0);
	lseek(fd, 0, SEEK_SET);
	sh->v[2] = kt_sys(SYS_readv, fd, (long)iov, 2, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_pread64, fd, (long)sh->buf, 5, 3, 0, 0);
	sh->v[4] = kt_sys(SYS_preadv, fd, (long)iov, 2, 1, 0, 0);
	sh->v[5] = kt_sys(SYS_preadv2, fd, (long)iov, 2, 15, 0, 0);
	/* offset -1: the file position, which readv left at 12 */
	sh->v[6] = kt_sys(SYS_preadv2, fd, (long)iov, 2, -1, 0, 0);
	sh->v[7] = kt_sys(SYS_preadv2, fd, (long)iov, 2, 0, 0, 0x100000);
	lseek(fd, 0, SEEK_SET);
	sh->v[8] = kt_sys(SYS_read, fd, 1, 10, 0, 0, 0);
	sh->v[9] = kt_sys(SYS_read, p[0], (long)sh->buf, 64, 0, 0, 0);
	sh->v[10] = p[0];
	kt_end(sh);
}

static void test_read(void)
{
	const struct la_event *ev;
	struct kt_run r;
	FILE *f;
	long buf, iov;
	int i;

	kt_path(path, sizeof(path), "read.dat");
	f = fopen(path, "w");
	KT_ASSERT_FATAL(f != NULL);
	fputs(DATA, f);
	fclose(f);
	if (kt_run(&r, "kt-read", body_read, NULL))
		return;
	KT_CHILD_OK(&r);
	buf = (long)r.sh->buf;
	iov = (long)r.sh->buf2;
	KT_EQ(r.sh->v[0], 20);
	KT_EQ(r.sh->v[1], -EBADF);
	KT_EQ(r.sh->v[2], 12);
	KT_EQ(r.sh->v[3], 5);
	KT_EQ(r.sh->v[4], 12);
	KT_EQ(r.sh->v[5], 5);
	KT_EQ(r.sh->v[6], 8);
	KT_EQ(r.sh->v[7], -EOPNOTSUPP);
	KT_EQ(r.sh->v[8], -EFAULT);
	KT_EQ(r.sh->v[9], -EAGAIN);
	KT_NRS(&r, r.pid, SYS_read, SYS_read, SYS_readv, SYS_pread64, SYS_preadv, SYS_preadv2,
	       SYS_preadv2, SYS_preadv2, SYS_read, SYS_read);

	KT_REC(ev, &r, r.pid, SYS_read, 0);
	KT_SYS(ev, SYS_read, 3, buf, 64, 0, 0, 0, 20);
	KT_REC(ev, &r, r.pid, SYS_read, 1);
	KT_SYS(ev, SYS_read, -1L, buf, 64, 0, 0, 0, -EBADF);
	KT_REC(ev, &r, r.pid, SYS_readv, 0);
	KT_SYS(ev, SYS_readv, 3, iov, 2, 0, 0, 0, 12);
	KT_REC(ev, &r, r.pid, SYS_pread64, 0);
	KT_SYS(ev, SYS_pread64, 3, buf, 5, 3, 0, 0, 5);
	KT_REC(ev, &r, r.pid, SYS_preadv, 0);
	KT_SYS(ev, SYS_preadv, 3, iov, 2, 1, 0, 0, 12);
	KT_REC(ev, &r, r.pid, SYS_preadv2, 0);
	KT_SYS(ev, SYS_preadv2, 3, iov, 2, 15, 0, 0, 5);
	KT_REC(ev, &r, r.pid, SYS_preadv2, 1);
	KT_SYS(ev, SYS_preadv2, 3, iov, 2, -1L, 0, 0, 8);
	KT_REC(ev, &r, r.pid, SYS_preadv2, 2);
	KT_SYS(ev, SYS_preadv2, 3, iov, 2, 0, 0, 0x100000, -EOPNOTSUPP);
	KT_REC(ev, &r, r.pid, SYS_read, 2);
	KT_SYS(ev, SYS_read, 3, 1, 10, 0, 0, 0, -EFAULT);
	KT_REC(ev, &r, r.pid, SYS_read, 3);
	KT_SYS(ev, SYS_read, r.sh->v[10], buf, 64, 0, 0, 0, -EAGAIN);
	for (i = 0; i < 10; i++) {
		ev = kt_find(&r, r.pid, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_CTX(ev, &r.sh->ctx);
		/* data buffers are not captured, a faulting one included */
		KT_NO_ITEMS(ev, 0);
	}
}

void ktest_register_read(void)
{
	CU_pSuite s = kt_suite("read");

	kt_test(s, "read, readv, pread, preadv, preadv2: args and ret", test_read);
}
