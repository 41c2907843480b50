// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The daemon's rule set and what changes it.  A change request is parsed one line at a
 * time with the parser of the rule files (conf/rules.c), so that each change is logged
 * in the order it was made: the rules a line removed are those of the set before it
 * that are gone after it, the rule it added the one that is new.
 */
#include "logger/ruleset.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libaudit.h>

#include "formats/text.h"
#include "logger/action.h"
#include "logger/capture.h"
#include "logger/counters.h"
#include "logger/daemon.h"
#include "logger/log.h"
#include "logger/rules_load.h"

/* The kernel's values of the settings the rules leave unset (kernel/audit.c) */
#define DEFAULT_FAILURE		  AUDIT_FAIL_PRINTK
#define DEFAULT_BACKLOG_LIMIT	  64
#define DEFAULT_BACKLOG_WAIT_TIME 60000

static pthread_mutex_t set_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rules_set set;
static int halted;

__attribute__((weak)) void rules_changed(const struct rules_set *s)
{
	(void)s;
}

static void log_error(const struct rules_error *e, void *arg)
{
	(void)arg;
	if (!e->line)
		log_warnx("%s", e->message);
	else
		log_warnx("%s:%u:%u: %s%s", e->file, e->line, e->column,
			  e->warning ? "warning: " : "", e->message);
}

static int effective(int64_t v, int64_t dflt)
{
	return (int)(v < 0 ? dflt : v);
}

int ruleset_load(struct daemon *d)
{
	int rc;

	pthread_mutex_lock(&set_lock);
	rules_set_init(&set);
	rc = rules_load(d->conf_dir, &set, log_error, NULL);
	if (rc == -EINVAL)
		rc = rules_verdict(&set);
	if (rc == 0 || rc == -EINVAL)
		log_info("%zu audit rules loaded%s", set.count,
			 set.refused ? ", some lines refused" : "");
	d->failure = effective(set.ctl.failure, DEFAULT_FAILURE);
	rules_changed(&set);
	pthread_mutex_unlock(&set_lock);
	if (rc == -EPERM)
		log_warnx("not starting: a rule file was refused");
	else if (rc == -EINVAL)
		log_warnx("not starting: the rules did not load (auditctl -R would fail)");
	else if (rc)
		log_warnx("not starting: reading the rules: %s", strerror(-rc));
	return rc ? -1 : 0;
}

void ruleset_changed(void)
{
	pthread_mutex_lock(&set_lock);
	rules_changed(&set);
	pthread_mutex_unlock(&set_lock);
}

void ruleset_free(void)
{
	pthread_mutex_lock(&set_lock);
	rules_set_free(&set);
	pthread_mutex_unlock(&set_lock);
}

unsigned int ruleset_ring_kb(unsigned int dflt)
{
	uint64_t want, kb = 64;

	pthread_mutex_lock(&set_lock);
	want = set.ctl.backlog_limit > 0 ? (uint64_t)set.ctl.backlog_limit : 0;
	pthread_mutex_unlock(&set_lock);
	if (!want)
		return dflt;
	want = want * RULESET_RECORD_BYTES / 1024;
	while (kb < want && kb < 1048576)
		kb *= 2;
	return (unsigned int)kb;
}

void ruleset_lost(struct daemon *d, uint64_t lost)
{
	char *argv[] = {"/sbin/init", "0", NULL};

	if (!lost || d->failure != AUDIT_FAIL_PANIC || halted)
		return;
	halted = 1;
	log_warnx("%" PRIu64 " records lost and the rules say -f 2: halting the system", lost);
	action_spawn(argv);
}

/* A reply being built */
struct reply {
	struct ctl_buf *b;
	int err;
};

static void say(struct reply *r, int stream, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(struct reply *r, int stream, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		r->err = -ENOMEM;
		return;
	}
	if (!r->err)
		r->err = ctlproto_put_text(r->b, stream, s, (size_t)n);
	free(s);
}

static bool is_string_field(unsigned int f)
{
	return (f >= AUDIT_SUBJ_USER && f <= AUDIT_OBJ_LEV_HIGH && f != AUDIT_PPID) ||
	       f == AUDIT_WATCH || f == AUDIT_DIR || f == AUDIT_FILTERKEY || f == AUDIT_EXE;
}

/* What a CONFIG_CHANGE record says of a rule: its key as the kernel writes it, its list */
struct rule_note {
	const struct audit_rule_data *data; /* identity only: may be freed since */
	unsigned int list;
	char key[2 * AUDIT_MAX_KEY_LEN + 3];
};

static void note_rule(struct rule_note *n, const struct audit_rule_data *r)
{
	size_t off = 0;
	unsigned int i;
	int len;

	n->data = r;
	n->list = r->flags & ~AUDIT_FILTER_PREPEND;
	snprintf(n->key, sizeof(n->key), "(null)");
	for (i = 0; i < r->field_count; i++) {
		if (r->fields[i] == AUDIT_FILTERKEY) {
			len = text_encode_untrusted(n->key, sizeof(n->key) - 1, r->buf + off,
						    r->values[i]);
			n->key[len > 0 ? len : 0] = 0;
			return;
		}
		if (is_string_field(r->fields[i]))
			off += r->values[i];
	}
}

static void put_rule_change(struct daemon *d, const struct ctl_peer *p, const char *op,
			    const struct rule_note *n)
{
	char fields[sizeof(n->key) + 128];

	snprintf(fields, sizeof(fields), "auid=%u ses=%u op=%s key=%s list=%u res=1", p->auid,
		 p->ses, op, n->key, n->list);
	daemon_put(d, "CONFIG_CHANGE", fields);
}

/* The settings a line may set, as the kernel names them in its CONFIG_CHANGE records */
static const struct {
	const char *name;
	size_t off;
	int64_t dflt;
} settings[] = {
	{"audit_enabled", offsetof(struct rules_control, enabled), 1},
	{"audit_failure", offsetof(struct rules_control, failure), DEFAULT_FAILURE},
	{"audit_backlog_limit", offsetof(struct rules_control, backlog_limit),
	 DEFAULT_BACKLOG_LIMIT},
	{"audit_rate_limit", offsetof(struct rules_control, rate_limit), 0},
	{"audit_backlog_wait_time", offsetof(struct rules_control, backlog_wait_time),
	 DEFAULT_BACKLOG_WAIT_TIME},
};

/* A setting of @c, unset being -1 (enabled and failure are int, the others int64_t) */
static int64_t setting(const struct rules_control *c, size_t i)
{
	const char *p = (const char *)c + settings[i].off;

	return i < 2 ? *(const int *)p : *(const int64_t *)p;
}

static void set_setting(struct rules_control *c, size_t i, int64_t v)
{
	char *p = (char *)c + settings[i].off;

	if (i < 2)
		*(int *)p = (int)v;
	else
		*(int64_t *)p = v;
}

#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))
/* A setting the line has not set (the parser only ever stores 0 and up) */
#define NOT_SET (-2)

/* The refused line's message goes back to lauditctl as auditctl prints it */
static void reply_error(const struct rules_error *e, void *arg)
{
	say(arg, 2, "%s", e->message);
}

/* "add_rule" or "remove_rule" for a line that adds or removes rules, NULL for another */
static const char *rule_op(const char *line)
{
	line += strspn(line, " \t");
	if (line[0] != '-')
		return NULL;
	if (line[1] && strchr("aAw", line[1]))
		return "add_rule";
	if (line[1] && strchr("dDW", line[1]))
		return "remove_rule";
	return NULL;
}

/*
 * One line of a request against the set, its changes logged.  @file, @lineno: where the
 * line comes from.  Return: 0, or -EINVAL if it was refused.
 */
static int change_line(struct daemon *d, const struct ctl_peer *p, const char *line,
		       const char *file, unsigned int lineno, struct reply *r)
{
	struct rules_origin origin = {.file = file, .line = lineno};
	int64_t old[NSETTINGS];
	struct rule_note *before;
	size_t nbefore = set.count, i, j;
	int rc, enabled;

	before = calloc(nbefore ? nbefore : 1, sizeof(*before));
	if (!before) {
		r->err = -ENOMEM;
		return -EINVAL;
	}
	for (i = 0; i < nbefore; i++)
		note_rule(&before[i], set.rule[i].data);
	/* -e 2 is checked by the parser against enabled: that one keeps its value */
	for (i = 0; i < NSETTINGS; i++) {
		old[i] = setting(&set.ctl, i);
		if (i > 0 || old[i] != 2)
			set_setting(&set.ctl, i, NOT_SET);
	}
	rc = rules_parse(&set, line, strlen(line), file, &origin, 1, rules_load_env(), reply_error,
			 r);
	enabled = effective(old[0], 1);
	/* the kernel logs rule changes only while auditing is enabled */
	for (i = 0; i < nbefore && enabled; i++) {
		for (j = 0; j < set.count && set.rule[j].data != before[i].data; j++)
			;
		if (j == set.count)
			put_rule_change(d, p, "remove_rule", &before[i]);
	}
	for (j = 0; j < set.count && enabled; j++) {
		for (i = 0; i < nbefore && set.rule[j].data != before[i].data; i++)
			;
		if (i == nbefore) {
			struct rule_note n;

			note_rule(&n, set.rule[j].data);
			put_rule_change(d, p, "add_rule", &n);
		}
	}
	for (i = 0; i < NSETTINGS; i++) {
		int64_t now = setting(&set.ctl, i);
		char fields[192];

		if (now == NOT_SET || (i == 0 && old[i] == 2)) {
			set_setting(&set.ctl, i, old[i]);
			continue;
		}
		snprintf(fields, sizeof(fields),
			 "op=set %s=%" PRId64 " old=%" PRId64 " auid=%u ses=%u res=1",
			 settings[i].name, now, old[i] < 0 ? settings[i].dflt : old[i], p->auid,
			 p->ses);
		daemon_put(d, "CONFIG_CHANGE", fields);
	}
	if (rc == -EINVAL && old[0] == 2 && rule_op(line)) {
		/* the kernel's answer to a rule change while locked */
		const char *op = rule_op(line);
		char fields[192];

		snprintf(fields, sizeof(fields),
			 "pid=%d uid=%u auid=%u ses=%u op=%s audit_enabled=2 res=0", (int)p->pid,
			 (unsigned int)p->uid, p->auid, p->ses, op);
		daemon_put(d, "CONFIG_CHANGE", fields);
	}
	d->failure = effective(set.ctl.failure, DEFAULT_FAILURE);
	free(before);
	return rc == -EINVAL ? -EINVAL : 0;
}

/* Apply @text (lines of @file) to the set, as auditctl -R does; the exit status */
static int change(struct daemon *d, const struct ctl_peer *p, const char *text, const char *file,
		  struct reply *r)
{
	const char *s = text;
	unsigned int lineno = 0;
	int failed = 0;
	char *line;

	pthread_mutex_lock(&set_lock);
	/* a request starts as an auditctl run does: no -i, no -c */
	set.ctl.ignore_errors = set.ctl.continue_errors = 0;
	set.refused = 0;
	set.stopped = 0;
	while (*s && !set.stopped && !r->err) {
		size_t n = strcspn(s, "\n");

		lineno++;
		line = strndup(s, n);
		if (!line) {
			r->err = -ENOMEM;
			break;
		}
		if (change_line(d, p, line, file, lineno, r))
			failed = 1;
		free(line);
		s += n + (s[n] == '\n');
	}
	if (failed && !rules_verdict(&set))
		failed = 0;
	rules_changed(&set);
	pthread_mutex_unlock(&set_lock);
	return failed ? 1 : 0;
}

static void put_status(struct daemon *d, struct reply *r)
{
	uint64_t lost = 0, by[LA_CNT__MAX] = {0};
	struct rules_control c;
	int nr, k;

	pthread_mutex_lock(&set_lock);
	c = set.ctl;
	pthread_mutex_unlock(&set_lock);
	if (!capture_counts(d->cap, d->cur))
		for (nr = 0; nr < LA_NR_MAX; nr++)
			for (k = 0; k < LA_CNT__MAX; k++)
				by[k] += d->cur[nr].n[k];
	for (k = 0; k < LA_CNT__MAX; k++)
		if (counter_info[k].loss)
			lost += by[k];
	say(r, 1, "enabled %d", effective(c.enabled, 1));
	say(r, 1, "failure %d", effective(c.failure, DEFAULT_FAILURE));
	say(r, 1, "pid %d", (int)getpid());
	say(r, 1, "rate_limit %d", effective(c.rate_limit, 0));
	say(r, 1, "backlog_limit %d", effective(c.backlog_limit, DEFAULT_BACKLOG_LIMIT));
	say(r, 1, "lost %" PRIu64, lost);
	say(r, 1, "backlog 0");
	say(r, 1, "backlog_wait_time %d",
	    effective(c.backlog_wait_time, DEFAULT_BACKLOG_WAIT_TIME));
	say(r, 1, "backlog_wait_time_actual 0");
	say(r, 1, "loginuid_immutable %d %s", c.loginuid_immutable > 0,
	    c.loginuid_immutable > 0 ? "locked" : "unlocked");
	say(r, 1, "records %" PRIu64, by[LA_CNT_MADE]);
	for (k = 0; k < LA_CNT__MAX; k++)
		if (k != LA_CNT_MADE)
			say(r, 1, "%s%s %" PRIu64, counter_info[k].loss ? "lost_" : "",
			    counter_info[k].name, by[k]);
}

static void list(struct reply *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f) {
		r->err = -ENOMEM;
		return;
	}
	pthread_mutex_lock(&set_lock);
	rules_list(&set, f);
	pthread_mutex_unlock(&set_lock);
	if (fclose(f)) {
		r->err = -ENOMEM;
	} else if (!r->err) {
		r->err = ctlproto_put_text(r->b, 1, text, len);
	}
	free(text);
}

/* The arguments as one rule line: spaces and backslashes escaped as the rule files escape them */
static char *join_args(int argc, char **argv)
{
	size_t n = 1;
	char *line, *w;
	int i;

	for (i = 0; i < argc; i++)
		n += 2 * strlen(argv[i]) + 1;
	line = malloc(n);
	if (!line)
		return NULL;
	w = line;
	for (i = 0; i < argc; i++) {
		const char *s;

		if (i)
			*w++ = ' ';
		for (s = argv[i]; *s; s++) {
			if (*s == ' ' || *s == '\\')
				*w++ = '\\';
			*w++ = *s;
		}
	}
	*w = 0;
	return line;
}

int ruleset_request(struct daemon *d, const struct ctl_peer *peer, int argc, char **argv,
		    struct ctl_buf *reply)
{
	struct reply r = {.b = reply};
	int status = 0, i;
	char *line;

	for (i = 0; i < argc; i++) {
		if (strchr(argv[i], '\n') && !(i == 2 && !strcmp(argv[0], "-R"))) {
			say(&r, 2, "An argument holds a newline");
			status = 1;
			goto out;
		}
	}
	if (argc == 1 && !strcmp(argv[0], "-l")) {
		list(&r);
	} else if (argc == 1 && !strcmp(argv[0], "-s")) {
		put_status(d, &r);
	} else if (argc == 3 && !strcmp(argv[0], "-R")) {
		status = change(d, peer, argv[2], argv[1], &r);
	} else if (argc == 0) {
		say(&r, 2, "No options given");
		status = 1;
	} else {
		line = join_args(argc, argv);
		if (!line)
			return -ENOMEM;
		status = change(d, peer, line, "lauditctl", &r);
		free(line);
	}
out:
	if (!r.err)
		r.err = ctlproto_put_exit(reply, status);
	return r.err;
}
