// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Family 22, chmod/chown: chmod, fchmod, fchmodat, chown, fchown, lchown,
 * fchownat; the path where there is one, read at entry.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "tests/kernel/ktest.h"

static char dir[1024], f[2048], link_path[2048], missing[2048];

static void body_chmod(struct kt_shm *sh, void *arg)
{
	int dfd, fd;

	(void)arg;
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	fd = open(f, O_RDONLY);
	if (dfd != 3 || fd != 4) {
		kt_child_fail(sh, "setup: %s", strerror(errno));
		return;
	}
	strcpy(sh->buf, "f w");
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_chmod, (long)f, 0640, 0, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_fchmod, fd, 0600, 0, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_fchmodat, AT_FDCWD, (long)f, 0644, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_chown, (long)f, 1000, 1001, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_fchown, fd, 1002, 1003, 0, 0, 0);
	sh->v[5] = kt_sys(SYS_lchown, (long)link_path, 1004, 1005, 0, 0, 0);
	sh->v[6] = kt_sys(SYS_fchownat, dfd, (long)sh->buf, 1006, 1007, AT_SYMLINK_NOFOLLOW, 0);
	sh->v[7] = kt_sys(SYS_chmod, (long)missing, 0600, 0, 0, 0, 0);
	sh->v[8] = kt_sys(SYS_fchmod, -1, 0, 0, 0, 0, 0);
	sh->v[9] = kt_sys(SYS_chown, (long)f, -1, -1, 0, 0, 0);
	sh->v[10] = kt_sys(SYS_chmod, 1, 0, 0, 0, 0, 0);
	sh->v[11] = kt_sys(SYS_fchownat, dfd, (long)sh->buf, 0, 0, 0x7000, 0);
	kt_end(sh);
}

static void test_chmod(void)
{
	const struct la_event *ev;
	struct kt_run r;
	struct stat st;
	const char *b;
	FILE *fp;
	int i;

	kt_path(dir, sizeof(dir), "chmod");
	mkdir(dir, 0755);
	snprintf(f, sizeof(f), "%s/f w", dir);
	snprintf(link_path, sizeof(link_path), "%s/link", dir);
	snprintf(missing, sizeof(missing), "%s/missing", dir);
	fp = fopen(f, "w");
	KT_ASSERT_FATAL(fp != NULL);
	fclose(fp);
	KT_ASSERT_FATAL(symlink("f w", link_path) == 0);
	if (kt_run(&r, "kt-chmod", body_chmod, NULL))
		return;
	KT_CHILD_OK(&r);
	b = r.sh->buf;
	for (i = 0; i < 7; i++)
		KT_EQ(r.sh->v[i], 0);
	KT_EQ(r.sh->v[7], -ENOENT);
	KT_EQ(r.sh->v[8], -EBADF);
	KT_EQ(r.sh->v[9], 0);
	KT_EQ(r.sh->v[10], -EFAULT);
	KT_EQ(r.sh->v[11], -EINVAL);
	KT_ASSERT(!stat(f, &st) && (st.st_mode & 07777) == 0644 && st.st_uid == 1006 &&
		  st.st_gid == 1007);
	KT_ASSERT(!lstat(link_path, &st) && st.st_uid == 1004 && st.st_gid == 1005);
	KT_NRS(&r, r.pid, SYS_chmod, SYS_fchmod, SYS_fchmodat, SYS_chown, SYS_fchown, SYS_lchown,
	       SYS_fchownat, SYS_chmod, SYS_fchmod, SYS_chown, SYS_chmod, SYS_fchownat);

	KT_REC(ev, &r, r.pid, SYS_chmod, 0);
	KT_SYS(ev, SYS_chmod, f, 0640, 0, 0, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT_PATH(0, f));
	KT_REC(ev, &r, r.pid, SYS_fchmod, 0);
	KT_SYS(ev, SYS_fchmod, 4, 0600, 0, 0, 0, 0, 0);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_fchmodat, 0);
	KT_SYS(ev, SYS_fchmodat, (long)AT_FDCWD, f, 0644, 0, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT_PATH(1, f));
	KT_REC(ev, &r, r.pid, SYS_chown, 0);
	KT_SYS(ev, SYS_chown, f, 1000, 1001, 0, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT_PATH(0, f));
	KT_REC(ev, &r, r.pid, SYS_fchown, 0);
	KT_SYS(ev, SYS_fchown, 4, 1002, 1003, 0, 0, 0, 0);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_lchown, 0);
	KT_SYS(ev, SYS_lchown, link_path, 1004, 1005, 0, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT_PATH(0, link_path));
	KT_REC(ev, &r, r.pid, SYS_fchownat, 0);
	KT_SYS(ev, SYS_fchownat, 3, b, 1006, 1007, AT_SYMLINK_NOFOLLOW, 0, 0);
	KT_ITEMS(ev, 0, KT_IT_PATH(1, "f w"));
	KT_REC(ev, &r, r.pid, SYS_chmod, 1);
	KT_SYS(ev, SYS_chmod, missing, 0600, 0, 0, 0, 0, -ENOENT);
	KT_ITEMS(ev, 0, KT_IT_PATH(0, missing));
	KT_REC(ev, &r, r.pid, SYS_fchmod, 1);
	KT_SYS(ev, SYS_fchmod, -1L, 0, 0, 0, 0, 0, -EBADF);
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_chown, 1);
	KT_SYS(ev, SYS_chown, f, -1L, -1L, 0, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT_PATH(0, f));
	KT_REC(ev, &r, r.pid, SYS_chmod, 2);
	KT_SYS(ev, SYS_chmod, 1, 0, 0, 0, 0, 0, -EFAULT);
	KT_ITEMS(ev, LA_F_FAULT, KT_IT(LA_IT_PATH, 0, LA_IF_FAULT, "", 0));
	KT_REC(ev, &r, r.pid, SYS_fchownat, 1);
	KT_SYS(ev, SYS_fchownat, 3, b, 0, 0, 0x7000, 0, -EINVAL);
	KT_ITEMS(ev, 0, KT_IT_PATH(1, "f w"));
	for (i = 0; i < 12; i++) {
		ev = kt_find(&r, r.pid, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_CTX(ev, &r.sh->ctx);
	}
}

void ktest_register_chmod(void)
{
	CU_pSuite s = kt_suite("chmod");

	kt_test(s, "chmod, fchmod, fchmodat, chown, fchown, lchown, fchownat", test_chmod);
}
