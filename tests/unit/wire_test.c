/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * formats/wire.c: wire_check() takes well-formed ring records and refuses every
 * malformed shape with -EINVAL; wire_item() walks the items of a record it took.
 */
#include <errno.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "formats/wire.c"
#include "tests/unit/unit.h"

static union {
	struct la_event ev;
	char b[4096];
} g;

/* An empty syscall record: header only. */
static struct la_event *ev_begin(void)
{
	memset(&g, 0, sizeof(g));
	g.ev.size = sizeof(g.ev);
	g.ev.kind = LA_EV_SYSCALL;
	g.ev.nr = 257;
	return &g.ev;
}

/* Append an item of @len payload bytes, padded to LA_ALIGN; return its header. */
static struct la_item *ev_add(unsigned int kind, unsigned int arg, const char *payload,
			      unsigned int len)
{
	struct la_item *it = (struct la_item *)(g.b + g.ev.size);

	it->kind = kind;
	it->arg = arg;
	it->len = len;
	memcpy(it + 1, payload, len);
	g.ev.size += sizeof(*it) + LA_ALIGN(len);
	g.ev.nitems++;
	return it;
}

static void test_good_records(void)
{
	struct la_event *ev = ev_begin();

	CU_ASSERT_EQUAL(sizeof(struct la_item), 8);
	CU_ASSERT_EQUAL(wire_check(ev, sizeof(*ev)), 0);
	ev_add(LA_IT_PATH, 1, "/etc/passwd", 11); /* padded to 16 */
	CU_ASSERT_EQUAL(ev->size, sizeof(*ev) + 8 + 16);
	CU_ASSERT_EQUAL(wire_check(ev, ev->size), 0);
	ev_add(LA_IT_CWD, 0, "", 0); /* an empty payload takes no room */
	ev_add(LA_IT_EXE, 0, "/usr/bin/cat", 12);
	CU_ASSERT_EQUAL(ev->size, sizeof(*ev) + 8 + 16 + 8 + 8 + 16);
	CU_ASSERT_EQUAL(ev->nitems, 3);
	CU_ASSERT_EQUAL(wire_check(ev, ev->size), 0);
}

static void test_bad_header(void)
{
	struct la_event *ev = ev_begin();

	CU_ASSERT_EQUAL(wire_check(ev, 0), -EINVAL);
	CU_ASSERT_EQUAL(wire_check(ev, sizeof(*ev) - 1), -EINVAL);
	/* size and length disagree, either way */
	CU_ASSERT_EQUAL(wire_check(ev, sizeof(*ev) + 8), -EINVAL);
	ev->size = sizeof(*ev) + 8;
	CU_ASSERT_EQUAL(wire_check(ev, sizeof(*ev)), -EINVAL);
	/* a kind this reader does not know */
	ev = ev_begin();
	ev->kind = 0;
	CU_ASSERT_EQUAL(wire_check(ev, sizeof(*ev)), -EINVAL);
	ev->kind = LA_EV_SYSCALL + 1;
	CU_ASSERT_EQUAL(wire_check(ev, sizeof(*ev)), -EINVAL);
}

static void test_bad_items(void)
{
	struct la_event *ev = ev_begin();
	struct la_item *it;

	/* more items announced than present: a header cut short */
	ev_add(LA_IT_PATH, 0, "abc", 3);
	ev->nitems = 2;
	CU_ASSERT_EQUAL(wire_check(ev, ev->size), -EINVAL);
	/* room for a second header but not its payload */
	it = (struct la_item *)(g.b + ev->size);
	it->kind = LA_IT_CWD;
	it->len = 1;
	ev->size += sizeof(*it);
	CU_ASSERT_EQUAL(wire_check(ev, ev->size), -EINVAL);
	/* an empty payload needs no room: an item of any kind is walked over */
	it->len = 0;
	CU_ASSERT_EQUAL(wire_check(ev, ev->size), 0);

	/* fewer items announced than present: bytes left over */
	ev = ev_begin();
	ev_add(LA_IT_PATH, 0, "abc", 3);
	ev_add(LA_IT_PATH, 1, "def", 3);
	ev->nitems = 1;
	CU_ASSERT_EQUAL(wire_check(ev, ev->size), -EINVAL);
	ev->nitems = 0;
	CU_ASSERT_EQUAL(wire_check(ev, ev->size), -EINVAL);

	/* a payload longer than what is left, by one byte and by its padding */
	ev = ev_begin();
	it = ev_add(LA_IT_PATH, 0, "abcdefgh", 8);
	it->len = 9;
	CU_ASSERT_EQUAL(wire_check(ev, ev->size), -EINVAL);
	it->len = 8;
	CU_ASSERT_EQUAL(wire_check(ev, ev->size), 0);
	it->len = 7; /* still padded to 8: fits */
	CU_ASSERT_EQUAL(wire_check(ev, ev->size), 0);
	/* lengths whose padding would wrap a 32-bit sum */
	it->len = 0xffffffffu;
	CU_ASSERT_EQUAL(wire_check(ev, ev->size), -EINVAL);
	it->len = 0xfffffff9u;
	CU_ASSERT_EQUAL(wire_check(ev, ev->size), -EINVAL);
	/* an item header that does not fit */
	ev = ev_begin();
	ev->nitems = 1;
	ev->size = sizeof(*ev) + 4;
	CU_ASSERT_EQUAL(wire_check(ev, ev->size), -EINVAL);
}

static void test_items(void)
{
	struct la_event *ev = ev_begin();
	const struct la_item *p0, *cwd, *p1, *it;

	CU_ASSERT_PTR_NULL(wire_item(ev, LA_IT_PATH, NULL));
	p0 = ev_add(LA_IT_PATH, 0, "old", 3);
	cwd = ev_add(LA_IT_CWD, 0, "/tmp", 4);
	p1 = ev_add(LA_IT_PATH, 1, "new", 3);
	CU_ASSERT_EQUAL_FATAL(wire_check(ev, ev->size), 0);

	CU_ASSERT_PTR_EQUAL(wire_item(ev, LA_IT_PATH, NULL), p0);
	CU_ASSERT_PTR_EQUAL(wire_item(ev, LA_IT_PATH, p0), p1);
	CU_ASSERT_PTR_NULL(wire_item(ev, LA_IT_PATH, p1));
	CU_ASSERT_PTR_EQUAL(wire_item(ev, LA_IT_CWD, NULL), cwd);
	CU_ASSERT_PTR_NULL(wire_item(ev, LA_IT_CWD, cwd));
	/* from an item of another kind */
	CU_ASSERT_PTR_EQUAL(wire_item(ev, LA_IT_PATH, cwd), p1);
	CU_ASSERT_PTR_NULL(wire_item(ev, LA_IT_EXE, NULL));

	it = wire_item(ev, LA_IT_CWD, NULL);
	CU_ASSERT_EQUAL(it->len, 4);
	CU_ASSERT_EQUAL(memcmp(wire_payload(it), "/tmp", 4), 0);
	CU_ASSERT_PTR_EQUAL(wire_payload(p1), (const char *)p1 + 8);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"good records", test_good_records},
		{"bad header", test_bad_header},
		{"bad items", test_bad_items},
		{"items", test_items},
	};

	return UNIT_RUN("wire", tests);
}
