/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * logger/ident.c: a process's exe and proctitle learnt from a record's items,
 * kept for the records that leave them out, looked up in /proc when no record
 * carried them, and forgotten by ident_sweep().
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "logger/ident.c"
#include "tests/unit/unit.h"

/* No process has this pid: above the kernel's PID_MAX_LIMIT (4194304). */
#define NO_PID 4194400u

static union {
	struct la_event ev;
	char b[4096];
} g;

static struct la_event *ev_begin(uint32_t pid, uint64_t exec_id)
{
	memset(&g, 0, sizeof(g));
	g.ev.size = sizeof(g.ev);
	g.ev.kind = LA_EV_SYSCALL;
	g.ev.pid = g.ev.tid = pid;
	g.ev.exec_id = exec_id;
	return &g.ev;
}

static void ev_add(unsigned int kind, unsigned int flags, const char *payload, unsigned int len)
{
	struct la_item *it = (struct la_item *)(g.b + g.ev.size);

	it->kind = kind;
	it->flags = flags;
	it->len = len;
	memcpy(it + 1, payload, len);
	g.ev.size += sizeof(*it) + LA_ALIGN(len);
	g.ev.nitems++;
}

/* @s of @len bytes equals the C string @want. */
static int same(const char *s, size_t len, const char *want)
{
	return s && len == strlen(want) && !memcmp(s, want, len);
}

static void test_from_items(void)
{
	struct ident_cache *c = ident_new();
	struct text_ident out;
	uint64_t lookups, unknown;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	ev_begin(NO_PID, 7);
	ev_add(LA_IT_EXE, 0, "/usr/bin/cat", 12);
	ev_add(LA_IT_PROCTITLE, 0, "cat\0/etc/passwd\0", 16);
	CU_ASSERT_EQUAL_FATAL(wire_check(&g.ev, g.ev.size), 0);
	ident_resolve(c, &g.ev, 100, &out);
	CU_ASSERT(same(out.exe, out.exe_len, "/usr/bin/cat"));
	CU_ASSERT_EQUAL(out.title_len, 16);
	CU_ASSERT_EQUAL(memcmp(out.title, "cat\0/etc/passwd\0", 16), 0);
	/* encoded once, as the text log writes them */
	CU_ASSERT(same(out.exe_text, out.exe_text_len, "\"/usr/bin/cat\""));
	CU_ASSERT(same(out.title_text, out.title_text_len, "636174002F6574632F706173737764"));

	/* a later record of the process without the items: from the cache */
	ev_begin(NO_PID, 7);
	memset(&out, 0, sizeof(out));
	ident_resolve(c, &g.ev, 101, &out);
	CU_ASSERT(same(out.exe, out.exe_len, "/usr/bin/cat"));
	CU_ASSERT(same(out.exe_text, out.exe_text_len, "\"/usr/bin/cat\""));
	CU_ASSERT(same(out.title_text, out.title_text_len, "636174002F6574632F706173737764"));
	ident_stats(c, &lookups, &unknown);
	CU_ASSERT_EQUAL(lookups, 0);
	CU_ASSERT_EQUAL(unknown, 0);
	ident_free(c);
}

static void test_items_replace(void)
{
	struct ident_cache *c = ident_new();
	struct text_ident out;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	ev_begin(NO_PID, 1);
	ev_add(LA_IT_EXE, 0, "/bin/sh", 7);
	ev_add(LA_IT_PROCTITLE, 0, "sh", 2);
	ident_resolve(c, &g.ev, 1, &out);
	/* the same exec sends them again (another CPU): the new values win */
	ev_begin(NO_PID, 1);
	ev_add(LA_IT_EXE, 0, "/bin/my sh", 10);
	ev_add(LA_IT_PROCTITLE, 0, "sh\0-c", 5);
	ident_resolve(c, &g.ev, 2, &out);
	CU_ASSERT(same(out.exe, out.exe_len, "/bin/my sh"));
	CU_ASSERT(same(out.exe_text, out.exe_text_len, "2F62696E2F6D79207368"));
	CU_ASSERT(same(out.title_text, out.title_text_len, "7368002D63"));
	/* a faulted read, or an empty exe, leaves the known values alone */
	ev_begin(NO_PID, 1);
	ev_add(LA_IT_EXE, LA_IF_FAULT, "", 0);
	ev_add(LA_IT_PROCTITLE, LA_IF_FAULT, "", 0);
	ident_resolve(c, &g.ev, 3, &out);
	CU_ASSERT(same(out.exe, out.exe_len, "/bin/my sh"));
	CU_ASSERT(same(out.title_text, out.title_text_len, "7368002D63"));
	ev_begin(NO_PID, 1);
	ev_add(LA_IT_EXE, 0, "", 0);
	ident_resolve(c, &g.ev, 4, &out);
	CU_ASSERT(same(out.exe, out.exe_len, "/bin/my sh"));
	/* another exec of the same pid is another identity */
	ev_begin(NO_PID, 2);
	ev_add(LA_IT_EXE, 0, "/bin/true", 9);
	ev_add(LA_IT_PROCTITLE, 0, "true", 4);
	ident_resolve(c, &g.ev, 5, &out);
	CU_ASSERT(same(out.exe, out.exe_len, "/bin/true"));
	ev_begin(NO_PID, 1);
	ident_resolve(c, &g.ev, 6, &out);
	CU_ASSERT(same(out.exe, out.exe_len, "/bin/my sh"));
	ident_free(c);
}

static void test_from_proc(void)
{
	struct ident_cache *c = ident_new();
	char exe[PATH_MAX];
	struct text_ident out;
	uint64_t lookups, unknown;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe));

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_FATAL(n > 0);
	/* this process, whose first record was lost: /proc has it */
	ev_begin(getpid(), 9);
	ident_resolve(c, &g.ev, 1, &out);
	CU_ASSERT_EQUAL(out.exe_len, (size_t)n);
	CU_ASSERT(out.exe && !memcmp(out.exe, exe, n));
	CU_ASSERT_PTR_NOT_NULL(out.title);
	CU_ASSERT(out.title_len > 0 && out.title_len <= LA_PROCTITLE_MAX);
	CU_ASSERT_PTR_NOT_NULL(out.exe_text);
	ident_stats(c, &lookups, &unknown);
	CU_ASSERT_EQUAL(lookups, 1);
	CU_ASSERT_EQUAL(unknown, 0);

	/* a process that is gone: unknown, written as (null) */
	ev_begin(NO_PID, 9);
	ident_resolve(c, &g.ev, 1, &out);
	CU_ASSERT_PTR_NULL(out.exe);
	CU_ASSERT_EQUAL(out.exe_len, 0);
	CU_ASSERT_PTR_NULL(out.exe_text);
	CU_ASSERT_PTR_NULL(out.title);
	CU_ASSERT(same(out.title_text, out.title_text_len, "(null)"));
	ident_stats(c, &lookups, &unknown);
	CU_ASSERT_EQUAL(lookups, 2);
	CU_ASSERT_EQUAL(unknown, 1);
	/* asked once per identity, not once per record */
	ident_resolve(c, &g.ev, 2, &out);
	ident_stats(c, &lookups, &unknown);
	CU_ASSERT_EQUAL(lookups, 2);
	CU_ASSERT_EQUAL(unknown, 1);
	/* a title alone still asks /proc for the exe */
	ev_begin(NO_PID, 10);
	ev_add(LA_IT_PROCTITLE, 0, "x", 1);
	ident_resolve(c, &g.ev, 2, &out);
	CU_ASSERT_PTR_NULL(out.exe);
	CU_ASSERT(same(out.title_text, out.title_text_len, "\"x\""));
	ident_stats(c, &lookups, &unknown);
	CU_ASSERT_EQUAL(lookups, 3);
	CU_ASSERT_EQUAL(unknown, 2);
	ident_free(c);
}

static void test_sweep(void)
{
	struct ident_cache *c = ident_new();
	struct text_ident out;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	ev_begin(NO_PID, 1);
	ev_add(LA_IT_EXE, 0, "/a", 2);
	ident_resolve(c, &g.ev, 10, &out);
	ev_begin(NO_PID, 2);
	ev_add(LA_IT_EXE, 0, "/b", 2);
	ident_resolve(c, &g.ev, 20, &out);
	/* used at 10 and 20: a sweep before 20 forgets the first only */
	ident_sweep(c, 20);
	CU_ASSERT_PTR_NULL(ident_lookup(c, NO_PID, 1));
	CU_ASSERT_PTR_NOT_NULL(ident_lookup(c, NO_PID, 2));
	/* a lookup counts as a use */
	ev_begin(NO_PID, 2);
	ident_resolve(c, &g.ev, 30, &out);
	ident_sweep(c, 30);
	CU_ASSERT_PTR_NOT_NULL(ident_lookup(c, NO_PID, 2));
	ident_sweep(c, 31);
	CU_ASSERT_PTR_NULL(ident_lookup(c, NO_PID, 2));
	ident_free(c);
	ident_free(NULL);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"from items", test_from_items},
		{"items replace", test_items_replace},
		{"from /proc", test_from_proc},
		{"sweep", test_sweep},
	};

	return UNIT_RUN("ident", tests);
}
