/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * laureport's parts: one event's items as aureport 3.0.9 extracts them from its
 * records (logger/report_parse.c), and the reports made of them: the titles, a
 * line per event, the totals (logger/report_out.c).
 */
#ifndef LAUDITD_LOGGER_REPORT_H
#define LAUDITD_LOGGER_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* The reports, as aureport numbers its own (the order matters for none). */
enum report_type {
	RPT_SUMMARY = 1,
	RPT_TIME,
	RPT_EVENT,
	RPT_FILE,
	RPT_EXE,
	RPT_SYSCALL,
	RPT_PID,
	RPT_KEY,
	RPT_USER,
	RPT_LOGIN,
	RPT_ACCT_MOD,
	RPT_ANOMALY,
	RPT_RESPONSE,
	RPT_TERM,
	RPT_HOST,
	RPT_COMM,
	RPT_AUTH,
	RPT_CONFIG,
};

enum report_detail { D_DETAILED = 1, D_SUM };
enum report_success_filter { F_BOTH = 0, F_FAILED, F_SUCCESS };
enum report_success { S_UNSET = -1, S_FAILED = 0, S_SUCCESS = 1 };

/* Which items the report reads: aureport parses only these (a missing one is an error). */
#define ITEM_FILE     0x01
#define ITEM_HOST     0x02
#define ITEM_TERMINAL 0x04
#define ITEM_EXE      0x08
#define ITEM_COMM     0x10
#define ITEM_KEY      0x20
#define ITEM_AUID     0x40
#define ITEM_UID      0x80

struct report_opts {
	enum report_type type;
	enum report_detail detail;
	enum report_success_filter failed;
	int interpret; /* -i */
	unsigned int items;
	time_t start, end;
};

#define REPORT_MAX_RECORDS 64
#define REPORT_MAX_NAMES   64

/* One event, as aureport holds it: its stamp, its records' types, its items. */
struct report_event {
	uint64_t sec, serial;
	uint32_t msec;
	int head_type; /* the first record's type */
	int ntypes;
	int types[REPORT_MAX_RECORDS];
	/* items; the strings point into the event's own copy of its text */
	int success; /* enum report_success */
	long long pid;
	long long loginuid; /* -2: none */
	long long uid;	    /* -1: none */
	int syscall;
	unsigned int arch;
	unsigned long long a0;
	const char *exe, *comm, *terminal, *hostname, *cwd;
	int nfiles, nkeys;
	const char *files[REPORT_MAX_NAMES];
	const char *file_keys[REPORT_MAX_NAMES]; /* a PATH's text after "type=" */
	const char *keys[REPORT_MAX_NAMES];
	char *scratch; /* unescaped strings */
	size_t scratch_len, scratch_cap;
};

/*
 * report_parse() - an event's items as aureport extracts them.
 * @text, @len: the event's RAW text, one record a line; it is changed (the
 *              strings of @e end in it).
 * Return: 0, or nonzero when aureport finds the event malformed (it skips it).
 */
int report_parse(const struct report_opts *o, char *text, size_t len, struct report_event *e);

/* report_event_free() - the scratch space of @e. */
void report_event_free(struct report_event *e);

/* report_has_type() - whether one of the event's records is of @lo..@hi. */
int report_has_type(const struct report_event *e, int lo, int hi);

struct report;

/* report_new() - a report; NULL with errno set. */
struct report *report_new(const struct report_opts *o);

/*
 * report_title() - the report's title lines.
 * Return: 0, or -EINVAL for a report aureport does not make (-t --summary).
 */
int report_title(const struct report *r);

/*
 * report_event() - one event in its turn: counted, or printed as a line.
 * Return: 1 when it was of interest (a line printed), 0 otherwise.
 */
int report_event(struct report *r, const struct report_event *e);

/*
 * report_wrap_up() - the totals of a summary report; @first_* and @last_* are
 * the range of time of the logs.
 */
void report_wrap_up(struct report *r, time_t first_sec, unsigned int first_msec, time_t last_sec,
		    unsigned int last_msec);

/* report_free() - accepts NULL. */
void report_free(struct report *r);

/* report_date() - "%x %T" of @t in local time, as aureport writes dates. */
void report_date(char *buf, size_t cap, time_t t);

#endif /* LAUDITD_LOGGER_REPORT_H */
