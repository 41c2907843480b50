// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Family 5, mmap: raw arguments; the return value is the address mapped. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "tests/kernel/ktest.h"

static char path[4096];

static void body_mmap(struct kt_shm *sh, void *arg)
{
	int fd;

	(void)arg;
	fd = open(path, O_RDWR);
	if (fd != 3) {
		kt_child_fail(sh, "setup: fd %d: %s", fd, strerror(errno));
		return;
	}
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_mmap, 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	sh->v[1] = kt_sys(SYS_mmap, 0, 4096, PROT_READ, MAP_SHARED, fd, 4096);
	sh->v[2] = kt_sys(SYS_mmap, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	sh->v[3] = kt_sys(SYS_mmap, sh->v[0] + 4096, 4096, PROT_READ,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	sh->v[4] = kt_sys(SYS_mmap, 0, 4096, PROT_READ, MAP_SHARED, 99, 0);
	sh->v[5] = kt_sys(SYS_mmap, 0, 4096, PROT_READ, MAP_SHARED, fd, 100);
	kt_end(sh);
}

static void test_mmap(void)
{
	const struct la_event *ev;
	struct kt_run r;
	FILE *f;
	int i;

	kt_path(path, sizeof(path), "mmap.dat");
	f = fopen(path, "w");
	KT_ASSERT_FATAL(f != NULL);
	KT_ASSERT_FATAL(ftruncate(fileno(f), 8192) == 0);
	fclose(f);
	if (kt_run(&r, "kt-mmap", body_mmap, NULL))
		return;
	KT_CHILD_OK(&r);
	KT_ASSERT(r.sh->v[0] > 0 && !(r.sh->v[0] & 4095));
	KT_ASSERT(r.sh->v[1] > 0 && !(r.sh->v[1] & 4095) && r.sh->v[1] != r.sh->v[0]);
	KT_EQ(r.sh->v[2], -EINVAL);
	KT_EQ(r.sh->v[3], r.sh->v[0] + 4096);
	KT_EQ(r.sh->v[4], -EBADF);
	KT_EQ(r.sh->v[5], -EINVAL);
	KT_NRS(&r, r.pid, SYS_mmap, SYS_mmap, SYS_mmap, SYS_mmap, SYS_mmap, SYS_mmap);

	KT_REC(ev, &r, r.pid, SYS_mmap, 0);
	KT_SYS(ev, SYS_mmap, 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1L, 0,
	       r.sh->v[0]);
	KT_REC(ev, &r, r.pid, SYS_mmap, 1);
	KT_SYS(ev, SYS_mmap, 0, 4096, PROT_READ, MAP_SHARED, 3, 4096, r.sh->v[1]);
	KT_REC(ev, &r, r.pid, SYS_mmap, 2);
	KT_SYS(ev, SYS_mmap, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1L, 0, -EINVAL);
	KT_REC(ev, &r, r.pid, SYS_mmap, 3);
	KT_SYS(ev, SYS_mmap, r.sh->v[0] + 4096, 4096, PROT_READ,
	       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1L, 0, r.sh->v[0] + 4096);
	KT_REC(ev, &r, r.pid, SYS_mmap, 4);
	KT_SYS(ev, SYS_mmap, 0, 4096, PROT_READ, MAP_SHARED, 99, 0, -EBADF);
	KT_REC(ev, &r, r.pid, SYS_mmap, 5);
	KT_SYS(ev, SYS_mmap, 0, 4096, PROT_READ, MAP_SHARED, 3, 100, -EINVAL);
	for (i = 0; i < 6; i++) {
		ev = kt_find(&r, r.pid, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_CTX(ev, &r.sh->ctx);
		KT_NO_ITEMS(ev, 0);
	}
}

void ktest_register_mmap(void)
{
	CU_pSuite s = kt_suite("mmap");

	kt_test(s, "mmap: anonymous, file, fixed, failures; ret is the address", test_mmap);
}
