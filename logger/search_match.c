/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lausearch's selection: whether an event matches a query, decided as ausearch
 * 3.0.9 decides it over the same text.  ausearch does not parse records into
 * fields: it looks for "name=" from a moving point in each record, per record
 * type, and an event whose record lacks a field it needs is no match.  The same
 * reading is done here, over the RAW text of the decoded event, so that the
 * answers agree for every record lauditd writes (SYSCALL, its auxiliary records,
 * the DAEMON_* records).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <libaudit.h>

#include "logger/search.h"

#define MAX_NAMES 256
#define MAX_KEYS  64
/* the key separator of a rule with several keys */
#define KEY_SEP '\001'

/* What ausearch extracts from an event ("search items"). */
struct items {
	long long pid, ppid, uid, euid, loginuid, gid, egid, session, exit;
	int exit_set, syscall;
	unsigned int arch; /* SYSCALL's arch=, 0: none */
	enum search_success success;
	const char *node;
	size_t node_len;
	char *comm, *exe, *terminal, *cwd;
	int nnames, nkeys;
	char *names[MAX_NAMES];
	char *keys[MAX_KEYS];
	/* the strings above */
	char *pool;
	size_t used, cap;
};

void search_query_init(struct search_query *q)
{
	memset(q, 0, sizeof(*q));
	q->event_id = -1;
	q->pid = q->ppid = -1;
	q->syscall = -1;
	q->machine = -1;
	q->session = -2;
	q->uid = q->euid = -1;
	q->loginuid = -2;
	q->gid = q->egid = -1;
}

/* One record, not NUL-terminated: [p, end). */
struct rec {
	const char *p, *end;
};

static const char *find(const char *from, const char *end, const char *needle)
{
	size_t n = strlen(needle);

	if (!from || from >= end)
		return NULL;
	return memmem(from, end - from, needle, n);
}

static char *pool_put(struct items *it, const char *s, size_t len)
{
	char *p;

	if (it->used + len + 1 > it->cap)
		return NULL;
	p = it->pool + it->used;
	memcpy(p, s, len);
	p[len] = 0;
	it->used += len + 1;
	return p;
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

/*
 * ausearch's unescape(): "(...)" as is; else the run of hex digits decoded (a
 * NUL in it ends the string).  NULL when there is neither.
 */
static char *unescape(struct items *it, const char *s, const char *end, size_t *bytes)
{
	const char *e = s;
	char *out;
	size_t i, n;

	if (s < end && *s == '(') {
		e = memchr(s, ')', end - s);
		if (!e)
			return NULL;
		if (bytes)
			*bytes = e + 1 - s;
		return pool_put(it, s, e + 1 - s);
	}
	while (e < end && isxdigit((unsigned char)*e))
		e++;
	n = e - s;
	if (n < 2)
		return NULL;
	if (it->used + n / 2 + 2 > it->cap)
		return NULL;
	out = it->pool + it->used;
	n -= n % 2;
	for (i = 0; i < n; i += 2)
		out[i / 2] = (char)(hexval(s[i]) << 4 | hexval(s[i + 1]));
	out[n / 2] = 0;
	it->used += n / 2 + 1;
	if (bytes)
		*bytes = n / 2;
	return out;
}

/* A quoted value up to its closing quote, or an unescaped one; NULL: malformed. */
static char *str_value(struct items *it, const char *v, const char *end)
{
	const char *q;

	if (v < end && *v == '"') {
		q = memchr(v + 1, '"', end - v - 1);
		return q ? pool_put(it, v + 1, q - v - 1) : NULL;
	}
	return unescape(it, v, end, NULL);
}

/*
 * The number after @name found from *@cur: strtoul/strtoll of the value up to the
 * next space, which must be there (ausearch fails the event otherwise).  *@cur
 * moves to that space.  Return: 0, or -1 when the field or its end is missing.
 */
static int num_after(const char **cur, const char *end, const char *name, int base, int sgn,
		     long long *out)
{
	const char *f = find(*cur, end, name), *sp;
	char buf[32];
	size_t n;

	if (!f)
		return -1;
	f += strlen(name);
	sp = memchr(f, ' ', end - f);
	if (!sp)
		return -1;
	n = sp - f < (long)sizeof(buf) - 1 ? (size_t)(sp - f) : sizeof(buf) - 1;
	memcpy(buf, f, n);
	buf[n] = 0;
	/* ausearch keeps ids in 32-bit types: 4294967295 is -1 */
	*out = sgn ? strtoll(buf, NULL, base) : (long long)(int)strtoul(buf, NULL, base);
	*cur = sp;
	return 0;
}

/* SYSCALL's task fields (ausearch's parse_task_info), from @cur on. */
static int task_info(const struct search_query *q, struct items *it, const struct rec *r,
		     const char *cur)
{
	const char *end = r->end, *f;
	long long v;

	if (q->ppid != -1 && find(cur, end, "ppid=")) {
		if (num_after(&cur, end, "ppid=", 10, 0, &v))
			return -1;
		it->ppid = v;
	}
	if (q->pid != -1) {
		if (num_after(&cur, end, " pid=", 10, 0, &v))
			return -1;
		it->pid = v;
	}
	if (q->loginuid != -2) {
		if (num_after(&cur, end, "auid=", 10, 0, &v))
			return -1;
		it->loginuid = v;
	}
	if (q->uid != -1) {
		/* "uid=" may first hit auid= */
		f = find(cur, end, "uid=");
		while (f && f > r->p && f[-1] == 'a')
			f = find(f + 1, end, "uid=");
		if (!f)
			return -1;
		cur = f;
		if (num_after(&cur, end, "uid=", 10, 0, &v))
			return -1;
		it->uid = v;
	}
	if (q->gid != -1) {
		if (num_after(&cur, end, "gid=", 10, 0, &v))
			return -1;
		it->gid = v;
	}
	if (q->euid != -1) {
		if (num_after(&cur, end, "euid=", 10, 0, &v))
			return -1;
		it->euid = v;
	}
	if (q->egid != -1) {
		if (num_after(&cur, end, "egid=", 10, 0, &v))
			return -1;
		it->egid = v;
	}
	if (q->terminal && (f = find(cur, end, "tty="))) {
		const char *sp = memchr(f + 4, ' ', end - f - 4);

		if (!sp)
			return -1;
		it->terminal = pool_put(it, f + 4, sp - f - 4);
		cur = sp;
	}
	if (q->session != -2 && find(cur, end, "ses=")) {
		if (num_after(&cur, end, "ses=", 10, 0, &v))
			return -1;
		it->session = (unsigned int)v;
	}
	if (q->comm) {
		f = find(cur, end, "comm=");
		if (!f)
			return -1;
		it->comm = str_value(it, f + 5, end);
		if (!it->comm)
			return -1;
		cur = f + 5;
	}
	if (q->exe) {
		f = find(r->p, end, "exe=");
		if (!f)
			return -1;
		it->exe = str_value(it, f + 4, end);
		if (!it->exe)
			return -1;
	}
	return 0;
}

static int parse_syscall(const struct search_query *q, struct items *it, const struct rec *r)
{
	const char *cur = r->p, *end = r->end, *f;
	long long v;

	if (q->machine != -1 && (f = find(cur, end, "arch=")))
		it->arch = strtoul(f + 5, NULL, 16);
	if (num_after(&cur, end, "syscall=", 10, 0, &v))
		return -1;
	it->syscall = (int)v;
	if (q->success && (f = find(cur, end, "success="))) {
		const char *sp = memchr(f, ' ', end - f);

		if (!sp)
			return -1;
		it->success = sp - f == 11 && !memcmp(f + 8, "yes", 3) ? SEARCH_SUCCESS_YES
								       : SEARCH_SUCCESS_NO;
		cur = sp;
	}
	if (q->exit_set) {
		if (num_after(&cur, end, "exit=", 0, 1, &v))
			return -1;
		it->exit = v;
		it->exit_set = 1;
	}
	if (num_after(&cur, end, "a0=", 16, 0, &v) || num_after(&cur, end, "a1=", 16, 0, &v))
		return -1;
	if (task_info(q, it, r, cur))
		return -1;
	if (q->key && (f = find(cur, end, "key="))) {
		char *k, *s, *save = NULL;

		f += 4;
		if (*f == '"') {
			k = str_value(it, f, end);
			if (!k)
				return -1;
			if (it->nkeys < MAX_KEYS)
				it->keys[it->nkeys++] = k;
		} else {
			k = unescape(it, f, end, NULL);
			if (!k)
				return -1;
			/* strtok_r: events are selected on several threads */
			for (s = strtok_r(k, "\001", &save); s; s = strtok_r(NULL, "\001", &save))
				if (it->nkeys < MAX_KEYS)
					it->keys[it->nkeys++] = s;
		}
	}
	return 0;
}

/* A file name as ausearch keeps it: "./x" and "../x" joined to the cwd. */
static int add_name(struct items *it, char *name)
{
	char *joined;

	if (!name)
		return -1;
	if (name[0] == '.' && (name[1] == '.' || name[1] == '/') && it->cwd) {
		size_t n = strlen(it->cwd) + strlen(name) + 2;

		if (n > PATH_MAX)
			n = PATH_MAX;
		if (it->used + n > it->cap)
			return -1;
		joined = it->pool + it->used;
		snprintf(joined, n, "%s/%s", it->cwd, name);
		it->used += n;
		name = joined;
	}
	if (it->nnames < MAX_NAMES)
		it->names[it->nnames++] = name;
	return 0;
}

static int parse_path(struct items *it, const struct rec *r)
{
	const char *f = find(r->p, r->end, " name=");

	if (!f)
		return 0;
	f += 6;
	if (*f == '"')
		return add_name(it, str_value(it, f, r->end));
	if (r->end - f >= 6 && !memcmp(f, "(null)", 6))
		return add_name(it, pool_put(it, "(null)", 6));
	if (!isxdigit((unsigned char)*f))
		return -1;
	if (f[0] == '0' && f[1] == '0')
		return add_name(it, unescape(it, f + 2, r->end, NULL));
	if (!memchr(f, ' ', r->end - f))
		return -1;
	return add_name(it, unescape(it, f, r->end, NULL));
}

static int parse_sockaddr(struct items *it, const struct rec *r)
{
	const char *f = find(r->p, r->end, "saddr=");
	size_t len = 0;
	char *a;
	int family;

	if (!f)
		return 0;
	a = unescape(it, f + 6, r->end, &len);
	if (!a)
		return -1;
	if (*a == '(')
		return 0;
	family = len >= 2 ? (unsigned char)a[0] | (unsigned char)a[1] << 8 : a[0];
	if (family == AF_INET)
		return len < 16 ? -1 : 0;
	if (family == AF_INET6)
		return len < 28 ? -1 : 0;
	if (family != AF_UNIX)
		return 0;
	if (len < 4)
		return -1;
	return add_name(it, a[2] ? a + 2 : a + 3);
}

/* DAEMON_START, _END, _ROTATE...: ausearch's parse_daemon1. */
static int parse_daemon(const struct search_query *q, struct items *it, const struct rec *r)
{
	const char *m = memchr(r->p, ')', r->end - r->p), *cur, *f;
	long long v;

	cur = m = m ? m : r->p;
	if (q->loginuid != -2) {
		if (num_after(&cur, r->end, "auid=", 10, 0, &v))
			return -1;
		it->loginuid = v;
	}
	if (q->pid != -1) {
		if (num_after(&cur, r->end, "pid=", 10, 0, &v))
			return -1;
		it->pid = v;
	}
	if (q->uid != -1 && find(cur, r->end, " uid=")) {
		if (num_after(&cur, r->end, " uid=", 10, 0, &v))
			return -1;
		it->uid = v;
	}
	if (q->session != -2 && find(cur, r->end, "ses=")) {
		if (num_after(&cur, r->end, "ses=", 10, 0, &v))
			return -1;
		it->session = (unsigned int)v;
	}
	if (q->success && (f = find(m, r->end, "res="))) {
		f += 4;
		if (f >= r->end || !isalpha((unsigned char)*f))
			return -1;
		it->success = r->end - f >= 6 && !memcmp(f, "failed", 6) ? SEARCH_SUCCESS_NO
									 : SEARCH_SUCCESS_YES;
	}
	return 0;
}

/* The types of most records, known without libaudit's look-up by name. */
static const struct {
	const char *name;
	size_t len;
	int type;
} common[] = {
	{"SYSCALL", 7, AUDIT_SYSCALL}, {"PROCTITLE", 9, AUDIT_PROCTITLE},
	{"PATH", 4, AUDIT_PATH},       {"CWD", 3, AUDIT_CWD},
	{"EXECVE", 6, AUDIT_EXECVE},   {"SOCKADDR", 8, AUDIT_SOCKADDR},
};

static int record_type(const struct rec *r, const char **body)
{
	const char *p = r->p, *sp;
	char name[64];
	size_t n, i;

	if (r->end - p > 5 && !memcmp(p, "node=", 5)) {
		sp = memchr(p, ' ', r->end - p);
		if (!sp)
			return -1;
		p = sp + 1;
	}
	if (r->end - p < 5 || memcmp(p, "type=", 5))
		return -1;
	p += 5;
	sp = memchr(p, ' ', r->end - p);
	if (!sp)
		return -1;
	n = sp - p < (long)sizeof(name) - 1 ? (size_t)(sp - p) : sizeof(name) - 1;
	*body = sp;
	for (i = 0; i < sizeof(common) / sizeof(common[0]); i++)
		if (n == common[i].len && !memcmp(p, common[i].name, n))
			return common[i].type;
	memcpy(name, p, n);
	name[n] = 0;
	return audit_name_to_msg_type(name);
}

static int strmatch(const struct search_query *q, const char *needle, const char *hay)
{
	return q->exact ? !strcmp(hay, needle) : strstr(hay, needle) != NULL;
}

static int user_match(const struct search_query *q, const struct items *it)
{
	if (q->any_uid)
		return q->uid == it->uid || q->euid == it->euid || q->loginuid == it->loginuid;
	if (q->uid != -1 && q->uid != it->uid)
		return 0;
	if (q->euid != -1 && q->euid != it->euid)
		return 0;
	if (q->loginuid != -2 && q->loginuid != it->loginuid)
		return 0;
	return 1;
}

static int group_match(const struct search_query *q, const struct items *it)
{
	if (q->any_gid)
		return q->gid == it->gid || q->egid == it->egid;
	if (q->gid != -1 && q->gid != it->gid)
		return 0;
	if (q->egid != -1 && q->egid != it->egid)
		return 0;
	return 1;
}

static int file_match(const struct search_query *q, const struct items *it)
{
	int i;

	if (!it->nnames && !it->cwd)
		return 0;
	for (i = 0; i < it->nnames; i++)
		if (strmatch(q, q->file, it->names[i]))
			return 1;
	return it->cwd && strmatch(q, q->file, it->cwd);
}

/* Fill @it from the event's records; -1 when ausearch finds one malformed. */
static int extract(const struct search_query *q, struct items *it, const char *text, size_t len,
		   int *has_type)
{
	const char *p = text, *end = text + len, *nl, *body;
	struct rec r;
	int type, i, first = 1;

	*has_type = !q->ntypes;
	while (p < end) {
		nl = memchr(p, '\n', end - p);
		r.p = p;
		r.end = nl ? nl : end;
		p = r.end + 1;
		type = record_type(&r, &body);
		if (first && r.end - r.p > 5 && !memcmp(r.p, "node=", 5)) {
			const char *sp = memchr(r.p, ' ', r.end - r.p);

			it->node = r.p + 5;
			it->node_len = sp ? (size_t)(sp - it->node) : 0;
		}
		first = 0;
		for (i = 0; i < q->ntypes && !*has_type; i++)
			*has_type = q->types[i] == type;
		switch (type) {
		case AUDIT_SYSCALL:
			if (parse_syscall(q, it, &r))
				return -1;
			break;
		case AUDIT_CWD:
			if (q->file && !it->cwd) {
				const char *f = find(body, r.end, " cwd=");

				if (f)
					it->cwd = str_value(it, f + 5, r.end);
			}
			break;
		case AUDIT_PATH:
			if (q->file && parse_path(it, &r))
				return -1;
			break;
		case AUDIT_SOCKADDR:
			if (q->file && parse_sockaddr(it, &r))
				return -1;
			break;
		case AUDIT_DAEMON_START:
		case AUDIT_DAEMON_END:
		case AUDIT_DAEMON_ABORT:
		case AUDIT_DAEMON_CONFIG:
		case AUDIT_DAEMON_ROTATE:
		case AUDIT_DAEMON_RESUME:
			if (parse_daemon(q, it, &r))
				return -1;
			break;
		default:
			break;
		}
	}
	return 0;
}

/* the strings of one event's search items, per thread */
#define POOL_LEN (1 << 20)

static pthread_key_t pool_key;
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;

static void pool_key_init(void)
{
	if (pthread_key_create(&pool_key, free))
		abort();
}

/*
 * The thread's pool, allocated at its first selection: a thread that selects
 * nothing (a full dump) costs nothing, where a thread-local array is cleared at
 * each thread's start.  NULL when out of memory (every field then fails).
 */
static char *thread_pool(void)
{
	char *p;

	pthread_once(&pool_once, pool_key_init);
	p = pthread_getspecific(pool_key);
	if (!p) {
		p = malloc(POOL_LEN);
		if (p && pthread_setspecific(pool_key, p)) {
			free(p);
			p = NULL;
		}
	}
	return p;
}

int search_match(const struct search_query *q, const char *text, size_t len, uint64_t sec,
		 uint64_t serial)
{
	char *pool = thread_pool();
	struct items it = {
		.pid = -1,
		.ppid = -1,
		.uid = -1,
		.euid = -1,
		.loginuid = -2,
		.gid = -1,
		.egid = -1,
		.session = -2,
		.syscall = -1,
		.pool = pool,
		.cap = pool ? POOL_LEN : 0,
	};
	int has_type, i;

	if (q->start && (time_t)sec < q->start)
		return 0;
	if (q->end && (time_t)sec > q->end)
		return 0;
	if (q->event_id != -1 && (uint64_t)q->event_id != serial)
		return 0;
	if (extract(q, &it, text, len, &has_type))
		return 0;
	if (q->nnodes) {
		if (!it.node)
			return 0;
		for (i = 0; i < q->nnodes; i++)
			if (strlen(q->nodes[i]) == it.node_len &&
			    !memcmp(q->nodes[i], it.node, it.node_len))
				break;
		if (i == q->nnodes)
			return 0;
	}
	if (!user_match(q, &it) || !group_match(q, &it))
		return 0;
	if ((q->ppid != -1 && q->ppid != it.ppid) || (q->pid != -1 && q->pid != it.pid))
		return 0;
	if (q->machine != -1 && q->machine != audit_elf_to_machine(it.arch))
		return 0;
	if (q->syscall != -1 && q->syscall != it.syscall)
		return 0;
	if (q->session != -2 && q->session != it.session)
		return 0;
	if (q->exit_set && (!it.exit_set || q->exit != it.exit))
		return 0;
	if (q->success && q->success != it.success)
		return 0;
	if (!has_type)
		return 0;
	if (q->file && !file_match(q, &it))
		return 0;
	if (q->terminal && (!it.terminal || !strmatch(q, q->terminal, it.terminal)))
		return 0;
	if (q->exe && (!it.exe || !strmatch(q, q->exe, it.exe)))
		return 0;
	if (q->comm && (!it.comm || !strmatch(q, q->comm, it.comm)))
		return 0;
	if (q->key) {
		for (i = 0; i < it.nkeys; i++)
			if (strmatch(q, q->key, it.keys[i]))
				break;
		if (i == it.nkeys)
			return 0;
	}
	/* SELinux contexts: lauditd's records carry none */
	if (q->context)
		return 0;
	return 1;
}

int search_query_all(const struct search_query *q)
{
	return q->event_id == -1 && !q->ntypes && !q->nnodes && q->pid == -1 && q->ppid == -1 &&
	       q->syscall == -1 && q->machine == -1 && q->session == -2 && !q->exit_set &&
	       !q->success && q->uid == -1 && q->euid == -1 && q->loginuid == -2 && q->gid == -1 &&
	       q->egid == -1 && !q->comm && !q->exe && !q->file && !q->key && !q->terminal &&
	       !q->context;
}

static int holds(const char *s, size_t len, const char *w)
{
	return s && memmem(s, len, w, strlen(w));
}

/*
 * Whether ausearch could read "NAME=" (@w) of SYSCALL's text elsewhere than in
 * its field: in comm= or tty=, which come before exe= and key= (both written
 * quoted, or in hex that holds no '='), or, for key=, in exe=.
 */
static int read_elsewhere(const struct la_event *ev, const struct text_ident *id, const char *w)
{
	return holds(ev->comm, strnlen(ev->comm, sizeof(ev->comm)), w) ||
	       holds(ev->tty, strnlen(ev->tty, sizeof(ev->tty)), w) ||
	       (!strcmp(w, "key=") && id && holds(id->exe, id->exe_len, w));
}

/*
 * -k and -x: ausearch matches the value it reads (whole or a substring, each of a
 * key's \001-separated parts, hex decoded up to a NUL, "(null)" when there is
 * none), a substring of the value formats/text.c wrote from, when it reads it
 * from its field.
 */
static int may_have(const char *want, const char *v, size_t len)
{
	if (!v) {
		v = "(null)";
		len = 6;
	}
	return memmem(v, len, want, strlen(want)) != NULL;
}

int search_event_may_match(const struct search_query *q, const struct la_event *ev,
			   const struct text_ident *id, const char *key)
{
	const char *exe = id ? id->exe : NULL;

	if (q->key && !may_have(q->key, key, key ? strlen(key) : 0) &&
	    !read_elsewhere(ev, id, "key="))
		return 0;
	/* formats/text.c writes an exe it was given already encoded as it is */
	if (q->exe && !(id && id->exe_text) && !may_have(q->exe, exe, exe ? id->exe_len : 0) &&
	    !read_elsewhere(ev, id, "exe="))
		return 0;
	/* the values SYSCALL's text has, read back as ausearch reads them */
	if (q->pid != -1 && q->pid != (int)ev->pid)
		return 0;
	if (q->ppid != -1 && q->ppid != (int)ev->ppid)
		return 0;
	/* a 32-bit syscall is arch=40000003 syscall=<its i386 number> (LA_NR_COMPAT) */
	if (q->syscall != -1 && q->syscall != (ev->nr & ~LA_NR_COMPAT))
		return 0;
	if (q->machine != -1 && q->machine != ((ev->nr & LA_NR_COMPAT) ? MACH_X86 : MACH_86_64))
		return 0;
	/* success= and exit= are left out for a syscall that never returned */
	if ((q->success || q->exit_set) && (ev->flags & LA_F_NORETURN))
		return 0;
	/* formats/text.c writes success=no for a return in [-4095, -1], as the kernel */
	if (q->success && (q->success == SEARCH_SUCCESS_NO) != (ev->ret < 0 && ev->ret >= -4095))
		return 0;
	if (q->exit_set && q->exit != ev->ret)
		return 0;
	return 1;
}

static int may_have_str(const struct bin_block_index *ix, enum bin_filter_kind kind, const char *s)
{
	return !s || bin_index_may_have_substr(ix, kind, s, strlen(s));
}

/*
 * The block filter (format version 2): the keys, executables and file names
 * ausearch matches -k, -x and -f against (as substrings, which the filter's
 * three-byte pieces answer, or whole with -w), and the user ids of -ui, -ue, -ul
 * and -ua.  Only events have keys, executables and names for ausearch; daemon
 * records carry user ids of their own, so ids skip blocks without them only.
 */
static int search_block_filter(const struct search_query *q, const struct bin_block_index *ix)
{
	if (!ix->filter)
		return 1;
	if (!may_have_str(ix, BIN_FILTER_KEY, q->key) ||
	    !may_have_str(ix, BIN_FILTER_EXE, q->exe) ||
	    !may_have_str(ix, BIN_FILTER_NAME, q->file))
		return 0;
	if (ix->records != ix->events)
		return 1;
	/* -ua -1: ausearch leaves the ids unread and every event matches */
	if (q->any_uid && (q->uid == -1 || q->loginuid == -2))
		return 1;
	if (q->any_uid)
		return bin_index_may_have_id(ix, BIN_FILTER_UID, (uint32_t)q->uid) ||
		       bin_index_may_have_id(ix, BIN_FILTER_EUID, (uint32_t)q->euid) ||
		       bin_index_may_have_id(ix, BIN_FILTER_AUID, (uint32_t)q->loginuid);
	if (q->uid != -1 && !bin_index_may_have_id(ix, BIN_FILTER_UID, (uint32_t)q->uid))
		return 0;
	if (q->euid != -1 && !bin_index_may_have_id(ix, BIN_FILTER_EUID, (uint32_t)q->euid))
		return 0;
	if (q->loginuid != -2 && !bin_index_may_have_id(ix, BIN_FILTER_AUID, (uint32_t)q->loginuid))
		return 0;
	return 1;
}

int search_block(const struct search_query *q, const struct bin_block_index *ix)
{
	if (q->start && ix->time_max / 1000 < (uint64_t)q->start)
		return 0;
	if (q->end && ix->time_min / 1000 > (uint64_t)q->end)
		return 0;
	if (q->event_id != -1 &&
	    ((uint64_t)q->event_id < ix->serial_min || (uint64_t)q->event_id > ix->serial_max))
		return 0;
	/* daemon records carry a pid too (-p of lauditd's own pid finds DAEMON_START) */
	if (ix->records == ix->events && q->pid != -1 &&
	    (q->pid < ix->pid_min || q->pid > ix->pid_max))
		return 0;
	/* only SYSCALL records have syscall=; the 32-bit ones' share the last bit */
	if (q->syscall != -1 && !bin_index_has_syscall(ix, q->syscall) &&
	    (q->machine == MACH_86_64 || !bin_index_has_syscall(ix, BIN_NR_BITS - 1)))
		return 0;
	/* lausearch writes no node= (the records carry no node name); no record has
	 * an SELinux context or a remote host name */
	if (q->nnodes || q->context)
		return 0;
	/* every SYSCALL record is arch=c000003e, or arch=40000003 (a 32-bit syscall) */
	if (q->machine != -1 &&
	    ((q->machine != MACH_86_64 && q->machine != MACH_X86) || !ix->events))
		return 0;
	if (q->machine == MACH_X86 && !bin_index_has_syscall(ix, BIN_NR_BITS - 1))
		return 0;
	return search_block_filter(q, ix);
}
