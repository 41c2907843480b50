// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Family 13, recvfrom: the peer address the kernel returned, read at exit. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

#include "tests/kernel/ktest.h"

/* sh->buf: A at 0, B at 32, the unix sender at 64, peers at 512 + 128 * i, lengths at 2048 */
#define A(b)	   ((b) + 0)
#define B(b)	   ((b) + 32)
#define US(b)	   ((b) + 64)
#define FROM(b, i) ((b) + 512 + 128 * (i))
#define LEN(b, i)  ((b) + 2048 + 8 * (i))

static void body_recvfrom(struct kt_shm *sh, void *arg)
{
	struct sockaddr_un ur;
	int a, b, us, urd, uanon, i;
	unsigned int urlen;

	(void)arg;
	a = kt_bound(SOCK_DGRAM, (void *)A(sh->buf));
	b = kt_bound(SOCK_DGRAM, (void *)B(sh->buf));
	sh->v[20] = kt_un((void *)US(sh->buf), "recvfrom.sender");
	urlen = kt_un(&ur, "recvfrom.recv");
	us = socket(AF_UNIX, SOCK_DGRAM, 0);
	urd = socket(AF_UNIX, SOCK_DGRAM, 0);
	uanon = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (a != 3 || b != 4 || uanon != 7 || bind(us, (void *)US(sh->buf), sh->v[20]) ||
	    bind(urd, (void *)&ur, urlen) || sendto(a, "one", 3, 0, (void *)B(sh->buf), 16) != 3 ||
	    sendto(a, "two", 3, 0, (void *)B(sh->buf), 16) != 3 ||
	    sendto(us, "x", 1, 0, (void *)&ur, urlen) != 1 ||
	    sendto(uanon, "y", 1, 0, (void *)&ur, urlen) != 1) {
		kt_child_fail(sh, "setup: %s", strerror(errno));
		return;
	}
	for (i = 0; i < 8; i++)
		*(int *)LEN(sh->buf, i) = 128;
	*(int *)LEN(sh->buf, 0) = 16;
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_recvfrom, b, (long)sh->buf2, 64, 0, (long)FROM(sh->buf, 0),
			  (long)LEN(sh->buf, 0));
	sh->v[1] = kt_sys(SYS_recvfrom, b, (long)sh->buf2, 64, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_recvfrom, b, (long)sh->buf2, 64, MSG_DONTWAIT, (long)FROM(sh->buf, 1),
			  (long)LEN(sh->buf, 1));
	sh->v[3] = kt_sys(SYS_recvfrom, urd, (long)sh->buf2, 64, 0, (long)FROM(sh->buf, 2),
			  (long)LEN(sh->buf, 2));
	sh->v[4] = kt_sys(SYS_recvfrom, urd, (long)sh->buf2, 64, 0, (long)FROM(sh->buf, 3),
			  (long)LEN(sh->buf, 3));
	sh->v[5] = kt_sys(SYS_recvfrom, -1, (long)sh->buf2, 64, 0, (long)FROM(sh->buf, 4),
			  (long)LEN(sh->buf, 4));
	kt_end(sh);
}

static void test_recvfrom(void)
{
	const struct la_event *ev;
	struct kt_run r;
	const char *b;
	long buf2;
	int i;

	if (kt_run(&r, "kt-recvfrom", body_recvfrom, NULL))
		return;
	KT_CHILD_OK(&r);
	b = r.sh->buf;
	buf2 = (long)r.sh->buf2;
	KT_EQ(r.sh->v[0], 3);
	KT_EQ(r.sh->v[1], 3);
	KT_EQ(r.sh->v[2], -EAGAIN);
	KT_EQ(r.sh->v[3], 1);
	KT_EQ(r.sh->v[4], 1);
	KT_EQ(r.sh->v[5], -EBADF);
	KT_EQ(*(const int *)LEN(b, 0), 16);
	KT_ASSERT(!memcmp(FROM(b, 0), A(b), 16));
	KT_EQ(*(const int *)LEN(b, 2), r.sh->v[20]);
	/* an unbound sender has no address: length 0 */
	KT_EQ(*(const int *)LEN(b, 3), 0);
	KT_NRS(&r, r.pid, SYS_recvfrom, SYS_recvfrom, SYS_recvfrom, SYS_recvfrom, SYS_recvfrom,
	       SYS_recvfrom);

	KT_REC(ev, &r, r.pid, SYS_recvfrom, 0);
	KT_SYS(ev, SYS_recvfrom, 4, buf2, 64, 0, FROM(b, 0), LEN(b, 0), 3);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_PEER, 4, 0, A(b), 16));
	KT_REC(ev, &r, r.pid, SYS_recvfrom, 1);
	KT_SYS(ev, SYS_recvfrom, 4, buf2, 64, 0, 0, 0, 3);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_recvfrom, 2);
	KT_SYS(ev, SYS_recvfrom, 4, buf2, 64, MSG_DONTWAIT, FROM(b, 1), LEN(b, 1), -EAGAIN);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_recvfrom, 3);
	KT_SYS(ev, SYS_recvfrom, 6, buf2, 64, 0, FROM(b, 2), LEN(b, 2), 1);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_PEER, 4, 0, US(b), r.sh->v[20]));
	KT_REC(ev, &r, r.pid, SYS_recvfrom, 4);
	KT_SYS(ev, SYS_recvfrom, 6, buf2, 64, 0, FROM(b, 3), LEN(b, 3), 1);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_recvfrom, 5);
	KT_SYS(ev, SYS_recvfrom, -1L, buf2, 64, 0, FROM(b, 4), LEN(b, 4), -EBADF);
	KT_NO_ITEMS(ev, 0);
	for (i = 0; i < 6; i++) {
		ev = kt_find(&r, r.pid, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_CTX(ev, &r.sh->ctx);
	}
}

/*
 * A buffer shorter than the address: the kernel writes 4 bytes and returns the
 * full length, 16.  The record must hold only the 4 bytes it wrote, flagged as cut.
 */
static void body_short(struct kt_shm *sh, void *arg)
{
	int a, b;

	(void)arg;
	a = kt_bound(SOCK_DGRAM, (void *)A(sh->buf));
	b = kt_bound(SOCK_DGRAM, (void *)B(sh->buf));
	if (a != 3 || b != 4 || sendto(a, "one", 3, 0, (void *)B(sh->buf), 16) != 3) {
		kt_child_fail(sh, "setup: %s", strerror(errno));
		return;
	}
	*(int *)LEN(sh->buf, 0) = 4;
	memset(FROM(sh->buf, 0), 0xa5, 16);
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_recvfrom, b, (long)sh->buf2, 64, 0, (long)FROM(sh->buf, 0),
			  (long)LEN(sh->buf, 0));
	kt_end(sh);
}

static void test_short(void)
{
	const struct la_event *ev;
	struct kt_run r;
	const char *b;

	if (kt_run(&r, "kt-recvfrom-shrt", body_short, NULL))
		return;
	KT_CHILD_OK(&r);
	b = r.sh->buf;
	KT_EQ(r.sh->v[0], 3);
	KT_EQ(*(const int *)LEN(b, 0), 16);
	KT_ASSERT(!memcmp(FROM(b, 0), A(b), 4));
	KT_REC(ev, &r, r.pid, SYS_recvfrom, 0);
	KT_SYS(ev, SYS_recvfrom, 4, r.sh->buf2, 64, 0, FROM(b, 0), LEN(b, 0), 3);
	KT_ITEMS(ev, LA_F_TRUNC, KT_IT(LA_IT_PEER, 4, LA_IF_TRUNC, A(b), 4));
}

void ktest_register_recvfrom(void)
{
	CU_pSuite s = kt_suite("recvfrom");

	kt_test(s, "recvfrom: UDP and AF_UNIX peers, none asked, unbound, failures", test_recvfrom);
	kt_test(s, "recvfrom into a buffer shorter than the address", test_short);
}
