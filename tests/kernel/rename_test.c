// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Family 21, rename: rename, renameat, renameat2; both paths, read at entry
 * (argument 0 and 1 for rename, 1 and 3 for renameat*).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/fs.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "tests/kernel/ktest.h"

static char dir[1024], a[2048], b[2048], c[2048], odd[2048], missing[2048];

static void touch(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f)
		fclose(f);
}

static void body_rename(struct kt_shm *sh, void *arg)
{
	int dfd;

	(void)arg;
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd != 3) {
		kt_child_fail(sh, "setup: %s", strerror(errno));
		return;
	}
	/* the relative names at known addresses */
	strcpy(sh->buf, "b");
	strcpy(sh->buf + 16, "x y");
	strcpy(sh->buf + 32, "c");
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_rename, (long)a, (long)b, 0, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_rename, (long)missing, (long)c, 0, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_renameat, dfd, (long)sh->buf, dfd, (long)(sh->buf + 16), 0, 0);
	sh->v[3] =
		kt_sys(SYS_renameat2, AT_FDCWD, (long)c, AT_FDCWD, (long)odd, RENAME_NOREPLACE, 0);
	sh->v[4] = kt_sys(SYS_renameat2, dfd, (long)(sh->buf + 32), dfd, (long)(sh->buf + 16),
			  RENAME_EXCHANGE, 0);
	sh->v[5] = kt_sys(SYS_rename, 1, (long)b, 0, 0, 0, 0);
	sh->v[6] = kt_sys(SYS_renameat2, dfd, (long)(sh->buf + 32), dfd, 1, 0, 0);
	kt_end(sh);
}

static void test_rename(void)
{
	const struct la_event *ev;
	const char *b0;
	struct kt_run r;
	int i;

	kt_path(dir, sizeof(dir), "rename");
	mkdir(dir, 0755);
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	snprintf(c, sizeof(c), "%s/c", dir);
	snprintf(odd, sizeof(odd), "%s/q\"\n\xc3\xa9\xff", dir);
	snprintf(missing, sizeof(missing), "%s/missing", dir);
	touch(a);
	touch(c);
	touch(odd);
	if (kt_run(&r, "kt-rename", body_rename, NULL))
		return;
	KT_CHILD_OK(&r);
	b0 = r.sh->buf;
	KT_EQ(r.sh->v[0], 0);
	KT_EQ(r.sh->v[1], -ENOENT);
	KT_EQ(r.sh->v[2], 0);
	KT_EQ(r.sh->v[3], -EEXIST);
	KT_EQ(r.sh->v[4], 0);
	KT_EQ(r.sh->v[5], -EFAULT);
	KT_EQ(r.sh->v[6], -EFAULT);
	KT_NRS(&r, r.pid, SYS_rename, SYS_rename, SYS_renameat, SYS_renameat2, SYS_renameat2,
	       SYS_rename, SYS_renameat2);

	KT_REC(ev, &r, r.pid, SYS_rename, 0);
	KT_SYS(ev, SYS_rename, a, b, 0, 0, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT_PATH(0, a), KT_IT_PATH(1, b));
	KT_REC(ev, &r, r.pid, SYS_rename, 1);
	KT_SYS(ev, SYS_rename, missing, c, 0, 0, 0, 0, -ENOENT);
	KT_ITEMS(ev, 0, KT_IT_PATH(0, missing), KT_IT_PATH(1, c));
	KT_REC(ev, &r, r.pid, SYS_renameat, 0);
	KT_SYS(ev, SYS_renameat, 3, b0, 3, b0 + 16, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT_PATH(1, "b"), KT_IT_PATH(3, "x y"));
	KT_REC(ev, &r, r.pid, SYS_renameat2, 0);
	KT_SYS(ev, SYS_renameat2, (long)AT_FDCWD, c, (long)AT_FDCWD, odd, RENAME_NOREPLACE, 0,
	       -EEXIST);
	KT_ITEMS(ev, 0, KT_IT_PATH(1, c), KT_IT_PATH(3, odd));
	KT_REC(ev, &r, r.pid, SYS_renameat2, 1);
	KT_SYS(ev, SYS_renameat2, 3, b0 + 32, 3, b0 + 16, RENAME_EXCHANGE, 0, 0);
	KT_ITEMS(ev, 0, KT_IT_PATH(1, "c"), KT_IT_PATH(3, "x y"));
	KT_REC(ev, &r, r.pid, SYS_rename, 2);
	KT_SYS(ev, SYS_rename, 1, b, 0, 0, 0, 0, -EFAULT);
	KT_ITEMS(ev, LA_F_FAULT, KT_IT(LA_IT_PATH, 0, LA_IF_FAULT, "", 0), KT_IT_PATH(1, b));
	KT_REC(ev, &r, r.pid, SYS_renameat2, 2);
	KT_SYS(ev, SYS_renameat2, 3, b0 + 32, 3, 1, 0, 0, -EFAULT);
	KT_ITEMS(ev, LA_F_FAULT, KT_IT_PATH(1, "c"), KT_IT(LA_IT_PATH, 3, LA_IF_FAULT, "", 0));
	for (i = 0; i < 7; i++) {
		ev = kt_find(&r, r.pid, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_CTX(ev, &r.sh->ctx);
	}
}

/* Two paths of PATH_MAX bytes: both cut at 4096 and flagged, both in the record. */
static void body_long(struct kt_shm *sh, void *arg)
{
	(void)arg;
	memset(sh->buf, 'a', 5000);
	sh->buf[5000] = 0;
	memset(sh->buf2, 'b', 4096);
	sh->buf2[4096] = 0;
	sh->v[0] = kt_sys(SYS_rename, (long)sh->buf, (long)sh->buf2, 0, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_renameat, AT_FDCWD, (long)sh->buf2, AT_FDCWD, (long)sh->buf, 0, 0);
	kt_end(sh);
}

static void test_long(void)
{
	const struct la_event *ev;
	struct kt_run r;

	if (kt_run(&r, "kt-rename-long", body_long, NULL))
		return;
	KT_CHILD_OK(&r);
	KT_EQ(r.sh->v[0], -ENAMETOOLONG);
	KT_EQ(r.sh->v[1], -ENAMETOOLONG);
	KT_REC(ev, &r, r.pid, SYS_rename, 0);
	KT_SYS(ev, SYS_rename, r.sh->buf, r.sh->buf2, 0, 0, 0, 0, -ENAMETOOLONG);
	KT_ITEMS(ev, LA_F_TRUNC, KT_IT(LA_IT_PATH, 0, LA_IF_TRUNC, r.sh->buf, 4096),
		 KT_IT(LA_IT_PATH, 1, LA_IF_TRUNC, r.sh->buf2, 4096));
	KT_REC(ev, &r, r.pid, SYS_renameat, 0);
	KT_SYS(ev, SYS_renameat, (long)AT_FDCWD, r.sh->buf2, (long)AT_FDCWD, r.sh->buf, 0, 0,
	       -ENAMETOOLONG);
	KT_ITEMS(ev, LA_F_TRUNC, KT_IT(LA_IT_PATH, 1, LA_IF_TRUNC, r.sh->buf2, 4096),
		 KT_IT(LA_IT_PATH, 3, LA_IF_TRUNC, r.sh->buf, 4096));
	KT_CTX(ev, &r.sh->ctx);
}

void ktest_register_rename(void)
{
	CU_pSuite s = kt_suite("rename");

	kt_test(s, "rename, renameat, renameat2: both paths, flags, faults", test_rename);
	kt_test(s, "two paths of PATH_MAX bytes and more", test_long);
}
