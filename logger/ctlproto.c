// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "logger/ctlproto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ctl_buf_free(struct ctl_buf *b)
{
	if (!b)
		return;
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

static int buf_add(struct ctl_buf *b, const void *p, size_t n)
{
	if (n > CTLPROTO_MAX || b->len + n > CTLPROTO_MAX)
		return -E2BIG;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *np;

		while (cap < b->len + n)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np)
			return -ENOMEM;
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	return 0;
}

int ctlproto_put_arg(struct ctl_buf *b, const char *arg)
{
	const char *s = arg;
	int rc = 0;

	while (*s && !rc) {
		size_t run = strcspn(s, "\\\n");

		rc = buf_add(b, s, run);
		s += run;
		if (!rc && *s) {
			rc = buf_add(b, *s == '\n' ? "\\n" : "\\\\", 2);
			s++;
		}
	}
	return rc ? rc : buf_add(b, "\n", 1);
}

int ctlproto_get_args(char *buf, size_t len, char **argv, int max)
{
	size_t i = 0;
	char *w = buf;
	int argc = 0;

	while (i < len) {
		if (argc == max)
			return -E2BIG;
		argv[argc++] = w;
		for (;;) {
			if (i == len || buf[i] == 0)
				return -EINVAL;
			if (buf[i] == '\n') {
				i++;
				break;
			}
			if (buf[i] == '\\') {
				if (i + 1 == len || (buf[i + 1] != 'n' && buf[i + 1] != '\\'))
					return -EINVAL;
				*w++ = buf[i + 1] == 'n' ? '\n' : '\\';
				i += 2;
				continue;
			}
			*w++ = buf[i++];
		}
		/* the written end never passes the read one: escapes shrink */
		*w++ = 0;
	}
	return argc;
}

int ctlproto_put_text(struct ctl_buf *b, int stream, const char *text, size_t n)
{
	const char *p = text, *end = text + n;
	int rc = 0;

	while (p < end && !rc) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;

		rc = buf_add(b, stream == 2 ? "e " : "o ", 2);
		if (!rc)
			rc = buf_add(b, p, (size_t)(e - p));
		if (!rc)
			rc = buf_add(b, "\n", 1);
		p = nl ? nl + 1 : end;
	}
	return rc;
}

int ctlproto_put_exit(struct ctl_buf *b, int status)
{
	char line[16];

	snprintf(line, sizeof(line), "x %d\n", status & 255);
	return buf_add(b, line, strlen(line));
}

int ctlproto_get_reply(const char *buf, size_t len,
		       void (*out)(int stream, const char *line, size_t n, void *arg), void *arg)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n;

		if (!nl || nl - p < 2 || p[1] != ' ')
			return -EPROTO;
		n = (size_t)(nl - p) - 2;
		if (p[0] == 'o' || p[0] == 'e') {
			if (out)
				out(p[0] == 'o' ? 1 : 2, p + 2, n, arg);
		} else if (p[0] == 'x') {
			int status = 0;
			size_t k;

			if (nl + 1 != end || n == 0 || n > 3)
				return -EPROTO;
			for (k = 0; k < n; k++) {
				if (p[2 + k] < '0' || p[2 + k] > '9')
					return -EPROTO;
				status = status * 10 + (p[2 + k] - '0');
			}
			return status <= 255 ? status : -EPROTO;
		} else {
			return -EPROTO;
		}
		p = nl + 1;
	}
	return -EPROTO;
}
