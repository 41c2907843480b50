/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * logger/search_order.c: events come out in ausearch 3.0.9's order.  An event is
 * done once an event 2 s younger has started after it (or at once for a daemon
 * record, or at the end); the held event with the lowest stamp goes out while it
 * is done.  Events held for the order only (no text) take their turn silently.
 * A text given with its buffer is held by a reference, not copied, and the
 * reference is dropped once the event is out (or freed).
 */
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "logger/search_order.c"
#include "tests/unit/unit.h"

static char got[256];
static struct search_text *want_owner; /* the buffer of the texts of test_owned() */

static int emit_serial(void *arg, const char *text, size_t len, uint64_t sec, uint32_t msec,
		       uint64_t serial, struct search_text *owner)
{
	(void)arg;
	CU_ASSERT_PTR_EQUAL(owner, want_owner);
	/* the order holds a reference of its own while it emits */
	if (owner)
		CU_ASSERT(owner->refs > 1);
	(void)sec;
	(void)msec;
	CU_ASSERT_EQUAL(len, 1);
	snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%c%llu", got[0] ? " " : "",
		 text[0], (unsigned long long)serial);
	return 0;
}

static void add(struct search_order *o, const char *text, uint64_t sec, uint32_t msec,
		uint64_t serial, int one)
{
	CU_ASSERT_EQUAL(search_order_add(o, text, text ? 1 : 0, NULL, sec, msec, serial, one, 0),
			0);
}

static void test_in_order(void)
{
	struct search_order *o = search_order_new(emit_serial, NULL);

	got[0] = 0;
	add(o, "s", 10, 0, 1, 0);
	add(o, "s", 10, 5, 2, 0);
	add(o, "s", 11, 0, 3, 0);
	/* nothing is done before an event 2 s younger starts */
	CU_ASSERT_STRING_EQUAL(got, "");
	add(o, "s", 12, 0, 4, 0);
	CU_ASSERT_STRING_EQUAL(got, "s1 s2");
	CU_ASSERT_EQUAL(search_order_finish(o), 0);
	CU_ASSERT_STRING_EQUAL(got, "s1 s2 s3 s4");
	search_order_free(o);
}

static void test_sorted(void)
{
	struct search_order *o = search_order_new(emit_serial, NULL);

	got[0] = 0;
	/* a later serial with an earlier stamp goes first while both are held */
	add(o, "a", 10, 800, 7, 0);
	add(o, "b", 10, 200, 8, 0);
	add(o, NULL, 10, 100, 9, 0); /* held for the order, not printed */
	/* a daemon record is done at once, but waits behind lower stamps */
	add(o, "d", 10, 900, 10, 1);
	CU_ASSERT_STRING_EQUAL(got, "");
	add(o, "c", 12, 0, 11, 0);
	CU_ASSERT_STRING_EQUAL(got, "b8 a7 d10");
	/* an earlier stamp after those went out comes out after them */
	add(o, "e", 10, 0, 12, 1);
	CU_ASSERT_STRING_EQUAL(got, "b8 a7 d10 e12");
	CU_ASSERT_EQUAL(search_order_finish(o), 0);
	CU_ASSERT_STRING_EQUAL(got, "b8 a7 d10 e12 c11");
	search_order_free(o);
}

static void test_free_held(void)
{
	struct search_order *o = search_order_new(emit_serial, NULL);

	got[0] = 0;
	add(o, "a", 10, 0, 1, 0);
	add(o, "b", 10, 0, 2, 1);
	search_order_free(o);
	search_order_free(NULL);
	CU_ASSERT_STRING_EQUAL(got, "");
}

static void test_owned(void)
{
	struct search_text *t = calloc(1, sizeof(*t));
	struct search_order *o = search_order_new(emit_serial, NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	t->buf = strdup("abcde");
	t->len = 5;
	t->refs = 1; /* the test's */
	want_owner = t;
	got[0] = 0;
	CU_ASSERT_EQUAL(search_order_add(o, t->buf, 1, t, 10, 800, 7, 0, 0), 0);
	CU_ASSERT_EQUAL(search_order_add(o, t->buf + 1, 1, t, 10, 200, 8, 0, 0), 0);
	CU_ASSERT_EQUAL(search_order_add(o, NULL, 0, NULL, 10, 100, 9, 0, 0), 0);
	CU_ASSERT_EQUAL(t->refs, 3);
	CU_ASSERT_EQUAL(search_order_add(o, t->buf + 2, 1, t, 12, 0, 10, 0, 0), 0);
	CU_ASSERT_STRING_EQUAL(got, "b8 a7");
	CU_ASSERT_EQUAL(t->refs, 2);
	CU_ASSERT_EQUAL(search_order_add(o, t->buf + 3, 1, t, 12, 0, 11, 0, 0), 0);
	search_order_free(o); /* c10 and d11 held: their references dropped */
	CU_ASSERT_EQUAL(t->refs, 1);
	CU_ASSERT_STRING_EQUAL(got, "b8 a7");
	want_owner = NULL;
	search_text_unref(t); /* no pool: freed */
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"in_order", test_in_order},
		{"sorted", test_sorted},
		{"free_held", test_free_held},
		{"owned", test_owned},
	};

	return UNIT_RUN("search_order", tests);
}
