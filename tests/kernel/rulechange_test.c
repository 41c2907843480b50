// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Rules against a changing world: a process that a rule did not select becomes
 * selected when it changes identity (setresuid) or image (execve), and stops being
 * selected when it changes back; and a rule change made while processes run flat
 * out loses no record and gives each record the key of the rules in force when it
 * was made, as the kernel's audit_filter_syscall() does on the rules it reads under
 * RCU at each syscall's exit.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "conf/rules.h"
#include "formats/text.h"
#include "logger/counters.h"
#include "tests/kernel/ktest.h"

static void body_setuid(struct kt_shm *sh, void *arg)
{
	(void)arg;
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_close, 1400, 0, 0, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_setresuid, -1, 1000, -1, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_close, 1400, 0, 0, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_setresuid, -1, 0, -1, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_close, 1400, 0, 0, 0, 0, 0);
	kt_end(sh);
}

/* A rule on euid selects the process between its two setresuid calls only. */
static void test_setuid(void)
{
	const struct la_event *ev;
	struct kt_run r;
	char text[256];

	snprintf(text, sizeof(text),
		 "-a always,exit -S close -F a0=1400 -F euid=1000 -F ppid=%d -k eu\n",
		 (int)getpid());
	if (kt_rules_load(text))
		return;
	if (kt_run(&r, "kt-rc-setuid", body_setuid, NULL)) {
		kt_rules_unload();
		return;
	}
	KT_CHILD_OK(&r);
	KT_EQ(r.sh->v[1], 0);
	KT_EQ(r.sh->v[3], 0);
	KT_NRS(&r, r.pid, SYS_close);
	KT_REC(ev, &r, r.pid, SYS_close, 0);
	KT_KEY(ev, "eu");
	KT_EQ(ev->euid, 1000);
	KT_EQ(ev->uid, 0);
	KT_EQ(ev->ret, -EBADF);
	KT_ASSERT(ev->ts_enter > r.sh->t_begin);
	kt_rules_unload();
}

static void body_exec(struct kt_shm *sh, void *arg)
{
	char *const argv[] = {"bash", "-c", "exec 1401>&-", NULL};
	pid_t pid;
	int st;

	(void)arg;
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_close, 1401, 0, 0, 0, 0, 0);
	pid = fork();
	if (pid == 0) {
		/* before the execve: this process's image is still the test's */
		kt_sys(SYS_close, 1401, 0, 0, 0, 0, 0);
		execv("/bin/bash", argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		kt_child_fail(sh, "bash -c 'exec 1401>&-' failed");
	sh->v[1] = pid;
	kt_end(sh);
}

/*
 * The decision of capture_rule_decide() for @ev, with the executable the consumer's
 * process table would give: @exe.  Return: 1 logged (key in @key), 0 not.
 */
static int decide(const struct la_event *ev, const char *exe, const char **key)
{
	struct text_ident id = {.exe = exe, .exe_len = strlen(exe)};
	uint32_t drop;

	return capture_rule_decide(kt_cap, ev, &id, key, &drop);
}

/* An exe= rule selects the process after its execve, not before. */
static void test_exec(void)
{
	char self[4096], bash[4096], text[8192];
	const struct la_event *ev;
	const char *key;
	struct kt_run r;
	ssize_t n;
	int i, logged;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	KT_ASSERT_FATAL(n > 0);
	self[n] = 0;
	if (!realpath("/bin/bash", bash)) {
		kt_fail(__FILE__, __LINE__, 0, "/bin/bash: %s", strerror(errno));
		return;
	}
	/* the execve is logged too: the harness follows each process's exec_id */
	snprintf(text, sizeof(text),
		 "-a always,exit -S execve\n"
		 "-a always,exit -S close -F a0=1401 -F exe=%s -k bash\n",
		 bash);
	if (kt_rules_load(text))
		return;
	if (kt_run(&r, "kt-rc-exec", body_exec, NULL)) {
		kt_rules_unload();
		return;
	}
	KT_CHILD_OK(&r);
	/* the programs cannot tell the image: both pass, user space decides */
	KT_EQ(kt_count(&r, r.pid, SYS_close), 1);
	KT_EQ(kt_count(&r, (uint32_t)r.sh->v[1], SYS_close), 2);
	KT_REC(ev, &r, r.pid, SYS_close, 0);
	KT_EQ(decide(ev, self, &key), 0);
	KT_REC(ev, &r, (uint32_t)r.sh->v[1], SYS_close, 0);
	KT_EQ(decide(ev, self, &key), 0);
	KT_REC(ev, &r, (uint32_t)r.sh->v[1], SYS_close, 1);
	logged = decide(ev, bash, &key);
	KT_EQ(logged, 1);
	KT_ASSERT(logged && key && !strcmp(key, "bash"));
	KT_EQ(ev->ret, -EBADF);
	/* the one close made after the execve is the second, and it has a new exec_id */
	i = ev->exec_id != kt_find(&r, (uint32_t)r.sh->v[1], SYS_close, 0)->exec_id;
	KT_EQ(i, 1);
	kt_rules_unload();
}

/* The rule change under load: rule sets A and B alternate while closes run. */
#define RC_LOADS   6
#define RC_PROCS   2
#define RC_RATE	   100000 /* closes per second and process */
#define RC_SECONDS 0.7

struct rc_swap {
	struct rules_set set[2];
	uint64_t before[RC_LOADS + 1], after[RC_LOADS + 1];
	int err[RC_LOADS + 1];
};

static void *rc_swapper(void *arg)
{
	struct rc_swap *w = arg;
	int i;

	for (i = 1; i <= RC_LOADS; i++) {
		usleep(60 * 1000);
		w->before[i] = kt_now();
		w->err[i] = capture_set_rules(kt_cap, &w->set[i & 1]);
		w->after[i] = kt_now();
	}
	return NULL;
}

static void body_load(struct kt_shm *sh, void *arg)
{
	pid_t pid[RC_PROCS];
	uint64_t t0, t, n;
	int i, st;

	(void)arg;
	kt_begin(sh);
	for (i = 0; i < RC_PROCS; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			t0 = kt_now();
			for (n = 0;; n++) {
				if (!(n & 63)) {
					t = kt_now();
					if (t - t0 > (uint64_t)(RC_SECONDS * 1e9))
						break;
					/* paced: ahead of the rate, wait */
					while ((t - t0) * RC_RATE < n * 1000000000ULL) {
						usleep(200);
						t = kt_now();
					}
				}
				kt_sys(SYS_close, 1500, 0, 0, 0, 0, 0);
			}
			sh->v[10 + i] = (int64_t)n;
			_exit(0);
		}
		sh->v[i] = pid[i];
	}
	for (i = 0; i < RC_PROCS; i++)
		if (pid[i] < 0 || waitpid(pid[i], &st, 0) != pid[i] || st)
			kt_child_fail(sh, "closer %d failed", i);
	kt_end(sh);
}

/* The keys the rules of loads [p, q] give: 1 "a", 2 "b", 3 either. */
static int rc_keys(int p, int q)
{
	return p == q ? 1 << (p & 1) : 3;
}

/* At @t, the loads that may be in force: [p, q] (p published, q begun). */
static int rc_allowed(const struct rc_swap *w, uint64_t t)
{
	int p = 0, q = 0, i;

	for (i = 1; i <= RC_LOADS; i++) {
		if (w->after[i] <= t)
			p = i;
		if (w->before[i] <= t)
			q = i;
	}
	return rc_keys(p, q);
}

static uint64_t rc_lost(void)
{
	static struct la_counts cnt[LA_NR_MAX];
	uint64_t lost = 0;
	int nr;

	if (capture_counts(kt_cap, cnt))
		return UINT64_MAX;
	for (nr = 0; nr < LA_NR_MAX; nr++)
		lost += counters_lost(&cnt[nr]);
	return lost;
}

static void refused(const struct rules_error *e, void *arg)
{
	(void)arg;
	if (!e->warning)
		kt_fail(__FILE__, __LINE__, 0, "line %u:%u: %s", e->line, e->column, e->message);
}

/* Six rule changes while two processes make 100,000 closes a second each. */
static void test_load(void)
{
	static struct rc_swap w;
	char text[2][512];
	uint64_t lost0, made = 0;
	int i, j, bad = 0, seen[4] = {0}, n[RC_PROCS] = {0};
	struct kt_run r;
	pthread_t th;

	memset(&w, 0, sizeof(w));
	for (i = 0; i < 2; i++) {
		snprintf(text[i], sizeof(text[i]),
			 "-a always,exit -S exit_group -F ppid=%d\n"
			 "-a always,exit -S close -F a0=1500 -k %s\n",
			 (int)getpid(), i ? "b" : "a");
		rules_set_init(&w.set[i]);
		KT_EQ(rules_parse(&w.set[i], text[i], strlen(text[i]), "rulechange", NULL, 0, NULL,
				  refused, NULL),
		      0);
	}
	/* load 0 is set A; the loads that follow alternate B, A, B ... */
	KT_EQ(capture_set_rules(kt_cap, &w.set[0]), 0);
	w.after[0] = kt_now();
	lost0 = rc_lost();
	KT_ASSERT_FATAL(!pthread_create(&th, NULL, rc_swapper, &w));
	i = kt_run(&r, "kt-rc-load", body_load, NULL);
	pthread_join(th, NULL);
	for (j = 1; j <= RC_LOADS; j++)
		KT_EQ(w.err[j], 0);
	if (!i) {
		KT_CHILD_OK(&r);
		KT_EQ(rc_lost(), lost0);
		for (j = 0; j < RC_PROCS; j++)
			made += (uint64_t)r.sh->v[10 + j];
		for (i = 0; i < (int)r.n; i++) {
			const struct la_event *ev = r.ev[i];
			const char *key;
			int k;

			if (ev->nr != SYS_close || ev->args[0] != 1500)
				continue;
			for (j = 0; j < RC_PROCS && ev->pid != (uint32_t)r.sh->v[j]; j++)
				;
			if (j == RC_PROCS)
				continue;
			n[j]++;
			key = kt_rules_key(ev);
			k = !strcmp(key, "a") ? 1 : !strcmp(key, "b") ? 2 : 0;
			seen[k]++;
			if (!k ||
			    !(k & (rc_allowed(&w, ev->ts_enter) | rc_allowed(&w, ev->ts_exit)))) {
				if (bad++ < 5)
					kt_fail(__FILE__, __LINE__, 0,
						"close at %llu-%llu has key \"%s\"",
						(unsigned long long)ev->ts_enter,
						(unsigned long long)ev->ts_exit, key);
			}
		}
		printf("\n    closes made %llu, logged %d + %d, keys a %d, b %d ",
		       (unsigned long long)made, n[0], n[1], seen[1], seen[2]);
		for (j = 0; j < RC_PROCS; j++)
			KT_EQ(n[j], r.sh->v[10 + j]);
		KT_EQ(bad, 0);
		KT_EQ(seen[0], 0);
		KT_ASSERT(seen[1] > 0 && seen[2] > 0);
		KT_ASSERT(made > RC_PROCS * RC_RATE * RC_SECONDS / 2);
	}
	for (i = 0; i < 2; i++)
		rules_set_free(&w.set[i]);
	kt_rules_unload();
}

void ktest_register_rulechange(void)
{
	CU_pSuite s = kt_suite("rulechange");

	kt_test(s, "rulechange: a setresuid selects the process, and unselects it", test_setuid);
	kt_test(s, "rulechange: an execve selects the process by exe=", test_exec);
	kt_test(s, "rulechange: six rule changes under load, 0 lost, each key of its time",
		test_load);
}
