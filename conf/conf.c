// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * lauditd.conf parser: auditd.conf's "key = value" lines, its keys and lauditd's own.
 *
 * Pure: a buffer in, a struct out. Errors and warnings carry a 1-based line and a 1-based
 * column counted in bytes (a tab is one column). Keys are case-sensitive (auditd folds
 * case); keyword values are not, as in auditd. The first error stops the parse; the keys of
 * the lines before it have already been stored.
 */
#include "conf/conf.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libaudit.h>

/* Bytes of user text quoted in a message before it is cut with "..." */
#define CLIP_MAX 64

/* The parser checks the tokens after the first value token itself */
#define KEY_OWN_TOKENS 0x1
/* The number must be a power of two */
#define KEY_POW2 0x2

struct tok {
	const char *s;
	size_t len;
};

struct line {
	/* [start, end): the line, its "\r\n" or "\n" excluded */
	const char *start;
	const char *end;
	unsigned int lineno;
	struct tok key;
	/* the value's first token, and the end of the value with trailing blanks cut */
	struct tok val;
	const char *vend;
	struct conf_error *err;
	void (*warn)(const struct conf_error *w, void *arg);
	void *warn_arg;
};

struct choice {
	const char *name;
	int value;
};

struct key {
	const char *name;
	int (*parse)(const struct line *l, const struct key *k, struct conf *c);
	unsigned int flags;
	/* the field in struct conf, and for space_left* the offset of its percent flag */
	size_t off;
	size_t pct_off;
	/* numbers: the range allowed */
	unsigned int min, max;
	/* actions: 1 << each conf_disk_action value refused */
	unsigned int reject;
	/* keywords: the values allowed */
	const struct choice *choices;
};

struct clip {
	char s[CLIP_MAX + sizeof("...")];
};

static const char default_log_file[] = "/var/log/lauditd/audit.log";
static const char default_control_socket[] = "/run/lauditd.sock";

static const struct choice log_formats[] = {
	{.name = "RAW", .value = CONF_FMT_RAW},
	{.name = "ENRICHED", .value = CONF_FMT_ENRICHED},
	{.name = "BINARY", .value = CONF_FMT_BINARY},
	{NULL, 0},
};

static const struct choice flushes[] = {
	{.name = "NONE", .value = CONF_FLUSH_NONE},
	{.name = "INCREMENTAL", .value = CONF_FLUSH_INCREMENTAL},
	{.name = "INCREMENTAL_ASYNC", .value = CONF_FLUSH_INCREMENTAL_ASYNC},
	{.name = "DATA", .value = CONF_FLUSH_DATA},
	{.name = "SYNC", .value = CONF_FLUSH_SYNC},
	{NULL, 0},
};

static const struct choice rotate_actions[] = {
	{.name = "IGNORE", .value = CONF_ROT_IGNORE},
	{.name = "SYSLOG", .value = CONF_ROT_SYSLOG},
	{.name = "SUSPEND", .value = CONF_ROT_SUSPEND},
	{.name = "ROTATE", .value = CONF_ROT_ROTATE},
	{.name = "KEEP_LOGS", .value = CONF_ROT_KEEP_LOGS},
	{NULL, 0},
};

static const struct choice disk_actions[] = {
	{.name = "IGNORE", .value = CONF_DISK_IGNORE},
	{.name = "SYSLOG", .value = CONF_DISK_SYSLOG},
	{.name = "ROTATE", .value = CONF_DISK_ROTATE},
	{.name = "EMAIL", .value = CONF_DISK_EMAIL},
	{.name = "EXEC", .value = CONF_DISK_EXEC},
	{.name = "SUSPEND", .value = CONF_DISK_SUSPEND},
	{.name = "SINGLE", .value = CONF_DISK_SINGLE},
	{.name = "HALT", .value = CONF_DISK_HALT},
	{NULL, 0},
};

static const struct choice overflow_actions[] = {
	{.name = "IGNORE", .value = CONF_OVF_IGNORE},
	{.name = "SYSLOG", .value = CONF_OVF_SYSLOG},
	{.name = "SUSPEND", .value = CONF_OVF_SUSPEND},
	{.name = "SINGLE", .value = CONF_OVF_SINGLE},
	{.name = "HALT", .value = CONF_OVF_HALT},
	{NULL, 0},
};

static const struct choice name_formats[] = {
	{.name = "NONE", .value = CONF_NAME_NONE},
	{.name = "HOSTNAME", .value = CONF_NAME_HOSTNAME},
	{.name = "FQD", .value = CONF_NAME_FQD},
	{.name = "NUMERIC", .value = CONF_NAME_NUMERIC},
	{.name = "USER", .value = CONF_NAME_USER},
	{NULL, 0},
};

static const struct choice disp_qoses[] = {
	{.name = "lossy", .value = 0},
	{.name = "lossless", .value = 1},
	{NULL, 0},
};

/* auditd writes these two in lower case, so the messages do too */
static const struct choice yes_no[] = {
	{.name = "yes", .value = 1},
	{.name = "no", .value = 0},
	{NULL, 0},
};

static const struct choice on_off[] = {
	{.name = "on", .value = 1},
	{.name = "off", .value = 0},
	{NULL, 0},
};

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* ASCII only: strcasecmp() follows the locale, and "I" is not "i" in a Turkish one */
static int tok_is(struct tok t, const char *word)
{
	size_t i;

	for (i = 0; i < t.len; i++) {
		char a = t.s[i], b = word[i];

		if (!b)
			return 0;
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (char)(b - 'A' + 'a');
		if (a != b)
			return 0;
	}
	return word[i] == '\0';
}

/* The next blank-separated token in [p, end); empty (len 0, s == end) if there is none */
static struct tok tok_next(const char *p, const char *end)
{
	struct tok t;

	while (p < end && is_blank(*p))
		p++;
	t.s = p;
	while (p < end && !is_blank(*p))
		p++;
	t.len = (size_t)(p - t.s);
	return t;
}

/* User text for a message: cut at CLIP_MAX bytes, control bytes shown as '?' */
static const char *clip(struct clip *q, struct tok t)
{
	size_t i, n = t.len > CLIP_MAX ? CLIP_MAX : t.len;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)t.s[i];

		q->s[i] = (ch < 0x20 || ch == 0x7f) ? '?' : (char)ch;
	}
	if (n < t.len)
		memcpy(q->s + n, "...", sizeof("..."));
	else
		q->s[n] = '\0';
	return q->s;
}

static unsigned int column(const struct line *l, const char *at)
{
	size_t col = (size_t)(at - l->start) + 1;

	return col > UINT_MAX ? UINT_MAX : (unsigned int)col;
}

static void vreport(struct conf_error *e, const struct line *l, const char *at, const char *fmt,
		    va_list ap)
{
	e->line = l->lineno;
	e->column = column(l, at);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
}

/* Fill the error for the byte @at of the line; return -EINVAL */
static int __attribute__((format(printf, 3, 4)))
fail(const struct line *l, const char *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(l->err, l, at, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static void __attribute__((format(printf, 3, 4)))
warning(const struct line *l, const char *at, const char *fmt, ...)
{
	struct conf_error w;
	va_list ap;

	if (!l->warn)
		return;
	va_start(ap, fmt);
	vreport(&w, l, at, fmt, ap);
	va_end(ap);
	l->warn(&w, l->warn_arg);
}

/*
 * Decimal digits only: no sign, no blank, no "0x". Return 0, -EINVAL if @t is not a number,
 * -ERANGE if it does not fit in an unsigned long long.
 */
static int parse_decimal(struct tok t, unsigned long long *out)
{
	unsigned long long v = 0;
	size_t i;

	if (!t.len)
		return -EINVAL;
	for (i = 0; i < t.len; i++)
		if (t.s[i] < '0' || t.s[i] > '9')
			return -EINVAL;
	for (i = 0; i < t.len; i++) {
		unsigned int d = (unsigned int)(t.s[i] - '0');

		if (v > (ULLONG_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* Anything after @last on the line is an error */
static int expect_end(const struct line *l, const struct key *k, struct tok last)
{
	struct tok t = tok_next(last.s + last.len, l->vend);
	struct clip q1, q2;

	if (!t.len)
		return 0;
	return fail(l, t.s, "%s: unexpected '%s' after '%s'", k->name, clip(&q1, t),
		    clip(&q2, last));
}

/* "A, B or C": the choices not in @reject */
static void choice_list(char *dst, size_t size, const struct choice *ch, unsigned int reject)
{
	size_t i, n = 0, total = 0, done = 0;

	dst[0] = '\0';
	for (i = 0; ch[i].name; i++)
		if (!(reject & (1u << ch[i].value)))
			total++;
	for (i = 0; ch[i].name && n < size; i++) {
		const char *sep = done == 0 ? "" : done == total - 1 ? " or " : ", ";
		int rc;

		if (reject & (1u << ch[i].value))
			continue;
		rc = snprintf(dst + n, size - n, "%s%s", sep, ch[i].name);
		if (rc < 0)
			break;
		n += (size_t)rc;
		done++;
	}
}

static int match_choice(const struct line *l, const struct key *k, const struct choice *ch,
			unsigned int reject, struct tok t, int *out)
{
	char list[128];
	struct clip q;
	size_t i;

	for (i = 0; ch[i].name; i++) {
		if (reject & (1u << ch[i].value))
			continue;
		if (tok_is(t, ch[i].name)) {
			*out = ch[i].value;
			return 0;
		}
	}
	choice_list(list, sizeof(list), ch, reject);
	return fail(l, t.s, "%s: expected %s, got '%s'", k->name, list, clip(&q, t));
}

/* An absolute path that fits in CONF_PATH_MAX with its NUL and names a file, not a dir */
static int check_path(const struct line *l, const struct key *k, struct tok t)
{
	struct clip q;

	if (t.s[0] != '/')
		return fail(l, t.s, "%s: expected an absolute path, got '%s'", k->name,
			    clip(&q, t));
	if (t.len >= CONF_PATH_MAX)
		return fail(l, t.s, "%s: path is %zu bytes long, the limit is %d", k->name, t.len,
			    CONF_PATH_MAX - 1);
	if (t.s[t.len - 1] == '/')
		return fail(l, t.s, "%s: expected a file, got directory '%s'", k->name,
			    clip(&q, t));
	return 0;
}

static void copy_path(char *dst, struct tok t)
{
	memcpy(dst, t.s, t.len);
	dst[t.len] = '\0';
}

/* A key whose value is a file's absolute path, stored in @dst */
static int path_value(const struct line *l, const struct key *k, char *dst)
{
	int rc = check_path(l, k, l->val);

	if (!rc)
		copy_path(dst, l->val);
	return rc;
}

static int parse_log_file(const struct line *l, const struct key *k, struct conf *c)
{
	return path_value(l, k, c->log_file);
}

static int parse_signing_key(const struct line *l, const struct key *k, struct conf *c)
{
	return path_value(l, k, c->signing_key);
}

static int parse_control_socket(const struct line *l, const struct key *k, struct conf *c)
{
	return path_value(l, k, c->control_socket);
}

static int parse_log_format(const struct line *l, const struct key *k, struct conf *c)
{
	int v, rc = match_choice(l, k, log_formats, 0, l->val, &v);

	if (!rc)
		c->log_format = (enum conf_log_format)v;
	return rc;
}

static int parse_flush(const struct line *l, const struct key *k, struct conf *c)
{
	int v, rc = match_choice(l, k, flushes, 0, l->val, &v);

	if (!rc)
		c->flush = (enum conf_flush)v;
	return rc;
}

static int parse_rotate_action(const struct line *l, const struct key *k, struct conf *c)
{
	int v, rc = match_choice(l, k, rotate_actions, 0, l->val, &v);

	if (!rc)
		c->max_log_file_action = (enum conf_rotate_action)v;
	return rc;
}

/* A keyword of k->choices into the int at k->off */
static int parse_choice(const struct line *l, const struct key *k, struct conf *c)
{
	int v, rc = match_choice(l, k, k->choices, 0, l->val, &v);

	if (!rc)
		*(int *)((char *)c + k->off) = v;
	return rc;
}

/* A directory: an absolute path, a trailing '/' allowed */
static int parse_plugin_dir(const struct line *l, const struct key *k, struct conf *c)
{
	struct clip q;

	if (l->val.s[0] != '/')
		return fail(l, l->val.s, "%s: expected an absolute path, got '%s'", k->name,
			    clip(&q, l->val));
	if (l->val.len >= CONF_PATH_MAX)
		return fail(l, l->val.s, "%s: path is %zu bytes long, the limit is %d", k->name,
			    l->val.len, CONF_PATH_MAX - 1);
	copy_path(c->plugin_dir, l->val);
	return 0;
}

/* name_format = user's name: printable, no blank, no '=' (it prefixes every record) */
static int parse_name(const struct line *l, const struct key *k, struct conf *c)
{
	struct clip q;
	size_t i;

	if (l->val.len >= CONF_NAME_MAX)
		return fail(l, l->val.s, "%s: name is %zu bytes long, the limit is %d", k->name,
			    l->val.len, CONF_NAME_MAX - 1);
	for (i = 0; i < l->val.len; i++)
		if (l->val.s[i] <= ' ' || l->val.s[i] > '~' || l->val.s[i] == '=' ||
		    l->val.s[i] == '"')
			return fail(l, l->val.s + i, "%s: unexpected character in '%s'", k->name,
				    clip(&q, l->val));
	memcpy(c->name, l->val.s, l->val.len);
	c->name[l->val.len] = '\0';
	return 0;
}

static int parse_uint(const struct line *l, const struct key *k, struct conf *c)
{
	unsigned long long v = 0;
	struct clip q;
	int rc;

	rc = parse_decimal(l->val, &v);
	if (rc == -EINVAL)
		return fail(l, l->val.s, "%s: expected a decimal number, got '%s'", k->name,
			    clip(&q, l->val));
	if (rc == -ERANGE || v < k->min || v > k->max)
		return fail(l, l->val.s, "%s: %s is out of range %u..%u", k->name, clip(&q, l->val),
			    k->min, k->max);
	if ((k->flags & KEY_POW2) && (v & (v - 1)))
		return fail(l, l->val.s, "%s: %llu is not a power of two", k->name, v);
	*(unsigned int *)((char *)c + k->off) = (unsigned int)v;
	return 0;
}

/* A size in MB, or a percentage of the file system with a '%' right after the number */
static int parse_space(const struct line *l, const struct key *k, struct conf *c)
{
	struct tok num = l->val;
	unsigned long long v = 0;
	unsigned int max = UINT_MAX;
	struct clip q;
	int pct = 0, rc;

	if (num.len > 1 && num.s[num.len - 1] == '%') {
		pct = 1;
		max = 100;
		num.len--;
	}
	rc = parse_decimal(num, &v);
	if (rc == -EINVAL)
		return fail(l, l->val.s, "%s: expected a size in MB or a percentage, got '%s'",
			    k->name, clip(&q, l->val));
	if (rc == -ERANGE || v > max)
		return fail(l, l->val.s, "%s: %s is out of range 0..%u%s", k->name,
			    clip(&q, l->val), max, pct ? "%" : "");
	*(unsigned int *)((char *)c + k->off) = (unsigned int)v;
	*(int *)((char *)c + k->pct_off) = pct;
	return 0;
}

/* One of disk_actions, "exec" followed by the program's absolute path and nothing else */
static int parse_action(const struct line *l, const struct key *k, struct conf *c)
{
	struct conf_action *a = (struct conf_action *)((char *)c + k->off);
	struct tok path, extra;
	struct clip q;
	int v, rc;

	rc = match_choice(l, k, disk_actions, k->reject, l->val, &v);
	if (rc)
		return rc;
	if (v != CONF_DISK_EXEC) {
		rc = expect_end(l, k, l->val);
		if (rc)
			return rc;
		a->action = (enum conf_disk_action)v;
		a->exec[0] = '\0';
		return 0;
	}

	path = tok_next(l->val.s + l->val.len, l->vend);
	if (!path.len)
		return fail(l, l->val.s, "%s: EXEC needs the absolute path of a program", k->name);
	rc = check_path(l, k, path);
	if (rc)
		return rc;
	/* auditd passes the program no arguments; don't let a line pretend otherwise */
	extra = tok_next(path.s + path.len, l->vend);
	if (extra.len)
		return fail(l, extra.s, "%s: EXEC takes no arguments, got '%s'", k->name,
			    clip(&q, extra));
	a->action = CONF_DISK_EXEC;
	copy_path(a->exec, path);
	return 0;
}

/* Known to auditd, meaningless to lauditd: accept so an auditd.conf parses, but say so */
static int parse_ignored(const struct line *l, const struct key *k, struct conf *c)
{
	(void)c;
	warning(l, l->key.s, "%s: accepted for compatibility, has no effect", k->name);
	return 0;
}

/*
 * cache_filter_exempt = read, pwrite: syscall names (libaudit's), separated by
 * commas or blanks, that the cache filter never merges.  The last line wins.
 */
static int parse_exempt(const struct line *l, const struct key *k, struct conf *c)
{
	uint64_t set[CONF_NR_MAX / 64] = {0};
	const char *p = l->val.s, *e;
	char name[64];
	int nr;

	while (p < l->vend) {
		for (e = p; e < l->vend && *e != ',' && !is_blank(*e); e++)
			;
		if (e == p || (size_t)(e - p) >= sizeof(name))
			return fail(l, p, "%s: expected syscall names separated by commas",
				    k->name);
		memcpy(name, p, (size_t)(e - p));
		name[e - p] = '\0';
		nr = audit_name_to_syscall(name, MACH_86_64);
		if (nr < 0 || nr >= CONF_NR_MAX)
			return fail(l, p, "%s: unknown syscall '%s'", k->name, name);
		set[nr / 64] |= 1ULL << (nr % 64);
		for (p = e; p < l->vend && is_blank(*p); p++)
			;
		if (p < l->vend && *p == ',')
			for (p++; p < l->vend && is_blank(*p); p++)
				;
	}
	memcpy(c->cache_exempt, set, sizeof(set));
	return 0;
}

#define PLAIN_KEY(n, fn)                \
	{                               \
		.name = #n, .parse = fn \
	}
#define UINT_KEY(n, lo, hi, fl) UINT_ALIAS(n, n, lo, hi, fl)
/* Key @n sets field @f: a key's older name, kept working */
#define UINT_ALIAS(n, f, lo, hi, fl)                                                             \
	{                                                                                        \
		.name = #n, .parse = parse_uint, .flags = (fl), .off = offsetof(struct conf, f), \
		.min = (lo), .max = (hi),                                                        \
	}
#define SPACE_KEY(n)                                                               \
	{                                                                          \
		.name = #n, .parse = parse_space, .off = offsetof(struct conf, n), \
		.pct_off = offsetof(struct conf, n##_percent),                     \
	}
#define ACTION_KEY(n, rej)                                                  \
	{                                                                   \
		.name = #n, .parse = parse_action, .flags = KEY_OWN_TOKENS, \
		.off = offsetof(struct conf, n), .reject = (rej),           \
	}
#define CHOICE_KEY(n, f, ch)                                                                      \
	{                                                                                         \
		.name = #n, .parse = parse_choice, .off = offsetof(struct conf, f), .choices = ch \
	}
#define IGNORED_KEY(n)                                                      \
	{                                                                   \
		.name = #n, .parse = parse_ignored, .flags = KEY_OWN_TOKENS \
	}

static const struct key keys[] = {
	PLAIN_KEY(log_file, parse_log_file),
	PLAIN_KEY(log_format, parse_log_format),
	PLAIN_KEY(flush, parse_flush),
	UINT_KEY(freq, 0, INT_MAX, 0),
	UINT_KEY(max_log_file, 0, UINT_MAX, 0),
	UINT_KEY(num_logs, 0, 999, 0),
	PLAIN_KEY(max_log_file_action, parse_rotate_action),
	SPACE_KEY(space_left),
	ACTION_KEY(space_left_action, 0),
	SPACE_KEY(admin_space_left),
	ACTION_KEY(admin_space_left_action, 0),
	/* auditd.conf(5): no email when the disk is full, no rotate or email on an error */
	ACTION_KEY(disk_full_action, 1u << CONF_DISK_EMAIL),
	ACTION_KEY(disk_error_action, 1u << CONF_DISK_EMAIL | 1u << CONF_DISK_ROTATE),
	UINT_KEY(priority_boost, 0, INT_MAX, 0),
	UINT_KEY(ring_buffer_kb, 64, 1048576, KEY_POW2),
	UINT_KEY(wakeup_percent, 1, 100, 0),
	UINT_KEY(poll_interval_ms, 1, 1000, 0),
	UINT_KEY(argv_max, 1, 64, 0),
	UINT_KEY(consumer_threads, 0, 64, 0),
	UINT_ALIAS(writer_threads, consumer_threads, 0, 64, 0),
	UINT_KEY(encoder_threads, 0, 64, 0),
	CHOICE_KEY(compress_logs, compress_logs, yes_no),
	PLAIN_KEY(signing_key, parse_signing_key),
	CHOICE_KEY(write_logs, write_logs, yes_no),
	PLAIN_KEY(plugin_dir, parse_plugin_dir),
	UINT_KEY(q_depth, 1, 1000000, 0),
	CHOICE_KEY(overflow_action, overflow_action, overflow_actions),
	UINT_KEY(max_restarts, 0, 10000, 0),
	CHOICE_KEY(disp_qos, disp_lossless, disp_qoses),
	CHOICE_KEY(name_format, name_format, name_formats),
	PLAIN_KEY(name, parse_name),
	PLAIN_KEY(control_socket, parse_control_socket),
	CHOICE_KEY(cache_filter, cache_filter, on_off),
	UINT_KEY(cache_flush_interval, 1, 3600, 0),
	UINT_KEY(cache_size, 64, 1048576, 0),
	{.name = "cache_filter_exempt", .parse = parse_exempt, .flags = KEY_OWN_TOKENS},

	IGNORED_KEY(local_events),
	IGNORED_KEY(log_group),
	IGNORED_KEY(dispatcher),
	IGNORED_KEY(verify_email),
	IGNORED_KEY(action_mail_acct),
	IGNORED_KEY(tcp_listen_port),
	IGNORED_KEY(tcp_listen_queue),
	IGNORED_KEY(tcp_max_per_addr),
	IGNORED_KEY(use_libwrap),
	IGNORED_KEY(tcp_client_ports),
	IGNORED_KEY(tcp_client_max_idle),
	IGNORED_KEY(transport),
	IGNORED_KEY(enable_krb5),
	IGNORED_KEY(krb5_principal),
	IGNORED_KEY(krb5_key_file),
	IGNORED_KEY(distribute_network),
	IGNORED_KEY(end_of_event_timeout),
};

static const struct key *find_key(struct tok t)
{
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i].name) == t.len && !memcmp(keys[i].name, t.s, t.len))
			return &keys[i];
	return NULL;
}

static int parse_line(struct line *l, struct conf *c)
{
	const char *p = l->start, *end = l->end;
	const struct key *k;
	struct clip q;
	int rc;

	while (p < end && is_blank(*p))
		p++;
	if (p == end || *p == '#')
		return 0;

	l->key.s = p;
	while (p < end && !is_blank(*p) && *p != '=')
		p++;
	l->key.len = (size_t)(p - l->key.s);
	if (!l->key.len)
		return fail(l, p, "missing key before '='");
	while (p < end && is_blank(*p))
		p++;
	if (p == end || *p != '=')
		return fail(l, p, "missing '=' after '%s'", clip(&q, l->key));
	p++;

	while (p < end && is_blank(*p))
		p++;
	while (end > p && is_blank(end[-1]))
		end--;
	if (p == end)
		return fail(l, p, "%s: missing value", clip(&q, l->key));
	l->vend = end;
	l->val = tok_next(p, end);

	k = find_key(l->key);
	if (!k) {
		warning(l, l->key.s, "unknown key '%s', ignored", clip(&q, l->key));
		return 0;
	}
	if (!(k->flags & KEY_OWN_TOKENS)) {
		rc = expect_end(l, k, l->val);
		if (rc)
			return rc;
	}
	return k->parse(l, k, c);
}

/*
 * conf_defaults() - fill @c with lauditd's built-in defaults.
 * @c: the struct to fill; every field is set, exec paths are empty.
 */
void conf_defaults(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->log_file, default_log_file, sizeof(default_log_file));
	c->log_format = CONF_FMT_RAW;
	c->flush = CONF_FLUSH_INCREMENTAL_ASYNC;
	c->freq = 50;
	c->max_log_file = 8;
	c->num_logs = 5;
	c->max_log_file_action = CONF_ROT_ROTATE;
	c->space_left = 75;
	c->space_left_percent = 0;
	c->space_left_action.action = CONF_DISK_SYSLOG;
	c->admin_space_left = 50;
	c->admin_space_left_percent = 0;
	c->admin_space_left_action.action = CONF_DISK_SUSPEND;
	c->disk_full_action.action = CONF_DISK_SUSPEND;
	c->disk_error_action.action = CONF_DISK_SYSLOG;
	c->priority_boost = 4;
	c->ring_buffer_kb = 16384;
	c->wakeup_percent = 25;
	c->poll_interval_ms = 10;
	c->argv_max = 32;
	c->consumer_threads = 0;
	c->encoder_threads = 0;
	c->compress_logs = 1;
	c->write_logs = 1;
	c->q_depth = 2000;
	c->overflow_action = CONF_OVF_SYSLOG;
	c->max_restarts = 10;
	c->disp_lossless = 0;
	c->name_format = CONF_NAME_NONE;
	memcpy(c->control_socket, default_control_socket, sizeof(default_control_socket));
	c->cache_filter = 1;
	c->cache_flush_interval = 1;
	c->cache_size = 4096;
}

/*
 * conf_parse() - parse a lauditd.conf buffer into @c.
 * @buf, @len: the file's bytes; need not end in NUL, may be NULL when @len is 0.
 * @c: holds defaults (or an earlier configuration) on entry; each good line overwrites its
 *     key, so on error the keys of the lines before the bad one are already stored.
 * @warn: called with the line, column and text of each unknown key and each auditd key
 *        that lauditd accepts but ignores; may be NULL.
 * @warn_arg: passed to @warn.
 * @err: on error, its line, column and message ("<key>: what is wrong"); zeroed on entry,
 *       so it reads {0, 0, ""} after a success. May be NULL.
 *
 * A NUL byte anywhere in the buffer is reported before any line is parsed.
 *
 * Return: 0, or -EINVAL on the first bad line or byte.
 */
int conf_parse(const char *buf, size_t len, struct conf *c,
	       void (*warn)(const struct conf_error *w, void *arg), void *warn_arg,
	       struct conf_error *err)
{
	const char *p, *end, *nul;
	struct conf_error unused;
	struct line l = {
		.lineno = 1,
		.warn = warn,
		.warn_arg = warn_arg,
	};
	int rc;

	l.err = err ? err : &unused;
	memset(l.err, 0, sizeof(*l.err));
	if (!c || (!buf && len)) {
		snprintf(l.err->message, sizeof(l.err->message), "invalid argument");
		return -EINVAL;
	}
	if (!len)
		return 0;

	p = buf;
	end = buf + len;
	nul = memchr(buf, '\0', len);
	if (nul) {
		const char *nl;

		l.start = buf;
		while ((nl = memchr(l.start, '\n', (size_t)(nul - l.start)))) {
			l.start = nl + 1;
			if (l.lineno < UINT_MAX)
				l.lineno++;
		}
		return fail(&l, nul, "unexpected NUL byte");
	}

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		l.start = p;
		l.end = nl ? nl : end;
		if (l.end > p && l.end[-1] == '\r')
			l.end--;
		rc = parse_line(&l, c);
		if (rc)
			return rc;
		if (!nl)
			break;
		p = nl + 1;
		if (l.lineno < UINT_MAX)
			l.lineno++;
	}
	return 0;
}
