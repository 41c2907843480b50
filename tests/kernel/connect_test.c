// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Family 10, connect: the sockaddr passed, read at entry. */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

#include "tests/kernel/ktest.h"

/* Offsets in sh->buf of the addresses the body passes. */
#define OK     0
#define CLOSED 64
#define UN     128
#define UNMISS 256
#define BIG    512

static void body_connect(struct kt_shm *sh, void *arg)
{
	struct sockaddr_in *ok = (void *)(sh->buf + OK), *closed = (void *)(sh->buf + CLOSED);
	int l, c1, c2, c3, ul, u1, u2, s, i;
	unsigned int ulen, umiss;

	(void)arg;
	l = kt_bound(SOCK_STREAM, ok);
	s = kt_bound(SOCK_DGRAM, closed);
	close(s);
	/* a TCP port bound by no one: refused */
	s = socket(AF_INET, SOCK_STREAM, 0);
	kt_lo(closed, 0);
	if (bind(s, (void *)closed, sizeof(*closed)) ||
	    getsockname(s, (void *)closed, &(socklen_t){sizeof(*closed)})) {
		kt_child_fail(sh, "closed port: %s", strerror(errno));
		return;
	}
	close(s);
	c1 = socket(AF_INET, SOCK_STREAM, 0);
	c2 = socket(AF_INET, SOCK_STREAM, 0);
	c3 = socket(AF_INET, SOCK_STREAM, 0);
	ulen = kt_un((void *)(sh->buf + UN), "connect.sock");
	umiss = kt_un((void *)(sh->buf + UNMISS), "connect.missing");
	ul = socket(AF_UNIX, SOCK_STREAM, 0);
	if (l != 3 || c3 != 6 || ul != 7 || bind(ul, (void *)(sh->buf + UN), ulen) ||
	    listen(ul, 4)) {
		kt_child_fail(sh, "setup: l %d c3 %d ul %d: %s", l, c3, ul, strerror(errno));
		return;
	}
	u1 = socket(AF_UNIX, SOCK_STREAM, 0);
	u2 = socket(AF_UNIX, SOCK_STREAM, 0);
	memcpy(sh->buf + BIG, ok, sizeof(*ok));
	for (i = sizeof(*ok); i < 256; i++)
		sh->buf[BIG + i] = (char)i;
	sh->v[20] = ulen;
	sh->v[21] = umiss;
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_connect, c1, (long)ok, sizeof(*ok), 0, 0, 0);
	sh->v[1] = kt_sys(SYS_connect, c2, (long)closed, sizeof(*closed), 0, 0, 0);
	sh->v[2] = kt_sys(SYS_connect, u1, (long)(sh->buf + UN), ulen, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_connect, u2, (long)(sh->buf + UNMISS), umiss, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_connect, c3, 1, sizeof(*ok), 0, 0, 0);
	sh->v[5] = kt_sys(SYS_connect, c3, (long)(sh->buf + BIG), 200, 0, 0, 0);
	sh->v[6] = kt_sys(SYS_connect, c3, 0, 0, 0, 0, 0);
	sh->v[7] = kt_sys(SYS_connect, -1, (long)ok, sizeof(*ok), 0, 0, 0);
	sh->v[8] = kt_sys(SYS_connect, c3, (long)(sh->buf + BIG), 0, 0, 0, 0);
	kt_end(sh);
}

static void test_connect(void)
{
	const struct la_event *ev;
	struct kt_run r;
	const char *b;
	int i;

	if (kt_run(&r, "kt-connect", body_connect, NULL))
		return;
	KT_CHILD_OK(&r);
	b = r.sh->buf;
	KT_EQ(r.sh->v[0], 0);
	KT_EQ(r.sh->v[1], -ECONNREFUSED);
	KT_EQ(r.sh->v[2], 0);
	KT_EQ(r.sh->v[3], -ENOENT);
	KT_EQ(r.sh->v[4], -EFAULT);
	KT_EQ(r.sh->v[5], -EINVAL);
	KT_EQ(r.sh->v[6], -EINVAL);
	KT_EQ(r.sh->v[7], -EBADF);
	KT_EQ(r.sh->v[8], -EINVAL);
	KT_NRS(&r, r.pid, SYS_connect, SYS_connect, SYS_connect, SYS_connect, SYS_connect,
	       SYS_connect, SYS_connect, SYS_connect, SYS_connect);

	KT_REC(ev, &r, r.pid, SYS_connect, 0);
	KT_SYS(ev, SYS_connect, 4, b + OK, 16, 0, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_SOCKADDR, 1, 0, b + OK, 16));
	KT_REC(ev, &r, r.pid, SYS_connect, 1);
	KT_SYS(ev, SYS_connect, 5, b + CLOSED, 16, 0, 0, 0, -ECONNREFUSED);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_SOCKADDR, 1, 0, b + CLOSED, 16));
	KT_REC(ev, &r, r.pid, SYS_connect, 2);
	KT_SYS(ev, SYS_connect, 8, b + UN, r.sh->v[20], 0, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_SOCKADDR, 1, 0, b + UN, r.sh->v[20]));
	KT_REC(ev, &r, r.pid, SYS_connect, 3);
	KT_SYS(ev, SYS_connect, 9, b + UNMISS, r.sh->v[21], 0, 0, 0, -ENOENT);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_SOCKADDR, 1, 0, b + UNMISS, r.sh->v[21]));
	KT_REC(ev, &r, r.pid, SYS_connect, 4);
	KT_SYS(ev, SYS_connect, 6, 1, 16, 0, 0, 0, -EFAULT);
	KT_ITEMS(ev, LA_F_FAULT, KT_IT(LA_IT_SOCKADDR, 1, LA_IF_FAULT, "", 0));
	/* longer than a sockaddr_storage: the first 128 bytes, flagged */
	KT_REC(ev, &r, r.pid, SYS_connect, 5);
	KT_SYS(ev, SYS_connect, 6, b + BIG, 200, 0, 0, 0, -EINVAL);
	KT_ITEMS(ev, LA_F_TRUNC, KT_IT(LA_IT_SOCKADDR, 1, LA_IF_TRUNC, b + BIG, 128));
	KT_REC(ev, &r, r.pid, SYS_connect, 6);
	KT_SYS(ev, SYS_connect, 6, 0, 0, 0, 0, 0, -EINVAL);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_connect, 7);
	KT_SYS(ev, SYS_connect, -1L, b + OK, 16, 0, 0, 0, -EBADF);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_SOCKADDR, 1, 0, b + OK, 16));
	KT_REC(ev, &r, r.pid, SYS_connect, 8);
	KT_SYS(ev, SYS_connect, 6, b + BIG, 0, 0, 0, 0, -EINVAL);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_SOCKADDR, 1, 0, "", 0));
	for (i = 0; i < 9; i++) {
		ev = kt_find(&r, r.pid, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_CTX(ev, &r.sh->ctx);
	}
}

void ktest_register_connect(void)
{
	CU_pSuite s = kt_suite("connect");

	kt_test(s, "connect: AF_INET, refused, AF_UNIX, fault, oversize, NULL", test_connect);
}
