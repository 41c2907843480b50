// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Audit rules in the programs: the exit-list rules loaded into the main capture
 * decide which syscalls are logged, with which rule's key, as the kernel's
 * audit_filter_syscall() decides: the first rule that matches, never logging
 * nothing, no match logging nothing.  Each test loads its rules, runs a child,
 * and loads no rules again (every syscall logged) before the next suite.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "conf/rules.h"
#include "logger/counters.h"
#include "tests/kernel/ktest.h"

/* A refused line fails the test; a warning (auditctl's too) does not. */
static void refused(const struct rules_error *e, void *arg)
{
	(void)arg;
	if (e->warning)
		return;
	kt_fail(__FILE__, __LINE__, 0, "line %u:%u: %s", e->line, e->column, e->message);
}

/* The paths as rules see them at load (watches, exe=): the machine's own. */
static int path_kind(const char *path, void *arg)
{
	struct stat sb;

	(void)arg;
	if (stat(path, &sb))
		return RULES_PATH_MISSING;
	return S_ISDIR(sb.st_mode) ? RULES_PATH_DIR : RULES_PATH_FILE;
}

static const struct rules_env env = {.path_kind = path_kind};

/*
 * Load the rules of @text into capture @c, after one that logs the exit of the
 * test's child (kt_run waits for that record); 0 or -1 (already asserted).
 * That one is x86-64's: with no arch it would select a 32-bit syscall too, and
 * have the raw pair attached whatever the test's rules.
 */
static int load_into(struct capture *c, const char *text)
{
	char buf[8192];
	struct rules_set s;
	int err;

	snprintf(buf, sizeof(buf), "-a always,exit -F arch=b64 -S exit_group -F ppid=%d\n%s",
		 (int)getpid(), text);
	text = buf;
	rules_set_init(&s);
	err = rules_parse(&s, text, strlen(text), "rules_test", NULL, 0, &env, refused, NULL);
	KT_EQ(err, 0);
	if (!err)
		err = capture_set_rules(c, &s);
	KT_EQ(err, 0);
	rules_set_free(&s);
	return err ? -1 : 0;
}

static int load(const char *text)
{
	return load_into(kt_cap, text);
}

static void unload(void)
{
	KT_EQ(capture_set_rules(kt_cap, NULL), 0);
}

/* The key= of @ev, "" for none. */
static const char *key_of(const struct la_event *ev)
{
	const char *k = capture_rule_key(kt_cap, ev);

	return k ? k : "";
}

static uint64_t filtered(int nr)
{
	static struct la_counts cnt[LA_NR_MAX];

	if (capture_counts(kt_cap, cnt))
		return 0;
	return cnt[nr].n[LA_CNT_FILTERED];
}

static uint32_t self_u32(const char *file)
{
	char buf[32] = "";
	FILE *f = fopen(file, "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
	}
	return (uint32_t)strtoul(buf, NULL, 10);
}

static void body_fields(struct kt_shm *sh, void *arg)
{
	(void)arg;
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_close, 1000, 0, 0, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_close, 1001, 0, 0, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_close, 1002, 4, 0, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_close, 1003, 6, 0, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_close, 1004, 2, 0, 0, 0, 0);
	sh->v[5] = kt_sys(SYS_close, 1006, 0, 0, 0, 0, 0);
	sh->v[6] = kt_sys(SYS_close, 1007, 0, 0, 0, 0, 0);
	sh->v[7] = kt_sys(SYS_close, 1008, 0, 0, 0, 0, 0);
	/* the upper half of a register is not compared: the kernel takes 32 bits */
	sh->v[8] = kt_sys(SYS_close, 0x500000000L + 1009, 0, 0, 0, 0, 0);
	sh->v[9] = kt_sys(SYS_dup, 0, 0, 0, 0, 0, 0);
	sh->v[10] = kt_sys(SYS_dup2, 0, 100, 0, 0, 0, 0);
	sh->v[11] = kt_sys(SYS_dup3, 0, 0, 0, 0, 0, 0);
	sh->v[12] = kt_sys(SYS_dup3, 0, 101, 0, 0, 0, 0);
	kt_end(sh);
}

/* Every field the programs evaluate, every operator, first-match order, never. */
static void test_fields(void)
{
	char text[4096];
	const struct la_event *ev;
	uint32_t ses = self_u32("/proc/self/sessionid"), auid = self_u32("/proc/self/loginuid");
	uint64_t before;
	struct kt_run r;
	int P = getpid();

	snprintf(text, sizeof(text),
		 "-a never,exit -S close -F a0=1001 -F ppid=%d\n"
		 "-a always,exit -S close -F a0=1000 -F ppid=%d -k first\n"
		 "-a always,exit -S close -F a0=1000 -F ppid=%d -k shadowed\n"
		 "-a always,exit -S close -F a0>=1002 -F a0<=1003 -F a1&=6 -F ppid=%d -k bittest\n"
		 "-a always,exit -S close -F a0>1001 -F a0<1005 -F a1&2 -F ppid=%d -k bitmask\n"
		 "-a always,exit -S close -F a0=1002 -F exit=-9 -F success=0 -F ppid=%d -k ebadf\n"
		 "-a always,exit -S close -F a0=1006 -F ppid=%d -k k1 -k k2\n"
		 "-a always,exit -S close -F a0=1008 -F exit=0 -F ppid=%d -k never-true\n"
		 "-a always,exit -S close -F a0=1009 -F exit!=0 -F ppid=%d -k low32\n"
		 "-a always,exit -F arch=b32 -S dup -k b32\n"
		 "-a always,exit -F arch=b64 -S dup -F ppid=%d -F uid=0 -F euid<1 -F suid<=0 "
		 "-F fsuid!=1 -F gid=0 -F egid>=0 -F sgid=0 -F fsgid=0 -F pers=0 "
		 "-F sessionid=%u -F auid=%u -F pid!=%d -k ids\n"
		 "-a always,exit -S dup2 -F ppid=%d -C uid=euid -C gid=egid -k cmp\n"
		 "-a always,exit -S dup3 -F ppid=%d -F success=1 -k ok\n",
		 P, P, P, P, P, P, P, P, P, P, ses, auid, P, P, P);
	if (load(text))
		return;
	before = filtered(SYS_close);
	if (kt_run(&r, "kt-rules", body_fields, NULL)) {
		unload();
		return;
	}
	KT_CHILD_OK(&r);
	KT_NRS(&r, r.pid, SYS_close, SYS_close, SYS_close, SYS_close, SYS_close, SYS_close, SYS_dup,
	       SYS_dup2, SYS_dup3);
	KT_REC_A0(ev, &r, r.pid, SYS_close, 1000);
	KT_KEY(ev, "first");
	KT_REC_A0(ev, &r, r.pid, SYS_close, 1002);
	KT_KEY(ev, "ebadf");
	KT_EQ(ev->ret, -EBADF);
	KT_REC_A0(ev, &r, r.pid, SYS_close, 1003);
	KT_KEY(ev, "bittest");
	KT_REC_A0(ev, &r, r.pid, SYS_close, 1004);
	KT_KEY(ev, "bitmask");
	KT_REC_A0(ev, &r, r.pid, SYS_close, 1006);
	KT_KEY(ev, "k1\001k2");
	KT_REC_A0(ev, &r, r.pid, SYS_close, 0x500000000L + 1009);
	KT_KEY(ev, "low32");
	KT_REC(ev, &r, r.pid, SYS_dup, 0);
	KT_KEY(ev, "ids");
	KT_REC(ev, &r, r.pid, SYS_dup2, 0);
	KT_KEY(ev, "cmp");
	KT_REC(ev, &r, r.pid, SYS_dup3, 0);
	KT_KEY(ev, "ok");
	KT_EQ(ev->ret, 101);
	KT_CTX(ev, &r.sh->ctx);
	/* close(1008) waited for its exit to be refused; close(1001), close(1007) did not */
	KT_EQ(filtered(SYS_close) - before, 1);
	unload();
}

static void body_auid(struct kt_shm *sh, void *arg)
{
	pid_t a, b;
	int fd, st;

	(void)arg;
	kt_begin(sh);
	a = fork();
	if (a == 0) {
		fd = open("/proc/self/loginuid", O_WRONLY);
		if (fd < 0 || write(fd, "4242", 4) != 4)
			_exit(2);
		close(fd);
		kt_sys(SYS_close, 1200, 0, 0, 0, 0, 0);
		_exit(0);
	}
	waitpid(a, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		kt_child_fail(sh, "setting the loginuid failed");
	b = fork();
	if (b == 0) {
		kt_sys(SYS_close, 1200, 0, 0, 0, 0, 0);
		_exit(0);
	}
	waitpid(b, &st, 0);
	sh->v[0] = a;
	sh->v[1] = b;
	kt_end(sh);
}

/* A never rule excludes a process by its auid, set in the process itself. */
static void test_never_auid(void)
{
	const struct la_event *ev;
	struct kt_run r;

	if (load("-a never,exit -S close -F auid=4242\n"
		 "-a always,exit -S close -F a0=1200 -k after\n"))
		return;
	if (kt_run(&r, "kt-rules-auid", body_auid, NULL)) {
		unload();
		return;
	}
	KT_CHILD_OK(&r);
	KT_EQ(kt_count(&r, r.sh->v[0], SYS_close), 0);
	KT_EQ(kt_count(&r, r.sh->v[1], SYS_close), 1);
	KT_REC(ev, &r, r.sh->v[1], SYS_close, 0);
	KT_KEY(ev, "after");
	KT_EQ(ev->auid, r.sh->ctx.auid);
	unload();
}

static void body_close(struct kt_shm *sh, void *arg)
{
	(void)arg;
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_close, 1300, 0, 0, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_close, 1301, 0, 0, 0, 0, 0);
	kt_end(sh);
}

/* A rule change applies to the next syscall; no rules again: every syscall, no key. */
static void test_change(void)
{
	const struct la_event *ev;
	struct kt_run r;
	int P = getpid();
	char text[256];

	snprintf(text, sizeof(text), "-a always,exit -S close -F a0=1300 -F ppid=%d -k one\n", P);
	if (load(text))
		return;
	if (!kt_run(&r, "kt-rules-one", body_close, NULL)) {
		KT_NRS(&r, r.pid, SYS_close);
		KT_REC_A0(ev, &r, r.pid, SYS_close, 1300);
		KT_KEY(ev, "one");
	}
	snprintf(text, sizeof(text),
		 "-a never,exit -S close -F a0=1300\n"
		 "-a always,exit -S close -F a0=1301 -F ppid=%d -k two\n",
		 P);
	if (load(text))
		return;
	if (!kt_run(&r, "kt-rules-two", body_close, NULL)) {
		KT_NRS(&r, r.pid, SYS_close);
		KT_REC_A0(ev, &r, r.pid, SYS_close, 1301);
		KT_KEY(ev, "two");
	}
	unload();
	if (!kt_run(&r, "kt-rules-none", body_close, NULL)) {
		KT_NRS(&r, r.pid, SYS_close, SYS_close);
		KT_REC_A0(ev, &r, r.pid, SYS_close, 1300);
		KT_EQ(ev->rule, 0);
		KT_KEY(ev, "");
	}
}

int kt_rules_load(const char *text)
{
	return load(text);
}

int kt_rules_load_into(struct capture *c, const char *text)
{
	return load_into(c, text);
}

const char *kt_rules_key_in(struct capture *c, const struct la_event *ev)
{
	const char *k = capture_rule_key(c, ev);

	return k ? k : "";
}

void kt_rules_unload(void)
{
	unload();
}

const char *kt_rules_key(const struct la_event *ev)
{
	return key_of(ev);
}

void ktest_register_rules(void)
{
	CU_pSuite s = kt_suite("rules");

	kt_test(s, "rules: every field and operator, first match, never, keys", test_fields);
	kt_test(s, "rules: a never rule excludes a process by auid", test_never_auid);
	kt_test(s, "rules: a change applies at once, and no rules log everything", test_change);
}
