// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Family 14, sendto: the destination sockaddr, read at entry. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

#include "tests/kernel/ktest.h"

#define A(b)  ((b) + 0)
#define B(b)  ((b) + 32)
#define UR(b) ((b) + 64)

static void body_sendto(struct kt_shm *sh, void *arg)
{
	int a, b, c, us, ur;

	(void)arg;
	a = kt_bound(SOCK_DGRAM, (void *)A(sh->buf));
	b = kt_bound(SOCK_DGRAM, (void *)B(sh->buf));
	c = socket(AF_INET, SOCK_DGRAM, 0);
	us = socket(AF_UNIX, SOCK_DGRAM, 0);
	ur = socket(AF_UNIX, SOCK_DGRAM, 0);
	sh->v[20] = kt_un((void *)UR(sh->buf), "sendto.recv");
	if (a != 3 || b != 4 || ur != 7 || connect(c, (void *)B(sh->buf), 16) ||
	    bind(ur, (void *)UR(sh->buf), sh->v[20])) {
		kt_child_fail(sh, "setup: %s", strerror(errno));
		return;
	}
	memcpy(sh->buf2, "hello", 5);
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_sendto, a, (long)sh->buf2, 5, 0, (long)B(sh->buf), 16);
	sh->v[1] = kt_sys(SYS_sendto, c, (long)sh->buf2, 5, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_sendto, a, (long)sh->buf2, 5, 0, 1, 16);
	sh->v[3] = kt_sys(SYS_sendto, us, (long)sh->buf2, 5, 0, (long)UR(sh->buf), sh->v[20]);
	sh->v[4] = kt_sys(SYS_sendto, a, (long)sh->buf2, 5, 0, (long)B(sh->buf), 0);
	sh->v[5] = kt_sys(SYS_sendto, a, (long)sh->buf2, 5, MSG_DONTWAIT, (long)B(sh->buf), 16);
	sh->v[6] = kt_sys(SYS_sendto, -1, (long)sh->buf2, 5, 0, (long)B(sh->buf), 16);
	kt_end(sh);
}

static void test_sendto(void)
{
	const struct la_event *ev;
	struct kt_run r;
	const char *b;
	long buf2;
	int i;

	if (kt_run(&r, "kt-sendto", body_sendto, NULL))
		return;
	KT_CHILD_OK(&r);
	b = r.sh->buf;
	buf2 = (long)r.sh->buf2;
	KT_EQ(r.sh->v[0], 5);
	KT_EQ(r.sh->v[1], 5);
	KT_EQ(r.sh->v[2], -EFAULT);
	KT_EQ(r.sh->v[3], 5);
	KT_EQ(r.sh->v[4], -EINVAL);
	KT_EQ(r.sh->v[5], 5);
	KT_EQ(r.sh->v[6], -EBADF);
	KT_NRS(&r, r.pid, SYS_sendto, SYS_sendto, SYS_sendto, SYS_sendto, SYS_sendto, SYS_sendto,
	       SYS_sendto);

	KT_REC(ev, &r, r.pid, SYS_sendto, 0);
	KT_SYS(ev, SYS_sendto, 3, buf2, 5, 0, B(b), 16, 5);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_SOCKADDR, 4, 0, B(b), 16));
	KT_REC(ev, &r, r.pid, SYS_sendto, 1);
	KT_SYS(ev, SYS_sendto, 5, buf2, 5, 0, 0, 0, 5);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_sendto, 2);
	KT_SYS(ev, SYS_sendto, 3, buf2, 5, 0, 1, 16, -EFAULT);
	KT_ITEMS(ev, LA_F_FAULT, KT_IT(LA_IT_SOCKADDR, 4, LA_IF_FAULT, "", 0));
	KT_REC(ev, &r, r.pid, SYS_sendto, 3);
	KT_SYS(ev, SYS_sendto, 6, buf2, 5, 0, UR(b), r.sh->v[20], 5);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_SOCKADDR, 4, 0, UR(b), r.sh->v[20]));
	KT_REC(ev, &r, r.pid, SYS_sendto, 4);
	KT_SYS(ev, SYS_sendto, 3, buf2, 5, 0, B(b), 0, -EINVAL);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_SOCKADDR, 4, 0, "", 0));
	KT_REC(ev, &r, r.pid, SYS_sendto, 5);
	KT_SYS(ev, SYS_sendto, 3, buf2, 5, MSG_DONTWAIT, B(b), 16, 5);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_SOCKADDR, 4, 0, B(b), 16));
	KT_REC(ev, &r, r.pid, SYS_sendto, 6);
	KT_SYS(ev, SYS_sendto, -1L, buf2, 5, 0, B(b), 16, -EBADF);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_SOCKADDR, 4, 0, B(b), 16));
	for (i = 0; i < 7; i++) {
		ev = kt_find(&r, r.pid, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_CTX(ev, &r.sh->ctx);
	}
}

void ktest_register_sendto(void)
{
	CU_pSuite s = kt_suite("sendto");

	kt_test(s, "sendto: UDP and AF_UNIX destinations, connected, fault, empty", test_sendto);
}
