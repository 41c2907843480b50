// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for conf/rules.c, rules_opt.c, rules_field.c, rules_kernel.c and
 * conf/rules_list.c: each construct of auditctl's language as the rule auditctl would send
 * (struct audit_rule_data), the kernel's refusals, the control lines, the errors with line
 * and column, and the listing as auditctl -l prints it. The machine is a fake one: /etc and its subdirectories are directories, /etc/passwd
 * a file, nothing else exists; "root" and "adm" are users and groups. Syscall numbers are
 * x86_64's (the tests are skipped on other machines).
 */
#include "conf/rules.c"
#include "conf/rules_opt.c"
#include "conf/rules_field.c"
#include "conf/rules_kernel.c"

#include <CUnit/Basic.h>
#include <stdlib.h>
#include "tests/unit/unit.h"

#define MAX_ERRORS 16

static struct rules_set g_set;
static unsigned int g_nerr, g_nwarn;
static struct rules_error g_err[MAX_ERRORS];

static int fake_path_kind(const char *path, void *arg)
{
	(void)arg;
	if (strcmp(path, "/") == 0 || strcmp(path, "/etc") == 0 || strcmp(path, "/etc/ssh") == 0)
		return RULES_PATH_DIR;
	if (strcmp(path, "/etc/passwd") == 0 || strcmp(path, "/usr/bin/su") == 0)
		return RULES_PATH_FILE;
	if (strcmp(path, "/usr/bin") == 0 || strcmp(path, "/usr") == 0)
		return RULES_PATH_DIR;
	return RULES_PATH_MISSING;
}

static int fake_id(const char *name, uint32_t *id, void *arg)
{
	(void)arg;
	if (strcmp(name, "root") == 0)
		*id = 0;
	else if (strcmp(name, "adm") == 0)
		*id = 4;
	else
		return -ENOENT;
	return 0;
}

static const struct rules_env fake_env = {
	.path_kind = fake_path_kind, .user_id = fake_id, .group_id = fake_id};

static void collect(const struct rules_error *e, void *arg)
{
	(void)arg;
	if (e->warning) {
		g_nwarn++;
		return;
	}
	if (g_nerr < MAX_ERRORS)
		g_err[g_nerr] = *e;
	g_nerr++;
}

/* Parse @text (an exact-size heap copy, no NUL after it) into a fresh g_set */
static int parse(const char *text)
{
	size_t len = strlen(text);
	char *copy = malloc(len ? len : 1);
	int rc;

	CU_ASSERT_FATAL(copy != NULL);
	memcpy(copy, text, len);
	rules_set_free(&g_set);
	rules_set_init(&g_set);
	g_nerr = g_nwarn = 0;
	memset(g_err, 0, sizeof(g_err));
	rc = rules_parse(&g_set, copy, len, "t.rules", NULL, 0, &fake_env, collect, NULL);
	free(copy);
	return rc;
}

/* The listing of g_set, in a static buffer */
static const char *listing(void)
{
	static char out[8192];
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT(rules_list(&g_set, f) == 0);
	fclose(f);
	snprintf(out, sizeof(out), "%s", buf);
	free(buf);
	return out;
}

static const struct audit_rule_data *rule(size_t i)
{
	CU_ASSERT_FATAL(i < g_set.count);
	return g_set.rule[i].data;
}

static bool x86_64(void)
{
	return audit_detect_machine() == MACH_86_64;
}

#define ERR_AT(line_, col_, msg_)                                 \
	do {                                                      \
		CU_ASSERT_EQUAL(g_err[0].line, line_);            \
		CU_ASSERT_EQUAL(g_err[0].column, col_);           \
		CU_ASSERT_STRING_EQUAL(g_err[0].message, msg_);   \
		CU_ASSERT_STRING_EQUAL(g_err[0].file, "t.rules"); \
	} while (0)

#define REFUSED(text, line_, col_, msg_)               \
	do {                                           \
		CU_ASSERT_EQUAL(parse(text), -EINVAL); \
		CU_ASSERT_EQUAL(g_nerr, 1);            \
		ERR_AT(line_, col_, msg_);             \
	} while (0)

static void test_syscall_rule(void)
{
	const struct audit_rule_data *r;

	if (!x86_64())
		return;
	CU_ASSERT_EQUAL(parse("-a exit,always -F arch=b64 -S pread,pwrite -S 2 -k k\n"), 0);
	CU_ASSERT_EQUAL(g_set.count, 1);
	r = rule(0);
	CU_ASSERT_EQUAL(r->flags, AUDIT_FILTER_EXIT);
	CU_ASSERT_EQUAL(r->action, AUDIT_ALWAYS);
	CU_ASSERT_EQUAL(r->field_count, 2);
	CU_ASSERT_EQUAL(r->fields[0], AUDIT_ARCH);
	CU_ASSERT_EQUAL(r->fieldflags[0], AUDIT_EQUAL);
	CU_ASSERT_EQUAL(r->values[0], AUDIT_ARCH_X86_64);
	CU_ASSERT_EQUAL(r->fields[1], AUDIT_FILTERKEY);
	CU_ASSERT_EQUAL(r->values[1], 1);
	CU_ASSERT_EQUAL(r->buflen, 1);
	CU_ASSERT_EQUAL(r->buf[0], 'k');
	/* pread 17, pwrite 18, open 2 */
	CU_ASSERT_EQUAL(r->mask[0], (1U << 17) | (1U << 18) | (1U << 2));
	CU_ASSERT_EQUAL(r->mask[1], 0);
	CU_ASSERT_EQUAL(g_set.rule[0].line, 1);
	CU_ASSERT_STRING_EQUAL(listing(),
			       "-a always,exit -F arch=b64 -S open,pread,pwrite -F key=k\n");
	/* pread64 is only i386's name */
	REFUSED("-a always,exit -F arch=b64 -S pread64\n", 1, 28, "Syscall name unknown: pread64");
	CU_ASSERT_EQUAL(parse("-a always,exit -F arch=b32 -S pread64\n"), 0);
	CU_ASSERT_EQUAL(rule(0)->mask[5], 1U << (180 - 160));
	CU_ASSERT_STRING_EQUAL(listing(), "-a always,exit -F arch=b32 -S pread64\n");
}

static void test_syscall_all_and_no_arch(void)
{
	unsigned int i;

	if (!x86_64())
		return;
	CU_ASSERT_EQUAL(parse("-a always,exit -S all -F auid=0\n"), 0);
	for (i = 0; i < AUDIT_BITMASK_SIZE; i++)
		CU_ASSERT_EQUAL(rule(0)->mask[i], ~0U);
	CU_ASSERT_STRING_EQUAL(listing(), "-a always,exit -S all -F auid=0\n");
	/* no arch: the machine's table, no arch field, a warning */
	CU_ASSERT_EQUAL(parse("-a always,exit -S mount -k m\n"), 0);
	CU_ASSERT_EQUAL(g_nwarn, 1);
	CU_ASSERT_EQUAL(rule(0)->field_count, 1);
	CU_ASSERT_EQUAL(rule(0)->mask[165 / 32], 1U << (165 % 32));
	CU_ASSERT_STRING_EQUAL(listing(), "-a always,exit -S mount -F key=m\n");
	/* auditctl -l names it in the table of the last arch it printed */
	CU_ASSERT_EQUAL(parse("-a always,exit -F arch=b32 -S open\n"
			      "-a always,exit -S mount\n"),
			0);
	CU_ASSERT_STRING_EQUAL(listing(), "-a always,exit -F arch=b32 -S open\n"
					  "-a always,exit -S getresuid\n");
	/* no -S: every syscall */
	CU_ASSERT_EQUAL(parse("-a always,exit -F arch=b64 -F exe=/usr/bin/su\n"), 0);
	CU_ASSERT_EQUAL(rule(0)->mask[0], ~0U);
	CU_ASSERT_STRING_EQUAL(listing(), "-a always,exit -F arch=b64 -S all -F exe=/usr/bin/su\n");
	REFUSED("-a always,exit -S open -F arch=b64\n", 1, 24, "arch must be before -S");
}

static void test_fields_and_operators(void)
{
	static const struct {
		const char *text;
		uint32_t field, op, value;
		const char *list;
	} cases[] = {
		{"-Fauid>=1000", AUDIT_LOGINUID, AUDIT_GREATER_THAN_OR_EQUAL, 1000,
		 "-F auid>=1000"},
		{"-F auid!=unset", AUDIT_LOGINUID, AUDIT_NOT_EQUAL, 4294967295U, "-F auid!=-1"},
		{"-F auid!=-1", AUDIT_LOGINUID, AUDIT_NOT_EQUAL, 4294967295U, "-F auid!=-1"},
		{"-F auid!=4294967295", AUDIT_LOGINUID, AUDIT_NOT_EQUAL, 4294967295U,
		 "-F auid!=-1"},
		{"-F uid=root", AUDIT_UID, AUDIT_EQUAL, 0, "-F uid=0"},
		{"-F gid=adm", AUDIT_GID, AUDIT_EQUAL, 4, "-F gid=4"},
		{"-F euid<10", AUDIT_EUID, AUDIT_LESS_THAN, 10, "-F euid<10"},
		{"-F pid>1", AUDIT_PID, AUDIT_GREATER_THAN, 1, "-F pid>1"},
		{"-F ppid<=7", AUDIT_PPID, AUDIT_LESS_THAN_OR_EQUAL, 7, "-F ppid<=7"},
		{"-F a1&0100", AUDIT_ARG1, AUDIT_BIT_MASK, 0100, "-F a1&0x40"},
		{"-F a2&=0x6", AUDIT_ARG2, AUDIT_BIT_TEST, 6, "-F a2&=0x6"},
		{"-F a0=-1", AUDIT_ARG0, AUDIT_EQUAL, 0xffffffffU, "-F a0=0xFFFFFFFF"},
		{"-F exit=EPERM", AUDIT_EXIT, AUDIT_EQUAL, 1, "-F exit=1"},
		{"-F exit=-EACCES", AUDIT_EXIT, AUDIT_EQUAL, (uint32_t)-EACCES, "-F exit=-EACCES"},
		{"-F exit=-2", AUDIT_EXIT, AUDIT_EQUAL, (uint32_t)-2, "-F exit=-ENOENT"},
		{"-F success=0", AUDIT_SUCCESS, AUDIT_EQUAL, 0, "-F success=0"},
		{"-F perm=wa", AUDIT_PERM, AUDIT_EQUAL, AUDIT_PERM_WRITE | AUDIT_PERM_ATTR,
		 "-F perm=wa"},
		{"-F filetype=file", AUDIT_FILETYPE, AUDIT_EQUAL, S_IFREG, "-F filetype=32768"},
		{"-F inode=4294967295", AUDIT_INODE, AUDIT_EQUAL, 4294967295U,
		 "-F inode=4294967295"},
		{"-F sessionid=unset", AUDIT_SESSIONID, AUDIT_EQUAL, 4294967295U,
		 "-F sessionid=-1"},
		{"-F obj_uid=0", AUDIT_OBJ_UID, AUDIT_EQUAL, 0, "-F obj_uid=0"},
		{"-F devmajor=8", AUDIT_DEVMAJOR, AUDIT_EQUAL, 8, "-F devmajor=8"},
		{"-C auid!=obj_uid", AUDIT_FIELD_COMPARE, AUDIT_NOT_EQUAL,
		 AUDIT_COMPARE_AUID_TO_OBJ_UID, "-C auid!=obj_uid"},
		{"-C euid=uid", AUDIT_FIELD_COMPARE, AUDIT_EQUAL, AUDIT_COMPARE_UID_TO_EUID,
		 "-C uid=euid"},
		{"-C obj_gid!=fsgid", AUDIT_FIELD_COMPARE, AUDIT_NOT_EQUAL,
		 AUDIT_COMPARE_FSGID_TO_OBJ_GID, "-C fsgid!=obj_gid"},
	};
	char text[256], want[256];
	size_t i;

	if (!x86_64())
		return;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "-a always,exit -F arch=b64 -S open %s\n",
			 cases[i].text);
		CU_ASSERT_EQUAL(parse(text), 0);
		CU_ASSERT_EQUAL(g_nerr, 0);
		if (g_set.count != 1) {
			fprintf(stderr, "\n%s: %s\n", cases[i].text, g_err[0].message);
			continue;
		}
		CU_ASSERT_EQUAL(rule(0)->field_count, 2);
		CU_ASSERT_EQUAL(rule(0)->fields[1], cases[i].field);
		CU_ASSERT_EQUAL(rule(0)->fieldflags[1], cases[i].op);
		CU_ASSERT_EQUAL(rule(0)->values[1], cases[i].value);
		snprintf(want, sizeof(want), "-a always,exit -F arch=b64 -S open %s\n",
			 cases[i].list);
		CU_ASSERT_STRING_EQUAL(listing(), want);
	}
}

static void test_keys(void)
{
	const struct audit_rule_data *r;

	if (!x86_64())
		return;
	CU_ASSERT_EQUAL(parse("-a always,exit -F arch=b64 -S open -k a -F key=b -k c\n"), 0);
	r = rule(0);
	CU_ASSERT_EQUAL(r->fields[r->field_count - 1], AUDIT_FILTERKEY);
	CU_ASSERT_EQUAL(r->buflen, 5);
	CU_ASSERT(memcmp(r->buf,
			 "a\x01"
			 "b\x01"
			 "c",
			 5) == 0);
	CU_ASSERT_STRING_EQUAL(listing(),
			       "-a always,exit -F arch=b64 -S open -F key=a -F key=b -F key=c\n");
	REFUSED("-k x -a always,exit -S open\n", 1, 1,
		"key option needs a watch or syscall given prior to it");
	REFUSED("-a always,exit -F arch=b64 -F key=x\n", 1, 1,
		"Key field needs a watch, syscall or exe path given prior to it");
	/* -k takes "-F" as its key; the next word is then a stray */
	REFUSED("-a always,exit -F arch=b64 -S open -k -F T1078\n", 1, 42,
		"parameter passed without an option given");
}

static void test_watches(void)
{
	const struct audit_rule_data *r;

	CU_ASSERT_EQUAL(parse("-w /etc/passwd -p wa -k identity\n"
			      "-w /etc/ssh/ -p rwxa\n"
			      "-w /etc/nothere -p x -F key=k1 -k k2\n"),
			0);
	CU_ASSERT_EQUAL(g_set.count, 3);
	r = rule(0);
	CU_ASSERT_EQUAL(r->flags, AUDIT_FILTER_EXIT);
	CU_ASSERT_EQUAL(r->fields[0], AUDIT_WATCH);
	CU_ASSERT_EQUAL(r->fields[1], AUDIT_PERM);
	CU_ASSERT_EQUAL(r->values[1], AUDIT_PERM_WRITE | AUDIT_PERM_ATTR);
	CU_ASSERT_EQUAL(r->mask[0], ~0U);
	CU_ASSERT_EQUAL(rule(1)->fields[0], AUDIT_DIR);
	CU_ASSERT_EQUAL(rule(1)->values[0], 8); /* "/etc/ssh", its slash trimmed */
	CU_ASSERT_STRING_EQUAL(listing(), "-w /etc/passwd -p wa -k identity\n"
					  "-w /etc/ssh -p rwxa\n"
					  "-w /etc/nothere -p x -k k1 -k k2\n");
	/* path and perm fields on an -a rule without -S: listed as a watch */
	CU_ASSERT_EQUAL(parse("-a always,exit -F path=/etc/passwd -F perm=wa -F key=p\n"), 0);
	CU_ASSERT_STRING_EQUAL(listing(), "-w /etc/passwd -p wa -k p\n");
	/* -p on an -a rule is a perm field */
	CU_ASSERT_EQUAL(parse("-a always,exit -F dir=/etc -p wa\n"), 0);
	CU_ASSERT_EQUAL(rule(0)->fields[1], AUDIT_PERM);
	CU_ASSERT_STRING_EQUAL(listing(), "-w /etc -p wa\n");
	REFUSED("-w /nothere/x -p wa\n", 1, 1,
		"Error sending add rule data request (No such file or directory)");
	REFUSED("-w etc/passwd\n", 1, 1, "The path must start with '/'");
	REFUSED("-a always,exit -F dir=/nothere\n", 1, 1,
		"Error sending add rule data request (No such file or directory)");
	REFUSED("-a always,exit -F exe=/nothere/x\n", 1, 1,
		"Error sending add rule data request (No such file or directory)");
	REFUSED("-a always,exit -S open -w /etc\n", 1, 24,
		"watch option can't be given with a syscall");
	/* -W deletes the watch */
	CU_ASSERT_EQUAL(parse("-w /etc/passwd -p wa -k i\n-W /etc/passwd -p wa -k i\n"), 0);
	CU_ASSERT_EQUAL(g_set.count, 0);
	CU_ASSERT_STRING_EQUAL(listing(), "No rules\n");
}

static void test_lists_and_order(void)
{
	if (!x86_64())
		return;
	CU_ASSERT_EQUAL(parse("-a always,exclude -F msgtype=CWD\n"
			      "-a never,filesystem -F fstype=tracefs\n"
			      "-a always,exit -F arch=b64 -S open\n"
			      "-A exit,never -F arch=b64 -S close\n"
			      "-a task,never -F uid=0\n"
			      "-a never,user -F uid=0\n"),
			0);
	CU_ASSERT_STRING_EQUAL(listing(), "-a never,user -F uid=0\n"
					  "-a never,task -F uid=0\n"
					  "-a never,exit -F arch=b64 -S close\n"
					  "-a always,exit -F arch=b64 -S open\n"
					  "-a always,exclude -F msgtype=CWD\n"
					  "-a never,filesystem -F fstype=tracefs\n");
	CU_ASSERT_EQUAL(rule(1)->mask[0], 0); /* a task rule has no syscalls */
	CU_ASSERT_EQUAL(rule(2)->flags, AUDIT_FILTER_EXIT);
	/* the same rule twice: the kernel says it exists; -A makes a second copy */
	REFUSED("-a always,exit -F arch=b64 -S open -F auid!=unset\n"
		"-a always,exit -F arch=b64 -S open -F auid!=-1\n",
		2, 1, "Error sending add rule data request (Rule exists)");
	CU_ASSERT_EQUAL(parse("-a always,exit -F arch=b64 -S open\n"
			      "-A always,exit -F arch=b64 -S open\n"),
			0);
	CU_ASSERT_EQUAL(g_set.count, 2);
	/* -d deletes the first match */
	CU_ASSERT_EQUAL(parse("-a always,exit -F arch=b64 -S open -k a\n"
			      "-a always,exit -F arch=b64 -S close\n"
			      "-d exit,always -F arch=b64 -S open -k a\n"),
			0);
	CU_ASSERT_STRING_EQUAL(listing(), "-a always,exit -F arch=b64 -S close\n");
	REFUSED("-d always,exit -F arch=b64 -S open\n", 1, 1,
		"Error sending delete rule request (No rule matches)");
	/* -D, and -D -k KEY */
	CU_ASSERT_EQUAL(parse("-a always,exit -F arch=b64 -S open -k keep\n"
			      "-a always,exit -F arch=b64 -S close -k gone\n"
			      "-D -k gon\n"),
			0);
	CU_ASSERT_STRING_EQUAL(listing(), "-a always,exit -F arch=b64 -S open -F key=keep\n");
	CU_ASSERT_EQUAL(parse("-a always,exit -F arch=b64 -S open\n-D\n"), 0);
	CU_ASSERT_EQUAL(g_set.count, 0);
}

static void test_kernel_refusals(void)
{
	if (!x86_64())
		return;
	REFUSED("-a always,exit -F arch=b64 -S open -F uid=-1\n", 1, 1,
		"Error sending add rule data request (Invalid argument)");
	REFUSED("-a always,exit -F arch=b64 -S open -F uid&1\n", 1, 1,
		"Error sending add rule data request (Invalid argument)");
	REFUSED("-a always,exit -F arch=b64 -S open -F auid>=-1\n", 1, 1,
		"Error sending add rule data request (Invalid argument)");
	REFUSED("-a always,exit -F dir=+\n", 1, 1,
		"Error sending add rule data request (Invalid argument)");
	REFUSED("-a always,exit -F path=/etc/passwd -F path=/etc/passwd\n", 1, 1,
		"Error sending add rule data request (Invalid argument)");
}

static void test_libaudit_refusals(void)
{
	if (!x86_64())
		return;
	REFUSED("-a always,exit -F foo=1\n", 1, 16, "-F unknown field: foo");
	REFUSED("-a always,exit -F auid\n", 1, 16, "-F missing operation for auid");
	REFUSED("-a always,exit -F =1\n", 1, 16, "-F missing field name before operator for ");
	REFUSED("-a always,exit -F uid=\n", 1, 16, "-F missing value after operation for uid");
	REFUSED("-a always,exit -F uid=nobody_here\n", 1, 16, "Unknown user: nobody_here");
	REFUSED("-a always,exit -F exit=ENOTANERR\n", 1, 16, "-F unknown errno - exit");
	REFUSED("-a always,exclude -F exit=1\n", 1, 19,
		"Only msgtype, *uid, *gid, pid, and subj* fields can be used with exclude filter");
	REFUSED("-a always,exit -F msgtype=CWD\n", 1, 16,
		"msgtype field can only be used with exclude or user filter list");
	REFUSED("-a always,task -F perm=r\n", 1, 16, "perm can only be used with exit filter list");
	REFUSED("-a always,exit -F perm=q\n", 1, 16, "Permission can only contain  'rwxa'");
	REFUSED("-a always,exit -F a0=x\n", 1, 16, "-F value should be number for a0");
	REFUSED("-a always,exit -C uid<euid\n", 1, 16, "uid<euid only takes = or != operators");
	REFUSED("-a always,exit -C uid=gid\n", 1, 16, "-C incompatible comparison uid");
	REFUSED("-a always,task -S open\n", 1, 16,
		"Error: syscall auditing being added to task list");
	REFUSED("-a always,exclude -S open\n", 1, 19,
		"Error: syscall auditing cannot be put on exclude list");
	REFUSED("-a always,bogus\n", 1, 1, "Append rule - bad keyword always,bogus");
	REFUSED("-A never,exit,x\n", 1, 1, "Add rule - bad keyword never,exit,x");
	REFUSED("-a always,exit -a never,exit\n", 1, 16,
		"Multiple rule insert/delete operations are not allowed");
	REFUSED("-F uid=0\n", 1, 1, "List must be given before field");
	REFUSED("-S open\n", 1, 1, "Error - no list specified");
	REFUSED("-x\n", 1, 1, "Option -x is invalid");
	REFUSED("-a\n", 1, 1, "Option -a is invalid");
	REFUSED("-R /etc/audit/audit.rules\n", 1, 1, "Error - nested rule files not supported");
	REFUSED("hello\n", 1, 1, "A rule line must start with an option");
	REFUSED("-p wa\n", 1, 1, "permission option needs a watch given prior to it");
	/* "possible" is dropped, not refused */
	CU_ASSERT_EQUAL(parse("-a exit,possible -S open\n"), 0);
	CU_ASSERT_EQUAL(g_set.count, 0);
}

static void test_controls(void)
{
	CU_ASSERT_EQUAL(parse("  # comment\n"
			      "\n"
			      "   \n"
			      "-D\n"
			      "-b 8192\n"
			      "-f 2\n"
			      "-r 0x10\n"
			      "--backlog_wait_time 60000\n"
			      "--loginuid-immutable\n"
			      "-e 1\n"),
			0);
	CU_ASSERT_EQUAL(g_set.ctl.backlog_limit, 8192);
	CU_ASSERT_EQUAL(g_set.ctl.failure, 2);
	CU_ASSERT_EQUAL(g_set.ctl.rate_limit, 16);
	CU_ASSERT_EQUAL(g_set.ctl.backlog_wait_time, 60000);
	CU_ASSERT_EQUAL(g_set.ctl.loginuid_immutable, 1);
	CU_ASSERT_EQUAL(g_set.ctl.enabled, 1);
	CU_ASSERT_EQUAL(g_set.ctl.ignore_errors, 0);
	CU_ASSERT_STRING_EQUAL(listing(), "No rules\n");
	REFUSED("-e 3\n", 1, 1, "Enable must be 0, 1, or 2 was 3");
	REFUSED("-f x\n", 1, 1, "Failure must be 0, 1, or 2 was x");
	REFUSED("-b many\n", 1, 1, "Backlog must be a numeric value was many");
	REFUSED("-i -a always,exit\n", 1, 4, "parameter passed without an option given");
	/* -e 2: no rule change after it */
	REFUSED("-e 2\n-w /etc/passwd\n", 2, 1,
		"Error sending add rule data request (Operation not permitted)");
	CU_ASSERT_EQUAL(rules_verdict(&g_set), -EINVAL);
}

static void test_errors_stop_or_continue(void)
{
	/* the first error stops the load */
	CU_ASSERT_EQUAL(parse("-w /etc/passwd\n-a bad,list\n-w /etc/ssh\n"), -EINVAL);
	CU_ASSERT_EQUAL(g_nerr, 1);
	CU_ASSERT_EQUAL(g_set.stopped, 1);
	CU_ASSERT_EQUAL(g_set.count, 1);
	CU_ASSERT_EQUAL(rules_verdict(&g_set), -EINVAL);
	/* -c: go on, fail at the end */
	CU_ASSERT_EQUAL(parse("-c\n-a bad,list\n-w /etc/ssh\n-x\n"), -EINVAL);
	CU_ASSERT_EQUAL(g_nerr, 2);
	CU_ASSERT_EQUAL(g_err[0].line, 2);
	CU_ASSERT_EQUAL(g_err[1].line, 4);
	CU_ASSERT_EQUAL(g_set.count, 1);
	CU_ASSERT_EQUAL(rules_verdict(&g_set), -EINVAL);
	/* -i: go on, succeed */
	CU_ASSERT_EQUAL(parse("-i\n-a bad,list\n-w /etc/ssh\n"), -EINVAL);
	CU_ASSERT_EQUAL(g_set.count, 1);
	CU_ASSERT_EQUAL(rules_verdict(&g_set), 0);
}

static void test_spacing_and_escapes(void)
{
	CU_ASSERT_EQUAL(parse("   -w /etc/passwd   -p wa   -k a\\ b\r\n"), 0);
	/* the CR stays in the key, as auditctl keeps it */
	CU_ASSERT_EQUAL(rule(0)->buflen, strlen("/etc/passwd") + 4);
	CU_ASSERT(memcmp(rule(0)->buf + 11, "a b\r", 4) == 0);
	/* a word of its own: a stray */
	REFUSED("-w /etc/passwd -k a \r\n", 1, 21, "parameter passed without an option given");
	/* a NUL ends its line */
	rules_set_free(&g_set);
	rules_set_init(&g_set);
	CU_ASSERT_EQUAL(rules_parse(&g_set, "-w /etc/ssh\0 -x\n-w /etc\n", 24, "t.rules", NULL, 0,
				    &fake_env, collect, NULL),
			0);
	CU_ASSERT_EQUAL(g_set.count, 2);
	/*
	 * A cluster: getopt stays on the word after -i, and -i ends the line's options, so
	 * the line is refused, but -i has made errors harmless (auditctl -R exits 0)
	 */
	CU_ASSERT_EQUAL(parse("-ic\n"), -EINVAL);
	CU_ASSERT_EQUAL(g_set.ctl.ignore_errors, 1);
	CU_ASSERT_EQUAL(g_set.ctl.continue_errors, 0);
	CU_ASSERT_EQUAL(rules_verdict(&g_set), 0);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"syscall rule", test_syscall_rule},
		{"-S all and no arch", test_syscall_all_and_no_arch},
		{"fields and operators", test_fields_and_operators},
		{"keys", test_keys},
		{"watches", test_watches},
		{"lists and order", test_lists_and_order},
		{"kernel refusals", test_kernel_refusals},
		{"libaudit refusals", test_libaudit_refusals},
		{"controls", test_controls},
		{"errors stop or continue", test_errors_stop_or_continue},
		{"spacing and escapes", test_spacing_and_escapes},
	};
	int rc;

	rc = UNIT_RUN("rules", tests);
	rules_set_free(&g_set);
	return rc;
}
