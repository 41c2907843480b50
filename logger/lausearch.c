/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lausearch: ausearch 3.0.9's selection and output over lauditd's binary logs.
 *
 * Each block's index (time, serial and pid ranges, syscalls present, the filter
 * of keys, exes, names and user ids) first decides whether it may hold a match; the blocks that may are decoded, each
 * event written as the RAW text lauditd would have logged, selected as ausearch
 * selects it (logger/search_match.c) and printed as ausearch prints it, or as
 * JSON (logger/search_out.c, logger/search_json.c).  The -ts/-te forms are in
 * logger/search_time.c, the inputs in logger/search_input.c.
 */
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <locale.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libaudit.h>

#include "formats/binary.h"
#include "formats/text.h"
#include "logger/search.h"

/* auditd's base name for the logs in a directory, as ausearch -if DIR uses it */
#define LOG_BASE "audit.log"

struct search {
	const struct search_query *q;
	struct search_order *order;
	struct search_out *out;
	struct search_pool *pool;
	const void *base;	   /* the input being read */
	int stop;		   /* the pool's nonzero return: decoding ends */
	int workers;		   /* --threads; -1: one a CPU */
	const char *file;	   /* for messages */
	struct search_checkpt *ck; /* --checkpoint; NULL: none */
	char last[4096];	   /* the last log read, for the checkpoint */
	unsigned long matched;
	int count_only; /* --count */
	int just_one;	/* --just-one */
	int line_buffered;
	int dump; /* no option but the input: the log as RAW text, in its order */
	int all;  /* the query selects every event: no selection to run */
	int raw;  /* --format raw: the texts written as they are */
	/* raw texts that follow each other in a block's buffer, written at once */
	struct search_text *pend_text;
	const char *pend;
	size_t pend_len;
	int torn;
	int failed; /* an output error */
};

/* bin_decode()'s return when --just-one has its event */
#define STOP_FOUND 1
/* ausearch's exit status for a checkpoint that does not fit the log */
#define CK_BAD 10

void search_warnx(const char *fmt, ...)
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
	fputs("usage: lausearch [options]\n"
	      "  -if, --input FILE|DIR   a binary log (plain or lz4) or a directory of them;\n"
	      "                          without it, stdin when it is a pipe, else the log\n"
	      "                          directory of " SEARCH_CONF_PATH "\n"
	      "  --input-logs            the log directory of the configuration\n"
	      "  -a, --event ID          -c, --comm COMM        -e, --exit CODE|ERRNO\n"
	      "  -f, --file NAME         -ga, --gid-all GID     -ge, --gid-effective GID\n"
	      "  -gi, --gid GID          -k, --key KEY          -m, --message TYPE[,TYPE]|ALL\n"
	      "  -n, --node NODE         -p, --pid PID          -pp, --ppid PID\n"
	      "  -sc, --syscall NAME|NR  -se, --context CTX     -sv, --success yes|no\n"
	      "  -ts, --start [DATE] [TIME]                     -te, --end [DATE] [TIME]\n"
	      "  -tm, --terminal TTY     -ua, --uid-all UID     -ue, --uid-effective UID\n"
	      "  -ui, --uid UID          -ul, --loginuid UID    -uu, --uuid UUID\n"
	      "  -vm, --vm-name NAME     -x, --executable EXE   --session ID\n"
	      "  --arch ARCH             -hn, --host HOST\n"
	      "  -w, --word              whole strings for -c -f -k -tm -x\n"
	      "  --just-one              the first match only\n"
	      "  -l, --line-buffered     flush each event\n"
	      "  -i, --interpret         --format interpret\n"
	      "  -r, --raw               --format raw\n"
	      "  --format raw|default|interpret|csv|text|json\n"
	      "  --extra-keys, --extra-labels, --extra-obj2, --extra-time\n"
	      "                          more columns for csv\n"
	      "  --count                 the number of matching events only\n"
	      "  --threads N             N threads decode blocks (default: one a CPU;\n"
	      "                          0: none but the main one)\n"
	      "  --verify [--key PUB]    check the logs' hash chain (and the seals' signatures)\n",
	      stderr);
}

static int query_add_types(struct search_query *q, char *list)
{
	char *save = NULL, *t;
	int type;

	for (t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (!strcasecmp(t, "ALL")) {
			q->ntypes = 0;
			q->types[0] = -1;
			return 0;
		}
		type = audit_name_to_msg_type(t);
		if (type < 0) {
			search_warnx("unknown message type '%s'", t);
			return -EINVAL;
		}
		if (q->ntypes == SEARCH_MAX_TYPES) {
			search_warnx("too many message types");
			return -EINVAL;
		}
		q->types[q->ntypes++] = type;
	}
	return 0;
}

/* A number as ausearch takes one: decimal, or (with @neg) a negative number. */
static int parse_num(const char *s, int neg, long long *out)
{
	char *end;

	if (!isdigit((unsigned char)s[0]) && !(neg && s[0] == '-' && isdigit((unsigned char)s[1])))
		return -EINVAL;
	errno = 0;
	*out = strtoll(s, &end, 0);
	return errno || *end ? -EINVAL : 0;
}

/* A user id, or a user's name. */
static int parse_user(const char *s, int neg, long long *out)
{
	struct passwd *pw;

	if (!parse_num(s, neg, out)) {
		if (*out == 4294967295LL)
			*out = -1;
		return 0;
	}
	pw = getpwnam(s);
	if (!pw) {
		search_warnx("user '%s' is neither a number nor known", s);
		return -EINVAL;
	}
	*out = pw->pw_uid;
	return 0;
}

static int parse_group(const char *s, long long *out)
{
	struct group *gr;

	if (!parse_num(s, 0, out))
		return 0;
	gr = getgrnam(s);
	if (!gr) {
		search_warnx("group '%s' is neither a number nor known", s);
		return -EINVAL;
	}
	*out = gr->gr_gid;
	return 0;
}

/* The reading of the indexes: a block that may match goes to the pool. */
static int on_block(void *arg, const struct bin_block_index *ix)
{
	struct search *s = arg;

	if (s->stop)
		return 1; /* for on_record() to stop bin_decode() */
	/* with a checkpoint every event counts: the last one taken out is saved */
	if (!s->ck && !search_block(s->q, ix))
		return 0;
	s->stop = search_pool_block(s->pool, s->base, ix);
	return !!s->stop;
}

/* bin_decode() on the caller's thread decodes a block only to stop. */
static int on_stop(void *arg, const struct log_record *r)
{
	const struct search *s = arg;

	(void)r;
	return s->stop;
}

/* The type of an event's first record (its text's first "type=NAME"). */
static int first_type(const char *text, size_t len)
{
	const char *t = memmem(text, len, "type=", 5), *end;
	char name[64];

	if (!t)
		return 0;
	t += 5;
	end = t;
	while (end < text + len && *end != ' ' && *end != '\n')
		end++;
	if ((size_t)(end - t) >= sizeof(name))
		return 0;
	memcpy(name, t, end - t);
	name[end - t] = 0;
	return audit_name_to_msg_type(name);
}

/* texts held back from this size on are written past stdout's buffer */
#define DIRECT_WRITE (64 * 1024)

/* @len bytes to stdout, the small ones through its buffer; 0 or -EIO (errno set). */
static int write_out(const char *p, size_t len)
{
	ssize_t n;

	if (len < DIRECT_WRITE)
		return fwrite(p, 1, len, stdout) == len ? 0 : -EIO;
	if (fflush(stdout))
		return -EIO;
	while (len) {
		n = write(STDOUT_FILENO, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EIO;
		p += n;
		len -= n;
	}
	return 0;
}

/* Write the raw texts held back; 0 or -EIO. */
static int flush_pending(struct search *s)
{
	int rc;

	if (!s->pend_text)
		return 0;
	rc = write_out(s->pend, s->pend_len);
	search_text_unref(s->pend_text);
	s->pend_text = NULL;
	return rc;
}

/*
 * A raw text in a block's buffer: held back while the next ones follow it in the
 * same buffer, so that a block's texts are written with one call.
 */
static int out_raw(struct search *s, const char *text, size_t len, struct search_text *owner)
{
	int rc = 0;

	if (s->pend_text == owner && s->pend + s->pend_len == text) {
		s->pend_len += len;
	} else {
		rc = flush_pending(s);
		search_text_ref(owner);
		s->pend_text = owner;
		s->pend = text;
		s->pend_len = len;
	}
	if (!rc && s->line_buffered)
		rc = flush_pending(s);
	return rc;
}

/* An event's turn has come (ausearch's order): count it, print it. */
static int emit(void *arg, const char *text, size_t len, uint64_t sec, uint32_t msec,
		uint64_t serial, struct search_text *owner)
{
	struct search *s = arg;
	int rc;

	if (s->ck) {
		switch (search_checkpt_decide(s->ck, sec, msec, serial, first_type(text, len))) {
		case SEARCH_CK_PRINT:
			break;
		case SEARCH_CK_CORRUPT:
			return CK_BAD;
		default:
			return s->just_one ? STOP_FOUND : 0;
		}
	}
	s->matched++;
	if (!s->count_only) {
		if (s->raw && owner) {
			rc = out_raw(s, text, len, owner);
		} else {
			rc = flush_pending(s);
			if (!rc)
				rc = search_out_event(s->out, text, len, sec, msec, serial);
		}
		if (!rc && s->line_buffered && fflush(stdout))
			rc = -EIO;
		if (rc) {
			s->failed = 1;
			return rc;
		}
	}
	return s->just_one ? STOP_FOUND : 0;
}

/* On a worker: one record decoded, kept with its text when it matches. */
static int on_record(void *arg, struct search_batch *b, const struct log_record *r)
{
	const struct search *s = arg;
	const struct search_query *q = s->q;
	unsigned int one = r->kind == LOG_REC_DAEMON ? SEARCH_E_ONE : 0;
	char *text;
	int n, rc;

	/* ausearch drops the records out of -ts/-te as it reads them */
	if ((q->start && (time_t)r->stamp.sec < q->start) ||
	    (q->end && (time_t)r->stamp.sec > q->end))
		return 0;
	/* held for ausearch's order, but its text is not needed */
	if (!s->all && r->kind == LOG_REC_EVENT &&
	    !search_event_may_match(q, r->ev, &r->ident, r->key)) {
		n = search_batch_add(b, NULL, 0, &r->stamp, 0);
		if (!n && s->ck)
			search_batch_type(b, AUDIT_SYSCALL);
		return n;
	}
	/* counting every event: a match of no text */
	if (s->all && s->count_only && !s->ck)
		return search_batch_add(b, "", 0, &r->stamp, one);
	/* written where the block's texts go: kept without a copy */
	text = search_batch_room(b, TEXT_EVENT_MAX);
	if (!text)
		return -ENOMEM;
	if (r->kind == LOG_REC_EVENT)
		n = text_encode_event(text, TEXT_EVENT_MAX, r->ev, &r->stamp, &r->ident, r->key,
				      NULL);
	else
		n = text_encode_daemon(text, TEXT_EVENT_MAX, r->type, &r->stamp, r->fields, NULL);
	if (n < 0) {
		search_warnx("%s: a record cannot be written as text: %s", s->file, strerror(-n));
		return 0;
	}
	if (!s->all && !search_match(q, text, n, r->stamp.sec, r->stamp.serial))
		rc = search_batch_add(b, NULL, 0, &r->stamp, one);
	else
		rc = search_batch_add(b, text, n, &r->stamp, one);
	if (!rc && s->ck)
		search_batch_type(b, first_type(text, n));
	return rc;
}

/* Every event taken out in ausearch's order: the checkpoint's last event. */
static int seen(void *arg, uint64_t sec, uint32_t msec, uint64_t serial, int type)
{
	struct search *s = arg;

	search_checkpt_seen(s->ck, sec, msec, serial, type);
	return 0;
}

/* On the caller's thread, in the log's order. */
static int on_entry(void *arg, const struct search_entry *e, const char *text,
		    struct search_text *owner)
{
	struct search *s = arg;

	if (s->dump)
		return emit(s, text, e->len, e->sec, e->msec, e->serial, owner);
	return search_order_add(s->order, text, e->len, owner, e->sec, e->msec, e->serial,
				!!(e->flags & SEARCH_E_ONE), (int)e->type);
}

static void on_problem(void *arg, const struct bin_problem *p)
{
	struct search *s = arg;

	switch (p->kind) {
	case BIN_PROBLEM_TORN:
		s->torn = 1;
		search_warnx("%s: torn tail at offset %llu (%llu bytes not readable): %s; "
			     "everything before it was read",
			     s->file, (unsigned long long)p->offset, (unsigned long long)p->length,
			     p->reason);
		break;
	case BIN_PROBLEM_VERSION:
		search_warnx("%s: %llu bytes at offset %llu skipped: %s", s->file,
			     (unsigned long long)p->length, (unsigned long long)p->offset,
			     p->reason);
		break;
	default:
		search_warnx("%s: damaged data at offset %llu (%llu bytes skipped): %s", s->file,
			     (unsigned long long)p->offset, (unsigned long long)p->length,
			     p->reason);
		break;
	}
}

static int search_file(struct search *s, const char *path)
{
	struct bin_decode_ops ops = {on_stop, on_block, on_problem, NULL};
	struct search_input in;
	int rc, r;

	rc = search_input_open(path, &in);
	if (rc) {
		search_warnx("error opening %s (%s)", path, strerror(-rc));
		return rc;
	}
	s->file = strcmp(path, "-") ? path : "stdin";
	snprintf(s->last, sizeof(s->last), "%s", path);
	s->base = in.buf;
	rc = bin_decode(in.buf, in.len, &ops, s, NULL);
	/* every block of this input used before it is unmapped */
	r = search_pool_drain(s->pool);
	if (!rc)
		rc = r;
	search_input_free(&in);
	if (rc && s->failed)
		search_warnx("writing to stdout: %s", strerror(errno));
	return rc;
}

static int exists(const char *path)
{
	return access(path, R_OK) == 0;
}

/*
 * With a checkpoint, the logs from the one it names (ausearch looks for it from
 * audit.log up): return one past its number, or -1 when it is not among the
 * @count logs.
 */
static int checkpt_start(const struct search_checkpt *ck, const char *dir, char *path, char *lz,
			 size_t len, int count)
{
	int n;

	for (n = 0; n < count; n++) {
		if (n)
			snprintf(path, len, "%s/%s.%d", dir, LOG_BASE, n);
		else
			snprintf(path, len, "%s/%s", dir, LOG_BASE);
		snprintf(lz, len, "%s.lz4", path);
		if (search_checkpt_is_file(ck, path) ||
		    (!exists(path) && search_checkpt_is_file(ck, lz)))
			return n + 1;
	}
	return -1;
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
	if (s->ck && s->ck->loaded && !s->ck->timeonly) {
		n = checkpt_start(s->ck, dir, path, lz, len, n);
		if (n < 0) {
			rc = CK_BAD; /* the checkpoint's log is not there */
			goto out;
		}
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

/* An option's name in its short and long forms. */
static int opt(const char *a, const char *s, const char *l)
{
	return (s && !strcmp(a, s)) || (l && !strcmp(a, l));
}

/* ausearch's message for a --format it does not know. */
static int unknown_format(const char *v)
{
	fprintf(stderr, "Unknown option (%s)\n", v);
	return -EINVAL;
}

/* Options that take a value; return 1 when @a was one, 0 when not, <0 on error. */
static int parse_valued(struct search_query *q, int argc, char **argv, int *i, const char **input,
			enum search_format *fmt)
{
	const char *a = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
	long long n;
	int rc = 0;

	if (!v)
		return 0;
	if (opt(a, "-if", "--input")) {
		*input = v;
	} else if (opt(a, "-m", "--message")) {
		rc = query_add_types(q, argv[*i + 1]);
	} else if (opt(a, "-a", "--event")) {
		rc = parse_num(v, 0, &q->event_id);
	} else if (opt(a, "-c", "--comm")) {
		q->comm = v;
	} else if (opt(a, "-x", "--executable")) {
		q->exe = v;
	} else if (opt(a, "-f", "--file")) {
		q->file = v;
	} else if (opt(a, "-k", "--key")) {
		q->key = v;
	} else if (opt(a, "-tm", "--terminal")) {
		q->terminal = v;
	} else if (opt(a, "-n", "--node")) {
		if (q->nnodes < SEARCH_MAX_NODES)
			q->nodes[q->nnodes++] = v;
	} else if (opt(a, "-p", "--pid")) {
		rc = parse_num(v, 0, &q->pid);
	} else if (opt(a, "-pp", "--ppid")) {
		rc = parse_num(v, 0, &q->ppid);
	} else if (opt(a, "-sc", "--syscall")) {
		if (!parse_num(v, 0, &n)) {
			q->syscall = (int)n;
		} else {
			/* a name is the --arch given before it, or this machine's (ausearch) */
			if (q->machine == -1)
				q->machine = audit_detect_machine();
			q->syscall = audit_name_to_syscall(v, q->machine);
		}
		if (q->syscall < 0) {
			search_warnx("syscall %s not found", v);
			rc = -EINVAL;
		}
	} else if (opt(a, "--arch", NULL)) {
		/* ausearch's messages, word for word */
		if (q->machine != -1) {
			fputs(q->syscall != -1 ? "Arch needs to be defined before the syscall\n"
					       : "Arch is already defined\n",
			      stderr);
			return -EINVAL;
		}
		q->machine = audit_determine_machine(v);
		if (q->machine < 0) {
			fprintf(stderr, "Unknown arch %s\n", v);
			return -EINVAL;
		}
	} else if (opt(a, "-hn", "--host")) {
		/* remote host names: lauditd's records (syscalls) carry none */
		q->context = 1;
	} else if (opt(a, "-sv", "--success")) {
		if (!strcmp(v, "yes"))
			q->success = SEARCH_SUCCESS_YES;
		else if (strstr(v, "yes") || strstr(v, "no"))
			q->success = SEARCH_SUCCESS_NO;
		else
			rc = -EINVAL;
	} else if (opt(a, "-e", "--exit")) {
		q->exit_set = 1;
		if (parse_num(v, 1, &q->exit)) {
			q->exit = audit_name_to_errno(v);
			rc = q->exit ? 0 : -EINVAL;
		}
	} else if (opt(a, "--session", NULL)) {
		rc = parse_num(v, 1, &q->session);
		q->session = (unsigned int)q->session;
	} else if (opt(a, "-ui", "--uid")) {
		rc = parse_user(v, 0, &q->uid);
	} else if (opt(a, "-ue", "--uid-effective")) {
		rc = parse_user(v, 0, &q->euid);
	} else if (opt(a, "-ul", "--loginuid")) {
		rc = parse_user(v, 1, &q->loginuid);
	} else if (opt(a, "-ua", "--uid-all")) {
		rc = parse_user(v, 0, &q->uid);
		q->euid = q->loginuid = q->uid;
		q->any_uid = 1;
	} else if (opt(a, "-gi", "--gid")) {
		rc = parse_group(v, &q->gid);
	} else if (opt(a, "-ge", "--gid-effective")) {
		rc = parse_group(v, &q->egid);
	} else if (opt(a, "-ga", "--gid-all")) {
		rc = parse_group(v, &q->gid);
		q->egid = q->gid;
		q->any_gid = 1;
	} else if (opt(a, "-se", "--context") || opt(a, "-su", "--subject") ||
		   opt(a, "-o", "--object") || opt(a, "-uu", "--uuid") ||
		   opt(a, "-vm", "--vm-name")) {
		/* SELinux contexts, VM names and uuids: lauditd's records carry none */
		q->context = 1;
	} else if (opt(a, "-ts", "--start") || opt(a, "-te", "--end")) {
		int end = opt(a, "-te", "--end");

		rc = search_when(argc, argv, *i, end, end ? &q->end : &q->start);
		if (rc > 0) {
			*i += rc;
			return 1;
		}
	} else if (opt(a, "--format", NULL)) {
		/* ausearch's refusals, word for word: one format only */
		if (*fmt != SEARCH_FMT_DEFAULT) {
			fputs("Multiple output formats, use only 1\n", stderr);
			return -EINVAL;
		}
		if (!strcmp(v, "raw"))
			*fmt = SEARCH_FMT_RAW;
		else if (!strcmp(v, "interpret"))
			*fmt = SEARCH_FMT_INTERPRET;
		else if (!strcmp(v, "csv"))
			*fmt = SEARCH_FMT_CSV;
		else if (!strcmp(v, "text"))
			*fmt = SEARCH_FMT_TEXT;
		else if (!strcmp(v, "json"))
			*fmt = SEARCH_FMT_JSON;
		else if (strcmp(v, "default"))
			return unknown_format(v);
	} else {
		return 0;
	}
	if (rc) {
		search_warnx("%s %s: invalid value", a, v);
		return rc;
	}
	*i += 1;
	return 1;
}

int main(int argc, char **argv)
{
	static char outbuf[1 << 20];
	enum search_format fmt = SEARCH_FMT_DEFAULT;
	struct search_query q;
	static const struct search_pool_ops pool_ops = {on_record, on_entry, on_problem};
	struct search s = {.q = &q, .workers = -1};
	struct search_checkpt ck = {0};
	const char *input = NULL;
	char dir[4096];
	int i, rc, status, input_logs = 0, options = 0;
	unsigned int csv_extra = 0;
	struct stat sb;

	setlocale(LC_TIME, "");
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--verify"))
			return search_verify_main(argc, argv);
	search_query_init(&q);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!opt(a, "-if", "--input") && !opt(a, "--input-logs", NULL) &&
		    !opt(a, "-l", "--line-buffered") && !opt(a, "--threads", NULL))
			options++;
		if (opt(a, "-h", "--help")) {
			usage();
			return 0;
		} else if (opt(a, "-i", "--interpret")) {
			/* ausearch's refusal, word for word: a format given before */
			if (fmt != SEARCH_FMT_DEFAULT) {
				fprintf(stderr, "Conflicting output format %s\n", a);
				return 1;
			}
			fmt = SEARCH_FMT_INTERPRET;
		} else if (opt(a, "-r", "--raw")) {
			/* ausearch names --raw whichever form was given */
			if (fmt != SEARCH_FMT_DEFAULT) {
				fputs("Conflicting output format --raw\n", stderr);
				return 1;
			}
			fmt = SEARCH_FMT_RAW;
		} else if (opt(a, "-w", "--word")) {
			q.exact = 1;
		} else if (opt(a, "-l", "--line-buffered")) {
			s.line_buffered = 1;
		} else if (opt(a, "--just-one", NULL)) {
			s.just_one = 1;
		} else if (opt(a, "--count", NULL)) {
			s.count_only = 1;
		} else if (opt(a, "--input-logs", NULL)) {
			input_logs = 1;
		} else if (opt(a, "--extra-keys", NULL)) {
			csv_extra |= SEARCH_CSV_KEYS;
		} else if (opt(a, "--extra-labels", NULL)) {
			csv_extra |= SEARCH_CSV_LABELS;
		} else if (opt(a, "--extra-obj2", NULL)) {
			csv_extra |= SEARCH_CSV_OBJ2;
		} else if (opt(a, "--extra-time", NULL)) {
			csv_extra |= SEARCH_CSV_TIME;
		} else if (opt(a, "--checkpoint", NULL) && i + 1 < argc) {
			ck.path = argv[++i];
		} else if (opt(a, "-ts", "--start") && i + 1 < argc &&
			   !strcmp(argv[i + 1], "checkpoint")) {
			ck.timeonly = 1; /* the checkpoint's time, with --checkpoint */
			i++;
		} else if (opt(a, "--threads", NULL) && i + 1 < argc) {
			long long n;

			if (parse_num(argv[++i], 0, &n) || n > 64) {
				search_warnx("--threads %s: invalid value", argv[i]);
				return 1;
			}
			s.workers = (int)n;
		} else {
			rc = parse_valued(&q, argc, argv, &i, &input, &fmt);
			if (rc < 0)
				return 1;
			if (!rc) {
				search_warnx("%s: unknown option, or its value is missing", a);
				usage();
				return 1;
			}
		}
	}
	/* ausearch's check: --extra-obj2 alone goes with any format */
	if ((csv_extra & ~SEARCH_CSV_OBJ2) && fmt != SEARCH_FMT_CSV) {
		fputs("--extra options requires format to be csv\n", stderr);
		return 1;
	}
	/* the conversion every auditd tool reads: the log as lauditd's RAW text, in order */
	if (!options) {
		s.dump = 1;
		fmt = SEARCH_FMT_RAW;
	}
	s.all = s.dump || search_query_all(&q);
	s.raw = fmt == SEARCH_FMT_RAW;
	s.out = search_out_new(fmt, stdout);
	if (s.out)
		search_out_csv_extra(s.out, csv_extra);
	s.order = search_order_new(emit, &s);
	s.pool = search_pool_new(search_pool_workers(s.workers), &pool_ops, &s);
	if (!s.out || !s.order || !s.pool) {
		search_warnx("%s", strerror(errno));
		return 1;
	}
	if (ck.path) {
		if (search_checkpt_load(&ck, ck.path))
			return CK_BAD;
		s.ck = &ck;
		search_order_seen(s.order, seen);
	}
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	if (!input && !input_logs && !fstat(0, &sb) &&
	    (S_ISFIFO(sb.st_mode) || S_ISREG(sb.st_mode))) {
		/* as ausearch: without -if, a pipe on stdin is the input */
		rc = search_file(&s, "-");
		if (s.ck)
			fputs("Warning - checkpointing stdin is not supported", stderr);
		s.ck = NULL; /* nor written */
	} else {
		if (!input) {
			search_default_log_dir(dir, sizeof(dir));
			input = dir;
		}
		if (stat(input, &sb)) {
			search_warnx("error opening %s (%s)", input, strerror(errno));
			return 1;
		}
		rc = S_ISDIR(sb.st_mode) ? search_dir(&s, input) : search_file(&s, input);
	}
	/* with a checkpoint, the events not complete wait for the next search */
	if (!rc && !s.ck)
		rc = search_order_finish(s.order);
	if (rc == STOP_FOUND)
		rc = 0;
	/* the other errors are reported where they happen */
	if (rc == -ENOMEM)
		search_warnx("%s", strerror(ENOMEM));
	if (flush_pending(&s) && !rc) {
		s.failed = 1;
		search_warnx("writing to stdout: %s", strerror(errno));
		rc = -EIO;
	}
	/* the order's events and the pending texts hold the pool's buffers */
	search_order_free(s.order);
	if (s.count_only)
		printf("%lu\n", s.matched);
	if (fflush(stdout) && !s.failed) {
		search_warnx("writing to stdout: %s", strerror(errno));
		rc = -EIO;
	}
	search_pool_free(s.pool);
	search_out_free(s.out);
	status = rc == CK_BAD ? CK_BAD : rc ? 1 : 0;
	if (s.ck && rc != CK_BAD) {
		if (s.last[0])
			search_checkpt_file(&ck, s.last);
		if (!ck.failed && !rc)
			search_checkpt_save(&ck);
	}
	if (s.ck && (ck.failed || ck.corrupted))
		status = ck.corrupted ? 12 : 11;
	if (status)
		return status;
	if (!s.matched) {
		fprintf(stderr, "<no matches>\n");
		return 1;
	}
	return 0;
}
