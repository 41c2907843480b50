/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libaudit.h>

#include "conf/rules_int.h"
#include "conf/rules_watch.h"
#include "ebpf/paths.h"
#include "formats/text_path.h"

/* A field's outcome, as the programs' walk has it (ebpf/rules.bpf.c) */
enum rw_match {
	RW_NO = 0,
	RW_YES = 1,
	RW_MAYBE = 2, /* cannot be evaluated here: fail open */
};

struct rw_field {
	uint32_t field; /* AUDIT_* */
	uint32_t op;	/* AUDIT_EQUAL ... */
	uint32_t value;
	char *str; /* watch, dir, exe: the path, normalized */
	size_t len;
	/* watch: the object at the path and its directory; dir: the directory */
	uint64_t ino, pino;
	uint32_t dev, pdev;
	int have, phave;
	struct rw_seen *seen; /* dir: objects seen under it by name */
};

/*
 * The objects a dir rule's records named under its directory, by device and inode:
 * an object reached through a file descriptor alone, or a directory a name is relative
 * to, is under it when it was seen so.  Open addressing; emptied when full.
 */
#define RW_SEEN_SIZE 4096

struct rw_seen {
	unsigned int n;
	struct {
		uint64_t ino;
		uint32_t dev;
		uint32_t used;
	} slot[RW_SEEN_SIZE];
};

struct rw_rule {
	int action;	 /* AUDIT_ALWAYS, AUDIT_NEVER */
	int per_object;	 /* a watch or inode=: the object fields hold on one object (inode hash) */
	int has_objects; /* a field only this file evaluates */
	unsigned int n;
	struct rw_field *f;
};

struct rules_watch {
	rules_watch_stat_fn st;
	size_t nrules; /* the exit list's, in rules_bpf_compile()'s order */
	struct rw_rule *rule;
	int objects; /* some exit rule has a field only this file evaluates */
	size_t nexcl;
	struct rw_rule *excl;
};

/* The record types of an event, their bits and their names */
static const struct {
	uint32_t bit;
	uint32_t type;
	const char *name;
} rw_types[] = {
	{RW_SYSCALL, AUDIT_SYSCALL, "SYSCALL"},
	{RW_PATH, AUDIT_PATH, "PATH"},
	{RW_CWD, AUDIT_CWD, "CWD"},
	{RW_EXECVE, AUDIT_EXECVE, "EXECVE"},
	{RW_PROCTITLE, AUDIT_PROCTITLE, "PROCTITLE"},
	{RW_SOCKADDR, AUDIT_SOCKADDR, "SOCKADDR"},
	{RW_OBJ_PID, AUDIT_OBJ_PID, "OBJ_PID"},
	{RW_FD_PAIR, AUDIT_FD_PAIR, "FD_PAIR"},
	{RW_MMAP, AUDIT_MMAP, "MMAP"},
};

/* audit_comparator(): 32 bits, unsigned */
static int rw_compare(uint32_t left, uint32_t op, uint32_t right)
{
	switch (op) {
	case AUDIT_EQUAL:
		return left == right;
	case AUDIT_NOT_EQUAL:
		return left != right;
	case AUDIT_LESS_THAN:
		return left < right;
	case AUDIT_LESS_THAN_OR_EQUAL:
		return left <= right;
	case AUDIT_GREATER_THAN:
		return left > right;
	case AUDIT_GREATER_THAN_OR_EQUAL:
		return left >= right;
	case AUDIT_BIT_MASK:
		return (left & right) != 0;
	case AUDIT_BIT_TEST:
		return (left & right) == right;
	}
	return 0;
}

/*
 * @path made absolute on @cwd (NULL: a relative path is unknown) without ".", ".." and
 * repeated or trailing slashes, lexically, into @out (PATH_MAX * 2 bytes).
 * Return: its length, or -1.
 */
static int rw_normalize(const char *path, size_t len, const char *cwd, size_t cwd_len, char *out)
{
	size_t n = 0, i = 0, start;

	if (!len || !path)
		return -1;
	if (path[0] != '/') {
		if (!cwd || !cwd_len || cwd[0] != '/' || cwd_len >= PATH_MAX)
			return -1;
		n = rw_normalize(cwd, cwd_len, NULL, 0, out);
		if (n == (size_t)-1)
			return -1;
		if (n == 1)
			n = 0; /* "/" */
	}
	if (len >= PATH_MAX)
		return -1;
	while (i < len) {
		while (i < len && path[i] == '/')
			i++;
		start = i;
		while (i < len && path[i] != '/')
			i++;
		if (i == start || (i - start == 1 && path[start] == '.'))
			continue;
		if (i - start == 2 && path[start] == '.' && path[start + 1] == '.') {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
			continue;
		}
		out[n++] = '/';
		memcpy(out + n, path + start, i - start);
		n += i - start;
	}
	if (!n)
		out[n++] = '/';
	out[n] = 0;
	return (int)n;
}

/* The last component of @path (@len bytes), trailing slashes disregarded */
static const char *rw_base(const char *path, size_t len, size_t *blen)
{
	size_t end = len, b;

	while (end > 1 && path[end - 1] == '/')
		end--;
	b = end;
	while (b > 0 && path[b - 1] != '/')
		b--;
	*blen = end - b;
	return path + b;
}

/* Look the watch or dir @f up again */
static void rw_lookup(const struct rules_watch *w, struct rw_field *f)
{
	char dir[PATH_MAX * 2];
	const char *base;
	size_t blen;

	f->have = w->st && !w->st(f->str, &f->dev, &f->ino);
	if (f->field != AUDIT_WATCH)
		return;
	base = rw_base(f->str, f->len, &blen);
	memcpy(dir, f->str, base - f->str);
	dir[base - f->str] = 0;
	f->phave = w->st && !w->st(dir, &f->pdev, &f->pino);
}

/* The fields only this file evaluates (the programs fail open on them) */
static int rw_is_object(uint32_t f)
{
	return rules_bpf_object_field(f) || f == AUDIT_EXE;
}

static void rw_rule_free(struct rw_rule *r)
{
	unsigned int i;

	for (i = 0; i < r->n; i++) {
		free(r->f[i].str);
		free(r->f[i].seen);
	}
	free(r->f);
}

/* Rule @d into @r. Return: 0 or -ENOMEM. */
static int rw_rule_compile(const struct rules_watch *w, const struct audit_rule_data *d,
			   struct rw_rule *r)
{
	char path[PATH_MAX * 2];
	const char *str = d->buf;
	struct rw_field *f;
	uint32_t i;
	int len;

	memset(r, 0, sizeof(*r));
	r->action = d->action;
	r->f = calloc(d->field_count ? d->field_count : 1, sizeof(*r->f));
	if (!r->f)
		return -ENOMEM;
	for (i = 0; i < d->field_count && i < AUDIT_MAX_FIELDS; i++) {
		f = &r->f[r->n];
		f->field = d->fields[i];
		f->op = d->fieldflags[i] & AUDIT_OPERATORS;
		f->value = d->values[i];
		if (rules_is_string_field(f->field)) {
			if (f->field == AUDIT_WATCH || f->field == AUDIT_DIR)
				len = rw_normalize(str, f->value, NULL, 0, path);
			else
				len = -1;
			f->str = len >= 0 ? strdup(path) : strndup(str, f->value);
			f->len = f->str ? strlen(f->str) : 0;
			str += f->value;
			if (!f->str)
				return -ENOMEM;
		}
		if (f->field == AUDIT_FILTERKEY) {
			free(f->str);
			f->str = NULL;
			continue;
		}
		if (f->field == AUDIT_WATCH || f->field == AUDIT_DIR)
			rw_lookup(w, f);
		if (f->field == AUDIT_DIR) {
			f->seen = calloc(1, sizeof(*f->seen));
			if (!f->seen)
				return -ENOMEM;
		}
		/* the kernel keeps these rules in its inode hash and tries them on each name */
		if (f->field == AUDIT_WATCH || (f->field == AUDIT_INODE && f->op == AUDIT_EQUAL))
			r->per_object = 1;
		r->has_objects |= rw_is_object(f->field);
		r->n++;
	}
	return 0;
}

static int rw_list(const struct rules_rule *rr)
{
	return rr->data->flags & ~AUDIT_FILTER_PREPEND;
}

struct rules_watch *rules_watch_compile(const struct rules_set *s, rules_watch_stat_fn st)
{
	struct rules_watch *w = calloc(1, sizeof(*w));
	size_t i, nexit = 0, nexcl = 0;
	struct rw_rule *r;

	if (!w)
		return NULL;
	w->st = st;
	for (i = 0; i < s->count; i++) {
		nexit += rw_list(&s->rule[i]) == AUDIT_FILTER_EXIT;
		nexcl += rw_list(&s->rule[i]) == AUDIT_FILTER_EXCLUDE;
	}
	w->rule = calloc(nexit ? nexit : 1, sizeof(*w->rule));
	w->excl = calloc(nexcl ? nexcl : 1, sizeof(*w->excl));
	if (!w->rule || !w->excl)
		goto fail;
	for (i = 0; i < s->count; i++) {
		if (rw_list(&s->rule[i]) == AUDIT_FILTER_EXIT)
			r = &w->rule[w->nrules++];
		else if (rw_list(&s->rule[i]) == AUDIT_FILTER_EXCLUDE)
			r = &w->excl[w->nexcl++];
		else
			continue;
		if (rw_rule_compile(w, s->rule[i].data, r))
			goto fail;
		if (rw_list(&s->rule[i]) == AUDIT_FILTER_EXIT)
			w->objects |= r->has_objects;
	}
	return w;
fail:
	rules_watch_free(w);
	errno = ENOMEM;
	return NULL;
}

void rules_watch_free(struct rules_watch *w)
{
	size_t i;

	if (!w)
		return;
	for (i = 0; i < w->nrules; i++)
		rw_rule_free(&w->rule[i]);
	for (i = 0; i < w->nexcl; i++)
		rw_rule_free(&w->excl[i]);
	free(w->rule);
	free(w->excl);
	free(w);
}

/* A record's objects, as its PATH records name them */
struct rw_view {
	const struct la_event *ev;
	const struct text_ident *id;
	struct path_set ps;
	const char *cwd;
	size_t cwd_len;
};

static int rw_exe(const struct rw_field *f, const struct text_ident *id)
{
	int eq;

	if (!id || !id->exe)
		return RW_MAYBE;
	eq = id->exe_len == f->len && !memcmp(id->exe, f->str, f->len);
	return (f->op == AUDIT_NOT_EQUAL ? !eq : eq) ? RW_YES : RW_NO;
}

/* audit_field_compare()'s pairs of the task's ids: 0 and 1, or RW_MAYBE (the objects') */
static int rw_cmp_pair(const struct la_event *ev, uint32_t which, uint32_t *l, uint32_t *r)
{
	switch (which) {
	case AUDIT_COMPARE_UID_TO_AUID:
		*l = ev->uid, *r = ev->auid;
		break;
	case AUDIT_COMPARE_UID_TO_EUID:
		*l = ev->uid, *r = ev->euid;
		break;
	case AUDIT_COMPARE_UID_TO_FSUID:
		*l = ev->uid, *r = ev->fsuid;
		break;
	case AUDIT_COMPARE_UID_TO_SUID:
		*l = ev->uid, *r = ev->suid;
		break;
	case AUDIT_COMPARE_AUID_TO_FSUID:
		*l = ev->auid, *r = ev->fsuid;
		break;
	case AUDIT_COMPARE_AUID_TO_SUID:
		*l = ev->auid, *r = ev->suid;
		break;
	case AUDIT_COMPARE_AUID_TO_EUID:
		*l = ev->auid, *r = ev->euid;
		break;
	case AUDIT_COMPARE_EUID_TO_SUID:
		*l = ev->euid, *r = ev->suid;
		break;
	case AUDIT_COMPARE_EUID_TO_FSUID:
		*l = ev->euid, *r = ev->fsuid;
		break;
	case AUDIT_COMPARE_SUID_TO_FSUID:
		*l = ev->suid, *r = ev->fsuid;
		break;
	case AUDIT_COMPARE_GID_TO_EGID:
		*l = ev->gid, *r = ev->egid;
		break;
	case AUDIT_COMPARE_GID_TO_FSGID:
		*l = ev->gid, *r = ev->fsgid;
		break;
	case AUDIT_COMPARE_GID_TO_SGID:
		*l = ev->gid, *r = ev->sgid;
		break;
	case AUDIT_COMPARE_EGID_TO_FSGID:
		*l = ev->egid, *r = ev->fsgid;
		break;
	case AUDIT_COMPARE_EGID_TO_SGID:
		*l = ev->egid, *r = ev->sgid;
		break;
	case AUDIT_COMPARE_SGID_TO_FSGID:
		*l = ev->sgid, *r = ev->fsgid;
		break;
	default:
		return RW_MAYBE;
	}
	return RW_YES;
}

/* audit_match_perm(): the candidates of a perm rule are the syscalls of its classes */
static int rw_perm(const struct la_event *ev, uint32_t mask)
{
	/* ACC_MODE() */
	static const uint32_t acc[4] = {AUDIT_PERM_READ, AUDIT_PERM_WRITE,
					AUDIT_PERM_READ | AUDIT_PERM_WRITE,
					AUDIT_PERM_READ | AUDIT_PERM_WRITE};
	const struct la_item *how;
	uint64_t flags;

	switch (ev->nr) {
	case NR_OPEN:
		return (mask & acc[ev->args[1] & 3]) ? RW_YES : RW_NO;
	case NR_OPENAT:
		return (mask & acc[ev->args[2] & 3]) ? RW_YES : RW_NO;
	case NR_OPENAT2:
		how = item_of(ev, LA_IT_OPENHOW, LA_ARG_NONE);
		if (!how || how->len < sizeof(flags))
			return RW_MAYBE;
		memcpy(&flags, wire_payload(how), sizeof(flags));
		return (mask & acc[flags & 3]) ? RW_YES : RW_NO;
	case NR_EXECVE:
	case NR_EXECVEAT:
		return (mask & AUDIT_PERM_EXEC) ? RW_YES : RW_NO;
	}
	return RW_YES;
}

/* The task's id @field of the record: 1 with @v set, 0 for another field */
static int rw_task_id(const struct la_event *ev, uint32_t field, uint32_t *v)
{
	switch (field) {
	case AUDIT_PID:
		*v = ev->pid;
		return 1;
	case AUDIT_PPID:
		*v = ev->ppid;
		return 1;
	case AUDIT_UID:
		*v = ev->uid;
		return 1;
	case AUDIT_EUID:
		*v = ev->euid;
		return 1;
	case AUDIT_SUID:
		*v = ev->suid;
		return 1;
	case AUDIT_FSUID:
		*v = ev->fsuid;
		return 1;
	case AUDIT_GID:
		*v = ev->gid;
		return 1;
	case AUDIT_EGID:
		*v = ev->egid;
		return 1;
	case AUDIT_SGID:
		*v = ev->sgid;
		return 1;
	case AUDIT_FSGID:
		*v = ev->fsgid;
		return 1;
	case AUDIT_LOGINUID:
		*v = ev->auid;
		return 1;
	case AUDIT_LOGINUID_SET:
		*v = ev->auid != (uint32_t)-1;
		return 1;
	case AUDIT_SESSIONID:
		*v = ev->ses;
		return 1;
	}
	return 0;
}

/* The LSM fields: with no LSM taking rules, the kernel keeps the rule, matching nothing */
static int rw_is_lsm(uint32_t f)
{
	return (f >= AUDIT_SUBJ_USER && f <= AUDIT_SUBJ_CLR) ||
	       (f >= AUDIT_OBJ_USER && f <= AUDIT_OBJ_LEV_HIGH);
}

/* A field of the task or of the syscall (not of its objects) */
static int rw_task_field(const struct rw_view *v, const struct rw_field *f)
{
	const struct la_event *ev = v->ev;
	int noret = ev->flags & LA_F_NORETURN, r;
	uint32_t left, right;

	if (rw_is_lsm(f->field))
		return RW_NO;
	if (f->field == AUDIT_GID || f->field == AUDIT_EGID) {
		left = f->field == AUDIT_GID ? ev->gid : ev->egid;
		r = rw_compare(left, f->op, f->value);
		/* = and != look at the supplementary groups too, which are not here */
		if ((f->op == AUDIT_EQUAL && !r) || (f->op == AUDIT_NOT_EQUAL && r))
			return RW_MAYBE;
		return r ? RW_YES : RW_NO;
	}
	if (rw_task_id(ev, f->field, &left))
		return rw_compare(left, f->op, f->value) ? RW_YES : RW_NO;
	switch (f->field) {
	case AUDIT_ARCH:
		left = AUDIT_ARCH_X86_64;
		break;
	case AUDIT_EXIT:
		if (noret)
			return RW_NO;
		left = (uint32_t)ev->ret;
		break;
	case AUDIT_SUCCESS:
		if (noret)
			return RW_NO;
		/* AUDITSC_SUCCESS 1, AUDITSC_FAILURE 2, as the kernel keeps the value */
		left = (uint64_t)ev->ret >= (uint64_t)-4095 ? 2 : 1;
		return rw_compare(left, f->op, f->value ? 1 : 2) ? RW_YES : RW_NO;
	case AUDIT_ARG0:
	case AUDIT_ARG1:
	case AUDIT_ARG2:
	case AUDIT_ARG3:
		left = (uint32_t)ev->args[f->field - AUDIT_ARG0];
		break;
	case AUDIT_PERM:
		return rw_perm(ev, f->value);
	case AUDIT_FIELD_COMPARE:
		if (rw_cmp_pair(ev, f->value, &left, &right) != RW_YES)
			return RW_MAYBE;
		return rw_compare(left, f->op, right) ? RW_YES : RW_NO;
	case AUDIT_EXE:
		return rw_exe(f, v->id);
	default:
		return RW_MAYBE; /* personality, ... */
	}
	return rw_compare(left, f->op, f->value) ? RW_YES : RW_NO;
}

/* The PARENT record of record @r: the one its directory part names, or the cwd's */
static const struct path_rec *rw_parent_of(const struct rw_view *v, const struct path_rec *r)
{
	size_t blen, plen = rw_base(r->name, r->len, &blen) - r->name;
	const struct path_rec *p;

	for (p = v->ps.r; p < v->ps.r + v->ps.n; p++) {
		if (p == r || !p->ino || strcmp(p->nametype, "PARENT"))
			continue;
		if (plen ? p->name && p->len == plen && !memcmp(p->name, r->name, plen)
			 : p->name == v->cwd)
			return p;
	}
	return NULL;
}

/*
 * What record @r, which names the watched path, says of where the name now leads
 * (audit_update_watch() on the directory's events): created or opened, its inode;
 * removed, nothing; renamed onto (no inode here), the path is looked up.
 */
static void rw_follow(const struct rules_watch *w, struct rw_field *f, const struct path_rec *r)
{
	if (r->ino && (!strcmp(r->nametype, "NORMAL") || !strcmp(r->nametype, "CREATE"))) {
		f->dev = r->ino->dev;
		f->ino = r->ino->ino;
		f->have = 1;
	} else if (!strcmp(r->nametype, "DELETE")) {
		f->have = 0;
	} else if (!strcmp(r->nametype, "CREATE") || !f->have) {
		rw_lookup(w, f);
	}
}

/*
 * Record @r's path made absolute and normalized into @full: its length, or -1 when it
 * is not known (no name, or a name relative to a directory file descriptor whose
 * path the programs did not send).
 */
static int rw_full(const struct rw_view *v, const struct path_rec *r, char *full)
{
	const struct la_item *it = NULL, *dir = NULL;

	if (!r->name)
		return -1;
	if (r->name[0] != '/') {
		while ((it = wire_item(v->ev, LA_IT_PATH, it)))
			if (wire_payload(it) == r->name)
				break;
		if (it && it->arg > 0 && it->arg < LA_NARGS &&
		    (la_at_path_args(v->ev->nr) & (1u << it->arg)) &&
		    (int32_t)v->ev->args[it->arg - 1] != AT_FDCWD) {
			/* the directory descriptor's path (LA_IT_ATDIR), for the name to join */
			while ((dir = wire_item(v->ev, LA_IT_ATDIR, dir)))
				if (dir->arg == it->arg)
					break;
			if (!dir || (dir->flags & LA_IF_TRUNC))
				return -1;
			return rw_normalize(r->name, r->len, wire_payload(dir), dir->len, full);
		}
	}
	return rw_normalize(r->name, r->len, v->cwd, v->cwd_len, full);
}

/*
 * A path watch on one object: by its inode, else by its name (the whole path, or its
 * last component in the watched directory), which it then follows.  A name whose
 * directory is not known here may be the watched one: fail open.
 */
static int rw_watch(const struct rules_watch *w, const struct rw_view *v, struct rw_field *f,
		    const struct path_rec *r)
{
	char full[PATH_MAX * 2];
	const struct path_rec *p = NULL;
	const char *base, *wbase;
	size_t blen, wblen;
	int named = 0, same_base, len;

	if (r->ino && f->have && r->ino->dev == f->dev && r->ino->ino == f->ino)
		return RW_YES;
	/* a name the lookup did not find: the kernel's watch is on an inode */
	if (!r->name || !strcmp(r->nametype, "PARENT") || !strcmp(r->nametype, "UNKNOWN"))
		return RW_NO;
	len = rw_full(v, r, full);
	base = rw_base(r->name, r->len, &blen);
	wbase = rw_base(f->str, f->len, &wblen);
	same_base = blen == wblen && !memcmp(base, wbase, blen);
	if (len >= 0 && (size_t)len == f->len && !memcmp(full, f->str, len)) {
		named = 1;
	} else if (same_base && f->phave) {
		p = rw_parent_of(v, r);
		named = p && p->ino->dev == f->pdev && p->ino->ino == f->pino;
	}
	if (!named)
		return len < 0 && same_base && !p ? RW_MAYBE : RW_NO;
	rw_follow(w, f, r);
	return RW_YES;
}

/* The slot of (@dev, @ino) in @seen: its own, or the empty one it would take */
static unsigned int rw_seen_slot(const struct rw_seen *seen, uint32_t dev, uint64_t ino)
{
	unsigned int h = (unsigned int)((ino * 0x9e3779b97f4a7c15ULL) >> 52) ^ dev, k;

	for (k = 0; k < RW_SEEN_SIZE; k++, h++) {
		h %= RW_SEEN_SIZE;
		if (!seen->slot[h].used || (seen->slot[h].ino == ino && seen->slot[h].dev == dev))
			break;
	}
	return h % RW_SEEN_SIZE;
}

static int rw_seen_has(const struct rw_seen *seen, const struct la_inode *in)
{
	unsigned int h = rw_seen_slot(seen, in->dev, in->ino);

	return seen->slot[h].used && seen->slot[h].ino == in->ino && seen->slot[h].dev == in->dev;
}

static void rw_seen_add(struct rw_seen *seen, const struct la_inode *in)
{
	unsigned int h;

	if (rw_seen_has(seen, in))
		return;
	if (seen->n >= RW_SEEN_SIZE * 3 / 4) {
		memset(seen, 0, sizeof(*seen));
	}
	h = rw_seen_slot(seen, in->dev, in->ino);
	seen->slot[h].ino = in->ino;
	seen->slot[h].dev = in->dev;
	seen->slot[h].used = 1;
	seen->n++;
}

/*
 * A dir rule on one object: the directory, an object whose path lies under it, or one
 * seen so before.  A name relative to a directory file descriptor is under it when
 * that directory was seen under it; when that directory is not known, it may be
 * (fail open).
 */
static int rw_dir(const struct rw_view *v, const struct rw_field *f, const struct path_rec *r)
{
	char full[PATH_MAX * 2];
	const struct path_rec *p;
	int len, under;

	if (r->ino && f->have && r->ino->dev == f->dev && r->ino->ino == f->ino)
		return RW_YES;
	/* a name the lookup did not find */
	if (!strcmp(r->nametype, "UNKNOWN") || (r->name && !r->len))
		return RW_NO;
	len = rw_full(v, r, full);
	if (len < 0) {
		if (!r->name)
			return r->ino && rw_seen_has(f->seen, r->ino) ? RW_YES : RW_NO;
		p = rw_parent_of(v, r);
		if (!p)
			return RW_MAYBE;
		return (f->have && p->ino->dev == f->dev && p->ino->ino == f->ino) ||
				       rw_seen_has(f->seen, p->ino)
			       ? RW_YES
			       : RW_NO;
	}
	under = f->len == 1 || ((size_t)len >= f->len && !memcmp(full, f->str, f->len) &&
				(full[f->len] == '/' || !full[f->len]));
	if (under && r->ino)
		rw_seen_add(f->seen, r->ino);
	return under ? RW_YES : RW_NO;
}

/* An object field on record @r (whose op the kernel applies inside, per name) */
static int rw_object_field(const struct rules_watch *w, const struct rw_view *v, struct rw_field *f,
			   const struct path_rec *r)
{
	const struct la_inode *in = r->ino;

	switch (f->field) {
	case AUDIT_WATCH:
		return rw_watch(w, v, f, r);
	case AUDIT_DIR:
		return rw_dir(v, f, r);
	case AUDIT_FILETYPE:
		return in && (in->mode & S_IFMT) == f->value ? RW_YES : RW_NO;
	}
	if (!in)
		return RW_NO;
	switch (f->field) {
	case AUDIT_INODE:
		return rw_compare((uint32_t)in->ino, f->op, f->value) ? RW_YES : RW_NO;
	case AUDIT_DEVMAJOR:
		return rw_compare(in->dev >> 20, f->op, f->value) ? RW_YES : RW_NO;
	case AUDIT_DEVMINOR:
		return rw_compare(in->dev & 0xfffff, f->op, f->value) ? RW_YES : RW_NO;
	case AUDIT_OBJ_UID:
		return rw_compare(in->uid, f->op, f->value) ? RW_YES : RW_NO;
	case AUDIT_OBJ_GID:
		return rw_compare(in->gid, f->op, f->value) ? RW_YES : RW_NO;
	}
	return RW_MAYBE;
}

/* Fold field outcome @m into the rule's @acc: one no decides, a maybe stays */
static int rw_and(int acc, int m)
{
	if (acc == RW_NO || m == RW_NO)
		return RW_NO;
	return acc == RW_MAYBE || m == RW_MAYBE ? RW_MAYBE : RW_YES;
}

/* The better of two objects' outcomes */
static int rw_or(int a, int b)
{
	if (a == RW_YES || b == RW_YES)
		return RW_YES;
	return a == RW_MAYBE || b == RW_MAYBE ? RW_MAYBE : RW_NO;
}

/* An object field of a rule of the exit list itself: some object matches it */
static int rw_any_object(const struct rules_watch *w, const struct rw_view *v, struct rw_field *f)
{
	int m = RW_NO;
	unsigned int i;

	for (i = 0; i < v->ps.n && m != RW_YES; i++)
		m = rw_or(m, rw_object_field(w, v, f, &v->ps.r[i]));
	/* audit_match_filetype() is one answer for all the names, which != negates */
	if (f->field == AUDIT_FILETYPE && f->op == AUDIT_NOT_EQUAL && m != RW_MAYBE)
		m = m == RW_YES ? RW_NO : RW_YES;
	return m;
}

/* audit_filter_rules() on rule @r */
static int rw_rule_match(const struct rules_watch *w, const struct rw_view *v, struct rw_rule *r)
{
	int m = RW_YES, om, best = RW_NO;
	unsigned int i, k;

	for (i = 0; i < r->n && m != RW_NO; i++) {
		if (!rw_is_object(r->f[i].field) || r->f[i].field == AUDIT_EXE)
			m = rw_and(m, rw_task_field(v, &r->f[i]));
		else if (!r->per_object || r->f[i].field == AUDIT_FILETYPE)
			m = rw_and(m, rw_any_object(w, v, &r->f[i]));
	}
	if (!r->per_object)
		return m;
	/*
	 * A rule of the inode hash: all its object fields on one name; tried even when a
	 * field of the task failed, for a watch to follow its name whoever renames it.
	 */
	for (k = 0; k < v->ps.n && best != RW_YES; k++) {
		om = RW_YES;
		for (i = 0; i < r->n && om != RW_NO; i++)
			if (rw_is_object(r->f[i].field) && r->f[i].field != AUDIT_EXE &&
			    r->f[i].field != AUDIT_FILETYPE)
				om = rw_and(om, rw_object_field(w, v, &r->f[i], &v->ps.r[k]));
		best = rw_or(best, om);
	}
	return rw_and(m, best);
}

int rules_watch_decide(struct rules_watch *w, const struct rules_bpf *b, const struct la_event *ev,
		       const struct text_ident *id, const char **key)
{
	static const struct text_ident none;
	const struct la_rule_list *l;
	const struct la_item *cwd;
	struct rw_view v = {.ev = ev, .id = id};
	struct rw_rule *r;
	uint32_t decided, idx, p;
	int m;

	*key = NULL;
	if (!ev->rule || ev->rule > b->nrules)
		return 1;
	decided = ev->rule - 1;
	if (!w || !w->objects || w->nrules != b->nrules || ev->nr < 0 ||
	    ev->nr >= LA_RULES_NR_MAX) {
		*key = b->key[decided];
		return 1;
	}
	text_path_records(&v.ps, ev, id ? id : &none);
	cwd = item_of(ev, LA_IT_CWD, LA_ARG_NONE);
	if (cwd) {
		v.cwd = wire_payload(cwd);
		v.cwd_len = cwd->len;
	}
	l = &b->list[ev->nr];
	for (p = 0; p < l->n && p < LA_RULES_PER_NR; p++) {
		idx = l->rule[p];
		if (idx >= w->nrules)
			continue;
		r = &w->rule[idx];
		/* the programs tried those before: only a never rule they passed over is left */
		if (idx < decided && r->action != AUDIT_NEVER)
			continue;
		m = rw_rule_match(w, &v, r);
		if (m == RW_NO || (m == RW_MAYBE && r->action == AUDIT_NEVER))
			continue;
		if (r->action == AUDIT_NEVER)
			return 0;
		*key = b->key[idx];
		return 1;
	}
	/* fail open: the candidates that did not fit the list were not tried */
	return (l->flags & LA_RL_OVERFLOW) ? 1 : 0;
}

/* audit_filter() on the exclude list for record type @type: 1 to drop it */
static int rw_exclude_type(const struct rules_watch *w, const struct la_event *ev,
			   const struct text_ident *id, uint32_t type)
{
	const struct rw_field *f;
	const struct rw_rule *r;
	uint32_t left;
	size_t i;
	unsigned int k;
	int m;

	for (i = 0; i < w->nexcl; i++) {
		r = &w->excl[i];
		m = RW_NO;
		for (k = 0; k < r->n; k++) {
			f = &r->f[k];
			if (f->field == AUDIT_MSGTYPE) {
				left = type;
			} else if (f->field == AUDIT_PID) {
				left = ev->tid; /* task_pid_nr(current) */
			} else if (f->field == AUDIT_EXE) {
				m = rw_exe(f, id);
				if (m == RW_MAYBE)
					return 0;
				goto next;
			} else if (rw_is_lsm(f->field)) {
				m = RW_NO;
				goto next;
			} else if (!rw_task_id(ev, f->field, &left)) {
				/* the kernel stops the list there and logs the record */
				return 0;
			}
			m = rw_compare(left, f->op, f->value) ? RW_YES : RW_NO;
		next:
			if (m == RW_NO)
				break;
		}
		if (m == RW_YES)
			return 1;
	}
	return 0;
}

uint32_t rules_watch_excluded(const struct rules_watch *w, const struct la_event *ev,
			      const struct text_ident *id)
{
	uint32_t drop = 0;
	size_t i;

	if (!w || !w->nexcl)
		return 0;
	for (i = 0; i < sizeof(rw_types) / sizeof(rw_types[0]); i++)
		if (rw_exclude_type(w, ev, id, rw_types[i].type))
			drop |= rw_types[i].bit;
	return drop;
}

/* The bit of the record type line @line (@len bytes) names, or 0 */
static uint32_t rw_line_type(const char *line, size_t len)
{
	const char *p = line, *end = line + len, *sp;
	size_t i, n;

	if (len > 5 && !memcmp(p, "node=", 5)) {
		sp = memchr(p, ' ', len);
		if (!sp)
			return 0;
		p = sp + 1;
	}
	if (end - p < 5 || memcmp(p, "type=", 5))
		return 0;
	p += 5;
	for (i = 0; i < sizeof(rw_types) / sizeof(rw_types[0]); i++) {
		n = strlen(rw_types[i].name);
		if ((size_t)(end - p) > n && !memcmp(p, rw_types[i].name, n) && p[n] == ' ')
			return rw_types[i].bit;
	}
	return 0;
}

size_t rules_watch_drop_lines(char *buf, size_t len, uint32_t types)
{
	size_t in = 0, out = 0, n;
	const char *nl;

	while (in < len) {
		nl = memchr(buf + in, '\n', len - in);
		n = nl ? (size_t)(nl - (buf + in)) + 1 : len - in;
		if (!(rw_line_type(buf + in, n) & types)) {
			memmove(buf + out, buf + in, n);
			out += n;
		}
		in += n;
	}
	return out;
}
