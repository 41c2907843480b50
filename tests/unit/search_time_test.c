/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * logger/search_time.c: every -ts/-te form of ausearch 3.0.9, with the current
 * time fixed (Wednesday 2026-12-02 15:30:45 UTC, up for an hour), in UTC and the
 * C locale (dates as %x: MM/DD/YY).
 */
#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <time.h>

#include <CUnit/Basic.h>

#include "logger/search_time.c"
#include "tests/unit/unit.h"

#define NOW	 1796225445L /* 2026-12-02 15:30:45, a Wednesday */
#define MIDNIGHT 1796169600L /* 2026-12-02 00:00:00 */
#define DAY_SECS (24 * 3600L)
#define UPTIME	 3600L

static time_t when(const char *date, const char *tod, int end)
{
	time_t t = 0;

	CU_ASSERT_EQUAL(search_time(date, tod, end, NOW, UPTIME, &t), 0);
	return t;
}

static void test_words(void)
{
	CU_ASSERT_EQUAL(when("now", "00:00:00", 0), NOW);
	CU_ASSERT_EQUAL(when("recent", "00:00:00", 0), NOW - 600);
	CU_ASSERT_EQUAL(when("boot", "00:00:00", 0), NOW - UPTIME);
	CU_ASSERT_EQUAL(when("today", "00:00:00", 0), MIDNIGHT);
	CU_ASSERT_EQUAL(when("yesterday", "00:00:00", 0), MIDNIGHT - DAY_SECS);
	/* the week starts on Sunday: 2026-11-29 */
	CU_ASSERT_EQUAL(when("this-week", "00:00:00", 0), MIDNIGHT - 3 * DAY_SECS);
	CU_ASSERT_EQUAL(when("week-ago", "00:00:00", 0), MIDNIGHT - 7 * DAY_SECS);
	CU_ASSERT_EQUAL(when("this-month", "00:00:00", 0), MIDNIGHT - DAY_SECS);
	CU_ASSERT_EQUAL(when("this-year", "00:00:00", 0), 1767225600L);
	/* a word and a time: the word's date at that time */
	CU_ASSERT_EQUAL(when("yesterday", "10:00", 0), MIDNIGHT - DAY_SECS + 36000);
	CU_ASSERT_EQUAL(when("now", "10:00:00", 0), MIDNIGHT + 36000);
	CU_ASSERT_EQUAL(search_time_word("this-week"), T_THIS_WEEK);
	CU_ASSERT_EQUAL(search_time_word("checkpoint"), -1);
}

static void test_end(void)
{
	/* -te today is now; the other words are as for -ts */
	CU_ASSERT_EQUAL(when("today", "00:00:00", 1), NOW);
	CU_ASSERT_EQUAL(when("now", "00:00:00", 1), NOW);
	CU_ASSERT_EQUAL(when("yesterday", "00:00:00", 1), MIDNIGHT - DAY_SECS);
	/* -te DATE alone: that date at the current time of day */
	CU_ASSERT_EQUAL(when("12/01/26", NULL, 1), MIDNIGHT - DAY_SECS + 15 * 3600 + 30 * 60 + 45);
	/* -te TIME alone: today at that time */
	CU_ASSERT_EQUAL(when(NULL, "10:00:00", 1), MIDNIGHT + 36000);
}

static void test_dates(void)
{
	CU_ASSERT_EQUAL(when("12/01/26", "10:00", 0), MIDNIGHT - DAY_SECS + 36000);
	CU_ASSERT_EQUAL(when("12/01/26", "10:00:30", 0), MIDNIGHT - DAY_SECS + 36030);
	CU_ASSERT_EQUAL(when("12/01/26", "00:00:00", 0), MIDNIGHT - DAY_SECS);
	CU_ASSERT_EQUAL(when(NULL, "10:00:00", 0), MIDNIGHT + 36000);
}

static void test_refused(void)
{
	time_t t = 7;

	CU_ASSERT_EQUAL(search_time("13/45/26", "00:00:00", 0, NOW, UPTIME, &t), -EINVAL);
	/* %y takes two digits: 2026 leaves "26" unread */
	CU_ASSERT_EQUAL(search_time("12/01/2026", "00:00:00", 0, NOW, UPTIME, &t), -EINVAL);
	CU_ASSERT_EQUAL(search_time("12/01/26", "25:00", 0, NOW, UPTIME, &t), -EINVAL);
	CU_ASSERT_EQUAL(search_time("12/01/26", "10:00:00x", 0, NOW, UPTIME, &t), -EINVAL);
	/* ausearch refuses years before 2004 */
	CU_ASSERT_EQUAL(search_time("01/01/03", "00:00:00", 0, NOW, UPTIME, &t), -EINVAL);
	CU_ASSERT_EQUAL(search_time("tomorrow", "00:00:00", 0, NOW, UPTIME, &t), -EINVAL);
	CU_ASSERT_EQUAL(t, 7);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"words", test_words},
		{"end", test_end},
		{"dates", test_dates},
		{"refused", test_refused},
	};

	setenv("TZ", "UTC", 1);
	tzset();
	setlocale(LC_ALL, "C");
	return UNIT_RUN("search_time", tests);
}
