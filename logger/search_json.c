/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lausearch --format json: one event a line, its records keyed by type and their
 * fields decoded, in the shape laurel made familiar:
 *
 *   {"id":"1765054800.123:45","time":1765054800.123,"serial":45,
 *    "SYSCALL":{"arch":"x86_64","syscall":"openat","success":"yes","exit":3,...,
 *               "comm":"cat","exe":"/usr/bin/cat","key":null},
 *    "EXECVE":{"argc":2,"ARGV":["cat","/etc/hostname"]},
 *    "CWD":{"cwd":"/root"},"PATH":[{"item":0,"name":"/etc/hostname",...}],
 *    "PROCTITLE":{"ARGV":["cat","/etc/hostname"]}}
 *
 * Decimal numbers are JSON numbers (but those with a leading zero, like modes);
 * hex-encoded strings are decoded; (null) is null; PATH is always a list, and a
 * type that occurs more than once in an event is a list too.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libaudit.h>

#include "logger/search.h"

#define MAX_RECS 512
/* the longest argument kept whole */
#define TEXT_ARG_MAX (128 * 1024)

/* Fields whose value is an untrusted string: quoted, or hex when it holds odd bytes. */
static int untrusted(const char *type, const char *name, size_t n)
{
	static const char *const names[] = {"comm", "exe", "cwd", "name", "proctitle", "key"};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && !memcmp(names[i], name, n))
			return 1;
	return !strcmp(type, "EXECVE") && name[0] == 'a' && isdigit((unsigned char)name[1]);
}

static int utf8_len(const unsigned char *s, size_t left)
{
	int n, i;

	if (s[0] < 0x80)
		return 1;
	n = s[0] >= 0xf0 && s[0] < 0xf5 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
	if (!n || (size_t)n > left || (s[0] >= 0xf0 && n != 4))
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

void search_json_string(FILE *f, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int n;

	fputc('"', f);
	while (i < len) {
		unsigned char c = p[i];

		if (c == '"' || c == '\\') {
			fprintf(f, "\\%c", c);
		} else if (c == '\n') {
			fputs("\\n", f);
		} else if (c == '\t') {
			fputs("\\t", f);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\u%04x", c);
		} else if (c >= 0x80) {
			n = utf8_len(p + i, len - i);
			if (!n) {
				fprintf(f, "\\u%04x", c);
			} else {
				fwrite(p + i, 1, n, f);
				i += n;
				continue;
			}
		} else {
			fputc(c, f);
		}
		i++;
	}
	fputc('"', f);
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

/* Decode @n hex digits at @s in place (the output is shorter); its length. */
static size_t unhex(char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s[i / 2] =
			(char)(hexval((unsigned char)s[i]) << 4 | hexval((unsigned char)s[i + 1]));
	return n / 2;
}

static int all_hex(const char *s, size_t n)
{
	size_t i;

	if (!n || n % 2)
		return 0;
	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* A field of a record line, split in place. */
struct field {
	char *name;
	size_t name_len;
	char *val;
	size_t val_len;
	int quoted;
};

/* The next field from *@p (a line's text after the stamp); 0 at its end. */
static int next_field(char **p, char *end, struct field *fd)
{
	char *s = *p, *eq, *e;

	while (s < end && *s == ' ')
		s++;
	if (s >= end)
		return 0;
	eq = memchr(s, '=', end - s);
	if (!eq)
		return 0;
	fd->name = s;
	fd->name_len = eq - s;
	fd->val = eq + 1;
	fd->quoted = 0;
	if (fd->val < end && *fd->val == '"') {
		e = memchr(fd->val + 1, '"', end - fd->val - 1);
		e = e ? e + 1 : end;
		fd->quoted = 1;
	} else {
		e = memchr(fd->val, ' ', end - fd->val);
		if (!e)
			e = end;
	}
	fd->val_len = e - fd->val;
	*p = e;
	return 1;
}

static void print_value(FILE *f, const char *type, struct field *fd, int machine)
{
	char *v = fd->val;
	size_t n = fd->val_len, i;
	int num = n > 0 && n < 19;

	if (fd->quoted) {
		search_json_string(f, v + 1, n >= 2 ? n - 2 : 0);
		return;
	}
	if (n == 6 && !memcmp(v, "(null)", 6)) {
		fputs("null", f);
		return;
	}
	if (!strcmp(type, "SYSCALL") && fd->name_len == 4 && !memcmp(fd->name, "arch", 4)) {
		const char *m = audit_machine_to_name(machine);

		if (m) {
			search_json_string(f, m, strlen(m));
			return;
		}
	}
	if (!strcmp(type, "SYSCALL") && fd->name_len == 7 && !memcmp(fd->name, "syscall", 7)) {
		const char *s = audit_syscall_to_name(atoi(v), machine);

		if (s) {
			search_json_string(f, s, strlen(s));
			return;
		}
	}
	if (untrusted(type, fd->name, fd->name_len) && all_hex(v, n)) {
		search_json_string(f, v, unhex(v, n));
		return;
	}
	/* SYSCALL's a0..a3 are hex */
	if (fd->name_len == 2 && fd->name[0] == 'a' && isdigit((unsigned char)fd->name[1]))
		num = 0;
	for (i = v[0] == '-' ? 1 : 0; i < n && num; i++)
		num = isdigit((unsigned char)v[i]);
	if (num && (v[0] == '-' ? n > 1 && !(v[1] == '0' && n > 2) : !(v[0] == '0' && n > 1))) {
		fwrite(v, 1, n, f);
		return;
	}
	search_json_string(f, v, n);
}

struct rec {
	char *type; /* NUL-terminated in place */
	char *body, *end;
};

static void print_fields(FILE *f, const struct rec *r, int machine)
{
	struct field fd;
	char *p = r->body;
	int first = 1;

	fputc('{', f);
	while (next_field(&p, r->end, &fd)) {
		if (!first)
			fputc(',', f);
		first = 0;
		search_json_string(f, fd.name, fd.name_len);
		fputc(':', f);
		print_value(f, r->type, &fd, machine);
	}
	fputc('}', f);
}

/* A field's value decoded in place: quotes dropped, hex decoded; its length. */
static size_t decode(struct field *fd)
{
	if (fd->quoted && fd->val_len >= 2) {
		fd->val++;
		return fd->val_len - 2;
	}
	if (all_hex(fd->val, fd->val_len))
		return unhex(fd->val, fd->val_len);
	return fd->val_len;
}

/*
 * EXECVE's records as one object: argc and ARGV.  A long argument comes in
 * pieces (aN_len=, then aN[0]=, aN[1]=...), joined here.
 */
static void print_execve(FILE *f, struct rec *recs, int nrecs)
{
	static char arg[TEXT_ARG_MAX];
	struct field fd;
	size_t alen = 0, n;
	long argc = -1;
	int i, first = 1, open = 0;
	char *p;

	fputs("{\"argc\":", f);
	for (i = 0; i < nrecs; i++)
		if (!strcmp(recs[i].type, "EXECVE") && (p = strstr(recs[i].body, "argc=")) &&
		    p < recs[i].end)
			argc = atol(p + 5);
	fprintf(f, "%ld,\"ARGV\":[", argc);
	for (i = 0; i < nrecs; i++) {
		if (strcmp(recs[i].type, "EXECVE"))
			continue;
		p = recs[i].body;
		while (next_field(&p, recs[i].end, &fd)) {
			const char *br = memchr(fd.name, '[', fd.name_len);

			if (fd.name[0] != 'a' || !isdigit((unsigned char)fd.name[1]) ||
			    memchr(fd.name, '_', fd.name_len))
				continue;
			/* a whole argument, or the first piece of one, ends the one before */
			if ((!br || (br[1] == '0' && br[2] == ']')) && open) {
				if (!first)
					fputc(',', f);
				first = 0;
				search_json_string(f, arg, alen);
				alen = 0;
			}
			open = 1;
			n = decode(&fd);
			if (n > sizeof(arg) - alen)
				n = sizeof(arg) - alen;
			memcpy(arg + alen, fd.val, n);
			alen += n;
		}
	}
	if (open) {
		if (!first)
			fputc(',', f);
		search_json_string(f, arg, alen);
	}
	fputs("]}", f);
}

/* PROCTITLE as ARGV: the argv area split at its NULs. */
static void print_proctitle(FILE *f, const struct rec *r)
{
	struct field fd;
	char *p = r->body, *s, *e, *z;
	size_t n;
	int first = 1;

	fputc('{', f);
	while (next_field(&p, r->end, &fd)) {
		if (fd.name_len != 9 || memcmp(fd.name, "proctitle", 9))
			continue;
		if (!fd.quoted && fd.val_len == 6 && !memcmp(fd.val, "(null)", 6)) {
			fputs("\"ARGV\":null", f);
			break;
		}
		n = decode(&fd);
		fputs("\"ARGV\":[", f);
		for (s = fd.val, e = fd.val + n; s < e; s = z + 1) {
			z = memchr(s, 0, e - s);
			if (!z)
				z = e;
			if (!first)
				fputc(',', f);
			first = 0;
			search_json_string(f, s, z - s);
		}
		fputc(']', f);
		break;
	}
	fputc('}', f);
}

int search_out_json(FILE *f, char *buf, size_t len, uint64_t sec, uint32_t msec, uint64_t serial)
{
	static struct rec recs[MAX_RECS];
	char *p = buf, *end = buf + len, *nl, *sp, *st;
	int n = 0, i, j, count, machine = -1, done_execve = 0;

	while (p < end && n < MAX_RECS) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			nl = end;
		if (!strncmp(p, "node=", 5) && (sp = memchr(p, ' ', nl - p)))
			p = sp + 1;
		st = strstr(p, "): ");
		sp = memchr(p, ' ', nl - p);
		if (strncmp(p, "type=", 5) || !sp || !st || st > nl) {
			p = nl + 1;
			continue;
		}
		*sp = 0;
		recs[n].type = p + 5;
		recs[n].body = st + 3;
		recs[n].end = nl;
		n++;
		p = nl + 1;
	}
	fprintf(f, "{\"id\":\"%llu.%03u:%llu\",\"time\":%llu.%03u,\"serial\":%llu",
		(unsigned long long)sec, msec, (unsigned long long)serial, (unsigned long long)sec,
		msec, (unsigned long long)serial);
	for (i = 0; i < n; i++) {
		if (!strcmp(recs[i].type, "SYSCALL")) {
			char *a = strstr(recs[i].body, "arch=");

			if (a && a < recs[i].end)
				machine = audit_elf_to_machine(strtoul(a + 5, NULL, 16));
		}
	}
	for (i = 0; i < n; i++) {
		/* the first record of its type prints them all */
		for (j = 0; j < i && strcmp(recs[j].type, recs[i].type); j++)
			;
		if (j < i)
			continue;
		fputc(',', f);
		search_json_string(f, recs[i].type, strlen(recs[i].type));
		fputc(':', f);
		if (!strcmp(recs[i].type, "EXECVE")) {
			if (!done_execve++)
				print_execve(f, recs, n);
			continue;
		}
		for (count = 0, j = i; j < n; j++)
			count += !strcmp(recs[j].type, recs[i].type);
		if (count == 1 && strcmp(recs[i].type, "PATH")) {
			if (!strcmp(recs[i].type, "PROCTITLE"))
				print_proctitle(f, &recs[i]);
			else
				print_fields(f, &recs[i], machine);
			continue;
		}
		fputc('[', f);
		for (count = 0, j = i; j < n; j++) {
			if (strcmp(recs[j].type, recs[i].type))
				continue;
			if (count++)
				fputc(',', f);
			print_fields(f, &recs[j], machine);
		}
		fputc(']', f);
	}
	fputs("}\n", f);
	return 0;
}
