// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * plugins.d files: auditd's audispd-pconfig.c reads "name = value [option]" with
 * blank-separated tokens, and refuses the whole file on the first bad line.
 */
#include "conf/plugin.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define TOKENS_MAX 5

struct ptok {
	const char *s;
	size_t len;
};

static int __attribute__((format(printf, 4, 5)))
pfail(struct conf_error *e, unsigned int line, unsigned int col, const char *fmt, ...)
{
	va_list ap;
	char *c;

	e->line = line;
	e->column = col;

	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	/* the file's bytes are quoted: no control byte reaches a log line */
	for (c = e->message; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return -EINVAL;
}

/* ASCII case-insensitive comparison of a token with a word */
static int is_word(struct ptok t, const char *w)
{
	size_t i;

	if (strlen(w) != t.len)
		return 0;
	for (i = 0; i < t.len; i++) {
		char a = t.s[i], b = w[i];

		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != b)
			return 0;
	}
	return 1;
}

/* One keyword of @words (lower case, NULL-terminated) into *@out: its index */
static int keyword(struct ptok t, const char *const *words, int *out)
{
	int i;

	for (i = 0; words[i]; i++)
		if (is_word(t, words[i])) {
			*out = i;
			return 0;
		}
	return -EINVAL;
}

static int copy_tok(char *dst, size_t size, struct ptok t)
{
	if (t.len >= size)
		return -ENAMETOOLONG;
	memcpy(dst, t.s, t.len);
	dst[t.len] = '\0';
	return 0;
}

static int parse_line(const char *start, const char *end, unsigned int lineno,
		      struct plugin_conf *p, struct conf_error *e)
{
	static const char *const yes_no[] = {"no", "yes", NULL};
	static const char *const directions[] = {"out", NULL};
	static const char *const types[] = {"always", "builtin", NULL};
	static const char *const formats[] = {"string", "binary", NULL};
	struct ptok t[TOKENS_MAX];
	const char *q = start;
	unsigned int n = 0, i;
	int v;

	while (n < TOKENS_MAX) {
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q == end)
			break;
		t[n].s = q;
		while (q < end && *q != ' ' && *q != '\t')
			q++;
		t[n].len = (size_t)(q - t[n].s);
		n++;
	}
	if (!n || t[0].s[0] == '#')
		return 0;
#define COL(tk) ((unsigned int)((tk).s - start) + 1)
	if (n < 3)
		return pfail(e, lineno, COL(t[0]), "wrong number of arguments");
	if (t[1].len != 1 || t[1].s[0] != '=')
		return pfail(e, lineno, COL(t[1]), "missing equal sign");
	if (n == TOKENS_MAX)
		return pfail(e, lineno, COL(t[4]), "wrong number of arguments");
	if (n == 4 && !is_word(t[0], "args"))
		return pfail(e, lineno, COL(t[3]), "%.*s: unexpected option '%.*s'", (int)t[0].len,
			     t[0].s, (int)t[3].len, t[3].s);
	if (is_word(t[0], "active")) {
		if (keyword(t[2], yes_no, &v))
			goto bad_value;
		p->active = v;
	} else if (is_word(t[0], "direction")) {
		if (keyword(t[2], directions, &v))
			goto bad_value;
	} else if (is_word(t[0], "type")) {
		if (keyword(t[2], types, &v))
			goto bad_value;
		p->type = (enum plugin_type)v;
	} else if (is_word(t[0], "format")) {
		if (keyword(t[2], formats, &v))
			goto bad_value;
		p->format = (enum plugin_format)v;
	} else if (is_word(t[0], "path")) {
		if (t[2].s[0] != '/' && !(t[2].len > 8 && !strncmp(t[2].s, "builtin_", 8)))
			return pfail(e, lineno, COL(t[2]), "path: expected an absolute path");
		if (copy_tok(p->path, sizeof(p->path), t[2]))
			return pfail(e, lineno, COL(t[2]), "path: too long");
	} else if (is_word(t[0], "args")) {
		p->nargs = 0;
		for (i = 2; i < n; i++)
			if (copy_tok(p->args[p->nargs++], PLUGIN_ARG_LEN, t[i]))
				return pfail(e, lineno, COL(t[i]), "args: too long");
	} else {
		return pfail(e, lineno, COL(t[0]), "unknown keyword '%.*s'", (int)t[0].len, t[0].s);
	}
	return 0;
bad_value:
	return pfail(e, lineno, COL(t[2]), "%.*s: option '%.*s' not found", (int)t[0].len, t[0].s,
		     (int)t[2].len, t[2].s);
#undef COL
}

int plugin_parse(const char *buf, size_t len, struct plugin_conf *p, struct conf_error *err)
{
	const char *q = buf, *end = buf + len, *nl;
	unsigned int lineno = 1;
	int rc;

	memset(p, 0, sizeof(*p));
	memset(err, 0, sizeof(*err));
	if (len && memchr(buf, '\0', len))
		return pfail(err, 0, 0, "unexpected NUL byte");
	while (q < end) {
		nl = memchr(q, '\n', (size_t)(end - q));
		rc = parse_line(q, nl ? nl : end, lineno, p, err);
		if (rc)
			return rc;
		if (!nl)
			break;
		q = nl + 1;
		lineno++;
	}
	if (p->active && !p->path[0])
		return pfail(err, 0, 0, "active but no path given");
	if (p->type == PLUGIN_BUILTIN && p->active && strncmp(p->path, "builtin_", 8))
		return pfail(err, 0, 0, "type builtin needs a builtin_ path");
	return 0;
}
