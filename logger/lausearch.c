/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lausearch: search lauditd's binary logs the way ausearch searches text logs,
 * and print what matches as auditd RAW text (which ausearch itself accepts on
 * stdin).  First cut: -if, -m and --format raw.
 *
 * The search is shaped for the rest of ausearch's options: a query is checked
 * first against each block's index (time, serial and pid ranges, syscalls
 * present), so that blocks that cannot match are neither checksummed nor
 * decoded, then against each record.
 *
 * usage: lausearch [-if FILE|DIR] [--format raw] [-m TYPE[,TYPE]...]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libaudit.h>
#include <lz4frame.h>

#include "formats/binary.h"
#include "formats/text.h"

#define MAX_TYPES 64
/* auditd's base name for the logs in a directory, as ausearch -if DIR uses it */
#define LOG_BASE "audit.log"

/* What to look for; every option given must match (ausearch's AND). */
struct query {
	int ntypes;		/* 0: any type */
	int all_types;		/* -m ALL */
	char *types[MAX_TYPES]; /* record type names, as given (case kept for messages) */
	int want_daemon;	/* some type is a DAEMON_* type */
	int want_other;		/* some type is not */
};

struct search {
	const struct query *q;
	const char *file; /* for messages */
	char *text;	  /* one event's text */
	unsigned long matched;
	int torn;
	int failed; /* an output error */
};

static void warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("lausearch: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void usage(void)
{
	fprintf(stderr, "usage: lausearch [-if FILE|DIR] [--format raw] [-m TYPE[,TYPE]...]\n"
			"  -if, --input FILE|DIR  a binary log (plain or lz4), or a directory of\n"
			"                         them (audit.log.N ... audit.log, oldest first);\n"
			"                         without it, a binary log piped into stdin\n"
			"  -m, --message TYPE     record types, e.g. SYSCALL, DAEMON_START, ALL\n"
			"  --format raw           auditd RAW text (the only format so far)\n");
}

static int query_add_types(struct query *q, char *list)
{
	char *save = NULL, *t;

	for (t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (!strcasecmp(t, "ALL")) {
			q->all_types = 1;
			continue;
		}
		if (audit_name_to_msg_type(t) < 0) {
			warnx("unknown message type '%s'", t);
			return -EINVAL;
		}
		if (q->ntypes == MAX_TYPES) {
			warnx("too many message types");
			return -EINVAL;
		}
		q->types[q->ntypes++] = t;
		if (!strncasecmp(t, "DAEMON_", 7))
			q->want_daemon = 1;
		else
			q->want_other = 1;
	}
	return 0;
}

static int query_type(const struct query *q, const char *type, size_t len)
{
	int i;

	if (!q->ntypes || q->all_types)
		return 1;
	for (i = 0; i < q->ntypes; i++)
		if (strlen(q->types[i]) == len && !strncasecmp(q->types[i], type, len))
			return 1;
	return 0;
}

/* Whether a block with index @ix may hold a match: the search skips it otherwise. */
static int query_block(const struct query *q, const struct bin_block_index *ix)
{
	if (q->ntypes && !q->all_types) {
		/* only daemon types wanted, and no daemon record here; or the reverse */
		if (!q->want_other && ix->records == ix->events)
			return 0;
		if (!q->want_daemon && !ix->events)
			return 0;
	}
	return 1;
}

/* Whether the text of one event or daemon record (lines "type=T msg=...") matches. */
static int query_text(const struct query *q, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	if (!q->ntypes || q->all_types)
		return 1;
	/* an event matches when any of its records does, as in ausearch */
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p), *sp;

		if (!nl)
			nl = end;
		if (nl - p > 5 && !memcmp(p, "type=", 5)) {
			sp = memchr(p + 5, ' ', nl - p - 5);
			if (sp && query_type(q, p + 5, sp - p - 5))
				return 1;
		}
		p = nl + 1;
	}
	return 0;
}

static int on_block(void *arg, const struct bin_block_index *ix)
{
	const struct search *s = arg;

	return query_block(s->q, ix);
}

static int on_record(void *arg, const struct log_record *r)
{
	struct search *s = arg;
	int n;

	if (r->kind == LOG_REC_EVENT)
		n = text_encode_event(s->text, TEXT_EVENT_MAX, r->ev, &r->stamp, &r->ident, r->key,
				      NULL);
	else
		n = text_encode_daemon(s->text, TEXT_EVENT_MAX, r->type, &r->stamp, r->fields,
				       NULL);
	if (n < 0) {
		warnx("%s: a record cannot be written as text: %s", s->file, strerror(-n));
		return 0;
	}
	if (!query_text(s->q, s->text, n))
		return 0;
	s->matched++;
	if (fwrite(s->text, 1, n, stdout) != (size_t)n) {
		s->failed = 1;
		return -EIO;
	}
	return 0;
}

static void on_problem(void *arg, const struct bin_problem *p)
{
	struct search *s = arg;

	switch (p->kind) {
	case BIN_PROBLEM_TORN:
		s->torn = 1;
		warnx("%s: torn tail at offset %llu (%llu bytes not readable): %s; "
		      "everything before it was read",
		      s->file, (unsigned long long)p->offset, (unsigned long long)p->length,
		      p->reason);
		break;
	case BIN_PROBLEM_VERSION:
		warnx("%s: %llu bytes at offset %llu skipped: %s", s->file,
		      (unsigned long long)p->length, (unsigned long long)p->offset, p->reason);
		break;
	default:
		warnx("%s: damaged data at offset %llu (%llu bytes skipped): %s", s->file,
		      (unsigned long long)p->offset, (unsigned long long)p->length, p->reason);
		break;
	}
}

/* An input's bytes: mapped, or read into memory (pipes, decompressed lz4). */
struct input {
	unsigned char *buf;
	size_t len;
	int mapped;
};

static void input_free(struct input *in)
{
	if (in->mapped && in->len)
		munmap(in->buf, in->len);
	else
		free(in->buf);
	memset(in, 0, sizeof(*in));
}

static int read_all(int fd, struct input *in)
{
	size_t cap = 1 << 20;
	ssize_t n;

	in->buf = malloc(cap);
	if (!in->buf)
		return -ENOMEM;
	for (;;) {
		if (in->len == cap) {
			unsigned char *p = realloc(in->buf, cap * 2);

			if (!p)
				return -ENOMEM;
			in->buf = p;
			cap *= 2;
		}
		n = read(fd, in->buf + in->len, cap - in->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return 0;
		in->len += n;
	}
}

static int is_lz4(const struct input *in)
{
	return in->len >= 4 && in->buf[0] == 0x04 && in->buf[1] == 0x22 && in->buf[2] == 0x4d &&
	       in->buf[3] == 0x18;
}

/*
 * Decompress the lz4 frames in @in with the lz4frame API.  A frame cut short (a
 * compressed segment is written whole, but the disk may say otherwise) or damaged
 * is reported; what came out of it before is kept.
 */
static int lz4_inflate(const char *file, struct input *in)
{
	LZ4F_decompressionContext_t dctx;
	struct input out = {0};
	size_t cap, pos = 0, rc = 1;
	int err = 0;

	if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION)))
		return -ENOMEM;
	cap = in->len * 4 + 65536;
	out.buf = malloc(cap);
	if (!out.buf) {
		err = -ENOMEM;
		goto out;
	}
	while (pos < in->len) {
		size_t src = in->len - pos, dst;

		if (cap - out.len < 65536) {
			unsigned char *p = realloc(out.buf, cap * 2);

			if (!p) {
				err = -ENOMEM;
				goto out;
			}
			out.buf = p;
			cap *= 2;
		}
		dst = cap - out.len;
		rc = LZ4F_decompress(dctx, out.buf + out.len, &dst, in->buf + pos, &src, NULL);
		if (LZ4F_isError(rc)) {
			warnx("%s: lz4 data damaged at offset %zu (%s): what came before it is "
			      "read",
			      file, pos, LZ4F_getErrorName(rc));
			break;
		}
		pos += src;
		out.len += dst;
		if (!src && !dst)
			break;
	}
	if (!LZ4F_isError(rc) && rc != 0)
		warnx("%s: lz4 frame cut short: what came before the cut is read", file);
	input_free(in);
	*in = out;
	out.buf = NULL;
out:
	free(out.buf);
	LZ4F_freeDecompressionContext(dctx);
	return err;
}

/* @path's bytes ("-": stdin), decompressed when they are an lz4 frame. */
static int input_open(const char *path, struct input *in)
{
	struct stat sb;
	int fd, rc = 0;

	memset(in, 0, sizeof(*in));
	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0 || fstat(fd, &sb)) {
		rc = -errno;
		goto out;
	}
	if (S_ISREG(sb.st_mode)) {
		in->len = sb.st_size;
		in->mapped = 1;
		if (in->len) {
			in->buf = mmap(NULL, in->len, PROT_READ, MAP_PRIVATE, fd, 0);
			if (in->buf == MAP_FAILED) {
				in->buf = NULL;
				in->len = 0;
				rc = -errno;
				goto out;
			}
		}
	} else {
		rc = read_all(fd, in);
		if (rc)
			goto out;
	}
	if (is_lz4(in))
		rc = lz4_inflate(path, in);
out:
	if (fd > 0)
		close(fd);
	if (rc)
		input_free(in);
	return rc;
}

static int search_file(struct search *s, const char *path)
{
	struct bin_decode_ops ops = {on_record, on_block, on_problem, NULL};
	struct input in;
	int rc;

	rc = input_open(path, &in);
	if (rc) {
		warnx("error opening %s (%s)", path, strerror(-rc));
		return rc;
	}
	s->file = strcmp(path, "-") ? path : "stdin";
	rc = bin_decode(in.buf, in.len, &ops, s, NULL);
	input_free(&in);
	if (rc && s->failed)
		warnx("writing to stdout: %s", strerror(errno));
	return rc;
}

static int exists(const char *path)
{
	return access(path, R_OK) == 0;
}

/*
 * A directory: auditd's rotation, oldest first.  audit.log.N (or audit.log.N.lz4,
 * once compressed; the plain one wins while both exist) down to audit.log.1,
 * then audit.log, the one being written.
 */
static int search_dir(struct search *s, const char *dir)
{
	size_t len = strlen(dir) + sizeof(LOG_BASE) + 32;
	char *path = malloc(len), *lz = malloc(len);
	int rc = 0, n, found = 0;

	if (!path || !lz) {
		rc = -ENOMEM;
		goto out;
	}
	for (n = 1;; n++) {
		snprintf(path, len, "%s/%s.%d", dir, LOG_BASE, n);
		snprintf(lz, len, "%s/%s.%d.lz4", dir, LOG_BASE, n);
		if (!exists(path) && !exists(lz))
			break;
	}
	for (n--; n >= 0 && !rc; n--) {
		if (n)
			snprintf(path, len, "%s/%s.%d", dir, LOG_BASE, n);
		else
			snprintf(path, len, "%s/%s", dir, LOG_BASE);
		snprintf(lz, len, "%s.lz4", path);
		if (!exists(path) && exists(lz))
			strcpy(path, lz);
		if (!n && !exists(path) && found)
			break; /* rotated, and nothing written since */
		rc = search_file(s, path);
		found = 1;
	}
out:
	free(path);
	free(lz);
	return rc;
}

int main(int argc, char **argv)
{
	static char outbuf[1 << 20];
	struct query q = {0};
	struct search s = {.q = &q};
	const char *input = NULL;
	struct stat sb;
	int i, rc;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage();
			return 0;
		}
		if (i + 1 >= argc) {
			warnx("%s: unknown option, or its argument is missing", a);
			usage();
			return 1;
		}
		if (!strcmp(a, "-if") || !strcmp(a, "--input")) {
			input = argv[++i];
		} else if (!strcmp(a, "-m") || !strcmp(a, "--message")) {
			if (query_add_types(&q, argv[++i]))
				return 1;
		} else if (!strcmp(a, "--format")) {
			if (strcmp(argv[++i], "raw")) {
				warnx("--format %s: only raw is implemented", argv[i]);
				return 1;
			}
		} else {
			warnx("%s: unknown option", a);
			usage();
			return 1;
		}
	}
	s.text = malloc(TEXT_EVENT_MAX);
	if (!s.text)
		return 1;
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	if (!input) {
		/* as ausearch: without -if, a pipe on stdin is the input */
		if (fstat(0, &sb) || !(S_ISFIFO(sb.st_mode) || S_ISREG(sb.st_mode))) {
			warnx("no input: give -if FILE|DIR, or pipe a binary log into stdin");
			return 1;
		}
		rc = search_file(&s, "-");
	} else if (stat(input, &sb)) {
		warnx("error opening %s (%s)", input, strerror(errno));
		return 1;
	} else if (S_ISDIR(sb.st_mode)) {
		rc = search_dir(&s, input);
	} else {
		rc = search_file(&s, input);
	}
	if (fflush(stdout) && !s.failed) {
		warnx("writing to stdout: %s", strerror(errno));
		rc = -EIO;
	}
	free(s.text);
	if (rc)
		return 1;
	if (!s.matched) {
		fprintf(stderr, "<no matches>\n");
		return 1;
	}
	return 0;
}
