// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Family 15, recvmsg: msg_name as the kernel filled it; recvmmsg with raw arguments. */
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
#define MSG(b, i) ((struct msghdr *)((b) + 256 + 64 * (i)))
#define NAME(b)	  ((b) + 512)
#define IOV(b)	  ((struct iovec *)((b) + 768))
#define MMSG(b)	  ((struct mmsghdr *)((b) + 1024))

static void body_recvmsg(struct kt_shm *sh, void *arg)
{
	char *p = sh->buf;
	int a, b, i;

	(void)arg;
	a = kt_bound(SOCK_DGRAM, (void *)A(p));
	b = kt_bound(SOCK_DGRAM, (void *)B(p));
	for (i = 0; i < 4; i++)
		if (sendto(a, "abc", 3, 0, (void *)B(p), 16) != 3)
			break;
	if (a != 3 || b != 4 || i != 4) {
		kt_child_fail(sh, "setup: %s", strerror(errno));
		return;
	}
	IOV(p)->iov_base = sh->buf2;
	IOV(p)->iov_len = 64;
	MSG(p, 0)->msg_name = NAME(p);
	MSG(p, 0)->msg_namelen = 64;
	MSG(p, 0)->msg_iov = IOV(p);
	MSG(p, 0)->msg_iovlen = 1;
	MSG(p, 1)->msg_iov = IOV(p);
	MSG(p, 1)->msg_iovlen = 1;
	for (i = 0; i < 2; i++) {
		MMSG(p)[i].msg_hdr.msg_iov = IOV(p);
		MMSG(p)[i].msg_hdr.msg_iovlen = 1;
	}
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_recvmsg, b, (long)MSG(p, 0), 0, 0, 0, 0);
	sh->v[10] = MSG(p, 0)->msg_namelen;
	sh->v[1] = kt_sys(SYS_recvmsg, b, (long)MSG(p, 1), 0, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_recvmmsg, b, (long)MMSG(p), 2, MSG_DONTWAIT, 0, 0);
	sh->v[3] = kt_sys(SYS_recvmsg, b, (long)MSG(p, 0), MSG_DONTWAIT, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_recvmsg, b, 1, 0, 0, 0, 0);
	sh->v[5] = kt_sys(SYS_recvmmsg, b, (long)MMSG(p), 2, MSG_DONTWAIT, 0, 0);
	kt_end(sh);
}

static void test_recvmsg(void)
{
	const struct la_event *ev;
	struct kt_run r;
	const char *b;
	int i;

	if (kt_run(&r, "kt-recvmsg", body_recvmsg, NULL))
		return;
	KT_CHILD_OK(&r);
	b = r.sh->buf;
	KT_EQ(r.sh->v[0], 3);
	KT_EQ(r.sh->v[10], 16);
	KT_ASSERT(!memcmp(NAME(b), A(b), 16));
	KT_EQ(r.sh->v[1], 3);
	KT_EQ(r.sh->v[2], 2);
	KT_EQ(r.sh->v[3], -EAGAIN);
	KT_EQ(r.sh->v[4], -EFAULT);
	KT_EQ(r.sh->v[5], -EAGAIN);
	KT_NRS(&r, r.pid, SYS_recvmsg, SYS_recvmsg, SYS_recvmmsg, SYS_recvmsg, SYS_recvmsg,
	       SYS_recvmmsg);

	KT_REC(ev, &r, r.pid, SYS_recvmsg, 0);
	KT_SYS(ev, SYS_recvmsg, 4, MSG(b, 0), 0, 0, 0, 0, 3);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_PEER, 1, 0, A(b), 16));
	KT_REC(ev, &r, r.pid, SYS_recvmsg, 1);
	KT_SYS(ev, SYS_recvmsg, 4, MSG(b, 1), 0, 0, 0, 0, 3);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_recvmmsg, 0);
	KT_SYS(ev, SYS_recvmmsg, 4, MMSG(b), 2, MSG_DONTWAIT, 0, 0, 2);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_recvmsg, 2);
	KT_SYS(ev, SYS_recvmsg, 4, MSG(b, 0), MSG_DONTWAIT, 0, 0, 0, -EAGAIN);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_recvmsg, 3);
	KT_SYS(ev, SYS_recvmsg, 4, 1, 0, 0, 0, 0, -EFAULT);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_recvmmsg, 1);
	KT_SYS(ev, SYS_recvmmsg, 4, MMSG(b), 2, MSG_DONTWAIT, 0, 0, -EAGAIN);
	KT_NO_ITEMS(ev, 0);
	for (i = 0; i < 6; i++) {
		ev = kt_find(&r, r.pid, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_CTX(ev, &r.sh->ctx);
	}
}

/* msg_namelen shorter than the address: only the 4 bytes the kernel wrote, flagged. */
static void body_short(struct kt_shm *sh, void *arg)
{
	char *p = sh->buf;
	int a, b;

	(void)arg;
	a = kt_bound(SOCK_DGRAM, (void *)A(p));
	b = kt_bound(SOCK_DGRAM, (void *)B(p));
	if (a != 3 || b != 4 || sendto(a, "abc", 3, 0, (void *)B(p), 16) != 3) {
		kt_child_fail(sh, "setup: %s", strerror(errno));
		return;
	}
	IOV(p)->iov_base = sh->buf2;
	IOV(p)->iov_len = 64;
	memset(NAME(p), 0xa5, 16);
	MSG(p, 0)->msg_name = NAME(p);
	MSG(p, 0)->msg_namelen = 4;
	MSG(p, 0)->msg_iov = IOV(p);
	MSG(p, 0)->msg_iovlen = 1;
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_recvmsg, b, (long)MSG(p, 0), 0, 0, 0, 0);
	sh->v[10] = MSG(p, 0)->msg_namelen;
	kt_end(sh);
}

static void test_short(void)
{
	const struct la_event *ev;
	struct kt_run r;
	const char *b;

	if (kt_run(&r, "kt-recvmsg-short", body_short, NULL))
		return;
	KT_CHILD_OK(&r);
	b = r.sh->buf;
	KT_EQ(r.sh->v[0], 3);
	KT_EQ(r.sh->v[10], 16);
	KT_ASSERT(!memcmp(NAME(b), A(b), 4));
	KT_REC(ev, &r, r.pid, SYS_recvmsg, 0);
	KT_SYS(ev, SYS_recvmsg, 4, MSG(b, 0), 0, 0, 0, 0, 3);
	KT_ITEMS(ev, LA_F_TRUNC, KT_IT(LA_IT_PEER, 1, LA_IF_TRUNC, A(b), 4));
}

void ktest_register_recvmsg(void)
{
	CU_pSuite s = kt_suite("recvmsg");

	kt_test(s, "recvmsg (msg_name as filled), recvmmsg (raw)", test_recvmsg);
	kt_test(s, "recvmsg with msg_namelen shorter than the address", test_short);
}
