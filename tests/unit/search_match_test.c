/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * logger/search_match.c: ausearch 3.0.9's selection over an event's RAW text,
 * its quirks included (substrings, keys of (null), names joined to the cwd,
 * records that lack a field the query needs), and the block index filter.
 */
#include <string.h>

#include <CUnit/Basic.h>

#include "logger/search_match.c"
#include "tests/unit/unit.h"

static const char ev[] =
	"type=SYSCALL msg=audit(1796225445.123:42): arch=c000003e syscall=257 success=no "
	"exit=-2 a0=ffffff9c a1=55d0 a2=0 a3=0 items=1 ppid=100 pid=200 auid=1000 uid=0 "
	"gid=0 euid=0 suid=0 fsuid=0 egid=5 sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"cat\" "
	"exe=\"/usr/bin/cat\" key=(null)\n"
	"type=CWD msg=audit(1796225445.123:42): cwd=\"/home/u\"\n"
	"type=PATH msg=audit(1796225445.123:42): item=0 name=\"./notes.txt\" nametype=UNKNOWN "
	"cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\n"
	"type=PROCTITLE msg=audit(1796225445.123:42): proctitle=636174006E6F7465732E747874\n";

static const char daemon_start[] =
	"type=DAEMON_START msg=audit(1796225440.000:1): op=start ver=0.1 format=binary "
	"kernel=6.1 auid=4294967295 pid=77 uid=0 ses=4294967295 res=success\n";

static int m(const struct search_query *q)
{
	return search_match(q, ev, sizeof(ev) - 1, 1796225445, 42);
}

static void test_numbers(void)
{
	struct search_query q;

	search_query_init(&q);
	CU_ASSERT_EQUAL(m(&q), 1);
	q.pid = 200;
	q.ppid = 100;
	q.syscall = 257;
	q.success = SEARCH_SUCCESS_NO;
	q.exit_set = 1;
	q.exit = -2;
	q.session = 3;
	q.loginuid = 1000;
	q.uid = 0;
	q.egid = 5;
	q.event_id = 42;
	CU_ASSERT_EQUAL(m(&q), 1);
	q.pid = 201;
	CU_ASSERT_EQUAL(m(&q), 0);
	q.pid = 200;
	q.success = SEARCH_SUCCESS_YES;
	CU_ASSERT_EQUAL(m(&q), 0);
	/* -ua: uid, euid or auid */
	search_query_init(&q);
	q.uid = q.euid = q.loginuid = 1000;
	q.any_uid = 1;
	CU_ASSERT_EQUAL(m(&q), 1);
	q.any_uid = 0;
	CU_ASSERT_EQUAL(m(&q), 0);
	search_query_init(&q);
	q.start = 1796225446;
	CU_ASSERT_EQUAL(m(&q), 0);
	q.start = 1796225445;
	q.end = 1796225445;
	CU_ASSERT_EQUAL(m(&q), 1);
}

static void test_strings(void)
{
	struct search_query q;

	search_query_init(&q);
	q.comm = "ca";
	q.exe = "bin/cat";
	q.terminal = "pts";
	CU_ASSERT_EQUAL(m(&q), 1);
	q.exact = 1;
	CU_ASSERT_EQUAL(m(&q), 0);
	q.comm = "cat";
	q.exe = "/usr/bin/cat";
	q.terminal = "pts0";
	CU_ASSERT_EQUAL(m(&q), 1);
	/* ./notes.txt is joined to the cwd, as ausearch does */
	search_query_init(&q);
	q.file = "/home/u/./notes.txt";
	CU_ASSERT_EQUAL(m(&q), 1);
	q.file = "/home/u";
	CU_ASSERT_EQUAL(m(&q), 1);
	q.file = "/etc";
	CU_ASSERT_EQUAL(m(&q), 0);
	/* key=(null) is the key "(null)" to ausearch */
	search_query_init(&q);
	q.key = "null";
	CU_ASSERT_EQUAL(m(&q), 1);
	q.key = "audit";
	CU_ASSERT_EQUAL(m(&q), 0);
	search_query_init(&q);
	q.ntypes = 1;
	q.types[0] = AUDIT_CWD;
	CU_ASSERT_EQUAL(m(&q), 1);
	q.types[0] = AUDIT_SOCKADDR;
	CU_ASSERT_EQUAL(m(&q), 0);
	search_query_init(&q);
	q.nnodes = 1;
	q.nodes[0] = "host";
	CU_ASSERT_EQUAL(m(&q), 0);
	search_query_init(&q);
	q.context = 1;
	CU_ASSERT_EQUAL(m(&q), 0);
}

static void test_daemon(void)
{
	struct search_query q;
	size_t n = sizeof(daemon_start) - 1;

	search_query_init(&q);
	q.pid = 77;
	CU_ASSERT_EQUAL(search_match(&q, daemon_start, n, 1796225440, 1), 1);
	q.success = SEARCH_SUCCESS_YES;
	CU_ASSERT_EQUAL(search_match(&q, daemon_start, n, 1796225440, 1), 1);
	/* no syscall= in a daemon record */
	q.syscall = 0;
	CU_ASSERT_EQUAL(search_match(&q, daemon_start, n, 1796225440, 1), 0);
	/* -c needs a comm= the record lacks: no match */
	search_query_init(&q);
	q.comm = "lauditd";
	CU_ASSERT_EQUAL(search_match(&q, daemon_start, n, 1796225440, 1), 0);
}

static void test_malformed(void)
{
	static const char cut[] = "type=SYSCALL msg=audit(1.000:1): arch=c000003e syscall=0\n";
	struct search_query q;

	search_query_init(&q);
	/* no a0=: ausearch drops the event */
	CU_ASSERT_EQUAL(search_match(&q, cut, sizeof(cut) - 1, 1, 1), 0);
	CU_ASSERT_EQUAL(search_match(&q, "", 0, 1, 1), 1);
}

static void test_block(void)
{
	struct bin_block_index ix = {
		.records = 10,
		.events = 10,
		.time_min = 1796225445000ULL,
		.time_max = 1796225447999ULL,
		.serial_min = 40,
		.serial_max = 49,
		.pid_min = 100,
		.pid_max = 300,
	};
	struct search_query q;

	ix.syscalls[257 / 8] |= 1 << (257 % 8);
	search_query_init(&q);
	CU_ASSERT_EQUAL(search_block(&q, &ix), 1);
	q.start = 1796225448;
	CU_ASSERT_EQUAL(search_block(&q, &ix), 0);
	q.start = 1796225447;
	CU_ASSERT_EQUAL(search_block(&q, &ix), 1);
	q.end = 1796225444;
	CU_ASSERT_EQUAL(search_block(&q, &ix), 0);
	search_query_init(&q);
	q.event_id = 50;
	CU_ASSERT_EQUAL(search_block(&q, &ix), 0);
	search_query_init(&q);
	q.pid = 301;
	CU_ASSERT_EQUAL(search_block(&q, &ix), 0);
	/* a daemon record in the block may carry any pid */
	ix.records = 11;
	CU_ASSERT_EQUAL(search_block(&q, &ix), 1);
	search_query_init(&q);
	q.syscall = 257;
	CU_ASSERT_EQUAL(search_block(&q, &ix), 1);
	q.syscall = 0;
	CU_ASSERT_EQUAL(search_block(&q, &ix), 0);
}

static void test_event(void)
{
	struct la_event e = {.nr = 257, .pid = 200, .ppid = 100, .ret = -2};
	struct search_query q;

	search_query_init(&q);
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e), 1);
	q.pid = 200;
	q.ppid = 100;
	q.syscall = 257;
	q.success = SEARCH_SUCCESS_NO;
	q.exit_set = 1;
	q.exit = -2;
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e), 1);
	q.exit = 2;
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e), 0);
	q.exit_set = 0;
	q.success = SEARCH_SUCCESS_YES;
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e), 0);
	/* -4096 is no error number: success=yes */
	e.ret = -4096;
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e), 1);
	/* exit_group: no success= at all */
	e.flags = LA_F_NORETURN;
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e), 0);
	search_query_init(&q);
	q.syscall = 0;
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e), 0);
	search_query_init(&q);
	q.pid = 201;
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e), 0);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"numbers", test_numbers},     {"strings", test_strings}, {"daemon", test_daemon},
		{"malformed", test_malformed}, {"block", test_block},	  {"event", test_event},
	};

	return UNIT_RUN("search_match", tests);
}
