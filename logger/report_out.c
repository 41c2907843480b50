/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * laureport's reports, laid out as aureport 3.0.9 lays them out: the title, a
 * numbered line per event of interest (detailed reports), or the totals, most
 * frequent first and in order of first sight among equals (summary reports).
 * aureport keeps its totals in lists searched from the head; here a hash finds
 * an entry, and a stable sort gives the same order.
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

#include <libaudit.h>

#include "logger/report.h"

#define NONE_AUID ((long long)(uint32_t)-2)
#define NONE_UID  ((long long)(uint32_t)-1)

/* Totals of strings or numbers, in order of first sight. */
struct tally_entry {
	char *str; /* NULL for numbers */
	long long num;
	unsigned long hits;
	size_t order;
};

struct tally {
	struct tally_entry *v;
	size_t n, cap;
	size_t *slots; /* hash: index + 1; 0 empty */
	size_t nslots;
};

struct report {
	struct report_opts o;
	unsigned int line_item;
	unsigned long changes, acct_changes, good_logins, bad_logins, good_auth, bad_auth;
	unsigned long events, avcs, mac, failed_syscalls, anomalies, responses, crypto, integ, virt;
	struct tally users, terms, hosts, exes, comms, files, keys, pids, syscalls, types;
};

static size_t hash_of(const char *s, long long num)
{
	size_t h = 1469598103934665603ULL;

	if (!s)
		return (size_t)num * 0x9e3779b97f4a7c15ULL;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static int tally_grow(struct tally *t)
{
	size_t i, j, ns = t->nslots ? t->nslots * 2 : 64;
	size_t *slots = calloc(ns, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < t->n; i++) {
		j = hash_of(t->v[i].str, t->v[i].num) & (ns - 1);
		while (slots[j])
			j = (j + 1) & (ns - 1);
		slots[j] = i + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = ns;
	return 0;
}

/* Count one more @str (or @num when @str is NULL). */
static void tally_add(struct tally *t, const char *str, long long num)
{
	struct tally_entry *e;
	size_t j;

	if ((t->n + 1) * 2 > t->nslots && tally_grow(t))
		return;
	j = hash_of(str, num) & (t->nslots - 1);
	for (; t->slots[j]; j = (j + 1) & (t->nslots - 1)) {
		e = &t->v[t->slots[j] - 1];
		if (str ? !strcmp(e->str, str) : e->num == num) {
			e->hits++;
			return;
		}
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct tally_entry *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return;
		t->v = v;
		t->cap = cap;
	}
	e = &t->v[t->n];
	e->str = str ? strdup(str) : NULL;
	e->num = num;
	e->hits = 1;
	e->order = t->n;
	t->slots[j] = ++t->n;
}

/* aureport's order: hits down; among equals, strings as first seen, numbers up. */
static int by_hits(const void *a, const void *b)
{
	const struct tally_entry *x = a, *y = b;

	if (x->hits != y->hits)
		return x->hits < y->hits ? 1 : -1;
	if (!x->str && x->num != y->num)
		return x->num < y->num ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void tally_free(struct tally *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].str);
	free(t->v);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

/* aureport's safe_print_string(): control bytes as \ooo; @nl: a newline after. */
static void print_safe(const char *s, int nl)
{
	const unsigned char *p;

	if (!s) {
		fputs("(null)", stdout);
		return;
	}
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p < 32)
			printf("\\%o%o%o", *p >> 6, (*p >> 3) & 7, *p & 7);
		else
			putchar(*p);
	}
	if (nl)
		putchar('\n');
}

static const char *success_name(int s)
{
	return s == S_FAILED ? "no" : s == S_SUCCESS ? "yes" : "unset";
}

/* aureport's aulookup_uid(): the number, or with -i the user's name. */
static const char *uid_name(const struct report *r, long long uid, char *buf, size_t cap)
{
	struct passwd *pw;

	if (!r->o.interpret) {
		snprintf(buf, cap, "%d", (int)uid);
	} else if ((int)uid == -1) {
		snprintf(buf, cap, "unset");
	} else {
		pw = getpwuid((uid_t)uid);
		if (pw)
			snprintf(buf, cap, "%s", pw->pw_name);
		else
			snprintf(buf, cap, "unknown(%d)", (int)uid);
	}
	return buf;
}

static const char *const sock_calls[] = {
	NULL,	       "socket",     "bind",	"connect", "listen",  "accept",	  "getsockname",
	"getpeername", "socketpair", "send",	"recv",	   "sendto",  "recvfrom", "shutdown",
	"setsockopt",  "getsockopt", "sendmsg", "recvmsg", "accept4", "recvmmsg", "sendmmsg",
};

static const char *ipc_call(unsigned long long c)
{
	static const struct {
		int nr;
		const char *name;
	} calls[] = {{1, "semop"},   {2, "semget"},  {3, "semctl"},  {4, "semtimedop"},
		     {11, "msgsnd"}, {12, "msgrcv"}, {13, "msgget"}, {14, "msgctl"},
		     {21, "shmat"},  {22, "shmdt"},  {23, "shmget"}, {24, "shmctl"}};
	size_t i;

	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if ((unsigned long long)calls[i].nr == c)
			return calls[i].name;
	return NULL;
}

/* aureport's aulookup_syscall(): the number, or with -i its name on the event's arch. */
static const char *syscall_name(const struct report *r, const struct report_event *e, char *buf,
				size_t cap)
{
	const char *name, *fn = NULL;
	int machine;

	if (!r->o.interpret) {
		snprintf(buf, cap, "%d", e->syscall);
		return buf;
	}
	machine = audit_elf_to_machine(e->arch);
	if (machine < 0)
		return "?";
	name = audit_syscall_to_name(e->syscall, machine);
	if (!name) {
		snprintf(buf, cap, "%d", e->syscall);
		return buf;
	}
	if (!strcmp(name, "socketcall") && e->a0 < sizeof(sock_calls) / sizeof(sock_calls[0]))
		fn = sock_calls[e->a0];
	else if (!strcmp(name, "ipc"))
		fn = ipc_call(e->a0);
	if (fn)
		snprintf(buf, cap, "%s(%s)", name, fn);
	else
		snprintf(buf, cap, "%s", name);
	return buf;
}

void report_date(char *buf, size_t cap, time_t t)
{
	struct tm tm;

	if (localtime_r(&t, &tm))
		strftime(buf, cap, "%x %T", &tm);
	else
		snprintf(buf, cap, "?");
}

struct report *report_new(const struct report_opts *o)
{
	struct report *r = calloc(1, sizeof(*r));

	if (r)
		r->o = *o;
	return r;
}

void report_free(struct report *r)
{
	if (!r)
		return;
	tally_free(&r->users);
	tally_free(&r->terms);
	tally_free(&r->hosts);
	tally_free(&r->exes);
	tally_free(&r->comms);
	tally_free(&r->files);
	tally_free(&r->keys);
	tally_free(&r->pids);
	tally_free(&r->syscalls);
	tally_free(&r->types);
	free(r);
}

static const char *const summary_titles[][2] = {
	[RPT_EVENT] = {"Event Summary Report\n", "======================\ntotal  type\n"},
	[RPT_FILE] = {"File Summary Report\n", "===========================\ntotal  file\n"},
	[RPT_EXE] = {"Executable Summary Report\n",
		     "=================================\ntotal  file\n"},
	[RPT_SYSCALL] = {"Syscall Summary Report\n",
			 "==========================\ntotal  syscall\n"},
	[RPT_PID] = {"Pid Summary Report\n", "==========================\ntotal  pid\n"},
	[RPT_KEY] = {"Key Summary Report\n", "===========================\ntotal  key\n"},
	[RPT_USER] = {"User Summary Report\n", "===========================\ntotal  auid\n"},
	[RPT_LOGIN] = {"Login Summary Report\n", "============================\ntotal  auid\n"},
	[RPT_ACCT_MOD] = {"Acct Modification Summary Report\n",
			  "================================\ntotal  type\n"},
	[RPT_ANOMALY] = {"Anomaly Summary Report\n", "======================\ntotal  type\n"},
	[RPT_RESPONSE] = {"Anomaly Response Summary Report\n",
			  "===============================\ntotal  type\n"},
	[RPT_TERM] = {"Terminal Summary Report\n",
		      "===============================\ntotal  terminal\n"},
	[RPT_HOST] = {"Host Summary Report\n", "===========================\ntotal  host\n"},
	[RPT_COMM] = {"Command Summary Report\n",
		      "=================================\ntotal  command\n"},
	[RPT_AUTH] = {"Authentication Summary Report\n",
		      "=============================\ntotal  acct\n"},
	[RPT_CONFIG] = {"Config Change Summary Report\n",
			"============================\ntotal  type\n"},
};

/* Detailed titles: the name and the column line, between rules of the given widths. */
static const struct {
	const char *name, *columns;
	int rule1, rule2;
} detailed_titles[] = {
	[RPT_TIME] = {"Log Time Range Report", NULL, 21, 0},
	[RPT_EVENT] = {"Event Report", "# date time event type auid success", 35, 35},
	[RPT_FILE] = {"File Report", "# date time file syscall success exe auid event", 47, 47},
	[RPT_EXE] = {"Executable Report", "# date time exe term host auid event", 36, 36},
	[RPT_SYSCALL] = {"Syscall Report", "# date time syscall pid comm auid event", 39, 39},
	[RPT_PID] = {"Process ID Report", "# date time pid exe syscall auid event", 38, 38},
	[RPT_KEY] = {"Key Report", "# date time key success exe auid event", 47, 47},
	[RPT_USER] = {"User ID Report", "# date time auid term host exe event", 36, 36},
	[RPT_LOGIN] = {"Login Report", "# date time auid host term exe success event", 44, 44},
	[RPT_ACCT_MOD] = {"Account Modifications Report",
			  "# date time auid addr term exe acct success event", 49, 49},
	[RPT_ANOMALY] = {"Anomaly Report", "# date time type exe term host auid event", 41, 41},
	[RPT_RESPONSE] = {"Response to Anomaly Report", "# date time type success event", 30, 30},
	[RPT_TERM] = {"Terminal Report", "# date time term host exe auid event", 36, 36},
	[RPT_HOST] = {"Host Report", "# date time host syscall auid event", 35, 35},
	[RPT_COMM] = {"Command Report", "# date time comm term host auid event", 36, 37},
	[RPT_AUTH] = {"Authentication Report", "# date time acct host term exe success event", 44,
		      44},
	[RPT_CONFIG] = {"Config Change Report", "# date time type auid success event", 35, 35},
};

static void rule(int n)
{
	while (n-- > 0)
		putchar('=');
	putchar('\n');
}

int report_title(const struct report *r)
{
	putchar('\n');
	if (r->o.detail == D_SUM) {
		/* aureport writes the prefix before it finds the report unimplemented */
		if (r->o.failed == F_FAILED)
			fputs("Failed ", stdout);
		if (r->o.failed == F_SUCCESS)
			fputs("Success ", stdout);
	}
	if (r->o.detail == D_SUM && r->o.type == RPT_TIME) {
		/* aureport has no summary of the log time range */
		fputs("Unimplemented option\n", stderr);
		return -EINVAL;
	}
	if (r->o.detail == D_SUM) {
		if (r->o.type == RPT_SUMMARY) {
			fputs("Summary Report\n======================\n", stdout);
		} else if (summary_titles[r->o.type][0]) {
			const char *t = summary_titles[r->o.type][1];

			fputs(summary_titles[r->o.type][0], stdout);
			/* the rule, the column names, the rule again */
			fputs(t, stdout);
			fwrite(t, 1, strchr(t, '\n') + 1 - t, stdout);
		}
		return 0;
	}
	printf("%s\n", detailed_titles[r->o.type].name);
	rule(detailed_titles[r->o.type].rule1);
	if (detailed_titles[r->o.type].columns) {
		printf("%s\n", detailed_titles[r->o.type].columns);
		rule(detailed_titles[r->o.type].rule2);
	}
	return 0;
}

/* The first file that is not a PARENT (a PATH's type= being all its record's rest). */
static const char *first_file(const struct report_event *e)
{
	int i = 0;

	if (e->nfiles > 1)
		while (i < e->nfiles && e->file_keys[i] && !strcmp(e->file_keys[i], "PARENT"))
			i++;
	return i < e->nfiles ? e->files[i] : "";
}

/* One event's line of a detailed report. */
static void print_line(struct report *r, const struct report_event *e)
{
	char date[64], name[64], sc[64];
	const char *auid = uid_name(r, e->loginuid, name, sizeof(name));

	report_date(date, sizeof(date), (time_t)e->sec);
	printf("%u. %s ", ++r->line_item, date);
	switch (r->o.type) {
	case RPT_EVENT:
		printf("%llu %s ", (unsigned long long)e->serial,
		       audit_msg_type_to_name(e->head_type));
		print_safe(auid, 0);
		printf(" %s\n", success_name(e->success));
		return;
	case RPT_FILE:
		print_safe(first_file(e), 0);
		printf(" %s %s ", syscall_name(r, e, sc, sizeof(sc)), success_name(e->success));
		print_safe(e->exe ? e->exe : "?", 0);
		putchar(' ');
		break;
	case RPT_HOST:
		printf("%s %s ", e->hostname, syscall_name(r, e, sc, sizeof(sc)));
		break;
	case RPT_PID:
		printf("%u ", (unsigned int)e->pid);
		print_safe(e->exe ? e->exe : "?", 0);
		printf(" %s ", syscall_name(r, e, sc, sizeof(sc)));
		break;
	case RPT_SYSCALL:
		printf("%s %u ", syscall_name(r, e, sc, sizeof(sc)), (unsigned int)e->pid);
		print_safe(e->comm ? e->comm : "?", 0);
		putchar(' ');
		break;
	case RPT_TERM:
		printf("%s %s ", e->terminal ? e->terminal : "(null)",
		       e->hostname ? e->hostname : "(null)");
		print_safe(e->exe, 0);
		putchar(' ');
		break;
	case RPT_USER:
		print_safe(auid, 0);
		printf(" %s %s ", e->terminal ? e->terminal : "?", e->hostname ? e->hostname : "?");
		print_safe(e->exe ? e->exe : "?", 0);
		printf(" %llu\n", (unsigned long long)e->serial);
		return;
	case RPT_EXE:
	case RPT_COMM:
		print_safe(r->o.type == RPT_EXE ? (e->exe ? e->exe : "?")
						: (e->comm ? e->comm : "?"),
			   0);
		printf(" %s %s ", e->terminal ? e->terminal : "?", e->hostname ? e->hostname : "?");
		break;
	case RPT_ANOMALY:
		printf("%s ", audit_msg_type_to_name(e->head_type));
		print_safe(e->exe ? e->exe : e->comm ? e->comm : "?", 0);
		printf(" %s %s ", e->terminal ? e->terminal : "?", e->hostname ? e->hostname : "?");
		break;
	case RPT_RESPONSE:
		printf("%s %s %llu\n", audit_msg_type_to_name(e->head_type),
		       success_name(e->success), (unsigned long long)e->serial);
		return;
	case RPT_CONFIG:
		printf("%s %s %s %llu\n", audit_msg_type_to_name(e->head_type), auid,
		       success_name(e->success), (unsigned long long)e->serial);
		return;
	case RPT_KEY:
		printf("%s %s ", e->keys[0], success_name(e->success));
		print_safe(e->exe ? e->exe : "?", 0);
		putchar(' ');
		break;
	default:
		/* logins, authentications and account changes: lauditd writes no such event */
		return;
	}
	print_safe(auid, 0);
	printf(" %llu\n", (unsigned long long)e->serial);
}

static int config_event(const struct report_event *e)
{
	return report_has_type(e, AUDIT_CONFIG_CHANGE, AUDIT_CONFIG_CHANGE) ||
	       report_has_type(e, AUDIT_DAEMON_CONFIG, AUDIT_DAEMON_CONFIG) ||
	       report_has_type(e, AUDIT_USYS_CONFIG, AUDIT_USYS_CONFIG) ||
	       report_has_type(e, AUDIT_NETFILTER_CFG, AUDIT_NETFILTER_CFG) ||
	       report_has_type(e, AUDIT_FEATURE_CHANGE, AUDIT_FEATURE_CHANGE) ||
	       report_has_type(e, AUDIT_USER_MAC_CONFIG_CHANGE, AUDIT_USER_MAC_CONFIG_CHANGE) ||
	       report_has_type(e, AUDIT_MAC_POLICY_LOAD, AUDIT_MAC_UNLBL_STCDEL);
}

static int acct_event(const struct report_event *e)
{
	return report_has_type(e, AUDIT_USER_CHAUTHTOK, AUDIT_USER_CHAUTHTOK) ||
	       report_has_type(e, AUDIT_ADD_USER, AUDIT_DEL_GROUP) ||
	       report_has_type(e, AUDIT_USER_MGMT, AUDIT_USER_MGMT) ||
	       report_has_type(e, AUDIT_GRP_MGMT, AUDIT_GRP_MGMT) ||
	       report_has_type(e, AUDIT_ROLE_ASSIGN, AUDIT_ROLE_REMOVE);
}

static int anomaly_event(const struct report_event *e)
{
	return report_has_type(e, AUDIT_FIRST_ANOM_MSG, AUDIT_LAST_ANOM_MSG) ||
	       report_has_type(e, AUDIT_FIRST_KERN_ANOM_MSG, AUDIT_LAST_KERN_ANOM_MSG) ||
	       report_has_type(e, AUDIT_SECCOMP, AUDIT_SECCOMP);
}

/* Whether the event is of interest to a detailed report. */
static int of_interest(const struct report *r, const struct report_event *e)
{
	switch (r->o.type) {
	case RPT_EVENT:
		return 1;
	case RPT_FILE:
		return e->nfiles > 0;
	case RPT_HOST:
		return e->hostname != NULL;
	case RPT_PID:
		return e->pid >= 0;
	case RPT_SYSCALL:
		return e->syscall != 0;
	case RPT_TERM:
		return e->terminal != NULL;
	case RPT_USER:
		return e->uid != NONE_UID;
	case RPT_EXE:
		return e->exe != NULL;
	case RPT_COMM:
		return e->comm != NULL;
	case RPT_ANOMALY:
		return anomaly_event(e);
	case RPT_RESPONSE:
		return report_has_type(e, AUDIT_FIRST_ANOM_RESP, AUDIT_LAST_ANOM_RESP);
	case RPT_CONFIG:
		return config_event(e);
	case RPT_KEY:
		return e->nkeys > 0 && strcmp(e->keys[0], "(null)");
	case RPT_LOGIN:
		return report_has_type(e, AUDIT_USER_LOGIN, AUDIT_USER_LOGIN);
	case RPT_ACCT_MOD:
		return acct_event(e);
	case RPT_AUTH:
		return report_has_type(e, AUDIT_USER_AUTH, AUDIT_USER_AUTH) ||
		       (report_has_type(e, AUDIT_USER_MGMT, AUDIT_USER_MGMT) &&
			e->success == S_FAILED);
	default:
		return 0;
	}
}

static void add_keys(struct tally *t, const struct report_event *e)
{
	int i;

	for (i = 0; i < e->nkeys; i++)
		if (strcmp(e->keys[i], "(null)"))
			tally_add(t, e->keys[i], 0);
}

static void add_files(struct tally *t, const struct report_event *e)
{
	int i;

	for (i = 0; i < e->nfiles; i++)
		tally_add(t, e->files[i], 0);
}

/* The summary report's totals (aureport's do_summary_total). */
static void summary_total(struct report *r, const struct report_event *e)
{
	char tmp[32];

	r->events++;
	r->changes +=
		report_has_type(e, AUDIT_CONFIG_CHANGE, AUDIT_CONFIG_CHANGE) +
		report_has_type(e, AUDIT_DAEMON_CONFIG, AUDIT_DAEMON_CONFIG) +
		report_has_type(e, AUDIT_USYS_CONFIG, AUDIT_USYS_CONFIG) +
		report_has_type(e, AUDIT_NETFILTER_CFG, AUDIT_NETFILTER_CFG) +
		report_has_type(e, AUDIT_FEATURE_CHANGE, AUDIT_FEATURE_CHANGE) +
		report_has_type(e, AUDIT_USER_MAC_CONFIG_CHANGE, AUDIT_USER_MAC_CONFIG_CHANGE) +
		report_has_type(e, AUDIT_MAC_POLICY_LOAD, AUDIT_MAC_UNLBL_STCDEL);
	r->acct_changes += report_has_type(e, AUDIT_USER_CHAUTHTOK, AUDIT_USER_CHAUTHTOK) +
			   report_has_type(e, AUDIT_ADD_USER, AUDIT_DEL_GROUP) +
			   report_has_type(e, AUDIT_USER_MGMT, AUDIT_USER_MGMT) +
			   report_has_type(e, AUDIT_GRP_MGMT, AUDIT_GRP_MGMT) +
			   report_has_type(e, AUDIT_ROLE_ASSIGN, AUDIT_ROLE_REMOVE);
	r->crypto += report_has_type(e, AUDIT_FIRST_KERN_CRYPTO_MSG, AUDIT_LAST_KERN_CRYPTO_MSG) +
		     report_has_type(e, AUDIT_FIRST_CRYPTO_MSG, AUDIT_LAST_CRYPTO_MSG);
	if (report_has_type(e, AUDIT_USER_LOGIN, AUDIT_USER_LOGIN)) {
		r->good_logins += e->success == S_SUCCESS;
		r->bad_logins += e->success == S_FAILED;
	}
	if (report_has_type(e, AUDIT_USER_AUTH, AUDIT_USER_AUTH) ||
	    (!report_has_type(e, AUDIT_USER_MGMT, AUDIT_USER_MGMT) &&
	     report_has_type(e, AUDIT_GRP_AUTH, AUDIT_GRP_AUTH))) {
		r->good_auth += e->success == S_SUCCESS;
		r->bad_auth += e->success == S_FAILED;
	} else if (report_has_type(e, AUDIT_USER_MGMT, AUDIT_USER_MGMT)) {
		r->bad_auth += e->success == S_FAILED;
	}
	if (e->loginuid != NONE_AUID) {
		snprintf(tmp, sizeof(tmp), "%d", (int)e->loginuid);
		tally_add(&r->users, tmp, 0);
	}
	if (e->terminal)
		tally_add(&r->terms, e->terminal, 0);
	if (e->hostname)
		tally_add(&r->hosts, e->hostname, 0);
	if (e->exe)
		tally_add(&r->exes, e->exe, 0);
	if (e->comm)
		tally_add(&r->comms, e->comm, 0);
	add_files(&r->files, e);
	r->avcs += report_has_type(e, AUDIT_AVC, AUDIT_AVC) ||
		   report_has_type(e, AUDIT_USER_AVC, AUDIT_USER_AVC);
	r->mac += report_has_type(e, AUDIT_MAC_POLICY_LOAD, AUDIT_MAC_UNLBL_STCDEL) +
		  report_has_type(e, AUDIT_FIRST_USER_LSPP_MSG, AUDIT_LAST_USER_LSPP_MSG);
	r->virt += report_has_type(e, AUDIT_FIRST_VIRT_MSG, AUDIT_LAST_VIRT_MSG);
	r->integ += report_has_type(e, AUDIT_INTEGRITY_FIRST_MSG, AUDIT_INTEGRITY_LAST_MSG);
	r->failed_syscalls += e->success == S_FAILED && e->syscall > 0;
	if (e->pid != -1)
		tally_add(&r->pids, NULL, (int)e->pid);
	r->anomalies += report_has_type(e, AUDIT_FIRST_ANOM_MSG, AUDIT_LAST_ANOM_MSG) +
			report_has_type(e, AUDIT_FIRST_KERN_ANOM_MSG, AUDIT_LAST_KERN_ANOM_MSG);
	r->responses += report_has_type(e, AUDIT_FIRST_ANOM_RESP, AUDIT_LAST_ANOM_RESP);
	add_keys(&r->keys, e);
}

/* A summary report other than the summary: the totals of its object. */
static void object_total(struct report *r, const struct report_event *e)
{
	char tmp[64];

	switch (r->o.type) {
	case RPT_SUMMARY:
		summary_total(r, e);
		break;
	case RPT_EVENT:
		if (e->head_type != -1)
			tally_add(&r->types, NULL, e->head_type);
		break;
	case RPT_CONFIG:
	case RPT_ACCT_MOD:
	case RPT_ANOMALY:
	case RPT_RESPONSE:
		if (of_interest(r, e))
			tally_add(&r->types, NULL, e->head_type);
		break;
	case RPT_FILE:
		add_files(&r->files, e);
		break;
	case RPT_HOST:
		if (e->hostname)
			tally_add(&r->hosts, e->hostname, 0);
		break;
	case RPT_PID:
		if (e->pid != -1)
			tally_add(&r->pids, NULL, (int)e->pid);
		break;
	case RPT_SYSCALL:
		if (e->syscall > 0)
			tally_add(&r->syscalls, syscall_name(r, e, tmp, sizeof(tmp)), 0);
		break;
	case RPT_TERM:
		if (e->terminal)
			tally_add(&r->terms, e->terminal, 0);
		break;
	case RPT_USER:
		if (e->loginuid != NONE_AUID)
			tally_add(&r->users, uid_name(r, e->loginuid, tmp, 32), 0);
		break;
	case RPT_EXE:
		if (e->exe)
			tally_add(&r->exes, e->exe, 0);
		break;
	case RPT_COMM:
		if (e->comm)
			tally_add(&r->comms, e->comm, 0);
		break;
	case RPT_KEY:
		add_keys(&r->keys, e);
		break;
	default:
		break;
	}
}

int report_event(struct report *r, const struct report_event *e)
{
	if (r->o.failed == F_FAILED && e->success != S_FAILED)
		return 0;
	if (r->o.failed == F_SUCCESS && e->success != S_SUCCESS)
		return 0;
	if (r->o.detail == D_SUM) {
		object_total(r, e);
		return r->o.type == RPT_SUMMARY;
	}
	if (r->o.type == RPT_TIME || !of_interest(r, e))
		return 0;
	print_line(r, e);
	return 1;
}

enum tally_kind { K_SAFE, K_PLAIN, K_USER, K_NUM, K_TYPE };

static void print_tally(const struct report *r, struct tally *t, enum tally_kind kind)
{
	char name[64];
	size_t i;

	if (!t->n) {
		fputs("<no events of interest were found>\n\n", stdout);
		return;
	}
	qsort(t->v, t->n, sizeof(*t->v), by_hits);
	for (i = 0; i < t->n; i++) {
		const struct tally_entry *x = &t->v[i];

		printf("%lu  ", x->hits);
		if (kind == K_PLAIN)
			printf("%s\n", x->str);
		else if (kind == K_NUM || (kind == K_TYPE && !r->o.interpret))
			printf("%lld\n", x->num);
		else if (kind == K_TYPE)
			printf("%s\n", audit_msg_type_to_name((int)x->num));
		else if (kind == K_USER && (x->str[0] == '-' || isdigit((unsigned char)x->str[0])))
			print_safe(uid_name(r, strtol(x->str, NULL, 10), name, sizeof(name)), 1);
		else
			print_safe(x->str, 1);
	}
}

static void summary_output(const struct report *r, time_t first_sec, unsigned int first_msec,
			   time_t last_sec, unsigned int last_msec)
{
	char a[64], b[64];

	report_date(a, sizeof(a), first_sec);
	report_date(b, sizeof(b), last_sec);
	printf("Range of time in logs: %s.%03u - %s.%03u\n", a, first_msec, b, last_msec);
	report_date(a, sizeof(a), r->o.start ? r->o.start : first_sec);
	report_date(b, sizeof(b), r->o.end ? r->o.end : last_sec);
	if (r->o.end)
		printf("Selected time for report: %s - %s\n", a, b);
	else
		printf("Selected time for report: %s - %s.%03u\n", a, b, last_msec);
	printf("Number of changes in configuration: %lu\n", r->changes);
	printf("Number of changes to accounts, groups, or roles: %lu\n", r->acct_changes);
	printf("Number of logins: %lu\n", r->good_logins);
	printf("Number of failed logins: %lu\n", r->bad_logins);
	printf("Number of authentications: %lu\n", r->good_auth);
	printf("Number of failed authentications: %lu\n", r->bad_auth);
	printf("Number of users: %zu\n", r->users.n);
	printf("Number of terminals: %zu\n", r->terms.n);
	printf("Number of host names: %zu\n", r->hosts.n);
	printf("Number of executables: %zu\n", r->exes.n);
	printf("Number of commands: %zu\n", r->comms.n);
	printf("Number of files: %zu\n", r->files.n);
	printf("Number of AVC's: %lu\n", r->avcs);
	printf("Number of MAC events: %lu\n", r->mac);
	printf("Number of failed syscalls: %lu\n", r->failed_syscalls);
	printf("Number of anomaly events: %lu\n", r->anomalies);
	printf("Number of responses to anomaly events: %lu\n", r->responses);
	printf("Number of crypto events: %lu\n", r->crypto);
	printf("Number of integrity events: %lu\n", r->integ);
	printf("Number of virt events: %lu\n", r->virt);
	printf("Number of keys: %zu\n", r->keys.n);
	printf("Number of process IDs: %zu\n", r->pids.n);
	printf("Number of events: %lu\n\n", r->events);
}

void report_wrap_up(struct report *r, time_t first_sec, unsigned int first_msec, time_t last_sec,
		    unsigned int last_msec)
{
	if (r->o.detail != D_SUM)
		return;
	switch (r->o.type) {
	case RPT_SUMMARY:
		summary_output(r, first_sec, first_msec, last_sec, last_msec);
		break;
	case RPT_EVENT:
	case RPT_CONFIG:
	case RPT_ACCT_MOD:
	case RPT_ANOMALY:
	case RPT_RESPONSE:
		print_tally(r, &r->types, K_TYPE);
		break;
	case RPT_FILE:
		print_tally(r, &r->files, K_SAFE);
		break;
	case RPT_HOST:
		print_tally(r, &r->hosts, K_PLAIN);
		break;
	case RPT_PID:
		print_tally(r, &r->pids, K_NUM);
		break;
	case RPT_SYSCALL:
		print_tally(r, &r->syscalls, K_SAFE);
		break;
	case RPT_TERM:
		print_tally(r, &r->terms, K_PLAIN);
		break;
	case RPT_USER:
	case RPT_LOGIN:
	case RPT_AUTH:
		print_tally(r, &r->users, K_USER);
		break;
	case RPT_EXE:
		print_tally(r, &r->exes, K_SAFE);
		break;
	case RPT_COMM:
		print_tally(r, &r->comms, K_SAFE);
		break;
	case RPT_KEY:
		print_tally(r, &r->keys, K_SAFE);
		break;
	default:
		break;
	}
}
