// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The task list of the audit rules, decided once per new task at its fork, as the
 * kernel's audit_alloc() decides it: a never rule selects a process or thread
 * forked after it was loaded, on the ids it inherits, and none of that task's
 * syscalls is logged; the parent, forked before, stays audited, and so does a task
 * forked before the rule was loaded, whatever its ids are later.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "conf/rules.h"
#include "tests/kernel/ktest.h"

/* the closes, and the exit of a process with euid 1001 (the never rule's) */
#define TR_EXIT_RULE                                              \
	"-a always,exit -S close -F a0>=1600 -F a0<=1609 -k tc\n" \
	"-a always,exit -S exit_group -F euid=1001 -k tx\n"
#define TR_NEVER "-a never,task -F euid=1001\n"

/* fork a child that closes @fd and exits; wait for it.  Return: its pid. */
static pid_t tr_child_close(struct kt_shm *sh, int fd)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		kt_sys(SYS_close, fd, 0, 0, 0, 0, 0);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		kt_child_fail(sh, "child closing %d failed", fd);
	return pid;
}

static void *tr_thread(void *arg)
{
	(void)arg;
	kt_sys(SYS_close, 1603, 0, 0, 0, 0, 0);
	return NULL;
}

static void body_never(struct kt_shm *sh, void *arg)
{
	pthread_t th;

	(void)arg;
	kt_begin(sh);
	kt_sys(SYS_close, 1600, 0, 0, 0, 0, 0);
	sh->v[0] = kt_sys(SYS_setresuid, -1, 1001, -1, 0, 0, 0);
	/* this process was forked with euid 0: still audited */
	kt_sys(SYS_close, 1601, 0, 0, 0, 0, 0);
	/* forked with euid 1001: a process, then a thread of this one */
	sh->v[2] = tr_child_close(sh, 1602);
	if (pthread_create(&th, NULL, tr_thread, NULL) || pthread_join(th, NULL))
		kt_child_fail(sh, "pthread_create failed");
	sh->v[1] = kt_sys(SYS_setresuid, -1, 0, -1, 0, 0, 0);
	/* forked with euid 0 again */
	sh->v[3] = tr_child_close(sh, 1604);
	kt_sys(SYS_close, 1605, 0, 0, 0, 0, 0);
	kt_end(sh);
}

/* A never rule selects the tasks forked after it under its ids, not their parent. */
static void test_never(void)
{
	const struct la_event *ev;
	struct kt_run r;

	if (kt_rules_load(TR_NEVER TR_EXIT_RULE))
		return;
	if (kt_run(&r, "kt-task-never", body_never, NULL)) {
		kt_rules_unload();
		return;
	}
	KT_CHILD_OK(&r);
	KT_EQ(r.sh->v[0], 0);
	KT_EQ(r.sh->v[1], 0);
	/* the parent: its three closes, the thread's not among them */
	KT_EQ(kt_count(&r, r.pid, SYS_close), 3);
	KT_REC_A0(ev, &r, r.pid, SYS_close, 1600);
	KT_KEY(ev, "tc");
	KT_REC_A0(ev, &r, r.pid, SYS_close, 1601);
	KT_EQ(ev->euid, 1001);
	KT_ASSERT(!kt_find_a0(&r, r.pid, SYS_close, 1603));
	KT_REC_A0(ev, &r, r.pid, SYS_close, 1605);
	KT_EQ(ev->euid, 0);
	/* the process forked with euid 1001: nothing at all, not even its exit */
	KT_EQ(kt_count_all(&r, (uint32_t)r.sh->v[2], -1), 0);
	/* the one forked with euid 0 */
	KT_EQ(kt_count(&r, (uint32_t)r.sh->v[3], SYS_close), 1);
	KT_REC_A0(ev, &r, (uint32_t)r.sh->v[3], SYS_close, 1604);
	KT_KEY(ev, "tc");
	kt_rules_unload();
}

/* Wait (up to 10 s) until @sh->v[@i] is 1. */
static int tr_wait(struct kt_shm *sh, int i)
{
	int n;

	for (n = 0; n < 10000; n++) {
		if (__atomic_load_n(&sh->v[i], __ATOMIC_SEQ_CST) == 1)
			return 0;
		usleep(1000);
	}
	return -1;
}

static void body_late(struct kt_shm *sh, void *arg)
{
	pid_t early;
	int st;

	(void)arg;
	kt_begin(sh);
	sh->v[5] = kt_sys(SYS_setresuid, -1, 1001, -1, 0, 0, 0);
	early = fork();
	if (early == 0) {
		/* forked before the rule: it stays audited */
		if (tr_wait(sh, 1))
			_exit(1);
		kt_sys(SYS_close, 1606, 0, 0, 0, 0, 0);
		_exit(0);
	}
	sh->v[2] = early;
	__atomic_store_n(&sh->v[0], 1, __ATOMIC_SEQ_CST);
	if (tr_wait(sh, 1))
		kt_child_fail(sh, "the rule was not loaded");
	/* forked after it */
	sh->v[3] = tr_child_close(sh, 1607);
	if (early < 0 || waitpid(early, &st, 0) != early || !WIFEXITED(st) || WEXITSTATUS(st))
		kt_child_fail(sh, "the early child failed");
	kt_end(sh);
}

struct tr_late {
	struct kt_run *r;
	struct rules_set set;
	int err;
};

/* Once the body forked its early child, load the never rule, and tell the body. */
static void *tr_loader(void *arg)
{
	struct tr_late *l = arg;
	struct kt_shm *sh = NULL;
	int n;

	for (n = 0; n < 10000 && !sh; n++) {
		sh = __atomic_load_n(&l->r->sh, __ATOMIC_SEQ_CST);
		if (!sh)
			usleep(1000);
	}
	if (!sh || tr_wait(sh, 0)) {
		l->err = -ETIMEDOUT;
		return NULL;
	}
	l->err = capture_set_rules(kt_cap, &l->set);
	__atomic_store_n(&sh->v[1], 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* A rule loaded after a task's fork leaves that task as it was. */
static void test_late(void)
{
	struct tr_late l = {0};
	const struct la_event *ev;
	struct kt_run r;
	char text[512];
	pthread_t th;

	/* as kt_rules_load(): the test's child's exit ends its run */
	snprintf(text, sizeof(text), "-a always,exit -S exit_group -F ppid=%d\n%s%s", (int)getpid(),
		 TR_NEVER, TR_EXIT_RULE);
	memset(&r, 0, sizeof(r));
	l.r = &r;
	rules_set_init(&l.set);
	KT_EQ(rules_parse(&l.set, text, strlen(text), "taskrules", NULL, 0, NULL, NULL, NULL), 0);
	if (kt_rules_load(TR_EXIT_RULE)) {
		rules_set_free(&l.set);
		return;
	}
	KT_ASSERT_FATAL(!pthread_create(&th, NULL, tr_loader, &l));
	if (kt_run(&r, "kt-task-late", body_late, NULL)) {
		pthread_join(th, NULL);
		kt_rules_unload();
		rules_set_free(&l.set);
		return;
	}
	pthread_join(th, NULL);
	KT_EQ(l.err, 0);
	KT_CHILD_OK(&r);
	KT_EQ(r.sh->v[5], 0);
	KT_EQ(kt_count(&r, (uint32_t)r.sh->v[2], SYS_close), 1);
	KT_REC_A0(ev, &r, (uint32_t)r.sh->v[2], SYS_close, 1606);
	KT_EQ(ev->euid, 1001);
	KT_KEY(ev, "tc");
	KT_EQ(kt_count(&r, (uint32_t)r.sh->v[2], SYS_exit_group), 1);
	/* forked after the rule: nothing, not even its exit */
	KT_EQ(kt_count_all(&r, (uint32_t)r.sh->v[3], -1), 0);
	kt_rules_unload();
	rules_set_free(&l.set);
}

static void body_always(struct kt_shm *sh, void *arg)
{
	pid_t pid;
	int st;

	(void)arg;
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_setresuid, -1, 1002, -1, 0, 0, 0);
	pid = fork();
	if (pid == 0) {
		kt_sys(SYS_close, 1608, 0, 0, 0, 0, 0);
		kt_sys(SYS_getppid, 0, 0, 0, 0, 0, 0);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		kt_child_fail(sh, "the child failed");
	sh->v[2] = pid;
	kt_sys(SYS_getppid, 0, 0, 0, 0, 0, 0);
	kt_end(sh);
}

/*
 * An always rule: every syscall of the tasks forked under it is logged, with no
 * key, the exit list not tried (its close rule's key is not given).
 */
static void test_always(void)
{
	const struct la_event *ev;
	struct kt_run r;

	if (kt_rules_load("-a always,task -F euid=1002\n" TR_EXIT_RULE))
		return;
	if (kt_run(&r, "kt-task-always", body_always, NULL)) {
		kt_rules_unload();
		return;
	}
	KT_CHILD_OK(&r);
	KT_EQ(r.sh->v[0], 0);
	/* the parent, forked with euid 0: no rule names its getppid */
	KT_EQ(kt_count(&r, r.pid, SYS_getppid), 0);
	KT_REC_A0(ev, &r, (uint32_t)r.sh->v[2], SYS_close, 1608);
	KT_KEY(ev, "");
	KT_EQ(ev->euid, 1002);
	KT_REC(ev, &r, (uint32_t)r.sh->v[2], SYS_getppid, 0);
	KT_KEY(ev, "");
	KT_EQ(ev->ret, r.pid);
	KT_EQ(kt_count_all(&r, (uint32_t)r.sh->v[2], SYS_exit_group), 1);
	kt_rules_unload();
}

void ktest_register_taskrules(void)
{
	CU_pSuite s = kt_suite("taskrules");

	kt_test(s, "task rules: a never rule selects the tasks forked after it, by their ids",
		test_never);
	kt_test(s, "task rules: a rule loaded after a fork leaves that task audited", test_late);
	kt_test(s, "task rules: an always rule logs every syscall of its tasks, with no key",
		test_always);
}
