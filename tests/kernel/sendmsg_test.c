// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Family 16, sendmsg: msg_name, read at entry; sendmmsg: its first message's. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "tests/kernel/ktest.h"

#define A(b)	  ((b) + 0)
#define B(b)	  ((b) + 32)
#define MSG(b, i) ((struct msghdr *)((b) + 512 + 64 * (i)))
#define IOV(b)	  ((struct iovec *)((b) + 1024))
#define MMSG(b)	  ((struct mmsghdr *)((b) + 1280))

static void body_sendmsg(struct kt_shm *sh, void *arg)
{
	char *p = sh->buf;
	int a, b, c, i;

	(void)arg;
	a = kt_bound(SOCK_DGRAM, (void *)A(p));
	b = kt_bound(SOCK_DGRAM, (void *)B(p));
	c = socket(AF_INET, SOCK_DGRAM, 0);
	if (a != 3 || b != 4 || c != 5 || connect(c, (void *)B(p), 16)) {
		kt_child_fail(sh, "setup: %s", strerror(errno));
		return;
	}
	memcpy(sh->buf2, "hello", 5);
	IOV(p)->iov_base = sh->buf2;
	IOV(p)->iov_len = 5;
	for (i = 0; i < 4; i++) {
		MSG(p, i)->msg_iov = IOV(p);
		MSG(p, i)->msg_iovlen = 1;
	}
	MSG(p, 0)->msg_name = B(p);
	MSG(p, 0)->msg_namelen = 16;
	MSG(p, 2)->msg_name = (void *)1;
	MSG(p, 2)->msg_namelen = 16;
	/* longer than a sockaddr_storage: the kernel uses 128 bytes of it */
	MSG(p, 3)->msg_name = B(p);
	MSG(p, 3)->msg_namelen = 200;
	for (i = 0; i < 2; i++) {
		MMSG(p)[i].msg_hdr = *MSG(p, 0);
	}
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_sendmsg, a, (long)MSG(p, 0), 0, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_sendmsg, c, (long)MSG(p, 1), MSG_DONTWAIT, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_sendmsg, a, (long)MSG(p, 2), 0, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_sendmsg, a, 1, 0, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_sendmmsg, a, (long)MMSG(p), 2, 0, 0, 0);
	sh->v[5] = kt_sys(SYS_sendmsg, a, (long)MSG(p, 3), 0, 0, 0, 0);
	sh->v[6] = kt_sys(SYS_sendmsg, -1, (long)MSG(p, 0), 0, 0, 0, 0);
	kt_end(sh);
}

static void test_sendmsg(void)
{
	const struct la_event *ev;
	struct kt_run r;
	const char *b;
	int i;

	if (kt_run(&r, "kt-sendmsg", body_sendmsg, NULL))
		return;
	KT_CHILD_OK(&r);
	b = r.sh->buf;
	KT_EQ(r.sh->v[0], 5);
	KT_EQ(r.sh->v[1], 5);
	KT_EQ(r.sh->v[2], -EFAULT);
	KT_EQ(r.sh->v[3], -EFAULT);
	KT_EQ(r.sh->v[4], 2);
	KT_EQ(r.sh->v[5], 5);
	KT_EQ(r.sh->v[6], -EBADF);
	KT_NRS(&r, r.pid, SYS_sendmsg, SYS_sendmsg, SYS_sendmsg, SYS_sendmsg, SYS_sendmmsg,
	       SYS_sendmsg, SYS_sendmsg);

	KT_REC(ev, &r, r.pid, SYS_sendmsg, 0);
	KT_SYS(ev, SYS_sendmsg, 3, MSG(b, 0), 0, 0, 0, 0, 5);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_SOCKADDR, 1, 0, B(b), 16));
	KT_REC(ev, &r, r.pid, SYS_sendmsg, 1);
	KT_SYS(ev, SYS_sendmsg, 5, MSG(b, 1), MSG_DONTWAIT, 0, 0, 0, 5);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_sendmsg, 2);
	KT_SYS(ev, SYS_sendmsg, 3, MSG(b, 2), 0, 0, 0, 0, -EFAULT);
	KT_ITEMS(ev, LA_F_FAULT, KT_IT(LA_IT_SOCKADDR, 1, LA_IF_FAULT, "", 0));
	/* the msghdr itself unreadable: nothing to decode */
	KT_REC(ev, &r, r.pid, SYS_sendmsg, 3);
	KT_SYS(ev, SYS_sendmsg, 3, 1, 0, 0, 0, 0, -EFAULT);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_sendmmsg, 0);
	KT_SYS(ev, SYS_sendmmsg, 3, MMSG(b), 2, 0, 0, 0, 2);
	/* the first message's destination */
	KT_ITEMS(ev, 0, KT_IT(LA_IT_SOCKADDR, 1, 0, B(b), 16));
	KT_REC(ev, &r, r.pid, SYS_sendmsg, 4);
	KT_SYS(ev, SYS_sendmsg, 3, MSG(b, 3), 0, 0, 0, 0, 5);
	KT_ITEMS(ev, LA_F_TRUNC, KT_IT(LA_IT_SOCKADDR, 1, LA_IF_TRUNC, B(b), 128));
	KT_REC(ev, &r, r.pid, SYS_sendmsg, 5);
	KT_SYS(ev, SYS_sendmsg, -1L, MSG(b, 0), 0, 0, 0, 0, -EBADF);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_SOCKADDR, 1, 0, B(b), 16));
	for (i = 0; i < 7; i++) {
		ev = kt_find(&r, r.pid, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_CTX(ev, &r.sh->ctx);
	}
}

void ktest_register_sendmsg(void)
{
	CU_pSuite s = kt_suite("sendmsg");

	kt_test(s, "sendmsg (msg_name), sendmmsg (first msg_name): fault, oversize, connected",
		test_sendmsg);
}
