// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Family 6, mprotect: raw arguments and return value. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "tests/kernel/ktest.h"

static void body_mprotect(struct kt_shm *sh, void *arg)
{
	char *p;

	(void)arg;
	p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || munmap(p + 8192, 4096)) {
		kt_child_fail(sh, "setup: %s", strerror(errno));
		return;
	}
	sh->v[9] = (long)p;
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_mprotect, (long)p, 4096, PROT_READ, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_mprotect, (long)p + 1, 4096, PROT_READ, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_mprotect, (long)p, 4096, 0x1000, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_mprotect, (long)p + 8192, 4096, PROT_READ, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_mprotect, (long)p, 8192, PROT_READ | PROT_WRITE | PROT_EXEC, 0, 0, 0);
	sh->v[5] = kt_sys(SYS_mprotect, (long)p, 0, PROT_NONE, 0, 0, 0);
	kt_end(sh);
}

static void test_mprotect(void)
{
	const struct la_event *ev;
	struct kt_run r;
	long p;
	int i;

	if (kt_run(&r, "kt-mprotect", body_mprotect, NULL))
		return;
	KT_CHILD_OK(&r);
	p = r.sh->v[9];
	KT_EQ(r.sh->v[0], 0);
	KT_EQ(r.sh->v[1], -EINVAL);
	KT_EQ(r.sh->v[2], -EINVAL);
	KT_EQ(r.sh->v[3], -ENOMEM);
	KT_EQ(r.sh->v[4], 0);
	KT_EQ(r.sh->v[5], 0);
	KT_NRS(&r, r.pid, SYS_mprotect, SYS_mprotect, SYS_mprotect, SYS_mprotect, SYS_mprotect,
	       SYS_mprotect);

	KT_REC(ev, &r, r.pid, SYS_mprotect, 0);
	KT_SYS(ev, SYS_mprotect, p, 4096, PROT_READ, 0, 0, 0, 0);
	KT_REC(ev, &r, r.pid, SYS_mprotect, 1);
	KT_SYS(ev, SYS_mprotect, p + 1, 4096, PROT_READ, 0, 0, 0, -EINVAL);
	KT_REC(ev, &r, r.pid, SYS_mprotect, 2);
	KT_SYS(ev, SYS_mprotect, p, 4096, 0x1000, 0, 0, 0, -EINVAL);
	KT_REC(ev, &r, r.pid, SYS_mprotect, 3);
	KT_SYS(ev, SYS_mprotect, p + 8192, 4096, PROT_READ, 0, 0, 0, -ENOMEM);
	KT_REC(ev, &r, r.pid, SYS_mprotect, 4);
	KT_SYS(ev, SYS_mprotect, p, 8192, PROT_READ | PROT_WRITE | PROT_EXEC, 0, 0, 0, 0);
	KT_REC(ev, &r, r.pid, SYS_mprotect, 5);
	KT_SYS(ev, SYS_mprotect, p, 0, PROT_NONE, 0, 0, 0, 0);
	for (i = 0; i < 6; i++) {
		ev = kt_find(&r, r.pid, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_CTX(ev, &r.sh->ctx);
		KT_NO_ITEMS(ev, 0);
	}
}

void ktest_register_mprotect(void)
{
	CU_pSuite s = kt_suite("mprotect");

	kt_test(s, "mprotect: args and ret, success and failures", test_mprotect);
}
