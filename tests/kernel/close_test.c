// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Family 4, close: raw arguments and return value. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "tests/kernel/ktest.h"

static void body_close(struct kt_shm *sh, void *arg)
{
	(void)arg;
	sh->v[0] = open("/dev/null", O_RDONLY);
	kt_begin(sh);
	sh->v[1] = kt_sys(SYS_close, sh->v[0], 0, 0, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_close, -1, 0, 0, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_close, 1000, 0, 0, 0, 0, 0);
	/* the upper half of the register is the caller's; the kernel uses the int */
	sh->v[4] = kt_sys(SYS_close, 0x100000000L + sh->v[0], 0, 0, 0, 0, 0);
	kt_end(sh);
}

static void test_close(void)
{
	const struct la_event *ev;
	struct kt_run r;
	int i;

	if (kt_run(&r, "kt-close", body_close, NULL))
		return;
	KT_CHILD_OK(&r);
	KT_EQ(r.sh->v[0], 3);
	KT_EQ(r.sh->v[1], 0);
	KT_EQ(r.sh->v[2], -EBADF);
	KT_EQ(r.sh->v[3], -EBADF);
	KT_EQ(r.sh->v[4], -EBADF);
	KT_NRS(&r, r.pid, SYS_close, SYS_close, SYS_close, SYS_close);

	KT_REC(ev, &r, r.pid, SYS_close, 0);
	KT_SYS(ev, SYS_close, 3, 0, 0, 0, 0, 0, 0);
	KT_REC(ev, &r, r.pid, SYS_close, 1);
	KT_SYS(ev, SYS_close, -1L, 0, 0, 0, 0, 0, -EBADF);
	KT_REC(ev, &r, r.pid, SYS_close, 2);
	KT_SYS(ev, SYS_close, 1000, 0, 0, 0, 0, 0, -EBADF);
	KT_REC(ev, &r, r.pid, SYS_close, 3);
	KT_SYS(ev, SYS_close, 0x100000003L, 0, 0, 0, 0, 0, -EBADF);
	for (i = 0; i < 4; i++) {
		KT_REC(ev, &r, r.pid, SYS_close, i);
		KT_CTX(ev, &r.sh->ctx);
		KT_NO_ITEMS(ev, 0);
	}
}

/* A thousand closes: each recorded once, in order, with its own arguments. */
static void body_many(struct kt_shm *sh, void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < 1000; i++)
		kt_sys(SYS_close, -1, i, 0, 0, 0, 0);
	kt_end(sh);
}

static void test_many(void)
{
	const struct la_event *ev;
	struct kt_run r;
	int i, bad = 0;

	if (kt_run(&r, "kt-close-many", body_many, NULL))
		return;
	KT_CHILD_OK(&r);
	KT_EQ(kt_count(&r, r.pid, -1), 1000);
	for (i = 0; i < 1000; i++) {
		ev = kt_find(&r, r.pid, SYS_close, i);
		if (!ev || ev->args[1] != (uint64_t)i || ev->ret != -EBADF)
			bad++;
	}
	KT_EQ(bad, 0);
}

void ktest_register_close(void)
{
	CU_pSuite s = kt_suite("close");

	kt_test(s, "close: fd, -1, 1000, upper register half", test_close);
	kt_test(s, "close: 1000 calls, each once and in order", test_many);
}
