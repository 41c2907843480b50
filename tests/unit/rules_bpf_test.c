// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for conf/rules_bpf.c, the rules compiler: whether a set is active, each
 * syscall's candidate rules in the list's order, the (field, operator, value) triples of a
 * rule, keys joined as the kernel logs them, perm classes, rules that can never match here,
 * unsure rules, the flags of the lists.  Syscall numbers are x86_64's (the tests are
 * skipped on other machines).
 */
#include "conf/rules_bpf.c"

#include <CUnit/Basic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include "tests/unit/unit.h"

/* x86_64's numbers */
#define NR_READ	    0
#define NR_WRITE    1
#define NR_OPEN	    2
#define NR_CLOSE    3
#define NR_DUP	    32
#define NR_RENAME   82
#define NR_CHMOD    90
#define NR_SETUID   105
#define NR_EXECVE   59
#define NR_OPENAT   257
#define NR_EXECVEAT 322
#define NR_I386_DUP 41
/* i386's (arch=b32 rules' -S), for the 32-bit syscalls' lists */
#define NR32_READ	 3
#define NR32_OPEN	 5
#define NR32_CLOSE	 6
#define NR32_CHMOD	 15
#define NR32_SETUID	 23
#define NR32_CHOWN32	 212
#define NR_CREATE_MODULE 174
#define NR_INIT_MODULE	 175

static struct rules_set g_set;
static struct rules_bpf g_b;

/* Parse @text into a fresh g_set (every line accepted) and compile it into g_b */
static int compile(const char *text)
{
	int rc;

	rules_bpf_free(&g_b);
	rules_set_free(&g_set);
	rules_set_init(&g_set);
	rc = rules_parse(&g_set, text, strlen(text), "t.rules", NULL, 0, NULL, NULL, NULL);
	CU_ASSERT_EQUAL(rc, 0);
	if (rc)
		return rc;
	rc = rules_bpf_compile(&g_set, &g_b);
	CU_ASSERT_EQUAL(rc, 0);
	return rc;
}

static bool x86_64(void)
{
	return audit_detect_machine() == MACH_86_64;
}

#define LIST_IS(nr, ...)                                                                         \
	do {                                                                                     \
		static const uint16_t want_[] = {__VA_ARGS__};                                   \
		size_t i_;                                                                       \
		CU_ASSERT_EQUAL(g_b.list[nr].n, sizeof(want_) / sizeof(want_[0]));               \
		for (i_ = 0; i_ < sizeof(want_) / sizeof(want_[0]) && i_ < g_b.list[nr].n; i_++) \
			CU_ASSERT_EQUAL(g_b.list[nr].rule[i_], want_[i_]);                       \
	} while (0)

#define FIELD_IS(r, i, field_, op_, field2_, value_)                         \
	do {                                                                 \
		CU_ASSERT_EQUAL(g_b.rule[r].f[i].field, field_);             \
		CU_ASSERT_EQUAL(g_b.rule[r].f[i].op, op_);                   \
		CU_ASSERT_EQUAL(g_b.rule[r].f[i].field2, field2_);           \
		CU_ASSERT_EQUAL(g_b.rule[r].f[i].value, (uint32_t)(value_)); \
	} while (0)

static void test_no_rules(void)
{
	int nr;

	/* nothing, or control lines only: every syscall is captured, as with no rules file */
	if (compile(""))
		return;
	CU_ASSERT_EQUAL(g_b.active, 0);
	CU_ASSERT_EQUAL(g_b.nrules, 0);
	for (nr = -1; nr <= LA_RULES_NR_MAX; nr++)
		CU_ASSERT_EQUAL(rules_bpf_selects(&g_b, nr), 1);
	if (compile("-D\n-b 8192\n-f 1\n"))
		return;
	CU_ASSERT_EQUAL(g_b.active, 0);
	CU_ASSERT_EQUAL(rules_bpf_selects(&g_b, NR_READ), 1);
}

static void test_candidates(void)
{
	int nr, n = 0;

	if (!x86_64())
		return;
	if (compile("-a always,exit -F arch=b64 -S close -k c\n"
		    "-a never,exit -F arch=b64 -S close,dup -F uid=5\n"
		    "-a always,exit -F arch=b64 -S dup\n"
		    "-a always,exclude -F msgtype=CWD\n"))
		return;
	CU_ASSERT_EQUAL(g_b.active, 1);
	/* the exclude rule is not an exit-list rule */
	CU_ASSERT_EQUAL(g_b.nrules, 3);
	LIST_IS(NR_CLOSE, 0, 1);
	LIST_IS(NR_DUP, 1, 2);
	CU_ASSERT_EQUAL(g_b.rule[0].action, LA_RULE_ALWAYS);
	CU_ASSERT_EQUAL(g_b.rule[1].action, LA_RULE_NEVER);
	CU_ASSERT_EQUAL(g_b.rule[2].action, LA_RULE_ALWAYS);
	CU_ASSERT_STRING_EQUAL(g_b.key[0], "c");
	CU_ASSERT_PTR_NULL(g_b.key[1]);
	CU_ASSERT_PTR_NULL(g_b.key[2]);
	for (nr = 0; nr < LA_RULES_NR_MAX; nr++)
		n += rules_bpf_selects(&g_b, nr);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(rules_bpf_selects(&g_b, NR_CLOSE), 1);
	CU_ASSERT_EQUAL(rules_bpf_selects(&g_b, NR_READ), 0);
	CU_ASSERT_EQUAL(rules_bpf_selects(&g_b, LA_RULES_NR_MAX), 0);

	/* an exclude rule alone: the exit list is empty, nothing is captured */
	if (compile("-a always,exclude -F msgtype=CWD\n"))
		return;
	CU_ASSERT_EQUAL(g_b.active, 1);
	CU_ASSERT_EQUAL(g_b.nrules, 0);
	CU_ASSERT_EQUAL(rules_bpf_selects(&g_b, NR_CLOSE), 0);
}

static void test_fields_and_operators(void)
{
	if (!x86_64())
		return;
	if (compile("-a always,exit -F arch=b64 -S close -F a0>=5 -F a1&=6 -F a2&2 -F a3<9 "
		    "-F uid!=7 -F exit=-9 -F success=0 -F auid<100 -F gid<=3 -F euid>1 "
		    "-F pid=10 -F ppid=11 -F suid=12 -F fsuid=13 -F egid=14 -F sgid=15 "
		    "-k k1 -k k2\n"
		    "-a always,exit -F arch=b64 -S close -F fsgid=16 -F sessionid=17 -F pers=18 "
		    "-F success=1 -C uid!=euid -C auid=fsuid\n"))
		return;
	CU_ASSERT_EQUAL(g_b.nrules, 2);
	LIST_IS(NR_CLOSE, 0, 1);
	/* arch is checked when compiling, the key is not a field: 16 fields, all held */
	CU_ASSERT_EQUAL(g_b.rule[0].nfields, 16);
	CU_ASSERT_EQUAL(g_b.rule[0].unsure, 0);
	FIELD_IS(0, 0, LA_RF_A0, LA_OP_GE, 0, 5);
	FIELD_IS(0, 1, LA_RF_A1, LA_OP_BITTEST, 0, 6);
	FIELD_IS(0, 2, LA_RF_A2, LA_OP_BITMASK, 0, 2);
	FIELD_IS(0, 3, LA_RF_A3, LA_OP_LT, 0, 9);
	FIELD_IS(0, 4, LA_RF_UID, LA_OP_NE, 0, 7);
	FIELD_IS(0, 5, LA_RF_EXIT, LA_OP_EQ, 0, -9);
	FIELD_IS(0, 6, LA_RF_SUCCESS, LA_OP_EQ, 0, 2); /* AUDITSC_FAILURE */
	FIELD_IS(0, 7, LA_RF_AUID, LA_OP_LT, 0, 100);
	FIELD_IS(0, 8, LA_RF_GID, LA_OP_LE, 0, 3);
	FIELD_IS(0, 9, LA_RF_EUID, LA_OP_GT, 0, 1);
	FIELD_IS(0, 10, LA_RF_PID, LA_OP_EQ, 0, 10);
	FIELD_IS(0, 11, LA_RF_PPID, LA_OP_EQ, 0, 11);
	FIELD_IS(0, 12, LA_RF_SUID, LA_OP_EQ, 0, 12);
	FIELD_IS(0, 13, LA_RF_FSUID, LA_OP_EQ, 0, 13);
	FIELD_IS(0, 14, LA_RF_EGID, LA_OP_EQ, 0, 14);
	FIELD_IS(0, 15, LA_RF_SGID, LA_OP_EQ, 0, 15);
	/* several keys: one string, joined by \x01 as the kernel logs them */
	CU_ASSERT_STRING_EQUAL(g_b.key[0], "k1\001k2");

	CU_ASSERT_EQUAL(g_b.rule[1].nfields, 6);
	CU_ASSERT_EQUAL(g_b.rule[1].unsure, 0);
	FIELD_IS(1, 0, LA_RF_FSGID, LA_OP_EQ, 0, 16);
	FIELD_IS(1, 1, LA_RF_SES, LA_OP_EQ, 0, 17);
	FIELD_IS(1, 2, LA_RF_PERS, LA_OP_EQ, 0, 18);
	FIELD_IS(1, 3, LA_RF_SUCCESS, LA_OP_EQ, 0, 1); /* AUDITSC_SUCCESS */
	/* -C: the left field in value, the right one in field2 */
	FIELD_IS(1, 4, LA_RF_CMP, LA_OP_NE, LA_RF_EUID, LA_RF_UID);
	FIELD_IS(1, 5, LA_RF_CMP, LA_OP_EQ, LA_RF_FSUID, LA_RF_AUID);
	CU_ASSERT_PTR_NULL(g_b.key[1]);
}

static void test_too_many_fields(void)
{
	if (!x86_64())
		return;
	/* a field past LA_RULE_FIELDS is not held: the rule is unsure (fail open) */
	if (compile("-a always,exit -F arch=b64 -S close -F a0=0 -F a0=1 -F a0=2 -F a0=3 "
		    "-F a0=4 -F a0=5 -F a0=6 -F a0=7 -F a0=8 -F a0=9 -F a0=10 -F a0=11 "
		    "-F a0=12 -F a0=13 -F a0=14 -F a0=15 -F a0=16\n"))
		return;
	CU_ASSERT_EQUAL(g_b.rule[0].nfields, LA_RULE_FIELDS);
	CU_ASSERT_EQUAL(g_b.rule[0].unsure, 1);
	FIELD_IS(0, 15, LA_RF_A0, LA_OP_EQ, 0, 15);
	LIST_IS(NR_CLOSE, 0);
}

static void test_arch_and_lsm(void)
{
	if (!x86_64())
		return;
	/*
	 * Kept, in the order: a b32 rule on the 32-bit syscalls' lists only (not x86_64's
	 * with the same value), an SELinux field with no LSM taking rules on none.
	 */
	if (compile("-a always,exit -F arch=b32 -S dup -k b32\n"
		    "-a always,exit -F arch=b64 -S dup -F subj_type=unconfined_t\n"
		    "-a always,exit -F arch=b64 -S dup -k last\n"))
		return;
	CU_ASSERT_EQUAL(g_b.nrules, 3);
	CU_ASSERT_STRING_EQUAL(g_b.key[0], "b32");
	CU_ASSERT_STRING_EQUAL(g_b.key[2], "last");
	LIST_IS(NR_DUP, 2);
	CU_ASSERT_EQUAL(g_b.list[NR_I386_DUP].n, 0);
	CU_ASSERT_EQUAL(rules_bpf_selects(&g_b, NR_I386_DUP), 0);
	CU_ASSERT_EQUAL(g_b.lists[RULES_BPF_I386][NR_I386_DUP].n, 1);
	CU_ASSERT_EQUAL(g_b.lists[RULES_BPF_I386][NR_I386_DUP].rule[0], 0);
	CU_ASSERT_EQUAL(rules_bpf_selects(&g_b, LA_NR_COMPAT | NR_I386_DUP), 1);
	CU_ASSERT_EQUAL(rules_bpf_selects(&g_b, LA_NR_COMPAT | NR_DUP), 0);
	CU_ASSERT_EQUAL(rules_bpf_selects_compat(&g_b), 1);
	/* an arch neither b64 nor b32: on no list */
	if (compile("-a always,exit -F arch=aarch64 -S all\n"))
		return;
	CU_ASSERT_EQUAL(rules_bpf_selects(&g_b, NR_READ), 0);
	CU_ASSERT_EQUAL(rules_bpf_selects_compat(&g_b), 0);
}

/*
 * Each arch's lists in its own numbers, as auditctl encodes -S for the rule's arch:
 * i386's open is 5, x86_64's fstat.  A rule with no arch is listed on both with the
 * same numbers (the kernel tests its mask on the number alone), != inverts the arch.
 */
static void test_arches(void)
{
	const struct la_rule_list *l32;

	if (!x86_64())
		return;
	if (compile("-a always,exit -F arch=b32 -S open -k b32\n"
		    "-a always,exit -S close -k none\n"
		    /* by number: auditctl reads a name in the arch= field's numbering */
		    "-a always,exit -F arch!=b32 -S 90 -k not32\n"
		    "-a always,exit -F arch=b64 -S all -F uid=7 -k b64\n"))
		return;
	l32 = g_b.lists[RULES_BPF_I386];
	CU_ASSERT_PTR_EQUAL(g_b.lists[RULES_BPF_X86_64], g_b.list);
	/* x86_64's 5, fstat: the b64 rule's only */
	LIST_IS(5, 3);
	CU_ASSERT_EQUAL(l32[NR32_OPEN].n, 1);
	CU_ASSERT_EQUAL(l32[NR32_OPEN].rule[0], 0);
	/* -S close without arch: x86_64's 3, and i386's 3 (read) */
	LIST_IS(NR_CLOSE, 1, 3);
	CU_ASSERT_EQUAL(l32[NR32_READ].n, 1);
	CU_ASSERT_EQUAL(l32[NR32_READ].rule[0], 1);
	CU_ASSERT_EQUAL(l32[NR32_CLOSE].n, 0);
	LIST_IS(NR_CHMOD, 2, 3);
	CU_ASSERT_EQUAL(l32[NR_CHMOD].n, 0);
	CU_ASSERT_EQUAL(l32[NR32_CHMOD].n, 0);
	CU_ASSERT_EQUAL(rules_bpf_selects_compat(&g_b), 1);
	/* a b64 rule alone selects no 32-bit syscall: the raw pair is not needed for it */
	if (compile("-a always,exit -F arch=b64 -S all -k b64\n"))
		return;
	CU_ASSERT_EQUAL(rules_bpf_selects_compat(&g_b), 0);
	/* a perm rule, by i386's classes: chown32 and open, not x86_64's numbers */
	if (compile("-a always,exit -F arch=b32 -S all -F perm=wa -k p\n"))
		return;
	CU_ASSERT_EQUAL(l32[NR32_CHOWN32].n, 1);
	CU_ASSERT_EQUAL(l32[NR32_OPEN].n, 1);
	CU_ASSERT_EQUAL(l32[NR32_CHMOD].n, 1);
	CU_ASSERT_EQUAL(l32[NR32_READ].n, 0);
	CU_ASSERT_EQUAL(g_b.list[NR_OPEN].n, 0);
	/* the ids may change at a 32-bit setuid's entry */
	CU_ASSERT_EQUAL(l32[NR32_SETUID].flags & LA_RL_CREDS_CHANGE, LA_RL_CREDS_CHANGE);
	CU_ASSERT_EQUAL(l32[NR32_OPEN].flags & LA_RL_CREDS_CHANGE, 0);
	/* no rules: no 32-bit syscall is captured */
	if (compile(""))
		return;
	CU_ASSERT_EQUAL(rules_bpf_selects_compat(&g_b), 0);
}

static void test_unsure(void)
{
	if (!x86_64())
		return;
	/* fields the programs do not evaluate: listed, marked unsure, the others kept */
	if (compile("-a always,exit -F arch=b64 -S open -F obj_uid=0 -F uid=3\n"
		    "-a never,exit -F arch=b64 -S open -F filetype=file\n"
		    "-a always,exit -F arch=b64 -S open -C uid!=obj_uid\n"))
		return;
	CU_ASSERT_EQUAL(g_b.nrules, 3);
	LIST_IS(NR_OPEN, 0, 1, 2);
	CU_ASSERT_EQUAL(g_b.rule[0].unsure, 1);
	CU_ASSERT_EQUAL(g_b.rule[0].nfields, 1);
	FIELD_IS(0, 0, LA_RF_UID, LA_OP_EQ, 0, 3);
	CU_ASSERT_EQUAL(g_b.rule[1].unsure, 1);
	CU_ASSERT_EQUAL(g_b.rule[1].nfields, 0);
	CU_ASSERT_EQUAL(g_b.rule[2].unsure, 1);
	CU_ASSERT_EQUAL(g_b.rule[2].nfields, 0);
}

static void test_perm(void)
{
	if (!x86_64())
		return;
	if (compile("-a always,exit -F arch=b64 -S all -F perm=x -k exec\n"
		    "-a always,exit -F arch=b64 -S all -F perm=wa -k change\n"
		    "-a always,exit -F arch=b64 -S all -F perm=r -k read\n"))
		return;
	LIST_IS(NR_EXECVE, 0);
	LIST_IS(NR_EXECVEAT, 0);
	FIELD_IS(0, 0, LA_RF_PERM, LA_OP_EQ, 0, AUDIT_PERM_EXEC);
	FIELD_IS(1, 0, LA_RF_PERM, LA_OP_EQ, 0, AUDIT_PERM_WRITE | AUDIT_PERM_ATTR);
	/* open and openat are in the read and write classes, rename in write, chmod in attr */
	LIST_IS(NR_OPEN, 1, 2);
	LIST_IS(NR_OPENAT, 1, 2);
	LIST_IS(NR_RENAME, 1);
	LIST_IS(NR_CHMOD, 1);
	/* read and write themselves are in no class */
	CU_ASSERT_EQUAL(g_b.list[NR_READ].n, 0);
	CU_ASSERT_EQUAL(g_b.list[NR_WRITE].n, 0);
	CU_ASSERT_EQUAL(rules_bpf_selects(&g_b, NR_READ), 0);
}

static void test_objects(void)
{
	if (!x86_64())
		return;
	/* a rule on the objects is no candidate of the syscalls that name none */
	if (compile("-a always,exit -F arch=b64 -S all -F obj_uid=1000 -F uid=0 -k home\n"
		    "-a never,exit -F arch=b64 -S read,openat -F obj_uid=0\n"
		    "-a always,exit -F arch=b64 -S read -F uid=3\n"))
		return;
	CU_ASSERT_EQUAL(g_b.list[NR_READ].n, 1);
	LIST_IS(NR_READ, 2);
	CU_ASSERT_EQUAL(g_b.list[NR_WRITE].n, 0);
	CU_ASSERT_EQUAL(g_b.list[NR_CLOSE].n, 0);
	CU_ASSERT_EQUAL(g_b.list[NR_SETUID].n, 0);
	CU_ASSERT_EQUAL(rules_bpf_selects(&g_b, NR_WRITE), 0);
	LIST_IS(NR_OPENAT, 0, 1);
	LIST_IS(NR_CHMOD, 0);
	LIST_IS(NR_RENAME, 0);
	CU_ASSERT_EQUAL(g_b.rule[0].unsure, 1);
	/* a syscall the kernel does not implement: only the rules on no object stay */
	if (compile("-a always,exit -F arch=b64 -S all -F obj_uid=0 -F uid=0 -k d\n"
		    "-a always,exit -F arch=b64 -S init_module -k m\n"))
		return;
	LIST_IS(NR_INIT_MODULE, 0, 1);
	LIST_IS(NR_CREATE_MODULE, 0);
	rules_bpf_unimplemented(&g_b, &g_set, NR_INIT_MODULE);
	rules_bpf_unimplemented(&g_b, &g_set, NR_CREATE_MODULE);
	LIST_IS(NR_INIT_MODULE, 1);
	CU_ASSERT_EQUAL(g_b.list[NR_CREATE_MODULE].n, 0);
	CU_ASSERT_EQUAL(rules_bpf_selects(&g_b, NR_CREATE_MODULE), 0);
	/* no dir= or watch: no directory path for the dirfd-relative names */
	CU_ASSERT_EQUAL(g_b.list[NR_OPENAT].flags & LA_RL_ATDIR, 0);
}

/*
 * The cache filter's comparisons: a rule's key_id is shared by the rules with the
 * same key string (0: none), and a list with an unsure candidate is LA_RL_UNSURE.
 */
static void test_cache_keys(void)
{
	if (!x86_64())
		return;
	if (compile("-a always,exit -F arch=b64 -S read -k io\n"
		    "-a always,exit -F arch=b64 -S write\n"
		    "-a always,exit -F arch=b64 -S pread -k other\n"
		    "-a always,exit -F arch=b64 -S close -k io\n"
		    "-a always,exit -F arch=b64 -S open -k io -k more\n"
		    "-a never,exit -F arch=b64 -S openat -F obj_uid=0\n"
		    "-a always,exit -F arch=b64 -S openat -k io\n"))
		return;
	CU_ASSERT_EQUAL(g_b.nrules, 7);
	CU_ASSERT_EQUAL(g_b.rule[0].key_id, 1);
	CU_ASSERT_EQUAL(g_b.rule[1].key_id, 0);
	CU_ASSERT_EQUAL(g_b.rule[2].key_id, 3);
	CU_ASSERT_EQUAL(g_b.rule[3].key_id, 1);
	/* "io\x01more" is another key= */
	CU_ASSERT_EQUAL(g_b.rule[4].key_id, 5);
	CU_ASSERT_EQUAL(g_b.rule[5].key_id, 0);
	CU_ASSERT_EQUAL(g_b.rule[6].key_id, 1);
	CU_ASSERT_EQUAL(g_b.list[NR_OPENAT].flags & LA_RL_UNSURE, LA_RL_UNSURE);
	CU_ASSERT_EQUAL(g_b.list[NR_READ].flags & LA_RL_UNSURE, 0);
	CU_ASSERT_EQUAL(g_b.list[NR_OPEN].flags & LA_RL_UNSURE, 0);
}

/*
 * An exclude rule that may leave out SYSCALL records (which carry merged=) makes every
 * list LA_RL_UNSURE; one on other record types only does not.
 */
static void test_cache_exclude(void)
{
	static const struct {
		const char *rule;
		int unsure;
	} cases[] = {
		{"-a always,exclude -F msgtype=CWD\n", 0},
		{"-a never,exclude -F msgtype=PROCTITLE -F msgtype!=SYSCALL\n", 0},
		{"-a always,exclude -F msgtype>=1302\n", 0},
		{"-a always,exclude -F msgtype=SYSCALL\n", 1},
		{"-a never,exclude -F msgtype=SYSCALL -F uid=0\n", 1},
		{"-a always,exclude -F msgtype<=1300\n", 1},
		{"-a always,exclude -F uid=0\n", 1},
	};
	char text[256];
	size_t i;

	if (!x86_64())
		return;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "-a always,exit -F arch=b64 -S read -k io\n%s",
			 cases[i].rule);
		if (compile(text))
			return;
		CU_ASSERT_EQUAL(!!(g_b.list[NR_READ].flags & LA_RL_UNSURE), cases[i].unsure);
		CU_ASSERT_EQUAL(!!(g_b.lists[1][NR32_READ].flags & LA_RL_UNSURE), cases[i].unsure);
	}
}

static void test_list_flags(void)
{
	char *text;
	size_t len = 0, i;
	FILE *f;

	if (!x86_64())
		return;
	f = open_memstream(&text, &len);
	CU_ASSERT_FATAL(f != NULL);
	for (i = 0; i < LA_RULES_PER_NR + 1; i++)
		fprintf(f, "-a always,exit -F arch=b64 -S close -F a0=%zu\n", i);
	fclose(f);
	if (!compile(text)) {
		/* past LA_RULES_PER_NR candidates the list overflows: captured, fail open */
		CU_ASSERT_EQUAL(g_b.nrules, LA_RULES_PER_NR + 1);
		CU_ASSERT_EQUAL(g_b.list[NR_CLOSE].n, LA_RULES_PER_NR);
		CU_ASSERT_EQUAL(g_b.list[NR_CLOSE].rule[LA_RULES_PER_NR - 1], LA_RULES_PER_NR - 1);
		CU_ASSERT_EQUAL(g_b.list[NR_CLOSE].flags & LA_RL_OVERFLOW, LA_RL_OVERFLOW);
		CU_ASSERT_EQUAL(g_b.list[NR_DUP].flags & LA_RL_OVERFLOW, 0);
		/* the syscalls that may change the ids or the auid */
		CU_ASSERT_EQUAL(g_b.list[NR_SETUID].flags & LA_RL_CREDS_CHANGE, LA_RL_CREDS_CHANGE);
		CU_ASSERT_EQUAL(g_b.list[NR_EXECVE].flags & LA_RL_CREDS_CHANGE, LA_RL_CREDS_CHANGE);
		CU_ASSERT_EQUAL(g_b.list[NR_WRITE].flags & LA_RL_CREDS_CHANGE, LA_RL_CREDS_CHANGE);
		CU_ASSERT_EQUAL(g_b.list[NR_READ].flags, 0);
		CU_ASSERT_EQUAL(g_b.list[NR_CLOSE].flags & LA_RL_CREDS_CHANGE, 0);
	}
	free(text);
}

static void test_task_list(void)
{
	if (!x86_64())
		return;
	/* the task rules after the exit list's in rule[], in their own list */
	if (compile("-a always,exit -F arch=b64 -S dup -k d\n"
		    "-a never,task -F uid=1001\n"
		    "-a always,task -F euid=1002 -F auid>=1000\n"))
		return;
	CU_ASSERT_EQUAL(g_b.nrules, 1);
	CU_ASSERT_EQUAL(g_b.ntask, 2);
	LIST_IS(NR_DUP, 0);
	CU_ASSERT_EQUAL(g_b.task.n, 2);
	CU_ASSERT_EQUAL(g_b.task.rule[0], 1);
	CU_ASSERT_EQUAL(g_b.task.rule[1], 2);
	CU_ASSERT_EQUAL(g_b.task.flags, 0);
	CU_ASSERT_EQUAL(g_b.rule[1].action, LA_RULE_NEVER);
	CU_ASSERT_EQUAL(g_b.rule[1].nfields, 1);
	FIELD_IS(1, 0, LA_RF_UID, LA_OP_EQ, 0, 1001);
	CU_ASSERT_EQUAL(g_b.rule[2].action, LA_RULE_ALWAYS);
	FIELD_IS(2, 0, LA_RF_EUID, LA_OP_EQ, 0, 1002);
	FIELD_IS(2, 1, LA_RF_AUID, LA_OP_GE, 0, 1000);
	CU_ASSERT_EQUAL(g_b.task_never, 1);
	CU_ASSERT_EQUAL(g_b.task_record, 1);
	/* the always rule's tasks: every syscall's programs */
	CU_ASSERT_EQUAL(rules_bpf_selects(&g_b, NR_READ), 1);
	CU_ASSERT_EQUAL(rules_bpf_selects(&g_b, NR_INIT_MODULE), 1);
	/* a never rule alone needs no program of its own */
	if (compile("-a task,never\n"))
		return;
	CU_ASSERT_EQUAL(g_b.active, 1);
	CU_ASSERT_EQUAL(g_b.task.n, 1);
	CU_ASSERT_EQUAL(g_b.rule[0].nfields, 0);
	CU_ASSERT_EQUAL(g_b.task_record, 0);
	CU_ASSERT_EQUAL(rules_bpf_selects(&g_b, NR_READ), 0);
}

static void test_fs_list(void)
{
	/* the never rules' fstype fields; an always rule does nothing in the kernel */
	if (compile("-a never,filesystem -F fstype=tracefs\n"
		    "-a always,filesystem -F fstype=debugfs\n"
		    "-a never,filesystem -F fstype!=debugfs -k fs\n"))
		return;
	CU_ASSERT_EQUAL(g_b.active, 1);
	CU_ASSERT_EQUAL(g_b.nrules, 0);
	CU_ASSERT_EQUAL(g_b.nfs, 2);
	CU_ASSERT_EQUAL(g_b.fs[0].op, LA_OP_EQ);
	CU_ASSERT_EQUAL(g_b.fs[0].magic, 0x74726163); /* TRACEFS_MAGIC */
	CU_ASSERT_EQUAL(g_b.fs[1].op, LA_OP_NE);
	CU_ASSERT_EQUAL(g_b.fs[1].magic, 0x64626720); /* DEBUGFS_MAGIC */
	CU_ASSERT_EQUAL(rules_bpf_selects(&g_b, NR_READ), 0);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"no rules", test_no_rules},
		{"candidates", test_candidates},
		{"fields and operators", test_fields_and_operators},
		{"too many fields", test_too_many_fields},
		{"arch and lsm", test_arch_and_lsm},
		{"each arch's lists, in its numbers", test_arches},
		{"unsure", test_unsure},
		{"perm", test_perm},
		{"objects", test_objects},
		{"list flags", test_list_flags},
		{"the cache filter's keys", test_cache_keys},
		{"the cache filter under exclude rules", test_cache_exclude},
		{"task list", test_task_list},
		{"filesystem list", test_fs_list},
	};
	int rc;

	rc = UNIT_RUN("rules_bpf", tests);
	rules_bpf_free(&g_b);
	rules_set_free(&g_set);
	return rc;
}
