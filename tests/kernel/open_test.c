// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Family 3, open: open, openat, creat, openat2.  The path item: odd bytes, 4095
 * bytes, PATH_MAX bytes and more (truncated), a bad pointer (fault), and read at
 * entry, before the process can change it.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "tests/kernel/ktest.h"

/* A name with a space, a quote, a newline, UTF-8 and a byte that is not UTF-8. */
#define ODD_NAME "a b\"c\nd\xc3\xa9\xff"

static char odd[4096], odd2[4096], creat_path[4096], dir[1024], long_path[8192];

static void body_open(struct kt_shm *sh, void *arg)
{
	struct open_how *how = (struct open_how *)sh->buf2;
	int dfd;

	(void)arg;
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd != 3) {
		kt_child_fail(sh, "setup: dfd %d: %s", dfd, strerror(errno));
		return;
	}
	how->flags = O_RDONLY | O_CLOEXEC;
	how->resolve = RESOLVE_NO_SYMLINKS;
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_open, (long)odd, O_WRONLY | O_CREAT | O_EXCL, 0600, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_openat, AT_FDCWD, (long)odd, O_RDONLY, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_openat, dfd, (long)ODD_NAME, O_RDONLY | O_NOFOLLOW, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_creat, (long)creat_path, 0640, 0, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_openat2, AT_FDCWD, (long)odd, (long)how, sizeof(*how), 0, 0);
	sh->v[5] = kt_sys(SYS_open, (long)odd2, O_RDONLY, 0, 0, 0, 0);
	sh->v[6] = kt_sys(SYS_open, (long)"", O_RDONLY, 0, 0, 0, 0);
	sh->v[7] = kt_sys(SYS_openat2, AT_FDCWD, (long)odd, (long)how, 7, 0, 0);
	kt_end(sh);
}

static void test_open(void)
{
	const struct la_event *ev;
	struct kt_run r;
	long how;
	int i;

	kt_path(dir, sizeof(dir), "open");
	mkdir(dir, 0755);
	snprintf(odd, sizeof(odd), "%s/%s", dir, ODD_NAME);
	snprintf(odd2, sizeof(odd2), "%s/%s.missing", dir, ODD_NAME);
	snprintf(creat_path, sizeof(creat_path), "%s/created", dir);
	if (kt_run(&r, "kt-open", body_open, NULL))
		return;
	KT_CHILD_OK(&r);
	how = (long)r.sh->buf2;
	KT_EQ(r.sh->v[0], 4);
	KT_EQ(r.sh->v[1], 5);
	KT_EQ(r.sh->v[2], 6);
	KT_EQ(r.sh->v[3], 7);
	KT_EQ(r.sh->v[4], 8);
	KT_EQ(r.sh->v[5], -ENOENT);
	KT_EQ(r.sh->v[6], -ENOENT);
	KT_EQ(r.sh->v[7], -EINVAL);
	KT_NRS(&r, r.pid, SYS_open, SYS_openat, SYS_openat, SYS_creat, SYS_openat2, SYS_open,
	       SYS_open, SYS_openat2);

	KT_REC(ev, &r, r.pid, SYS_open, 0);
	KT_SYS(ev, SYS_open, odd, O_WRONLY | O_CREAT | O_EXCL, 0600, 0, 0, 0, 4);
	KT_ITEMS(ev, 0, KT_IT_PATH(0, odd));
	KT_REC(ev, &r, r.pid, SYS_openat, 0);
	KT_SYS(ev, SYS_openat, (long)AT_FDCWD, odd, O_RDONLY, 0, 0, 0, 5);
	KT_ITEMS(ev, 0, KT_IT_PATH(1, odd));
	KT_REC(ev, &r, r.pid, SYS_openat, 1);
	KT_SYS(ev, SYS_openat, 3, ODD_NAME, O_RDONLY | O_NOFOLLOW, 0, 0, 0, 6);
	KT_ITEMS(ev, 0, KT_IT_PATH(1, ODD_NAME));
	KT_REC(ev, &r, r.pid, SYS_creat, 0);
	KT_SYS(ev, SYS_creat, creat_path, 0640, 0, 0, 0, 0, 7);
	KT_ITEMS(ev, 0, KT_IT_PATH(0, creat_path));
	KT_REC(ev, &r, r.pid, SYS_openat2, 0);
	KT_SYS(ev, SYS_openat2, (long)AT_FDCWD, odd, how, 24, 0, 0, 8);
	KT_ITEMS(ev, 0, KT_IT_PATH(1, odd));
	KT_REC(ev, &r, r.pid, SYS_open, 1);
	KT_SYS(ev, SYS_open, odd2, O_RDONLY, 0, 0, 0, 0, -ENOENT);
	KT_ITEMS(ev, 0, KT_IT_PATH(0, odd2));
	/* the empty path: an item of no bytes, not a fault */
	KT_REC(ev, &r, r.pid, SYS_open, 2);
	KT_EQ(ev->ret, -ENOENT);
	KT_ITEMS(ev, 0, KT_IT_PATH(0, ""));
	KT_REC(ev, &r, r.pid, SYS_openat2, 1);
	KT_SYS(ev, SYS_openat2, (long)AT_FDCWD, odd, how, 7, 0, 0, -EINVAL);
	KT_ITEMS(ev, 0, KT_IT_PATH(1, odd));
	for (i = 0; i < 8; i++) {
		ev = kt_find(&r, r.pid, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_CTX(ev, &r.sh->ctx);
	}
}

/* Paths of 4095 bytes (fits), PATH_MAX (cut, flagged) and 5000 bytes; bad pointers. */
static void body_long(struct kt_shm *sh, void *arg)
{
	size_t len;

	(void)arg;
	/* lengths exclude the NUL; sh->buf holds long_path with its NUL moved */
	len = strlen(long_path);
	memcpy(sh->buf, long_path, len + 1);
	sh->v[0] = kt_sys(SYS_open, (long)sh->buf, O_RDONLY, 0, 0, 0, 0);
	memset(sh->buf2, 'x', 5000);
	memcpy(sh->buf2, long_path, len);
	sh->buf2[4096] = 0;
	sh->v[1] = kt_sys(SYS_open, (long)sh->buf2, O_RDONLY, 0, 0, 0, 0);
	sh->buf2[4096] = 'x';
	sh->buf2[5000] = 0;
	sh->v[2] = kt_sys(SYS_openat, AT_FDCWD, (long)sh->buf2, O_RDONLY, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_open, 1, O_RDONLY, 0, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_openat, AT_FDCWD, 0, O_RDONLY, 0, 0, 0);
	sh->v[5] = kt_sys(SYS_creat, -1L, 0600, 0, 0, 0, 0);
	kt_end(sh);
}

static void test_long(void)
{
	char file[4096];
	const struct la_event *ev;
	struct kt_run r;
	size_t n;
	FILE *f;

	kt_path(file, sizeof(file), "longpath");
	f = fopen(file, "w");
	KT_ASSERT_FATAL(f != NULL);
	fclose(f);
	/* tmpdir, then slashes, then the name: 4095 bytes that name the file */
	n = snprintf(long_path, sizeof(long_path), "%s", kt_tmpdir);
	memset(long_path + n, '/', 4095 - n - strlen("longpath"));
	strcpy(long_path + 4095 - strlen("longpath"), "longpath");
	KT_EQ(strlen(long_path), 4095);
	if (kt_run(&r, "kt-open-long", body_long, NULL))
		return;
	KT_CHILD_OK(&r);
	KT_EQ(r.sh->v[0], 3);
	KT_EQ(r.sh->v[1], -ENAMETOOLONG);
	KT_EQ(r.sh->v[2], -ENAMETOOLONG);
	KT_EQ(r.sh->v[3], -EFAULT);
	KT_EQ(r.sh->v[4], -EFAULT);
	KT_EQ(r.sh->v[5], -EFAULT);
	KT_NRS(&r, r.pid, SYS_open, SYS_open, SYS_openat, SYS_open, SYS_openat, SYS_creat);

	KT_REC(ev, &r, r.pid, SYS_open, 0);
	KT_SYS(ev, SYS_open, r.sh->buf, O_RDONLY, 0, 0, 0, 0, 3);
	KT_ITEMS(ev, 0, KT_IT(LA_IT_PATH, 0, 0, long_path, 4095));
	/* exactly PATH_MAX bytes before the NUL: the first 4096 kept, flagged */
	KT_REC(ev, &r, r.pid, SYS_open, 1);
	KT_SYS(ev, SYS_open, r.sh->buf2, O_RDONLY, 0, 0, 0, 0, -ENAMETOOLONG);
	KT_ITEMS(ev, LA_F_TRUNC, KT_IT(LA_IT_PATH, 0, LA_IF_TRUNC, r.sh->buf2, 4096));
	KT_REC(ev, &r, r.pid, SYS_openat, 0);
	KT_SYS(ev, SYS_openat, (long)AT_FDCWD, r.sh->buf2, O_RDONLY, 0, 0, 0, -ENAMETOOLONG);
	KT_ITEMS(ev, LA_F_TRUNC, KT_IT(LA_IT_PATH, 1, LA_IF_TRUNC, r.sh->buf2, 4096));
	/* bad pointers: the item is there, empty, flagged as a fault */
	KT_REC(ev, &r, r.pid, SYS_open, 2);
	KT_SYS(ev, SYS_open, 1, O_RDONLY, 0, 0, 0, 0, -EFAULT);
	KT_ITEMS(ev, LA_F_FAULT, KT_IT(LA_IT_PATH, 0, LA_IF_FAULT, "", 0));
	KT_REC(ev, &r, r.pid, SYS_openat, 1);
	KT_SYS(ev, SYS_openat, (long)AT_FDCWD, 0, O_RDONLY, 0, 0, 0, -EFAULT);
	KT_ITEMS(ev, LA_F_FAULT, KT_IT(LA_IT_PATH, 1, LA_IF_FAULT, "", 0));
	KT_REC(ev, &r, r.pid, SYS_creat, 0);
	KT_SYS(ev, SYS_creat, -1L, 0600, 0, 0, 0, 0, -EFAULT);
	KT_ITEMS(ev, LA_F_FAULT, KT_IT(LA_IT_PATH, 0, LA_IF_FAULT, "", 0));
	KT_CTX(ev, &r.sh->ctx);
}

/*
 * The path is read at entry: a thread rewrites it while open() blocks on a FIFO,
 * and the record still names the FIFO the kernel opened.
 */
struct race {
	struct kt_shm *sh;
	pid_t tid;
	char fifo[4096];
};

static struct race race;

static void *race_thread(void *arg)
{
	struct race *ra = arg;
	char path[64], buf[64];
	int fd, n, i;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", ra->tid);
	/* wait until the main thread sleeps in open (syscall 2) */
	for (i = 0; i < 5000; i++) {
		fd = open(path, O_RDONLY);
		n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 2 && !strncmp(buf, "2 ", 2))
			break;
		usleep(1000);
	}
	ra->sh->v[1] = i;
	memset(ra->sh->buf, 'Z', strlen(ra->sh->buf));
	fd = open(ra->fifo, O_WRONLY);
	close(fd);
	return NULL;
}

static void body_race(struct kt_shm *sh, void *arg)
{
	struct race *ra = arg;
	pthread_t t;

	ra->sh = sh;
	ra->tid = gettid();
	strcpy(sh->buf, ra->fifo);
	if (pthread_create(&t, NULL, race_thread, ra)) {
		kt_child_fail(sh, "pthread_create");
		return;
	}
	sh->v[0] = kt_sys(SYS_open, (long)sh->buf, O_RDONLY, 0, 0, 0, 0);
	pthread_join(t, NULL);
	kt_end(sh);
}

static void test_race(void)
{
	const struct la_event *ev;
	struct kt_run r;

	kt_path(race.fifo, sizeof(race.fifo), "fifo");
	KT_ASSERT_FATAL(mkfifo(race.fifo, 0600) == 0);
	if (kt_run(&r, "kt-open-race", body_race, &race))
		return;
	KT_CHILD_OK(&r);
	KT_ASSERT(r.sh->v[0] >= 3);
	KT_ASSERT(r.sh->v[1] < 5000);
	KT_REC_A0(ev, &r, r.pid, SYS_open, (long)r.sh->buf);
	KT_SYS(ev, SYS_open, r.sh->buf, O_RDONLY, 0, 0, 0, 0, r.sh->v[0]);
	KT_ITEMS(ev, 0, KT_IT_PATH(0, race.fifo));
	KT_CTX(ev, &r.sh->ctx);
	KT_ASSERT(r.sh->buf[0] == 'Z');
}

void ktest_register_open(void)
{
	CU_pSuite s = kt_suite("open");

	kt_test(s, "open, openat, creat, openat2: args, ret, path with odd bytes", test_open);
	kt_test(s, "paths of 4095 and PATH_MAX bytes, bad pointers", test_long);
	kt_test(s, "the path is read at entry", test_race);
}
