// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Family 9, socket: socket, socketpair (the two fds as an item). */
#include <errno.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "tests/kernel/ktest.h"

static void body_socket(struct kt_shm *sh, void *arg)
{
	int *sv = (int *)sh->buf;

	(void)arg;
	sh->v[0] = kt_sys(SYS_socket, AF_INET, SOCK_STREAM, 0, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_socket, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_socket, 12345, SOCK_STREAM, 0, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_socket, AF_INET, SOCK_STREAM, IPPROTO_UDP, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, (long)sv, 0, 0);
	sh->v[5] = kt_sys(SYS_socketpair, AF_INET, SOCK_STREAM, 0, (long)(sv + 2), 0, 0);
	sh->v[6] = kt_sys(SYS_socketpair, AF_UNIX, SOCK_DGRAM, 0, 1, 0, 0);
	sh->v[7] = kt_sys(SYS_socketpair, AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0,
			  (long)(sv + 4), 0, 0);
	kt_end(sh);
}

static void test_socket(void)
{
	const struct la_event *ev;
	const int *sv;
	struct kt_run r;
	int i;

	if (kt_run(&r, "kt-socket", body_socket, NULL))
		return;
	KT_CHILD_OK(&r);
	sv = (const int *)r.sh->buf;
	KT_EQ(r.sh->v[0], 3);
	KT_EQ(r.sh->v[1], 4);
	KT_EQ(r.sh->v[2], -EAFNOSUPPORT);
	KT_EQ(r.sh->v[3], -EPROTONOSUPPORT);
	KT_EQ(r.sh->v[4], 0);
	KT_EQ(r.sh->v[5], -EOPNOTSUPP);
	KT_EQ(r.sh->v[6], -EFAULT);
	KT_EQ(r.sh->v[7], 0);
	KT_EQ(sv[0], 5);
	KT_EQ(sv[1], 6);
	KT_EQ(sv[4], 7);
	KT_EQ(sv[5], 8);
	KT_NRS(&r, r.pid, SYS_socket, SYS_socket, SYS_socket, SYS_socket, SYS_socketpair,
	       SYS_socketpair, SYS_socketpair, SYS_socketpair);

	KT_REC(ev, &r, r.pid, SYS_socket, 0);
	KT_SYS(ev, SYS_socket, AF_INET, SOCK_STREAM, 0, 0, 0, 0, 3);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_socket, 1);
	KT_SYS(ev, SYS_socket, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, 0, 0, 0, 4);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_socket, 2);
	KT_SYS(ev, SYS_socket, 12345, SOCK_STREAM, 0, 0, 0, 0, -EAFNOSUPPORT);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_socket, 3);
	KT_SYS(ev, SYS_socket, AF_INET, SOCK_STREAM, IPPROTO_UDP, 0, 0, 0, -EPROTONOSUPPORT);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_socketpair, 0);
	KT_SYS(ev, SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, sv, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_FDS, 3, 0, sv, 8));
	KT_REC(ev, &r, r.pid, SYS_socketpair, 1);
	KT_SYS(ev, SYS_socketpair, AF_INET, SOCK_STREAM, 0, sv + 2, 0, 0, -EOPNOTSUPP);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_socketpair, 2);
	KT_SYS(ev, SYS_socketpair, AF_UNIX, SOCK_DGRAM, 0, 1, 0, 0, -EFAULT);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_socketpair, 3);
	KT_SYS(ev, SYS_socketpair, AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv + 4, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_FDS, 3, 0, sv + 4, 8));
	for (i = 0; i < 8; i++) {
		ev = kt_find(&r, r.pid, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_CTX(ev, &r.sh->ctx);
	}
}

void ktest_register_socket(void)
{
	CU_pSuite s = kt_suite("socket");

	kt_test(s, "socket, socketpair: args, ret, the fds item", test_socket);
}
