// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Family 20, unlink: unlink, unlinkat, rmdir; the path, read at entry. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "tests/kernel/ktest.h"

#define ODD "x y\"z\n\xc3\xa9\xff"

static char dir[1024], f1[2048], f2[2048], odd[2048], sub[2048], sub2[2048], full[2048],
	missing[2048];

static void touch(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f)
		fclose(f);
}

static void body_unlink(struct kt_shm *sh, void *arg)
{
	int dfd;

	(void)arg;
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd != 3) {
		kt_child_fail(sh, "setup: %s", strerror(errno));
		return;
	}
	strcpy(sh->buf, "f2");
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_unlink, (long)f1, 0, 0, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_unlink, (long)missing, 0, 0, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_unlinkat, dfd, (long)sh->buf, 0, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_unlinkat, AT_FDCWD, (long)sub, AT_REMOVEDIR, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_rmdir, (long)sub2, 0, 0, 0, 0, 0);
	sh->v[5] = kt_sys(SYS_rmdir, (long)full, 0, 0, 0, 0, 0);
	sh->v[6] = kt_sys(SYS_unlink, (long)odd, 0, 0, 0, 0, 0);
	sh->v[7] = kt_sys(SYS_unlink, 1, 0, 0, 0, 0, 0);
	sh->v[8] = kt_sys(SYS_unlinkat, dfd, 1, 0, 0, 0, 0);
	sh->v[9] = kt_sys(SYS_rmdir, 1, 0, 0, 0, 0, 0);
	sh->v[10] = kt_sys(SYS_unlink, (long)full, 0, 0, 0, 0, 0);
	kt_end(sh);
}

static void test_unlink(void)
{
	const struct la_event *ev;
	char path[4096];
	struct kt_run r;
	int i;

	kt_path(dir, sizeof(dir), "unlink");
	mkdir(dir, 0755);
	snprintf(f1, sizeof(f1), "%s/f1", dir);
	snprintf(f2, sizeof(f2), "%s/f2", dir);
	snprintf(odd, sizeof(odd), "%s/" ODD, dir);
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	snprintf(sub2, sizeof(sub2), "%s/sub2", dir);
	snprintf(full, sizeof(full), "%s/full", dir);
	snprintf(missing, sizeof(missing), "%s/missing", dir);
	touch(f1);
	touch(f2);
	touch(odd);
	mkdir(sub, 0755);
	mkdir(sub2, 0755);
	mkdir(full, 0755);
	snprintf(path, sizeof(path), "%s/in", full);
	touch(path);
	if (kt_run(&r, "kt-unlink", body_unlink, NULL))
		return;
	KT_CHILD_OK(&r);
	KT_EQ(r.sh->v[0], 0);
	KT_EQ(r.sh->v[1], -ENOENT);
	KT_EQ(r.sh->v[2], 0);
	KT_EQ(r.sh->v[3], 0);
	KT_EQ(r.sh->v[4], 0);
	KT_EQ(r.sh->v[5], -ENOTEMPTY);
	KT_EQ(r.sh->v[6], 0);
	KT_EQ(r.sh->v[7], -EFAULT);
	KT_EQ(r.sh->v[8], -EFAULT);
	KT_EQ(r.sh->v[9], -EFAULT);
	KT_EQ(r.sh->v[10], -EISDIR);
	KT_ASSERT(access(f1, F_OK) && access(f2, F_OK) && access(odd, F_OK) && access(sub, F_OK));
	KT_NRS(&r, r.pid, SYS_unlink, SYS_unlink, SYS_unlinkat, SYS_unlinkat, SYS_rmdir, SYS_rmdir,
	       SYS_unlink, SYS_unlink, SYS_unlinkat, SYS_rmdir, SYS_unlink);

	KT_REC(ev, &r, r.pid, SYS_unlink, 0);
	KT_SYS(ev, SYS_unlink, f1, 0, 0, 0, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT_PATH(0, f1));
	KT_REC(ev, &r, r.pid, SYS_unlink, 1);
	KT_SYS(ev, SYS_unlink, missing, 0, 0, 0, 0, 0, -ENOENT);
	KT_ITEMS(ev, 0, KT_IT_PATH(0, missing));
	KT_REC(ev, &r, r.pid, SYS_unlinkat, 0);
	KT_SYS(ev, SYS_unlinkat, 3, r.sh->buf, 0, 0, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT_PATH(1, "f2"));
	KT_REC(ev, &r, r.pid, SYS_unlinkat, 1);
	KT_SYS(ev, SYS_unlinkat, (long)AT_FDCWD, sub, AT_REMOVEDIR, 0, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT_PATH(1, sub));
	KT_REC(ev, &r, r.pid, SYS_rmdir, 0);
	KT_SYS(ev, SYS_rmdir, sub2, 0, 0, 0, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT_PATH(0, sub2));
	KT_REC(ev, &r, r.pid, SYS_rmdir, 1);
	KT_SYS(ev, SYS_rmdir, full, 0, 0, 0, 0, 0, -ENOTEMPTY);
	KT_ITEMS(ev, 0, KT_IT_PATH(0, full));
	KT_REC(ev, &r, r.pid, SYS_unlink, 2);
	KT_SYS(ev, SYS_unlink, odd, 0, 0, 0, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT_PATH(0, odd));
	KT_REC(ev, &r, r.pid, SYS_unlink, 3);
	KT_SYS(ev, SYS_unlink, 1, 0, 0, 0, 0, 0, -EFAULT);
	KT_ITEMS(ev, LA_F_FAULT, KT_IT(LA_IT_PATH, 0, LA_IF_FAULT, "", 0));
	KT_REC(ev, &r, r.pid, SYS_unlinkat, 2);
	KT_SYS(ev, SYS_unlinkat, 3, 1, 0, 0, 0, 0, -EFAULT);
	KT_ITEMS(ev, LA_F_FAULT, KT_IT(LA_IT_PATH, 1, LA_IF_FAULT, "", 0));
	KT_REC(ev, &r, r.pid, SYS_rmdir, 2);
	KT_SYS(ev, SYS_rmdir, 1, 0, 0, 0, 0, 0, -EFAULT);
	KT_ITEMS(ev, LA_F_FAULT, KT_IT(LA_IT_PATH, 0, LA_IF_FAULT, "", 0));
	KT_REC(ev, &r, r.pid, SYS_unlink, 4);
	KT_SYS(ev, SYS_unlink, full, 0, 0, 0, 0, 0, -EISDIR);
	KT_ITEMS(ev, 0, KT_IT_PATH(0, full));
	for (i = 0; i < 11; i++) {
		ev = kt_find(&r, r.pid, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_CTX(ev, &r.sh->ctx);
	}
}

void ktest_register_unlink(void)
{
	CU_pSuite s = kt_suite("unlink");

	kt_test(s, "unlink, unlinkat, rmdir: path, ret, faults", test_unlink);
}
