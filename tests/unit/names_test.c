/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * logger/names.c: user and group names from the system's databases, kept per
 * cache slot, NULL for an id the system does not know.  Expected names come
 * from getpwuid()/getgrgid() themselves, so the test holds on any system.
 */
#include <grp.h>
#include <pwd.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "logger/names.c"
#include "tests/unit/unit.h"

/* An id no user or group has (checked in each test). */
#define NO_ID 4000000000u

static const char *sys_user(uint32_t id)
{
	struct passwd *pw = getpwuid(id);

	return pw ? pw->pw_name : NULL;
}

static const char *sys_group(uint32_t id)
{
	struct group *gr = getgrgid(id);

	return gr ? gr->gr_name : NULL;
}

static void test_uncached(void)
{
	const char *s;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sys_user(0));
	CU_ASSERT_PTR_NOT_NULL_FATAL(sys_group(0));
	s = names_lookup(NULL, 0, 0);
	CU_ASSERT_STRING_EQUAL(s, "root");
	s = names_lookup(NULL, 0, 1);
	CU_ASSERT_STRING_EQUAL(s, sys_group(0));
	CU_ASSERT_PTR_NULL(sys_user(NO_ID));
	CU_ASSERT_PTR_NULL(names_lookup(NULL, NO_ID, 0));
	CU_ASSERT_PTR_NULL(sys_group(NO_ID));
	CU_ASSERT_PTR_NULL(names_lookup(NULL, NO_ID, 1));
}

static void test_cached(void)
{
	struct names *n = names_new();
	struct name_slot *u0, *g0, *miss;
	const char *s;

	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	u0 = &n->slots[0][0];
	g0 = &n->slots[1][0];
	s = names_lookup(n, 0, 0);
	CU_ASSERT_PTR_EQUAL(s, u0->name);
	CU_ASSERT_STRING_EQUAL(s, "root");
	CU_ASSERT_EQUAL(u0->state, 1);
	/* users and groups are kept apart */
	s = names_lookup(n, 0, 1);
	CU_ASSERT_PTR_EQUAL(s, g0->name);
	CU_ASSERT_STRING_EQUAL(s, sys_group(0));
	/* kept: a second lookup reads the slot (a changed slot shows it was not refilled) */
	strcpy(u0->name, "kept");
	CU_ASSERT_STRING_EQUAL(names_lookup(n, 0, 0), "kept");

	/* an unknown id is remembered as unknown */
	miss = &n->slots[0][NO_ID % NAMES_SLOTS];
	CU_ASSERT_PTR_NULL(names_lookup(n, NO_ID, 0));
	CU_ASSERT_EQUAL(miss->state, 2);
	CU_ASSERT_EQUAL(miss->id, NO_ID);

	/* another id in the same slot replaces it */
	CU_ASSERT_PTR_NOT_NULL_FATAL(sys_user(65534));
	miss = &n->slots[0][65534 % NAMES_SLOTS];
	miss->state = 2;
	miss->id = 65534 + NAMES_SLOTS;
	s = names_lookup(n, 65534, 0);
	CU_ASSERT_PTR_EQUAL(s, miss->name);
	CU_ASSERT_STRING_EQUAL(s, sys_user(65534));
	CU_ASSERT_EQUAL(miss->id, 65534);
	CU_ASSERT_EQUAL(miss->state, 1);
	names_free(n);
	names_free(NULL);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"uncached", test_uncached},
		{"cached", test_cached},
	};

	return UNIT_RUN("names", tests);
}
