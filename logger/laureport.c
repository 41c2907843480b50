/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * laureport: aureport 3.0.9's reports over lauditd's binary logs.
 *
 * The records are decoded and written as the RAW text lauditd would have logged,
 * those out of -ts/-te dropped as aureport drops their lines; the events come
 * out in aureport's order (the order of ausearch, logger/search_order.c); each
 * event's items are extracted as aureport extracts them (logger/report_parse.c)
 * and the report is made of them (logger/report_out.c).  The inputs and the time
 * forms are lausearch's (logger/search_input.c, logger/search_time.c).
 */
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "formats/binary.h"
#include "formats/text.h"
#include "logger/report.h"
#include "logger/search.h"

#define LOG_BASE "audit.log"

struct laureport {
	struct report_opts o;
	struct report *r;
	struct search_order *order;
	struct report_event ev;
	struct search_pool *pool;
	const void *base; /* the input being read */
	int stop;	  /* the pool's nonzero return: decoding ends */
	char *event;	  /* one event's text, to be parsed */
	const char *file;
	int found;
	/* aureport's range of time: the first record read, the last event of the last file */
	int have_first;
	uint64_t first_sec, last_sec;
	uint32_t first_msec, last_msec;
	/* the current file's first and last events */
	int file_events;
	uint64_t f_first_sec, f_last_sec;
	uint32_t f_first_msec, f_last_msec;
};

void search_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("laureport: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void usage(void)
{
	fputs("usage: laureport [options]\n"
	      "  -if, --input FILE|DIR   a binary log (plain or lz4) or a directory of them;\n"
	      "                          without it, stdin when it is a pipe, else the log\n"
	      "                          directory of " SEARCH_CONF_PATH "\n"
	      "  --input-logs            the log directory of the configuration\n"
	      "  (no report)             the summary report\n"
	      "  -au, --auth             -c, --config           -e, --event\n"
	      "  -f, --file              -h, --host             -k, --key\n"
	      "  -l, --login             -m, --mods             -n, --anomaly\n"
	      "  -p, --pid               -r, --response         -s, --syscall\n"
	      "  -t, --log               -tm, --terminal        -u, --user\n"
	      "  -x, --executable        --comm\n"
	      "  --summary               the totals of the report's object\n"
	      "  --failed, --success     only the failed, or the successful, events\n"
	      "  -i, --interpret         names for numbers\n"
	      "  -ts, --start [DATE] [TIME]   -te, --end [DATE] [TIME]\n",
	      stderr);
}

static void count_event(struct laureport *l, uint64_t sec, uint32_t msec)
{
	if (!l->file_events++) {
		l->f_first_sec = sec;
		l->f_first_msec = msec;
	}
	l->f_last_sec = sec;
	l->f_last_msec = msec;
}

/* An event's turn has come (aureport's order): its items, then the report. */
static int emit(void *arg, const char *text, size_t len, uint64_t sec, uint32_t msec,
		uint64_t serial, struct search_text *owner)
{
	struct laureport *l = arg;

	(void)owner; /* the text is parsed during the call */
	count_event(l, sec, msec);
	if (len >= TEXT_EVENT_MAX * 4)
		return 0;
	memcpy(l->event, text, len);
	l->event[len] = 0;
	l->ev.sec = sec;
	l->ev.msec = msec;
	l->ev.serial = serial;
	if (report_parse(&l->o, l->event, len, &l->ev))
		return 0;
	if (report_event(l->r, &l->ev))
		l->found = 1;
	return 0;
}

static int out_of_time(const struct laureport *l, uint64_t sec)
{
	return (l->o.start && (time_t)sec < l->o.start) || (l->o.end && (time_t)sec > l->o.end);
}

/* The reading of the indexes: a block that may hold a record of the range goes to the pool. */
static int on_block(void *arg, const struct bin_block_index *ix)
{
	struct laureport *l = arg;

	if (l->stop)
		return 1; /* for on_stop() to stop bin_decode() */
	/* the first record read is the range's start, whatever its time */
	if (l->have_first && ((l->o.start && ix->time_max / 1000 < (uint64_t)l->o.start) ||
			      (l->o.end && ix->time_min / 1000 > (uint64_t)l->o.end)))
		return 0;
	l->stop = search_pool_block(l->pool, l->base, ix);
	return !!l->stop;
}

/* bin_decode() on the caller's thread decodes a block only to stop. */
static int on_stop(void *arg, const struct log_record *r)
{
	const struct laureport *l = arg;

	(void)r;
	return l->stop;
}

/* On a worker: one record decoded, kept as text when it is in -ts/-te. */
static int on_record(void *arg, struct search_batch *b, const struct log_record *r)
{
	const struct laureport *l = arg;
	char *text;
	int n;

	if (out_of_time(l, r->stamp.sec))
		return search_batch_add(b, NULL, 0, &r->stamp, SEARCH_E_USER);
	text = search_batch_room(b, TEXT_EVENT_MAX);
	if (!text)
		return -ENOMEM;
	if (r->kind == LOG_REC_EVENT)
		n = text_encode_event(text, TEXT_EVENT_MAX, r->ev, &r->stamp, &r->ident, r->key,
				      NULL);
	else
		n = text_encode_daemon(text, TEXT_EVENT_MAX, r->type, &r->stamp, r->fields, NULL);
	if (n < 0) {
		search_warnx("%s: a record cannot be written as text: %s", l->file, strerror(-n));
		return 0;
	}
	return search_batch_add(b, text, n, &r->stamp,
				r->kind == LOG_REC_DAEMON ? SEARCH_E_ONE : 0);
}

/* On the caller's thread, in the log's order. */
static int on_entry(void *arg, const struct search_entry *e, const char *text,
		    struct search_text *owner)
{
	struct laureport *l = arg;
	int out = !!(e->flags & SEARCH_E_USER);

	/* aureport notes the first record read: out of -ts/-te, or any without -ts */
	if (!l->have_first && (out || !l->o.start)) {
		l->have_first = 1;
		l->first_sec = e->sec;
		l->first_msec = e->msec;
	}
	if (out)
		return 0;
	return search_order_add(l->order, text, e->len, owner, e->sec, e->msec, e->serial,
				!!(e->flags & SEARCH_E_ONE), (int)e->type);
}

static void on_problem(void *arg, const struct bin_problem *p)
{
	struct laureport *l = arg;

	search_warnx("%s: %s at offset %llu (%llu bytes not read): %s", l->file,
		     p->kind == BIN_PROBLEM_TORN ? "torn tail" : "damaged data",
		     (unsigned long long)p->offset, (unsigned long long)p->length, p->reason);
}

/* -t: the file's first and last events. */
static void print_file_range(const struct laureport *l, const char *name)
{
	char a[64], b[64];

	if (l->o.type != RPT_TIME)
		return;
	if (!l->file_events) {
		printf("%s: no records\n", name);
		return;
	}
	report_date(a, sizeof(a), (time_t)l->f_first_sec);
	report_date(b, sizeof(b), (time_t)l->f_last_sec);
	printf("%s: %s.%03u - %s.%03u\n", name, a, l->f_first_msec, b, l->f_last_msec);
}

/*
 * One input.  @name: as aureport names it; @last: the last input, at whose end
 * every event held is done.
 */
static int report_file(struct laureport *l, const char *path, const char *name, int last)
{
	struct bin_decode_ops ops = {on_stop, on_block, on_problem, NULL};
	struct search_input in;
	int rc, r;

	rc = search_input_open(path, &in);
	if (rc) {
		fprintf(stderr, "Error opening %s (%s)\n", name, strerror(-rc));
		return rc;
	}
	l->file = name;
	l->file_events = 0;
	l->base = in.buf;
	rc = bin_decode(in.buf, in.len, &ops, l, NULL);
	/* every block of this input used before it is unmapped */
	r = search_pool_drain(l->pool);
	if (!rc)
		rc = r;
	search_input_free(&in);
	if (!rc && last)
		rc = search_order_finish(l->order);
	if (rc)
		return rc;
	l->last_sec = l->file_events ? l->f_last_sec : 0;
	l->last_msec = l->file_events ? l->f_last_msec : 0;
	print_file_range(l, name);
	return 0;
}

/* @base, or @base.lz4 once the daemon compressed it. */
static int log_path(char *path, size_t cap, const char *base)
{
	snprintf(path, cap, "%s", base);
	if (!access(path, R_OK))
		return 0;
	snprintf(path, cap, "%s.lz4", base);
	return access(path, R_OK);
}

/*
 * A directory as aureport reads one: audit.log must be there; audit.log.N
 * (plain or lz4) down to audit.log.1 while they follow each other, then audit.log.
 */
static int report_dir(struct laureport *l, const char *dir, int note)
{
	size_t cap = strlen(dir) + sizeof(LOG_BASE) + 40;
	char *base = malloc(cap), *name = malloc(cap), *path = malloc(cap + 8);
	int num = 0, rc = 0;

	if (!base || !name || !path) {
		rc = -ENOMEM;
		goto out;
	}
	snprintf(base, cap, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", LOG_BASE);
	if (note)
		fprintf(stderr, "NOTE - using logs in %s\n", base);
	snprintf(name, cap, "%s", base);
	while (!log_path(path, cap + 8, name))
		snprintf(name, cap, "%s.%d", base, ++num);
	for (num--; !rc; num--) {
		if (num > 0)
			snprintf(name, cap, "%s.%d", base, num);
		else
			snprintf(name, cap, "%s", base);
		log_path(path, cap + 8, name);
		rc = report_file(l, path, name, num <= 0);
		if (num <= 0)
			break;
	}
out:
	free(base);
	free(name);
	free(path);
	return rc;
}

static int opt(const char *a, const char *s, const char *l)
{
	return (s && !strcmp(a, s)) || (l && !strcmp(a, l));
}

/* The reports: their options and the items each reads. */
static const struct {
	const char *s, *l;
	enum report_type type;
	unsigned int items;
} reports[] = {
	{"-au", "--auth", RPT_AUTH, ITEM_EXE | ITEM_HOST | ITEM_TERMINAL | ITEM_UID},
	{"-c", "--config", RPT_CONFIG, ITEM_AUID},
	{NULL, "--comm", RPT_COMM, ITEM_TERMINAL | ITEM_HOST | ITEM_COMM | ITEM_AUID},
	{"-e", "--event", RPT_EVENT, ITEM_AUID},
	{"-f", "--file", RPT_FILE, ITEM_FILE | ITEM_EXE | ITEM_AUID},
	{"-h", "--host", RPT_HOST, ITEM_HOST | ITEM_AUID},
	{"-k", "--key", RPT_KEY, ITEM_EXE | ITEM_KEY | ITEM_AUID},
	{"-l", "--login", RPT_LOGIN, ITEM_EXE | ITEM_HOST | ITEM_TERMINAL | ITEM_AUID},
	{"-m", "--mods", RPT_ACCT_MOD, ITEM_EXE | ITEM_HOST | ITEM_TERMINAL | ITEM_AUID},
	{"-n", "--anomaly", RPT_ANOMALY,
	 ITEM_TERMINAL | ITEM_HOST | ITEM_EXE | ITEM_COMM | ITEM_AUID},
	{"-p", "--pid", RPT_PID, ITEM_EXE | ITEM_AUID},
	{"-r", "--response", RPT_RESPONSE, 0},
	{"-s", "--syscall", RPT_SYSCALL, ITEM_COMM | ITEM_AUID},
	{"-t", "--log", RPT_TIME, 0},
	{"-tm", "--terminal", RPT_TERM, ITEM_TERMINAL | ITEM_HOST | ITEM_EXE | ITEM_AUID},
	{"-u", "--user", RPT_USER, ITEM_TERMINAL | ITEM_HOST | ITEM_EXE | ITEM_UID | ITEM_AUID},
	{"-x", "--executable", RPT_EXE, ITEM_TERMINAL | ITEM_HOST | ITEM_EXE | ITEM_AUID},
};

/* Return: 0, or -EINVAL (reported). */
static int parse_args(int argc, char **argv, struct report_opts *o, const char **input,
		      int *input_logs)
{
	int i, rc, sum = 0;
	size_t k;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		for (k = 0; k < sizeof(reports) / sizeof(reports[0]); k++)
			if (opt(a, reports[k].s, reports[k].l))
				break;
		if (k < sizeof(reports) / sizeof(reports[0])) {
			if (o->type) {
				fputs("Error - only one report can be specified", stderr);
				return -EINVAL;
			}
			o->type = reports[k].type;
			o->items = reports[k].items;
		} else if (opt(a, "-i", "--interpret")) {
			o->interpret = 1;
		} else if (opt(a, NULL, "--summary")) {
			sum = 1;
		} else if (opt(a, NULL, "--failed")) {
			o->failed = F_FAILED;
		} else if (opt(a, NULL, "--success")) {
			o->failed = F_SUCCESS;
		} else if (opt(a, NULL, "--input-logs")) {
			*input_logs = 1;
		} else if (opt(a, NULL, "--help")) {
			usage();
			exit(0);
		} else if (opt(a, "-if", "--input") && i + 1 < argc && argv[i + 1][0] != '-') {
			*input = argv[++i];
		} else if ((opt(a, "-ts", "--start") || opt(a, "-te", "--end")) && i + 1 < argc &&
			   argv[i + 1][0] != '-') {
			int end = opt(a, "-te", "--end");

			rc = search_when(argc, argv, i, end, end ? &o->end : &o->start);
			if (rc < 0)
				return rc;
			i += rc;
		} else {
			fprintf(stderr, "%s is an unsupported option\n", a);
			usage();
			return -EINVAL;
		}
	}
	if (!o->type) {
		o->type = RPT_SUMMARY;
		o->items = ITEM_FILE | ITEM_HOST | ITEM_TERMINAL | ITEM_EXE | ITEM_COMM | ITEM_KEY |
			   ITEM_AUID;
		sum = 1;
	}
	o->detail = sum ? D_SUM : D_DETAILED;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct search_pool_ops pool_ops = {on_record, on_entry, on_problem};
	static char outbuf[1 << 20];
	struct laureport l = {0};
	const char *input = NULL;
	char dir[4096];
	int rc, input_logs = 0;
	struct stat sb;

	setlocale(LC_ALL, "");
	if (parse_args(argc, argv, &l.o, &input, &input_logs))
		return 1;
	l.event = malloc(TEXT_EVENT_MAX * 4 + 1);
	l.r = report_new(&l.o);
	l.order = search_order_new(emit, &l);
	l.pool = search_pool_new(search_pool_workers(-1), &pool_ops, &l);
	if (!l.event || !l.r || !l.order || !l.pool)
		return 1;
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	if (report_title(l.r)) {
		rc = -EINVAL;
	} else if (input) {
		if (stat(input, &sb)) {
			fflush(stdout);
			perror("stat");
			return 1;
		}
		if (S_ISDIR(sb.st_mode))
			rc = report_dir(&l, input, 1);
		else
			rc = report_file(&l, input, input, 1);
	} else if (!input_logs && !fstat(0, &sb) && S_ISFIFO(sb.st_mode)) {
		rc = report_file(&l, "-", "stdin", 1);
	} else {
		search_default_log_dir(dir, sizeof(dir));
		rc = report_dir(&l, dir, 0);
	}
	if (!rc) {
		if (!l.found && l.o.detail == D_DETAILED && l.o.type != RPT_TIME) {
			fputs("<no events of interest were found>\n\n", stdout);
			rc = 1;
		} else {
			report_wrap_up(l.r, (time_t)l.first_sec, l.first_msec, (time_t)l.last_sec,
				       l.last_msec);
		}
	}
	if (fflush(stdout)) {
		search_warnx("writing to stdout: %s", strerror(errno));
		rc = 1;
	}
	/* the order's events hold the pool's buffers */
	search_order_free(l.order);
	search_pool_free(l.pool);
	free(l.event);
	report_event_free(&l.ev);
	report_free(l.r);
	return rc ? 1 : 0;
}
