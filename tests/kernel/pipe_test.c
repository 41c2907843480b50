// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Family 8, pipe: pipe, pipe2; the two fds returned, as an item. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "tests/kernel/ktest.h"

static void body_pipe(struct kt_shm *sh, void *arg)
{
	int *fds = (int *)sh->buf, *fds2 = (int *)sh->buf2;

	(void)arg;
	sh->v[0] = kt_sys(SYS_pipe, (long)fds, 0, 0, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_pipe2, (long)fds2, O_CLOEXEC | O_NONBLOCK, 0, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_pipe, 1, 0, 0, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_pipe2, (long)(fds2 + 2), 0x7fff0000, 0, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_pipe2, (long)(fds2 + 4), O_DIRECT, 0, 0, 0, 0);
	kt_end(sh);
}

static void test_pipe(void)
{
	const int *fds, *fds2;
	const struct la_event *ev;
	struct kt_run r;
	int i;

	if (kt_run(&r, "kt-pipe", body_pipe, NULL))
		return;
	KT_CHILD_OK(&r);
	fds = (const int *)r.sh->buf;
	fds2 = (const int *)r.sh->buf2;
	KT_EQ(r.sh->v[0], 0);
	KT_EQ(r.sh->v[1], 0);
	KT_EQ(r.sh->v[2], -EFAULT);
	KT_EQ(r.sh->v[3], -EINVAL);
	KT_EQ(r.sh->v[4], 0);
	KT_EQ(fds[0], 3);
	KT_EQ(fds[1], 4);
	KT_EQ(fds2[0], 5);
	KT_EQ(fds2[1], 6);
	/* the failed pipe() took fds and gave them back */
	KT_EQ(fds2[4], 7);
	KT_EQ(fds2[5], 8);
	KT_NRS(&r, r.pid, SYS_pipe, SYS_pipe2, SYS_pipe, SYS_pipe2, SYS_pipe2);

	KT_REC(ev, &r, r.pid, SYS_pipe, 0);
	KT_SYS(ev, SYS_pipe, fds, 0, 0, 0, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_FDS, 0, 0, fds, 8));
	KT_REC(ev, &r, r.pid, SYS_pipe2, 0);
	KT_SYS(ev, SYS_pipe2, fds2, O_CLOEXEC | O_NONBLOCK, 0, 0, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_FDS, 0, 0, fds2, 8));
	/* failures: no fds */
	KT_REC(ev, &r, r.pid, SYS_pipe, 1);
	KT_SYS(ev, SYS_pipe, 1, 0, 0, 0, 0, 0, -EFAULT);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_pipe2, 1);
	KT_SYS(ev, SYS_pipe2, fds2 + 2, 0x7fff0000, 0, 0, 0, 0, -EINVAL);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_pipe2, 2);
	KT_SYS(ev, SYS_pipe2, fds2 + 4, O_DIRECT, 0, 0, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_FDS, 0, 0, fds2 + 4, 8));
	for (i = 0; i < 5; i++) {
		ev = kt_find(&r, r.pid, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_CTX(ev, &r.sh->ctx);
	}
}

void ktest_register_pipe(void)
{
	CU_pSuite s = kt_suite("pipe");

	kt_test(s, "pipe, pipe2: the fds item, failures without it", test_pipe);
}
