// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Family 25, truncate: truncate (the path, read at entry), ftruncate. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "tests/kernel/ktest.h"

static char path[2048], missing[2048];

static void body_truncate(struct kt_shm *sh, void *arg)
{
	int fd, ro;

	(void)arg;
	fd = open(path, O_RDWR);
	ro = open(path, O_RDONLY);
	if (fd != 3 || ro != 4) {
		kt_child_fail(sh, "setup: %s", strerror(errno));
		return;
	}
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_truncate, (long)path, 100, 0, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_truncate, (long)missing, 0, 0, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_truncate, 1, 0, 0, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_truncate, (long)path, -1, 0, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_ftruncate, fd, 4096, 0, 0, 0, 0);
	sh->v[5] = kt_sys(SYS_ftruncate, -1, 0, 0, 0, 0, 0);
	sh->v[6] = kt_sys(SYS_ftruncate, ro, 0, 0, 0, 0, 0);
	kt_end(sh);
}

static void test_truncate(void)
{
	const struct la_event *ev;
	struct kt_run r;
	struct stat st;
	FILE *f;
	int i;

	kt_path(path, sizeof(path), "truncate me");
	kt_path(missing, sizeof(missing), "truncate.missing");
	f = fopen(path, "w");
	KT_ASSERT_FATAL(f != NULL);
	fclose(f);
	if (kt_run(&r, "kt-truncate", body_truncate, NULL))
		return;
	KT_CHILD_OK(&r);
	KT_EQ(r.sh->v[0], 0);
	KT_EQ(r.sh->v[1], -ENOENT);
	KT_EQ(r.sh->v[2], -EFAULT);
	KT_EQ(r.sh->v[3], -EINVAL);
	KT_EQ(r.sh->v[4], 0);
	KT_EQ(r.sh->v[5], -EBADF);
	KT_EQ(r.sh->v[6], -EINVAL);
	KT_ASSERT(!stat(path, &st) && st.st_size == 4096);
	KT_NRS(&r, r.pid, SYS_truncate, SYS_truncate, SYS_truncate, SYS_truncate, SYS_ftruncate,
	       SYS_ftruncate, SYS_ftruncate);

	KT_REC(ev, &r, r.pid, SYS_truncate, 0);
	KT_SYS(ev, SYS_truncate, path, 100, 0, 0, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT_PATH(0, path));
	KT_REC(ev, &r, r.pid, SYS_truncate, 1);
	KT_SYS(ev, SYS_truncate, missing, 0, 0, 0, 0, 0, -ENOENT);
	KT_ITEMS(ev, 0, KT_IT_PATH(0, missing));
	KT_REC(ev, &r, r.pid, SYS_truncate, 2);
	KT_SYS(ev, SYS_truncate, 1, 0, 0, 0, 0, 0, -EFAULT);
	KT_ITEMS(ev, LA_F_FAULT, KT_IT(LA_IT_PATH, 0, LA_IF_FAULT, "", 0));
	KT_REC(ev, &r, r.pid, SYS_truncate, 3);
	KT_SYS(ev, SYS_truncate, path, -1L, 0, 0, 0, 0, -EINVAL);
	KT_ITEMS(ev, 0, KT_IT_PATH(0, path));
	KT_REC(ev, &r, r.pid, SYS_ftruncate, 0);
	KT_SYS(ev, SYS_ftruncate, 3, 4096, 0, 0, 0, 0, 0);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_ftruncate, 1);
	KT_SYS(ev, SYS_ftruncate, -1L, 0, 0, 0, 0, 0, -EBADF);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_ftruncate, 2);
	KT_SYS(ev, SYS_ftruncate, 4, 0, 0, 0, 0, 0, -EINVAL);
	KT_NO_ITEMS(ev, 0);
	for (i = 0; i < 7; i++) {
		ev = kt_find(&r, r.pid, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_CTX(ev, &r.sh->ctx);
	}
}

void ktest_register_truncate(void)
{
	CU_pSuite s = kt_suite("truncate");

	kt_test(s, "truncate, ftruncate: path, length, ret, faults", test_truncate);
}
