// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * audit.rules parser: the lines of a rule file read as `auditctl -R` (audit 3.0.9) reads
 * them, each turned into the struct audit_rule_data auditctl would send, then checked and
 * applied as the kernel would (kernel/auditfilter.c: audit_data_to_entry, audit_field_valid,
 * audit_add_rule, audit_del_rule).
 *
 * A line is split on spaces ("\ " keeps a space in a word), then read as getopt_long reads
 * auditctl's arguments: options may be clustered (-ic) or carry their value attached
 * (-Fauid>=1000), words that are no option's value are out of place. Names (syscalls,
 * fields, errnos, message types, file and file system types, machines) are libaudit's.
 *
 * This file reads the lines and their words, and runs each line's options in order
 * (auditctl's setopt and handle_request); what each option does is in rules_opt.c, -F and
 * -C in rules_field.c, the kernel's side in rules_kernel.c.
 *
 * Pure: nothing here touches the file system or the user database; struct rules_env
 * answers for the machine.
 */
#include "conf/rules_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libaudit.h>

/* auditctl reads a file with fgets into a buffer of this size: longer lines are cut */
#define LINE_SIZE 6144

/* Record the line's first error; returns V_ERROR */
int rules_fail(struct line *l, unsigned int col, const char *fmt, ...)
{
	va_list ap;

	if (l->failed)
		return V_ERROR;
	l->failed = true;
	l->col = col;
	va_start(ap, fmt);
	vsnprintf(l->msg, sizeof(l->msg), fmt, ap);
	va_end(ap);
	return V_ERROR;
}

void rules_warn(struct line *l, unsigned int col, const char *fmt, ...)
{
	struct rules_error e = {.file = l->file, .line = l->lineno, .column = col, .warning = 1};
	va_list ap;

	if (!l->report)
		return;
	va_start(ap, fmt);
	vsnprintf(e.message, sizeof(e.message), fmt, ap);
	va_end(ap);
	l->report(&e, l->arg);
}

int rules_reserve(struct line *l, size_t extra)
{
	size_t need = sizeof(*l->rule) + l->rule->buflen + extra;
	struct audit_rule_data *r;

	if (need <= l->rule_cap)
		return 0;
	r = realloc(l->rule, need);
	if (!r) {
		l->nomem = 1;
		return -ENOMEM;
	}
	l->rule = r;
	l->rule_cap = need;
	return 0;
}

/* auditctl's long options */
static const struct {
	const char *name;
	bool has_arg;
	int val;
} long_opts[] = {
	{"loginuid-immutable", false, OPT_LOGINUID_IMMUTABLE},
	{"backlog_wait_time", true, OPT_BACKLOG_WAIT_TIME},
	{"reset-lost", false, OPT_RESET_LOST},
	{"reset_backlog_wait_time_actual", false, OPT_RESET_BACKLOG_WAIT_TIME_ACTUAL},
	{"signal", true, OPT_SIGNAL},
};

/* auditctl's short options; a ':' after a letter: it takes a value */
static const char short_opts[] = "hicslDvtC:e:f:r:b:a:A:d:S:F:m:R:w:W:k:p:q:";

static int long_opt(struct line *l, struct opts *g, char *w)
{
	char *eq = strchr(w, '=');
	size_t n = eq ? (size_t)(eq - w) : strlen(w);
	int found = -1, matches = 0;
	size_t i;

	for (i = 0; i < sizeof(long_opts) / sizeof(long_opts[0]); i++) {
		if (strncmp(long_opts[i].name, w, n))
			continue;
		if (strlen(long_opts[i].name) == n) {
			found = (int)i;
			matches = 1;
			break;
		}
		found = (int)i;
		matches++;
	}
	g->optind = g->word + 1;
	if (matches != 1)
		return '?';
	if (long_opts[found].has_arg) {
		if (eq) {
			g->optarg = eq + 1;
		} else if (g->optind < l->argc) {
			g->optarg = l->argv[g->optind++].s;
		} else {
			return '?';
		}
	} else if (eq) {
		return '?';
	}
	return long_opts[found].val;
}

/* The next option, '?' for one not known or lacking its value, -1 at the end */
static int next_opt(struct line *l, struct opts *g)
{
	const char *spec;
	char *w;
	int c;

	g->optarg = NULL;
	if (!g->nextchar) {
		while (g->optind < l->argc) {
			w = l->argv[g->optind].s;
			if (strcmp(w, "--") == 0) {
				if (++g->optind < l->argc && !g->nonopt)
					g->nonopt = g->optind;
				return -1;
			}
			if (w[0] == '-' && w[1])
				break;
			if (!g->nonopt)
				g->nonopt = g->optind;
			g->optind++;
		}
		if (g->optind >= l->argc)
			return -1;
		g->any = true;
		g->word = g->optind;
		w = l->argv[g->word].s;
		if (w[1] == '-')
			return long_opt(l, g, w + 2);
		g->nextchar = 1;
	}
	w = l->argv[g->word].s;
	c = (unsigned char)w[g->nextchar++];
	if (!w[g->nextchar]) {
		g->nextchar = 0;
		g->optind = g->word + 1;
	}
	spec = c == ':' ? NULL : strchr(short_opts, c);
	if (!spec)
		return '?';
	if (spec[1] != ':')
		return c;
	if (g->nextchar) {
		g->optarg = w + g->nextchar;
		g->nextchar = 0;
		g->optind = g->word + 1;
	} else if (g->optind < l->argc) {
		g->optarg = l->argv[g->optind++].s;
	} else {
		return '?';
	}
	return c;
}

/* auditctl's setopt(): the line's options, in order, until one fails or is final */
static int setopt(struct line *l)
{
	struct opts g = {.optind = 1};
	int rc = V_REPLY, c = 0;

	while (rc >= 0 && (c = next_opt(l, &g)) != -1) {
		unsigned int col = l->argv[g.word].col;
		char *optarg = g.optarg;
		int prev = rc;

		switch (c) {
		case 'a':
		case 'A':
		case 'd':
			rc = rules_opt_add(l, col, c, optarg);
			break;
		case 'S':
			rc = rules_opt_syscall(l, col, optarg);
			break;
		case 'F':
		case 'C':
			rc = rules_opt_field(l, col, c, optarg);
			break;
		case 'w':
		case 'W':
			if (c == 'w' &&
			    (l->add != AUDIT_FILTER_UNSET || l->del != AUDIT_FILTER_UNSET)) {
				rc = rules_fail(l, col,
						"watch option can't be given with a syscall");
				break;
			}
			if (c == 'w')
				l->add = AUDIT_FILTER_EXIT;
			else
				l->del = AUDIT_FILTER_EXIT;
			l->action = AUDIT_ALWAYS;
			l->syscall_added = true;
			rc = rules_opt_watch(l, col, optarg);
			break;
		case 'k':
			if (!(l->syscall_added || l->perm_added || l->exe_added || l->fs_added) ||
			    (l->add == AUDIT_FILTER_UNSET && l->del == AUDIT_FILTER_UNSET)) {
				rc = rules_fail(
					l, col,
					"key option needs a watch or syscall given prior to it");
				break;
			}
			if (rules_add_key(l, col, optarg))
				rc = V_ERROR;
			break;
		case 'p':
			if (l->add == AUDIT_FILTER_UNSET && l->del == AUDIT_FILTER_UNSET)
				rc = rules_fail(
					l, col,
					"permission option needs a watch given prior to it");
			else
				rc = rules_opt_perms(l, col, optarg);
			break;
		default:
			rc = rules_opt_other(l, col, c, optarg, &g);
			break;
		}
		/* as in auditctl, an option that needs no answer leaves the verdict as it was */
		if (rc == V_REPLY)
			rc = prev;
		if (rc == V_DEPRECATED)
			return rc;
		if (l->nomem)
			return V_ERROR;
	}
	if (!g.any && g.nonopt && rc != V_ERROR) {
		rc = rules_fail(l, l->argv[1].col, "A rule line must start with an option");
	} else if (rc != V_ERROR && c == -1 && g.nonopt) {
		rc = rules_fail(l, l->argv[g.nonopt].col,
				"parameter passed without an option given");
	} else if (rc != V_ERROR && c != -1 && g.optind < l->argc) {
		rc = rules_fail(l, l->argv[g.optind].col,
				"parameter passed without an option given");
	}
	if (l->key[0] && !l->list_requested) {
		char pair[sizeof("key=") + AUDIT_MAX_KEY_LEN];
		int flags = rules_list_flags(l), r;

		snprintf(pair, sizeof(pair), "key=%s", l->key);
		r = rules_field_pair(l, pair, flags == AUDIT_FILTER_UNSET ? 0 : flags);
		if (r == -EAU_NOMEM)
			return V_ERROR;
		if (r && r != -EAU_PRINT_NOTHING)
			rc = rules_fail_eau(l, l->argv[1].col, -r, pair);
		else if (r)
			rc = V_ERROR;
	}
	return rc;
}

static int handle_request(struct line *l, int status, const char *file, unsigned int lineno)
{
	switch (status) {
	case V_REPLY:
		if (l->syscall_added)
			return rules_fail(l, l->argv[1].col, "Error - no list specified");
		return V_DONE;
	case V_DONE:
	case V_DEPRECATED:
		return V_DONE;
	case V_RULE:
		return rules_send(l, file, lineno);
	default:
		return V_ERROR;
	}
}

/* preprocess(): "\ " and "\\" become markers that the split leaves alone */
static void mark_escapes(char *buf)
{
	bool esc = false;
	size_t i;

	for (i = 0; buf[i]; i++) {
		if (buf[i] == '\\' && !esc) {
			esc = true;
			continue;
		}
		if (esc && buf[i] == ' ')
			buf[i] = buf[i - 1] = 0x07;
		else if (esc && buf[i] == '\\')
			buf[i] = buf[i - 1] = 0x04;
		esc = false;
	}
}

/* postprocess(): each marker pair back to the character it stands for */
static void unmark_escapes(char *s)
{
	char *in = s, *out = s;

	while (*in) {
		if (*in == 0x07 || *in == 0x04) {
			*out++ = *in == 0x07 ? ' ' : '\\';
			in += in[1] ? 2 : 1;
			continue;
		}
		*out++ = *in++;
	}
	*out = 0;
}

/* One line (NUL-terminated, writable): 0 accepted or skipped, 1 refused */
static int parse_line(struct line *l, char *buf)
{
	size_t idx = 0, nf = strlen(buf) / 3 + 3;
	char *p;
	int rc, i;

	while (buf[idx] == ' ')
		idx++;
	if (!buf[idx])
		return 0;
	mark_escapes(buf);
	l->argc = 0;
	l->argv[l->argc++] = (struct word){.s = (char *)"auditctl", .col = 1};
	for (p = buf;;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (l->argc == 1 && *p == '#')
			return 0;
		if ((size_t)l->argc >= nf - 1)
			break;
		l->argv[l->argc].s = p;
		l->argv[l->argc].col = (unsigned int)(p - buf) + 1;
		l->argc++;
		p += strcspn(p, " ");
		if (*p)
			*p++ = 0;
	}
	for (i = 2; i < l->argc; i++)
		unmark_escapes(l->argv[i].s);
	l->rule = calloc(1, sizeof(*l->rule));
	if (!l->rule) {
		l->nomem = 1;
		return 1;
	}
	l->rule_cap = sizeof(*l->rule);
	l->add = l->del = AUDIT_FILTER_UNSET;
	l->action = -1;
	l->keylen = AUDIT_MAX_KEY_LEN;
	rc = setopt(l);
	if (rc != V_DEPRECATED)
		rc = handle_request(l, rc, l->file, l->lineno);
	free(l->rule);
	l->rule = NULL;
	return rc == V_ERROR;
}

void rules_set_init(struct rules_set *s)
{
	memset(s, 0, sizeof(*s));
	s->ctl.enabled = -1;
	s->ctl.failure = -1;
	s->ctl.backlog_limit = -1;
	s->ctl.rate_limit = -1;
	s->ctl.backlog_wait_time = -1;
}

void rules_set_free(struct rules_set *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->count; i++)
		free(s->rule[i].data);
	free(s->rule);
	rules_set_init(s);
}

int rules_parse(struct rules_set *s, const char *buf, size_t len, const char *file,
		const struct rules_origin *origin, size_t norigin, const struct rules_env *env,
		void (*report)(const struct rules_error *e, void *arg), void *arg)
{
	char line[LINE_SIZE];
	struct word *argv;
	size_t pos = 0;
	unsigned int lineno = 0;
	int rc = 0;

	argv = malloc((LINE_SIZE / 3 + 4) * sizeof(*argv));
	if (!argv)
		return -ENOMEM;
	while (pos < len && !s->stopped) {
		/* fgets: up to a newline or LINE_SIZE - 1 bytes */
		size_t n = 0, cut;
		struct line l = {.s = s, .env = env, .argv = argv, .report = report, .arg = arg};

		while (pos + n < len && n < LINE_SIZE - 1) {
			if (buf[pos + n++] == '\n')
				break;
		}
		memcpy(line, buf + pos, n);
		line[n] = 0;
		pos += n;
		lineno++;
		cut = strcspn(line, "\n");
		line[cut] = 0;
		l.file = file;
		l.lineno = lineno;
		if (origin && lineno <= norigin) {
			l.file = origin[lineno - 1].file;
			l.lineno = origin[lineno - 1].line;
		}
		if (!parse_line(&l, line))
			continue;
		if (l.nomem) {
			rc = -ENOMEM;
			break;
		}
		s->refused++;
		rc = -EINVAL;
		if (report) {
			struct rules_error e = {
				.file = l.file, .line = l.lineno, .column = l.col ? l.col : 1};

			snprintf(e.message, sizeof(e.message), "%s",
				 l.failed ? l.msg : "There was an error in this line");
			report(&e, arg);
		}
		if (!s->ctl.ignore_errors)
			s->stopped = 1;
	}
	free(argv);
	return rc;
}

int rules_verdict(const struct rules_set *s)
{
	if (s->refused && (!s->ctl.ignore_errors || s->ctl.continue_errors || s->stopped))
		return -EINVAL;
	return 0;
}
