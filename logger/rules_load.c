// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Reading the rule files of a configuration directory, and the machine the rules ask
 * about when they load (what a watched path is, user and group ids).
 */
#include "logger/rules_load.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A rule file larger than this is refused */
#define RULES_FILE_MAX (16 * 1024 * 1024)

static int env_path_kind(const char *path, void *arg)
{
	struct stat sb;

	(void)arg;
	if (stat(path, &sb))
		return RULES_PATH_MISSING;
	return S_ISDIR(sb.st_mode) ? RULES_PATH_DIR : RULES_PATH_FILE;
}

static int env_user_id(const char *name, uint32_t *uid, void *arg)
{
	struct passwd *pw;

	(void)arg;
	pw = getpwnam(name);
	if (!pw)
		return -ENOENT;
	*uid = pw->pw_uid;
	return 0;
}

static int env_group_id(const char *name, uint32_t *gid, void *arg)
{
	struct group *gr;

	(void)arg;
	gr = getgrnam(name);
	if (!gr)
		return -ENOENT;
	*gid = gr->gr_gid;
	return 0;
}

static const struct rules_env machine_env = {
	.path_kind = env_path_kind,
	.user_id = env_user_id,
	.group_id = env_group_id,
};

const struct rules_env *rules_load_env(void)
{
	return &machine_env;
}

int rules_load_check_file(int fd, const char *path, char *msg, size_t size)
{
	struct stat sb;

	if (fstat(fd, &sb)) {
		snprintf(msg, size, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (!S_ISREG(sb.st_mode))
		snprintf(msg, size, "%s is not a regular file", path);
	else if (sb.st_uid != 0)
		snprintf(msg, size, "%s isn't owned by root", path);
	else if (sb.st_mode & (S_IWGRP | S_IWOTH))
		snprintf(msg, size, "%s is %s writable", path,
			 sb.st_mode & S_IWOTH ? "world" : "group");
	else
		return 0;
	return -EPERM;
}

static void report_file(void (*report)(const struct rules_error *e, void *arg), void *arg,
			const char *file, const char *msg)
{
	struct rules_error e = {.file = file};
	size_t n = strnlen(msg, sizeof(e.message) - 1);

	memcpy(e.message, msg, n);
	if (report)
		report(&e, arg);
}

/* The whole of @path, checked: 0 (and *@buf, *@len; NULL when the file is missing) */
static int read_rule_file(const char *path, char **buf, size_t *len,
			  void (*report)(const struct rules_error *e, void *arg), void *arg)
{
	char msg[PATH_MAX + 64];
	size_t have = 0;
	char *b = NULL;
	ssize_t n;
	int fd, rc;

	*buf = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		rc = -errno;
		snprintf(msg, sizeof(msg), "%s: %s", path, strerror(errno));
		report_file(report, arg, path, msg);
		return rc;
	}
	rc = rules_load_check_file(fd, path, msg, sizeof(msg));
	if (rc) {
		report_file(report, arg, path, msg);
		goto out;
	}
	for (;;) {
		char *nb;

		if (have >= RULES_FILE_MAX) {
			snprintf(msg, sizeof(msg), "%s: larger than %d bytes", path,
				 RULES_FILE_MAX);
			report_file(report, arg, path, msg);
			rc = -EFBIG;
			goto out;
		}
		nb = realloc(b, have + 65536);
		if (!nb) {
			rc = -ENOMEM;
			goto out;
		}
		b = nb;
		n = read(fd, b + have, 65536);
		if (n < 0) {
			rc = -errno;
			snprintf(msg, sizeof(msg), "%s: %s", path, strerror(errno));
			report_file(report, arg, path, msg);
			goto out;
		}
		if (n == 0)
			break;
		have += (size_t)n;
	}
	*buf = b;
	*len = have;
	b = NULL;
out:
	free(b);
	close(fd);
	return rc;
}

static int rules_file_filter(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return n > 6 && strcmp(de->d_name + n - 6, ".rules") == 0;
}

/* A stream being built: its bytes and where each line comes from */
struct stream {
	char *buf;
	size_t len, cap;
	struct rules_origin *origin;
	size_t lines, origin_cap;
};

static int stream_line(struct stream *st, const char *s, size_t n, const char *file,
		       unsigned int line)
{
	if (st->len + n + 1 > st->cap) {
		size_t cap = (st->len + n + 1) * 2;
		char *b = realloc(st->buf, cap);

		if (!b)
			return -ENOMEM;
		st->buf = b;
		st->cap = cap;
	}
	if (st->lines == st->origin_cap) {
		size_t cap = st->origin_cap ? st->origin_cap * 2 : 256;
		struct rules_origin *o = realloc(st->origin, cap * sizeof(*o));

		if (!o)
			return -ENOMEM;
		st->origin = o;
		st->origin_cap = cap;
	}
	memcpy(st->buf + st->len, s, n);
	st->len += n;
	st->buf[st->len++] = '\n';
	st->origin[st->lines++] = (struct rules_origin){.file = file, .line = line};
	return 0;
}

/* awk's match($0, "^\\s*-X"): the first non-blank characters */
static const char *after_blanks(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\f' || *s == '\v'))
		s++;
	return s;
}

struct kept {
	const char *s;
	size_t n;
	const char *file;
	unsigned int line;
};

/* augenrules: one file's lines, the -D, -b, -f and -e lines kept aside */
static int stream_file(struct stream *st, const char *file, const char *buf, size_t len,
		       struct kept kept[4])
{
	const char *p = buf, *end = buf + len;
	unsigned int line = 0;
	int rc;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end, *t = after_blanks(p, e);
		int slot = -1;

		line++;
		if (e - t >= 2 && t[0] == '-') {
			if (t[1] == 'e')
				slot = 3;
			else if (t[1] == 'f')
				slot = 2;
			else if (t[1] == 'b')
				slot = 1;
			else if (t[1] == 'D' && after_blanks(t + 2, e) == e)
				slot = 0;
		}
		if (e == p || (t < e && *t == '#')) {
			/* dropped */
		} else if (slot >= 0) {
			kept[slot] = (struct kept){
				.s = p, .n = (size_t)(e - p), .file = file, .line = line};
		} else {
			rc = stream_line(st, p, (size_t)(e - p), file, line);
			if (rc)
				return rc;
		}
		p = nl ? nl + 1 : end;
	}
	return 0;
}

/* DIR/rules.d as augenrules builds audit.rules from it; -ENOENT when it holds no file */
static int load_rules_d(const char *dir, struct rules_set *s,
			void (*report)(const struct rules_error *e, void *arg), void *arg)
{
	struct kept kept[4] = {{0}};
	struct stream st = {0};
	struct dirent **names = NULL;
	char **paths = NULL, **bufs = NULL;
	char d[PATH_MAX];
	int n, i, rc = 0;

	snprintf(d, sizeof(d), "%s/rules.d", dir);
	n = scandir(d, &names, rules_file_filter, versionsort);
	if (n <= 0) {
		free(names);
		return -ENOENT;
	}
	paths = calloc((size_t)n, sizeof(*paths));
	bufs = calloc((size_t)n, sizeof(*bufs));
	if (!paths || !bufs) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n && !rc; i++) {
		size_t len;

		if (asprintf(&paths[i], "%s/%s", d, names[i]->d_name) < 0) {
			paths[i] = NULL;
			rc = -ENOMEM;
			break;
		}
		rc = read_rule_file(paths[i], &bufs[i], &len, report, arg);
		if (!rc && bufs[i])
			rc = stream_file(&st, paths[i], bufs[i], len, kept);
	}
	if (rc)
		goto out;
	{
		/* the generated file: a comment, -D, -b, -f, the rules, -e */
		struct stream full = {0};
		size_t k;

		rc = stream_line(&full, "## generated from rules.d", 24, d, 0);
		for (k = 0; k < 3 && !rc; k++)
			rc = stream_line(&full, kept[k].s ? kept[k].s : "", kept[k].n,
					 kept[k].file ? kept[k].file : d, kept[k].line);
		if (!rc) {
			/* st's lines, one per origin, each ended by '\n' */
			size_t off = 0;

			for (k = 0; k < st.lines && !rc; k++) {
				const char *nl = memchr(st.buf + off, '\n', st.len - off);
				size_t ln = (size_t)(nl - (st.buf + off));

				rc = stream_line(&full, st.buf + off, ln, st.origin[k].file,
						 st.origin[k].line);
				off += ln + 1;
			}
		}
		if (!rc)
			rc = stream_line(&full, kept[3].s ? kept[3].s : "", kept[3].n,
					 kept[3].file ? kept[3].file : d, kept[3].line);
		if (!rc)
			rc = rules_parse(s, full.buf, full.len, d, full.origin, full.lines,
					 rules_load_env(), report, arg);
		free(full.buf);
		free(full.origin);
	}
out:
	for (i = 0; i < n; i++) {
		free(names[i]);
		if (paths)
			free(paths[i]);
		if (bufs)
			free(bufs[i]);
	}
	free(names);
	free(paths);
	free(bufs);
	free(st.buf);
	free(st.origin);
	return rc;
}

int rules_load(const char *dir, struct rules_set *s,
	       void (*report)(const struct rules_error *e, void *arg), void *arg)
{
	char path[PATH_MAX];
	size_t len;
	char *buf;
	int rc;

	rc = load_rules_d(dir, s, report, arg);
	if (rc != -ENOENT)
		return rc;
	snprintf(path, sizeof(path), "%s/audit.rules", dir);
	rc = read_rule_file(path, &buf, &len, report, arg);
	if (rc || !buf)
		return rc;
	rc = rules_parse(s, buf, len, path, NULL, 0, rules_load_env(), report, arg);
	free(buf);
	return rc;
}

static void print_error(const struct rules_error *e, void *arg)
{
	(void)arg;
	if (!e->line)
		fprintf(stderr, "%s\n", e->message);
	else
		fprintf(stderr, "%s:%u:%u: %s%s\n", e->file, e->line, e->column,
			e->warning ? "warning: " : "", e->message);
}

int rules_load_print(const char *dir)
{
	struct rules_set s;
	int rc;

	rules_set_init(&s);
	rc = rules_load(dir, &s, print_error, NULL);
	if (rc == 0 || rc == -EINVAL)
		rules_list(&s, stdout);
	if (rc == -EINVAL)
		rc = rules_verdict(&s);
	rules_set_free(&s);
	fflush(stdout);
	return rc ? -1 : 0;
}
