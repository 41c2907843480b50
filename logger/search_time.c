/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lausearch -ts/-te: the forms ausearch 3.0.9 takes, with its meaning (local
 * time; a date in the locale's %x; the words).  Pure: the current time and the
 * uptime are parameters, so that every form has an exact answer in the tests;
 * search_when() reads them for the command line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "logger/search.h"

#define DAY (24 * 60 * 60)

enum time_word {
	T_NOW,
	T_RECENT,
	T_BOOT,
	T_TODAY,
	T_YESTERDAY,
	T_THIS_WEEK,
	T_WEEK_AGO,
	T_THIS_MONTH,
	T_THIS_YEAR,
};

static const char *const time_words[] = {
	[T_NOW] = "now",	   [T_RECENT] = "recent",	  [T_BOOT] = "boot",
	[T_TODAY] = "today",	   [T_YESTERDAY] = "yesterday",	  [T_THIS_WEEK] = "this-week",
	[T_WEEK_AGO] = "week-ago", [T_THIS_MONTH] = "this-month", [T_THIS_YEAR] = "this-year",
};

int search_time_word(const char *s)
{
	unsigned int i;

	for (i = 0; i < sizeof(time_words) / sizeof(time_words[0]); i++)
		if (!strcmp(s, time_words[i]))
			return (int)i;
	return -1;
}

static void set_date(struct tm *d, time_t t)
{
	struct tm tv;

	localtime_r(&t, &tv);
	d->tm_mday = tv.tm_mday;
	d->tm_mon = tv.tm_mon;
	d->tm_year = tv.tm_year;
	d->tm_isdst = tv.tm_isdst;
	d->tm_wday = tv.tm_wday;
	d->tm_yday = tv.tm_yday;
}

static void set_time(struct tm *d, time_t t)
{
	struct tm tv;

	localtime_r(&t, &tv);
	d->tm_sec = tv.tm_sec;
	d->tm_min = tv.tm_min;
	d->tm_hour = tv.tm_hour;
}

/* A word's date (and, for now, recent and boot, its time) into @d. */
static void word_date(struct tm *d, int w, time_t now, long uptime)
{
	struct tm tv;

	switch (w) {
	case T_NOW:
	case T_RECENT:
	case T_BOOT: {
		time_t t = now - (w == T_RECENT ? 600 : w == T_BOOT ? uptime : 0);

		set_time(d, t);
		set_date(d, t);
		return;
	}
	case T_TODAY:
	case T_THIS_MONTH:
	case T_THIS_YEAR:
		set_date(d, now);
		break;
	case T_YESTERDAY:
		set_date(d, now - DAY);
		break;
	case T_THIS_WEEK:
		localtime_r(&now, &tv);
		set_date(d, now - (time_t)tv.tm_wday * DAY);
		break;
	case T_WEEK_AGO:
		set_date(d, now - 7 * DAY);
		break;
	}
	d->tm_sec = d->tm_min = d->tm_hour = 0;
	if (w == T_THIS_MONTH || w == T_THIS_YEAR)
		d->tm_mday = 1;
	if (w == T_THIS_YEAR) {
		d->tm_mon = 0;
		d->tm_isdst = 0;
	}
}

int search_time(const char *date, const char *tod, int end, time_t now, long uptime, time_t *out)
{
	struct tm d = {0};
	char buf[64];
	const char *p;
	int w = -1;

	if (!date) {
		set_time(&d, now);
		set_date(&d, now);
	} else if ((w = search_time_word(date)) >= 0) {
		word_date(&d, w, now, uptime);
		if (end && w == T_TODAY) {
			set_time(&d, now);
			set_date(&d, now);
		}
		if ((w == T_NOW || w == T_RECENT || w == T_BOOT || (end && w == T_TODAY)) &&
		    (!tod || !strcmp(tod, "00:00:00")))
			goto set;
	} else {
		p = strptime(date, "%x", &d);
		if (!p || *p)
			return -EINVAL;
		/* as ausearch: mktime() settles the date's DST flag before the time is set */
		mktime(&d);
	}
	if (tod) {
		/* HH:MM is HH:MM:00 */
		if (strlen(tod) <= 5)
			snprintf(buf, sizeof(buf), "%s:00", tod);
		else
			snprintf(buf, sizeof(buf), "%s", tod);
		p = strptime(buf, "%X", &d);
		if (!p || *p)
			return -EINVAL;
	} else if (end) {
		struct tm tv;

		localtime_r(&now, &tv);
		d.tm_hour = tv.tm_hour;
		d.tm_min = tv.tm_min;
		d.tm_sec = tv.tm_sec;
		d.tm_isdst = tv.tm_isdst;
	} else {
		/* ausearch clears the whole date here too: a start with neither */
		memset(&d, 0, sizeof(d));
	}
	if (d.tm_year < 104)
		return -EINVAL;
set:
	*out = mktime(&d);
	return *out == (time_t)-1 ? -EINVAL : 0;
}

static long uptime_seconds(void)
{
	double up = 0;
	FILE *f = fopen("/proc/uptime", "re");

	if (f) {
		if (fscanf(f, "%lf", &up) != 1)
			up = 0;
		fclose(f);
	}
	return (long)(up + 0.5);
}

int search_when(int argc, char **argv, int i, int end, time_t *out)
{
	const char *v = argv[i + 1], *date = NULL, *tod = NULL;
	int n = 1, rc;

	if (i + 2 < argc && argv[i + 2][0] != '-') {
		n = 2;
		date = strchr(v, ':') ? argv[i + 2] : v;
		tod = strchr(v, ':') ? v : argv[i + 2];
	} else if (search_time_word(v) >= 0) {
		date = v;
		tod = "00:00:00";
	} else if (!strchr(v, ':')) {
		date = v;
		tod = end ? NULL : "00:00:00";
	} else {
		tod = v;
	}
	rc = search_time(date, tod, end, time(NULL), uptime_seconds(), out);
	if (rc) {
		fprintf(stderr, "%s: %s: invalid date or time (%s%s%s)\n",
			program_invocation_short_name, argv[i], v, n == 2 ? " " : "",
			n == 2 ? argv[i + 2] : "");
		return rc;
	}
	return n;
}
