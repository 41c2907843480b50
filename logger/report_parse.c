/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * laureport: an event's items as aureport 3.0.9 extracts them from its records,
 * with its rules: each item is looked for only when the report reads it, from
 * where the previous one ended; a record that lacks a required item makes the
 * event malformed, and aureport skips it.  Only the records lauditd writes carry
 * items (SYSCALL, CWD, PATH, SOCKADDR and the daemon's); the others carry none.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <libaudit.h>

#include "logger/report.h"

/* aureport looks for the items of CWD and PATH past the records' first bytes */
#define NAME_OFFSET 28
#define KEY_SEP	    '\001'

/* A copy of @n bytes of @s in the event's scratch space; NULL when it is full. */
static const char *dup_n(struct report_event *e, const char *s, size_t n)
{
	char *p;

	if (e->scratch_len + n + 1 > e->scratch_cap)
		return NULL;
	p = e->scratch + e->scratch_len;
	memcpy(p, s, n);
	p[n] = 0;
	e->scratch_len += n + 1;
	return p;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = toupper(c);
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : 0;
}

/*
 * aureport's unescape(): a "(...)" copied as it is, or the hex digits at @buf
 * decoded; NULL when there are none (or only one).  @n: the decoded length.
 */
static const char *unescape(struct report_event *e, const char *buf, size_t *n)
{
	const char *p = buf;
	size_t len, i;
	char *out;

	if (*p == '(') {
		p = strchr(p, ')');
		if (!p)
			return NULL;
		*n = p + 1 - buf;
		return dup_n(e, buf, *n);
	}
	while (isxdigit((unsigned char)*p))
		p++;
	len = p - buf;
	if (len < 2)
		return NULL;
	if (e->scratch_len + len + 1 > e->scratch_cap)
		return NULL;
	out = e->scratch + e->scratch_len;
	for (i = 0; i < len; i += 2)
		out[i / 2] = (char)(hexval(buf[i]) << 4 | (i + 1 < len ? hexval(buf[i + 1]) : 0));
	*n = (len + 1) / 2;
	out[*n] = 0;
	e->scratch_len += *n + 1;
	return out;
}

/* A quoted string from @s (after its '"') to the next '"'; NULL when unclosed. */
static const char *quoted(struct report_event *e, const char *s, const char **end)
{
	const char *q = strchr(s, '"');

	if (!q)
		return NULL;
	*end = q;
	return dup_n(e, s, q - s);
}

/* A decimal value after @name, found from *@term on; *@term moves past it. */
static int number(const char **term, const char *name, unsigned long *out)
{
	const char *s = strstr(*term, name), *sp;

	if (!s)
		return -1;
	s += strlen(name);
	sp = strchr(s, ' ');
	if (!sp)
		return -2;
	*out = strtoul(s, NULL, 10);
	*term = sp;
	return 0;
}

static int add_key(struct report_event *e, const char *k)
{
	if (k && e->nkeys < REPORT_MAX_NAMES)
		e->keys[e->nkeys++] = k;
	return k ? 0 : -1;
}

static int add_file(struct report_event *e, const char *f)
{
	char *joined;
	size_t n;

	if (!f)
		return -1;
	/* a relative name is rebuilt on the cwd */
	if (f[0] == '.' && (f[1] == '.' || f[1] == '/') && e->cwd) {
		n = strlen(e->cwd) + strlen(f) + 2;
		if (n > PATH_MAX)
			n = PATH_MAX;
		if (e->scratch_len + n > e->scratch_cap)
			return -1;
		joined = e->scratch + e->scratch_len;
		snprintf(joined, n, "%s/%s", e->cwd, f);
		e->scratch_len += strlen(joined) + 1;
		f = joined;
	}
	if (e->nfiles == REPORT_MAX_NAMES)
		return 0;
	e->file_keys[e->nfiles] = NULL;
	e->files[e->nfiles++] = f;
	return 0;
}

/* The task's items of a SYSCALL record (aureport's parse_task_info). */
static int parse_task(const struct report_opts *o, const char *msg, struct report_event *e)
{
	const char *term = msg, *s, *end;
	unsigned long v;
	size_t n;

	if (number(&term, " pid=", &v))
		return 16;
	e->pid = (int)v;
	if (o->items & ITEM_AUID) {
		s = strstr(term, "auid=") ? "auid=" : "loginuid=";
		if (number(&term, s, &v))
			return 19;
		e->loginuid = (uint32_t)v;
	}
	if (o->items & ITEM_UID) {
		/* "uid=" also ends "auid=": the one after it is meant then */
		for (s = strstr(term, "uid="); s && s > msg && s[-1] == 'a';
		     s = strstr(s + 1, "uid="))
			;
		if (!s)
			return 22;
		term = s;
		if (number(&term, "uid=", &v))
			return 23;
		e->uid = (uint32_t)v;
	}
	if (o->items & ITEM_TERMINAL) {
		s = strstr(term, "tty=");
		if (s) {
			end = strchr(s + 4, ' ');
			if (!end)
				return 34;
			e->terminal = dup_n(e, s + 4, end - s - 4);
			term = end;
		}
	}
	if (o->items & ITEM_COMM) {
		s = strstr(term, "comm=");
		if (!s)
			return 38;
		s += 5;
		if (*s == '"') {
			e->comm = quoted(e, s + 1, &term);
			if (!e->comm)
				return 37;
		} else {
			e->comm = unescape(e, s, &n);
		}
	}
	if (o->items & ITEM_EXE) {
		s = strstr(msg, "exe=");
		if (!s)
			return 40;
		s += 4;
		if (*s == '"') {
			e->exe = quoted(e, s + 1, &term);
			if (!e->exe)
				return 39;
		} else {
			e->exe = unescape(e, s, &n);
		}
	}
	/* success from a res=, which SYSCALL records do not have */
	s = strstr(term, "res=");
	if (s)
		e->success = (int)strtoul(s + 4, NULL, 10);
	return 0;
}

static int parse_syscall(const struct report_opts *o, const char *msg, struct report_event *e)
{
	const char *term = msg, *s, *end, *k;
	unsigned long v;
	size_t n, i, start;
	int rc;

	if (o->interpret) {
		s = strstr(term, "arch=");
		if (!s)
			return 1;
		term = strchr(s + 5, ' ');
		if (!term)
			return 2;
		e->arch = (unsigned int)strtoul(s + 5, NULL, 16);
	}
	rc = number(&term, "syscall=", &v);
	if (rc)
		return rc == -1 ? 4 : 5;
	e->syscall = (int)v;
	s = strstr(term, "success=");
	if (s) { /* exit_group has none */
		end = strchr(s + 8, ' ');
		if (!end)
			return 7;
		e->success = end - s - 8 == 3 && !strncmp(s + 8, "yes", 3) ? S_SUCCESS : S_FAILED;
		term = end;
	}
	s = strstr(term, "a0=");
	if (!s)
		return 11;
	term = strchr(s + 3, ' ');
	if (!term)
		return 12;
	e->a0 = strtoull(s + 3, NULL, 16);
	s = strstr(term, "a1=");
	if (!s)
		return 11;
	term = strchr(s + 3, ' ');
	if (!term)
		return 12;
	rc = parse_task(o, msg, e);
	if (rc || !(o->items & ITEM_KEY))
		return rc;
	s = strstr(term, "key=");
	if (!s)
		return 0;
	s += 4;
	if (*s == '"') {
		k = quoted(e, s + 1, &end);
		return k ? add_key(e, k) : 44;
	}
	k = unescape(e, s, &n);
	if (!k)
		return 45;
	/* several keys are joined by \001; empty ones are no keys */
	for (i = 0, start = 0; i <= n; i++) {
		if (i < n && k[i] != KEY_SEP)
			continue;
		if (i > start)
			add_key(e, dup_n(e, k + start, i - start));
		start = i + 1;
	}
	return 0;
}

static int parse_cwd(const struct report_opts *o, const char *msg, size_t len,
		     struct report_event *e)
{
	const char *s, *end;
	size_t n;

	if (!(o->items & ITEM_FILE) || len < NAME_OFFSET)
		return 0;
	s = strstr(msg + NAME_OFFSET, " cwd=");
	if (!s)
		return 0;
	s += 5;
	if (*s == '"') {
		end = strchr(s + 1, '"');
		if (!end)
			return 1;
		if (!e->cwd)
			e->cwd = dup_n(e, s + 1, end - s - 1);
	} else if (!e->cwd) {
		e->cwd = unescape(e, s, &n);
	}
	return 0;
}

static int parse_path(const struct report_opts *o, const char *msg, size_t len,
		      struct report_event *e)
{
	const char *s, *end, *name;
	size_t n;

	if (!(o->items & ITEM_FILE) || len < NAME_OFFSET)
		return 0;
	s = strstr(msg + NAME_OFFSET, " name=");
	if (!s)
		return 0;
	s += 6;
	if (*s == '"') {
		name = quoted(e, s + 1, &end);
		if (!name)
			return 2;
	} else if (!strncmp(s, "(null)", 6)) {
		name = "(null)";
	} else if (!isxdigit((unsigned char)*s)) {
		return 4;
	} else if (s[0] == '0' && s[1] == '0') {
		name = unescape(e, s + 2, &n); /* an abstract socket's name */
		if (!name)
			return 7;
	} else {
		if (!strchr(s, ' '))
			return 5;
		name = unescape(e, s, &n);
		if (!name)
			return 7;
	}
	if (add_file(e, name))
		return 3;
	/* the nametype= that follows: the rest of the record */
	s = strstr(s, "type=");
	if (s && e->nfiles)
		e->file_keys[e->nfiles - 1] = s + 5;
	return 0;
}

static int parse_sockaddr(const struct report_opts *o, const char *msg, struct report_event *e)
{
	const char *s = strstr(msg, "saddr="), *raw, *end;
	char host[NI_MAXHOST];
	size_t len = 0, n;
	int family;

	if (!(o->items & (ITEM_HOST | ITEM_FILE)) || !s)
		return 0;
	s += 6;
	if (*s == '(') {
		end = strchr(s, ')');
		if (end)
			len = end - s + 1;
	} else {
		while (isxdigit((unsigned char)s[len]))
			len++;
		len /= 2;
	}
	raw = unescape(e, s, &n);
	if (!raw)
		return 4;
	family = (unsigned char)raw[0] | (n > 1 ? (unsigned char)raw[1] << 8 : 0);
	if (family == AF_INET) {
		if (len < sizeof(struct sockaddr_in)) {
			fprintf(stderr, "sockaddr len too short\n");
			return 1;
		}
		len = sizeof(struct sockaddr_in);
	} else if (family == AF_INET6) {
		if (len < sizeof(struct sockaddr_in6)) {
			fprintf(stderr, "sockaddr6 len too short\n");
			return 2;
		}
		len = sizeof(struct sockaddr_in6);
	} else if (family == AF_UNIX) {
		if (len < 4) {
			fprintf(stderr, "sun_path len too short\n");
			return 3;
		}
		if (o->items & ITEM_FILE)
			add_file(e, dup_n(e, raw + 2 + !raw[2], strlen(raw + 2 + !raw[2])));
		return 0;
	} else {
		return 0;
	}
	if (!(o->items & ITEM_HOST))
		return 0;
	if (getnameinfo((const struct sockaddr *)raw, len, host, sizeof(host), NULL, 0,
			NI_NUMERICHOST))
		e->hostname = NULL;
	else
		e->hostname = dup_n(e, host, strlen(host));
	return 0;
}

/* The daemon's records (aureport's parse_daemon1). */
static int parse_daemon(const struct report_opts *o, const char *msg, struct report_event *e)
{
	const char *mptr = strchr(msg, ')'), *term, *s, *p;
	unsigned long v;
	int rc;

	if (!mptr)
		mptr = msg;
	term = mptr;
	if (o->items & ITEM_AUID) {
		rc = number(&term, "auid=", &v);
		if (rc)
			return rc == -1 ? 1 : 2;
		e->loginuid = (uint32_t)v;
	}
	rc = number(&term, "pid=", &v);
	if (rc)
		return rc == -1 ? 4 : 5;
	e->pid = (int)v;
	if (o->items & ITEM_UID) {
		s = strstr(term, " uid=");
		if (s) {
			term = s;
			if (number(&term, " uid=", &v))
				return 7;
			e->uid = (uint32_t)v;
		}
	}
	s = strstr(mptr, "res=");
	if (s) {
		for (p = s + 4; isalpha((unsigned char)*p); p++)
			;
		if (p == s + 4)
			return 12;
		e->success = strncmp(s + 4, "failed", 6) ? S_SUCCESS : S_FAILED;
	}
	return 0;
}

static int parse_record(const struct report_opts *o, int type, const char *msg, size_t len,
			struct report_event *e)
{
	switch (type) {
	case AUDIT_SYSCALL:
		return parse_syscall(o, msg, e);
	case AUDIT_CWD:
		return parse_cwd(o, msg, len, e);
	case AUDIT_PATH:
		return parse_path(o, msg, len, e);
	case AUDIT_SOCKADDR:
		return parse_sockaddr(o, msg, e);
	case AUDIT_DAEMON_START:
	case AUDIT_DAEMON_END:
	case AUDIT_DAEMON_ABORT:
	case AUDIT_DAEMON_CONFIG:
	case AUDIT_DAEMON_ROTATE:
	case AUDIT_DAEMON_RESUME:
		return parse_daemon(o, msg, e);
	default:
		return 0;
	}
}

/* A record's type name: after "type=" (and a "node=... " before it). */
static int record_type(const char *line)
{
	char name[64];
	size_t n;

	if (!strncmp(line, "node=", 5)) {
		line = strchr(line, ' ');
		if (!line)
			return -1;
		line++;
	}
	if (strncmp(line, "type=", 5))
		return -1;
	line += 5;
	n = strcspn(line, " ");
	if (n >= sizeof(name))
		return -1;
	memcpy(name, line, n);
	name[n] = 0;
	return audit_name_to_msg_type(name);
}

int report_parse(const struct report_opts *o, char *text, size_t len, struct report_event *e)
{
	char *line = text, *nl, saved;
	size_t cap = 3 * len + 4096;
	int rc = 0, type;

	if (e->scratch_cap < cap) {
		free(e->scratch);
		e->scratch = malloc(cap);
		if (!e->scratch) {
			e->scratch_cap = 0;
			return -ENOMEM;
		}
		e->scratch_cap = cap;
	}
	e->scratch_len = 0;
	e->ntypes = e->nfiles = e->nkeys = 0;
	e->head_type = -1;
	e->success = S_UNSET;
	e->pid = -1;
	e->loginuid = (uint32_t)-2;
	e->uid = (uint32_t)-1;
	e->syscall = 0;
	e->arch = 0;
	e->a0 = 0;
	e->exe = e->comm = e->terminal = e->hostname = e->cwd = NULL;
	while (line < text + len) {
		nl = memchr(line, '\n', text + len - line);
		nl = nl ? nl + 1 : text + len;
		/* each record is a string of its own, its '\n' kept, as aureport reads it */
		saved = *nl;
		*nl = 0;
		type = record_type(line);
		if (e->ntypes < REPORT_MAX_RECORDS)
			e->types[e->ntypes++] = type;
		if (e->head_type == -1)
			e->head_type = type;
		if (!rc)
			rc = parse_record(o, type, line, nl - line, e);
		*nl = saved;
		line = nl;
	}
	return rc;
}

void report_event_free(struct report_event *e)
{
	free(e->scratch);
	e->scratch = NULL;
	e->scratch_cap = 0;
}

int report_has_type(const struct report_event *e, int lo, int hi)
{
	int i;

	for (i = 0; i < e->ntypes; i++)
		if (e->types[i] >= lo && e->types[i] <= hi)
			return 1;
	return 0;
}
