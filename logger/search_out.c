/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lausearch's output: an event as ausearch 3.0.9 prints it (--format raw, the
 * default, -i, --format text and csv), or as one JSON object a line (--format
 * json).
 *
 * raw prints the records as they are; the default prints "----", a "time->"
 * line and the records last first; -i interprets each field with libauparse's
 * own interpretation (the event fed to auparse as a buffer) under ausearch's
 * layout.  A daemon record (DAEMON_START...) is an event of one record.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <auparse.h>
#include <libaudit.h>

#include "logger/search.h"

struct search_out {
	enum search_format fmt;
	FILE *f;
	char *buf; /* one event, NUL-terminated, for auparse and the JSON fields */
	size_t cap;
	int csv_header;		/* written once, before the first event */
	unsigned int csv_extra; /* SEARCH_CSV_* */
	/* the default's "time->" of the last second written, ctime_r()'s */
	int have_when;
	uint64_t when_sec;
	char when[64];
};

struct search_out *search_out_new(enum search_format fmt, FILE *f)
{
	struct search_out *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->fmt = fmt;
	o->f = f;
	return o;
}

void search_out_csv_extra(struct search_out *o, unsigned int extra)
{
	o->csv_extra = extra;
}

void search_out_free(struct search_out *o)
{
	if (!o)
		return;
	free(o->buf);
	free(o);
}

static int is_daemon_type(int type)
{
	return type >= AUDIT_DAEMON_START && type < AUDIT_SYSCALL;
}

/* The record lines of an event, and the type of its last record. */
struct lines {
	int n;
	const char *p[512];
	size_t len[512];
};

static void split_lines(const char *text, size_t len, struct lines *l)
{
	const char *p = text, *end = text + len, *nl;

	l->n = 0;
	while (p < end && l->n < (int)(sizeof(l->p) / sizeof(l->p[0]))) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			nl = end;
		l->p[l->n] = p;
		l->len[l->n++] = nl - p;
		p = nl + 1;
	}
}

static int line_type(const char *p, size_t len)
{
	char name[64];
	const char *sp;
	size_t n;

	if (len > 5 && !memcmp(p, "node=", 5)) {
		sp = memchr(p, ' ', len);
		if (!sp)
			return -1;
		len -= sp + 1 - p;
		p = sp + 1;
	}
	if (len < 5 || memcmp(p, "type=", 5))
		return -1;
	sp = memchr(p + 5, ' ', len - 5);
	n = sp ? (size_t)(sp - p - 5) : len - 5;
	if (n >= sizeof(name))
		return -1;
	memcpy(name, p + 5, n);
	name[n] = 0;
	return audit_name_to_msg_type(name);
}

/* One record line and its newline. */
static void put_line(FILE *f, const char *p, size_t len)
{
	fwrite(p, 1, len, f);
	putc('\n', f);
}

static void out_default(struct search_out *o, const char *text, size_t len, uint64_t sec)
{
	time_t t = (time_t)sec;
	struct lines l;
	int i;

	split_lines(text, len, &l);
	/* the events of a second share its date */
	if (!o->have_when || o->when_sec != sec) {
		ctime_r(&t, o->when);
		o->when_sec = sec;
		o->have_when = 1;
	}
	fputs("----\ntime->", o->f);
	fputs(o->when, o->f);
	if (!l.n)
		return;
	if (is_daemon_type(line_type(l.p[l.n - 1], l.len[l.n - 1]))) {
		put_line(o->f, l.p[l.n - 1], l.len[l.n - 1]);
		return;
	}
	for (i = l.n - 1; i >= 0; i--)
		put_line(o->f, l.p[i], l.len[i]);
}

static int keep_text(struct search_out *o, const char *text, size_t len)
{
	if (len + 1 > o->cap) {
		char *p = realloc(o->buf, len + 1);

		if (!p)
			return -ENOMEM;
		o->buf = p;
		o->cap = len + 1;
	}
	memcpy(o->buf, text, len);
	o->buf[len] = 0;
	return 0;
}

/*
 * One record, interpreted, as ausearch -i prints it: the text between the
 * values as it is in the record (from the ':' after the stamp), each value
 * replaced by libauparse's interpretation of the same field of @au.
 */
static void interpret_record(struct search_out *o, auparse_state_t *au, const char *stamp,
			     const char *line, size_t len)
{
	const char *end = line + len, *cur, *eq, *v, *e, *next, *name, *val, *tname;
	int type = auparse_get_type(au), have;

	if (len > 5 && !memcmp(line, "node=", 5) && (e = memchr(line, ' ', len)))
		fprintf(o->f, "node=%.*s ", (int)(e - line - 5), line + 5);
	tname = audit_msg_type_to_name(type);
	if (tname) {
		fprintf(o->f, "type=%s msg=audit(%s) ", tname, stamp);
	} else {
		v = memchr(line, '(', len);
		fprintf(o->f, "%.*s(%s) ", (int)(v ? v - line : 0), line, stamp);
	}
	cur = memchr(line, ')', len);
	if (!cur) {
		fputc('\n', o->f);
		return;
	}
	cur++;
	have = auparse_first_field(au) > 0;
	while (have && (name = auparse_get_field_name(au)) &&
	       (!strcmp(name, "node") || !strcmp(name, "type")))
		have = auparse_next_field(au) > 0;
	while (cur < end && (eq = memchr(cur, '=', end - cur))) {
		fwrite(cur, 1, eq + 1 - cur, o->f);
		v = eq + 1;
		if (v < end && (*v == '"' || *v == '\'')) {
			e = memchr(v + 1, *v, end - v - 1);
			e = e ? e + 1 : end;
			next = e < end ? e + 1 : end;
		} else {
			e = memchr(v, ' ', end - v);
			if (!e)
				e = end;
			next = e < end ? e + 1 : end;
		}
		val = have ? auparse_interpret_field(au) : NULL;
		if (val)
			fprintf(o->f, "%s ", val);
		else
			fprintf(o->f, "%.*s ", (int)(e - v), v);
		if (have)
			have = auparse_next_field(au) > 0;
		cur = next;
	}
	fputc('\n', o->f);
}

static int out_interpret(struct search_out *o, const char *text, size_t len, uint64_t sec,
			 uint32_t msec, uint64_t serial)
{
	time_t t = (time_t)sec;
	char stamp[96], date[64];
	auparse_state_t *au;
	struct lines l;
	struct tm tm;
	int i, rc;

	rc = keep_text(o, text, len);
	if (rc)
		return rc;
	if (localtime_r(&t, &tm))
		strftime(date, sizeof(date), "%x %T", &tm);
	else
		strcpy(date, "?");
	snprintf(stamp, sizeof(stamp), "%s.%03u:%llu", date, msec, (unsigned long long)serial);
	split_lines(text, len, &l);
	fputs("----\n", o->f);
	au = auparse_init(AUSOURCE_BUFFER, o->buf);
	if (!au)
		return -ENOMEM;
	auparse_set_escape_mode(au, AUPARSE_ESC_TTY);
	if (auparse_next_event(au) > 0 && l.n == (int)auparse_get_num_records(au)) {
		for (i = l.n - 1; i >= 0; i--) {
			if (auparse_goto_record_num(au, i) <= 0)
				break;
			interpret_record(o, au, stamp, l.p[i], l.len[i]);
			/* a daemon record last: that record only */
			if (i == l.n - 1 && is_daemon_type(auparse_get_type(au)))
				break;
		}
	}
	auparse_destroy(au);
	return 0;
}

/*
 * --format text: one sentence an event, built from libauparse's normalizer as
 * ausearch builds it: "At TIME SUBJECT[, acting as UID,] successfully|
 * unsuccessfully ACTION OBJECT [to OBJECT2] [using HOW]".
 */
static void text_sentence(struct search_out *o, auparse_state_t *au)
{
	const char *item, *action, *how, *val;
	time_t t = auparse_get_time(au);
	int type = auparse_get_type(au), id = -2, uid, ok;
	char when[64];
	struct tm tm;

	if (localtime_r(&t, &tm))
		strftime(when, sizeof(when), "%T %x", &tm);
	else
		strcpy(when, "?");
	auparse_normalize(au, NORM_OPT_NO_ATTRS);
	item = auparse_get_node(au);
	if (item) {
		fprintf(o->f, "On %s at %s ", auparse_interpret_field(au), when);
		free((void *)item);
	} else {
		fprintf(o->f, "At %s ", when);
	}
	if (auparse_normalize_subject_primary(au) == 1) {
		const char *subj = auparse_interpret_field(au);

		id = auparse_get_field_int(au);
		fputs(strcmp(subj, "unset") ? subj : "system", o->f);
	}
	if (auparse_normalize_subject_secondary(au) == 1) {
		uid = auparse_get_field_int(au);
		if (uid != id && id != -2 && uid != -1)
			fprintf(o->f, ", acting as %s,", auparse_interpret_field(au));
	}
	if (auparse_normalize_get_results(au) == 1) {
		item = auparse_interpret_field(au);
		ok = !strcmp(item, "yes") || !strncmp(item, "suc", 3) ||
		     (auparse_get_field_type(au) == AUPARSE_TYPE_SECCOMP && !strcmp(item, "allow"));
		fprintf(o->f, " %s ", ok ? "successfully" : "unsuccessfully");
	} else {
		fputc(' ', o->f);
	}
	action = auparse_normalize_get_action(au);
	fprintf(o->f, "%s ", action ? action : "did-unknown");
	if (auparse_normalize_object_primary(au) == 1) {
		int ftype = auparse_get_field_type(au);

		val = action && strstr(action, "violated") ? "accessing " : NULL;
		if (ftype == AUPARSE_TYPE_ESCAPED_FILE) {
			val = auparse_interpret_realpath(au);
		} else if (ftype == AUPARSE_TYPE_SOCKADDR) {
			val = auparse_interpret_sock_address(au);
			if (!val)
				val = auparse_interpret_sock_family(au);
		} else if (type == AUDIT_CONFIG_CHANGE) {
			if (action &&
			    (!strcmp(action, "set") || !strcmp(action, "seccomp-logging")))
				val = auparse_get_field_name(au);
			else
				val = auparse_interpret_field(au);
		}
		if (!val)
			val = auparse_interpret_field(au);
		fprintf(o->f, "%s ", val);
	}
	if (auparse_normalize_object_primary2(au) == 1) {
		if (auparse_get_field_type(au) == AUPARSE_TYPE_ESCAPED_FILE)
			val = auparse_interpret_realpath(au);
		else
			val = auparse_interpret_field(au);
		fprintf(o->f, "to %s ", val);
	}
	how = auparse_normalize_how(au);
	/* not for an ended session */
	if (how && action && *action != 'e')
		fprintf(o->f, "using %s", how);
	fputc('\n', o->f);
}

/* A normalizer column: the field it found, interpreted, then the comma. */
static void csv_col(struct search_out *o, auparse_state_t *au, int found)
{
	if (found == 1)
		fputs(auparse_interpret_field(au), o->f);
	fputc(',', o->f);
}

/* --extra-time: the date's parts, the milliseconds and the zone's offset from UTC. */
static void csv_time(struct search_out *o, auparse_state_t *au, const struct tm *tm)
{
	static const char *const parts[] = {"%Y", "%m", "%d", "%u", "%k"};
	unsigned long off, hour, min;
	char tmp[32];
	size_t i;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (tm) {
			strftime(tmp, sizeof(tmp), parts[i], tm);
			fputs(tmp, o->f);
		}
		fputc(',', o->f);
	}
	fprintf(o->f, "%u,", auparse_get_milli(au));
	if (tm) {
		off = labs(tm->tm_gmtoff);
		hour = off / 3600;
		/* ausearch's minutes: the seconds past the hour, modulo 60 */
		min = (off - hour * 3600) % 60;
		fprintf(o->f, "%c%02lu:%02lu", tm->tm_gmtoff >= 0 ? '+' : '-', hour, min);
	}
	fputc(',', o->f);
}

/* --extra-labels: the subject's (@subject) or the object's "subj"/"obj" attribute. */
static void csv_label(struct search_out *o, auparse_state_t *au, int subject)
{
	const char *want = subject ? "subj" : "obj", *name;
	int rc = subject ? auparse_normalize_subject_first_attribute(au)
			 : auparse_normalize_object_first_attribute(au);

	do {
		if (rc == 1 && (name = auparse_get_field_name(au)) && !strcmp(name, want)) {
			fputs(auparse_interpret_field(au), o->f);
			break;
		}
		rc = subject ? auparse_normalize_subject_next_attribute(au)
			     : auparse_normalize_object_next_attribute(au);
	} while (rc == 1);
	fputc(',', o->f);
}

/* An object column: a file's real path, or the field interpreted. */
static const char *csv_object(auparse_state_t *au)
{
	if (auparse_get_field_type(au) == AUPARSE_TYPE_ESCAPED_FILE)
		return auparse_interpret_realpath(au);
	return auparse_interpret_field(au);
}

/*
 * --format csv: ausearch's columns, with --extra-time, --extra-labels,
 * --extra-obj2 and --extra-keys, one line an event after a header line, from
 * libauparse's normalizer.
 */
static void csv_line(struct search_out *o, auparse_state_t *au)
{
	unsigned int x = o->csv_extra;
	const char *item, *action, *how, *val;
	time_t t = auparse_get_time(au);
	char tmp[64];
	struct tm tm;
	int rc, ok, have_tm = localtime_r(&t, &tm) != NULL;

	if (!o->csv_header++)
		fprintf(o->f,
			"NODE,EVENT,DATE,TIME,%sSERIAL_NUM,EVENT_KIND,SESSION,SUBJ_PRIME,SUBJ_SEC,"
			"SUBJ_KIND,%sACTION,RESULT,OBJ_PRIME,OBJ_SEC,%s%sOBJ_KIND,HOW%s\n",
			x & SEARCH_CSV_TIME ? "YEAR,MONTH,DAY,WEEKDAY,HOUR,MILLI,GMT_OFFSET," : "",
			x & SEARCH_CSV_LABELS ? "SUBJ_LABEL," : "",
			x & SEARCH_CSV_OBJ2 ? "OBJ2," : "",
			x & SEARCH_CSV_LABELS ? "OBJ_LABEL," : "",
			x & SEARCH_CSV_KEYS ? ",KEY" : "");
	item = auparse_get_node(au);
	if (item) {
		fputs(auparse_interpret_field(au), o->f);
		free((void *)item);
	}
	fputc(',', o->f);
	item = auparse_get_type_name(au);
	fprintf(o->f, "%s,", item ? item : "");
	rc = auparse_normalize(au, x & SEARCH_CSV_LABELS ? NORM_OPT_ALL : NORM_OPT_NO_ATTRS);
	if (have_tm)
		strftime(tmp, sizeof(tmp), "%x,%T,", &tm);
	else
		strcpy(tmp, ",,");
	fputs(tmp, o->f);
	if (x & SEARCH_CSV_TIME)
		csv_time(o, au, have_tm ? &tm : NULL);
	fprintf(o->f, "%lu,", auparse_get_serial(au));
	if (rc) {
		fprintf(stderr, "error normalizing %s\n", item ? item : "");
		fprintf(o->f, ",,,,,,,,,%s%s\n", x & SEARCH_CSV_LABELS ? ",," : "",
			x & SEARCH_CSV_KEYS ? "," : "");
		return;
	}
	item = auparse_normalize_get_event_kind(au);
	fprintf(o->f, "%s,", item ? item : "unknown");
	csv_col(o, au, auparse_normalize_session(au));
	if (auparse_normalize_subject_primary(au) == 1) {
		item = auparse_interpret_field(au);
		fputs(strcmp(item, "unset") ? item : "system", o->f);
	}
	fputc(',', o->f);
	csv_col(o, au, auparse_normalize_subject_secondary(au));
	item = auparse_normalize_subject_kind(au);
	fprintf(o->f, "%s,", item ? item : "");
	if (x & SEARCH_CSV_LABELS)
		csv_label(o, au, 1);
	action = auparse_normalize_get_action(au);
	fprintf(o->f, "%s,", action ? action : "did-unknown");
	if (auparse_normalize_get_results(au) == 1) {
		item = auparse_interpret_field(au);
		ok = !strcmp(item, "yes") || !strncmp(item, "suc", 3) ||
		     (auparse_get_field_type(au) == AUPARSE_TYPE_SECCOMP && !strcmp(item, "allow"));
		fputs(ok ? "success" : "failed", o->f);
	}
	fputc(',', o->f);
	if (auparse_normalize_object_primary(au) == 1) {
		if (auparse_get_field_type(au) == AUPARSE_TYPE_ESCAPED_FILE)
			val = auparse_interpret_realpath(au);
		else if (auparse_get_type(au) == AUDIT_CONFIG_CHANGE && action &&
			 (!strcmp(action, "set") || !strcmp(action, "seccomp-logging")))
			val = auparse_get_field_name(au);
		else
			val = auparse_interpret_field(au);
		fputs(val ? val : "(null)", o->f);
	}
	fputc(',', o->f);
	csv_col(o, au, auparse_normalize_object_secondary(au));
	if (x & SEARCH_CSV_OBJ2) {
		if (auparse_normalize_object_primary2(au) == 1) {
			val = csv_object(au);
			fputs(val ? val : "(null)", o->f);
		}
		fputc(',', o->f);
	}
	if (x & SEARCH_CSV_LABELS)
		csv_label(o, au, 0);
	item = auparse_normalize_object_kind(au);
	fprintf(o->f, "%s,", item ? item : "(null)");
	how = auparse_normalize_how(au);
	if (how)
		fputs(how, o->f);
	if (x & SEARCH_CSV_KEYS) {
		fputc(',', o->f);
		if (auparse_normalize_key(au) == 1)
			fputs(auparse_interpret_field(au), o->f);
	}
	fputc('\n', o->f);
}

static int out_normalized(struct search_out *o, const char *text, size_t len)
{
	auparse_state_t *au;
	int rc = keep_text(o, text, len);

	if (rc)
		return rc;
	au = auparse_init(AUSOURCE_BUFFER, o->buf);
	if (!au)
		return -ENOMEM;
	auparse_set_escape_mode(au, AUPARSE_ESC_TTY);
	if (auparse_next_event(au) > 0) {
		if (o->fmt == SEARCH_FMT_CSV)
			csv_line(o, au);
		else
			text_sentence(o, au);
	}
	auparse_destroy(au);
	return 0;
}

int search_out_event(struct search_out *o, const char *text, size_t len, uint64_t sec,
		     uint32_t msec, uint64_t serial)
{
	int rc = 0;

	switch (o->fmt) {
	case SEARCH_FMT_RAW:
		fwrite(text, 1, len, o->f);
		break;
	case SEARCH_FMT_DEFAULT:
		out_default(o, text, len, sec);
		break;
	case SEARCH_FMT_INTERPRET:
		rc = out_interpret(o, text, len, sec, msec, serial);
		break;
	case SEARCH_FMT_TEXT:
	case SEARCH_FMT_CSV:
		rc = out_normalized(o, text, len);
		break;
	case SEARCH_FMT_JSON:
		rc = keep_text(o, text, len);
		if (!rc)
			rc = search_out_json(o->f, o->buf, len, sec, msec, serial);
		break;
	}
	if (!rc && ferror(o->f))
		rc = -EIO;
	return rc;
}
