// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Family 12, bind: the sockaddr passed, read at entry. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

#include "tests/kernel/ktest.h"

static void body_bind(struct kt_shm *sh, void *arg)
{
	struct sockaddr_in *any = (void *)sh->buf, *got = (void *)(sh->buf + 64);
	struct sockaddr_un *un = (void *)(sh->buf + 128);
	socklen_t len = sizeof(*got);
	int s1, s2, s3, u;

	(void)arg;
	s1 = socket(AF_INET, SOCK_STREAM, 0);
	s2 = socket(AF_INET, SOCK_STREAM, 0);
	s3 = socket(AF_INET, SOCK_DGRAM, 0);
	u = socket(AF_UNIX, SOCK_DGRAM, 0);
	kt_lo(any, 0);
	sh->v[20] = kt_un(un, "bind.sock");
	if (s1 != 3 || u != 6) {
		kt_child_fail(sh, "setup: %s", strerror(errno));
		return;
	}
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_bind, s1, (long)any, sizeof(*any), 0, 0, 0);
	if (getsockname(s1, (void *)got, &len) || listen(s1, 1))
		kt_child_fail(sh, "getsockname: %s", strerror(errno));
	sh->v[1] = kt_sys(SYS_bind, s2, (long)got, sizeof(*got), 0, 0, 0);
	sh->v[2] = kt_sys(SYS_bind, u, (long)un, sh->v[20], 0, 0, 0);
	sh->v[3] = kt_sys(SYS_bind, s3, 1, sizeof(*any), 0, 0, 0);
	sh->v[4] = kt_sys(SYS_bind, s3, (long)any, 8, 0, 0, 0);
	sh->v[5] = kt_sys(SYS_bind, s3, 0, 0, 0, 0, 0);
	sh->v[6] = kt_sys(SYS_bind, u, (long)un, sh->v[20], 0, 0, 0);
	kt_end(sh);
}

static void test_bind(void)
{
	const struct la_event *ev;
	struct kt_run r;
	const char *b;
	int i;

	if (kt_run(&r, "kt-bind", body_bind, NULL))
		return;
	KT_CHILD_OK(&r);
	b = r.sh->buf;
	KT_EQ(r.sh->v[0], 0);
	KT_EQ(r.sh->v[1], -EADDRINUSE);
	KT_EQ(r.sh->v[2], 0);
	KT_EQ(r.sh->v[3], -EFAULT);
	KT_EQ(r.sh->v[4], -EINVAL);
	KT_EQ(r.sh->v[5], -EINVAL);
	KT_EQ(r.sh->v[6], -EADDRINUSE);
	KT_NRS(&r, r.pid, SYS_bind, SYS_bind, SYS_bind, SYS_bind, SYS_bind, SYS_bind, SYS_bind);

	KT_REC(ev, &r, r.pid, SYS_bind, 0);
	KT_SYS(ev, SYS_bind, 3, b, 16, 0, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_SOCKADDR, 1, 0, b, 16));
	KT_REC(ev, &r, r.pid, SYS_bind, 1);
	KT_SYS(ev, SYS_bind, 4, b + 64, 16, 0, 0, 0, -EADDRINUSE);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_SOCKADDR, 1, 0, b + 64, 16));
	KT_REC(ev, &r, r.pid, SYS_bind, 2);
	KT_SYS(ev, SYS_bind, 6, b + 128, r.sh->v[20], 0, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_SOCKADDR, 1, 0, b + 128, r.sh->v[20]));
	KT_REC(ev, &r, r.pid, SYS_bind, 3);
	KT_SYS(ev, SYS_bind, 5, 1, 16, 0, 0, 0, -EFAULT);
	KT_ITEMS(ev, LA_F_FAULT, KT_IT(LA_IT_SOCKADDR, 1, LA_IF_FAULT, "", 0));
	KT_REC(ev, &r, r.pid, SYS_bind, 4);
	KT_SYS(ev, SYS_bind, 5, b, 8, 0, 0, 0, -EINVAL);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_SOCKADDR, 1, 0, b, 8));
	KT_REC(ev, &r, r.pid, SYS_bind, 5);
	KT_SYS(ev, SYS_bind, 5, 0, 0, 0, 0, 0, -EINVAL);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_bind, 6);
	KT_SYS(ev, SYS_bind, 6, b + 128, r.sh->v[20], 0, 0, 0, -EADDRINUSE);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_SOCKADDR, 1, 0, b + 128, r.sh->v[20]));
	for (i = 0; i < 7; i++) {
		ev = kt_find(&r, r.pid, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_CTX(ev, &r.sh->ctx);
	}
}

void ktest_register_bind(void)
{
	CU_pSuite s = kt_suite("bind");

	kt_test(s, "bind: AF_INET, in use, AF_UNIX, fault, short, NULL", test_bind);
}
