/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libaudit.h>

#include "conf/rules_bpf.h"

/* The kernel's string fields: values[i] is the length of the string in buf */
static int rules_bpf_is_string(unsigned int f)
{
	return (f >= AUDIT_SUBJ_USER && f <= AUDIT_OBJ_LEV_HIGH && f != AUDIT_PPID) ||
	       f == AUDIT_WATCH || f == AUDIT_DIR || f == AUDIT_FILTERKEY || f == AUDIT_EXE;
}

static int rules_bpf_op(uint32_t flags)
{
	switch (flags & AUDIT_OPERATORS) {
	case AUDIT_EQUAL:
		return LA_OP_EQ;
	case AUDIT_NOT_EQUAL:
		return LA_OP_NE;
	case AUDIT_LESS_THAN:
		return LA_OP_LT;
	case AUDIT_LESS_THAN_OR_EQUAL:
		return LA_OP_LE;
	case AUDIT_GREATER_THAN:
		return LA_OP_GT;
	case AUDIT_GREATER_THAN_OR_EQUAL:
		return LA_OP_GE;
	case AUDIT_BIT_MASK:
		return LA_OP_BITMASK;
	case AUDIT_BIT_TEST:
		return LA_OP_BITTEST;
	}
	return 0;
}

/* The task's fields the programs read, by the kernel's field number */
static int rules_bpf_task_field(unsigned int f)
{
	switch (f) {
	case AUDIT_PID:
		return LA_RF_PID;
	case AUDIT_PPID:
		return LA_RF_PPID;
	case AUDIT_UID:
		return LA_RF_UID;
	case AUDIT_EUID:
		return LA_RF_EUID;
	case AUDIT_SUID:
		return LA_RF_SUID;
	case AUDIT_FSUID:
		return LA_RF_FSUID;
	case AUDIT_GID:
		return LA_RF_GID;
	case AUDIT_EGID:
		return LA_RF_EGID;
	case AUDIT_SGID:
		return LA_RF_SGID;
	case AUDIT_FSGID:
		return LA_RF_FSGID;
	case AUDIT_LOGINUID:
		return LA_RF_AUID;
	case AUDIT_LOGINUID_SET:
		return LA_RF_AUID_SET;
	case AUDIT_SESSIONID:
		return LA_RF_SES;
	case AUDIT_PERS:
		return LA_RF_PERS;
	case AUDIT_EXIT:
		return LA_RF_EXIT;
	case AUDIT_SUCCESS:
		return LA_RF_SUCCESS;
	case AUDIT_ARG0:
		return LA_RF_A0;
	case AUDIT_ARG1:
		return LA_RF_A1;
	case AUDIT_ARG2:
		return LA_RF_A2;
	case AUDIT_ARG3:
		return LA_RF_A3;
	}
	return 0;
}

/* audit_field_compare()'s pairs of the task's ids: left, right; 0 for the objects' */
static const uint8_t rules_bpf_cmp[AUDIT_MAX_FIELD_COMPARE + 1][2] = {
	[AUDIT_COMPARE_UID_TO_AUID] = {LA_RF_UID, LA_RF_AUID},
	[AUDIT_COMPARE_UID_TO_EUID] = {LA_RF_UID, LA_RF_EUID},
	[AUDIT_COMPARE_UID_TO_FSUID] = {LA_RF_UID, LA_RF_FSUID},
	[AUDIT_COMPARE_UID_TO_SUID] = {LA_RF_UID, LA_RF_SUID},
	[AUDIT_COMPARE_AUID_TO_FSUID] = {LA_RF_AUID, LA_RF_FSUID},
	[AUDIT_COMPARE_AUID_TO_SUID] = {LA_RF_AUID, LA_RF_SUID},
	[AUDIT_COMPARE_AUID_TO_EUID] = {LA_RF_AUID, LA_RF_EUID},
	[AUDIT_COMPARE_EUID_TO_SUID] = {LA_RF_EUID, LA_RF_SUID},
	[AUDIT_COMPARE_EUID_TO_FSUID] = {LA_RF_EUID, LA_RF_FSUID},
	[AUDIT_COMPARE_SUID_TO_FSUID] = {LA_RF_SUID, LA_RF_FSUID},
	[AUDIT_COMPARE_GID_TO_EGID] = {LA_RF_GID, LA_RF_EGID},
	[AUDIT_COMPARE_GID_TO_FSGID] = {LA_RF_GID, LA_RF_FSGID},
	[AUDIT_COMPARE_GID_TO_SGID] = {LA_RF_GID, LA_RF_SGID},
	[AUDIT_COMPARE_EGID_TO_FSGID] = {LA_RF_EGID, LA_RF_FSGID},
	[AUDIT_COMPARE_EGID_TO_SGID] = {LA_RF_EGID, LA_RF_SGID},
	[AUDIT_COMPARE_SGID_TO_FSGID] = {LA_RF_SGID, LA_RF_FSGID},
};

/*
 * The kernel's syscall classes (include/asm-generic/audit_*.h, x86's additions) by
 * libaudit's names; a name this libaudit does not know is left out.  A perm rule can
 * select only these, and open, openat, openat2, execve, execveat (audit_match_perm()).
 */
static const char *const rules_bpf_class_write[] = {
	"rename",  "mkdir",    "rmdir",	   "creat",	"link",	  "unlink",    "symlink",   "mknod",
	"mkdirat", "mknodat",  "unlinkat", "renameat",	"linkat", "symlinkat", "renameat2", "acct",
	"swapon",  "quotactl", "truncate", "ftruncate", "bind",	  NULL,
};
static const char *const rules_bpf_class_read[] = {
	"readlink",  "quotactl",  "listxattr",	"llistxattr", "flistxattr",  "getxattr",
	"lgetxattr", "fgetxattr", "readlinkat", "getxattrat", "listxattrat", NULL,
};
static const char *const rules_bpf_class_attr[] = {
	"chmod",	"fchmod",     "chown",	       "lchown",      "fchown",
	"setxattr",	"lsetxattr",  "fsetxattr",     "removexattr", "lremovexattr",
	"fremovexattr", "fchownat",   "fchmodat",      "fchmodat2",   "link",
	"linkat",	"setxattrat", "removexattrat", NULL,
};
static const char *const rules_bpf_class_open[] = {"open", "openat", "openat2", NULL};
static const char *const rules_bpf_class_exec[] = {"execve", "execveat", NULL};
/* Syscalls that may change the task's ids or auid (write: /proc/self/loginuid) */
static const char *const rules_bpf_creds_change[] = {
	"setuid",   "setgid",	"setreuid",  "setregid", "setresuid", "setresgid",
	"setfsuid", "setfsgid", "setgroups", "execve",	 "execveat",  "write",
	"pwrite",   "writev",	"pwritev",   "pwritev2", NULL,
};

/*
 * Syscalls that name no object: no path lookup, no audit_inode() or audit_file() in
 * the kernel, so their audit context holds no names and no tree references.  A rule
 * field on the objects (watch, dir, inode, obj_uid, filetype ...) is evaluated by
 * audit_filter_rules() on those names (match_tree_refs() for dir), so a rule with one
 * never matches these: they are not its candidates, and a read/write loop runs no
 * program for it.  connect, bind and the sends are not here: a unix socket's path is
 * looked up.
 */
static const char *const rules_bpf_nameless[] = {
	"read",
	"readv",
	"pread",
	"preadv",
	"preadv2",
	"write",
	"writev",
	"pwrite",
	"pwritev",
	"pwritev2",
	"close",
	"dup",
	"dup2",
	"dup3",
	"pipe",
	"pipe2",
	"socket",
	"socketpair",
	"accept",
	"accept4",
	"recvfrom",
	"recvmsg",
	"recvmmsg",
	"clone",
	"clone3",
	"fork",
	"vfork",
	"exit",
	"exit_group",
	"kill",
	"tkill",
	"tgkill",
	"mprotect",
	"setuid",
	"setgid",
	"setreuid",
	"setregid",
	"setresuid",
	"setresgid",
	"setfsuid",
	"setfsgid",
	/* a descriptor's file, but no audit_file(): fchmod, fchown, f*xattr are not here */
	"fcntl",
	"getdents",
	"getdents64",
	"lseek",
	"fstat",
	"fsync",
	"fdatasync",
	"fadvise64",
	"flock",
	/* memory, time, signals, waits, the task's own ids */
	"brk",
	"munmap",
	"madvise",
	"futex",
	"nanosleep",
	"clock_nanosleep",
	"poll",
	"ppoll",
	"select",
	"pselect6",
	"epoll_wait",
	"epoll_pwait",
	"epoll_ctl",
	"getpid",
	"getppid",
	"gettid",
	"sched_yield",
	"rt_sigaction",
	"rt_sigprocmask",
	"rt_sigreturn",
	"wait4",
	"waitid",
	"getrandom",
	"set_robust_list",
	"rseq",
	"prlimit64",
	"uname",
	"getuid",
	"getgid",
	"geteuid",
	"getegid",
	"umask",
	"clock_gettime",
	"gettimeofday",
	NULL,
};

static void rules_bpf_unmark(uint8_t *set, const char *const *names)
{
	int nr;

	for (; *names; names++) {
		nr = audit_name_to_syscall(*names, MACH_86_64);
		if (nr >= 0 && nr < LA_RULES_NR_MAX)
			set[nr] = 0;
	}
}

static void rules_bpf_mark(uint8_t *set, const char *const *names)
{
	int nr;

	for (; *names; names++) {
		nr = audit_name_to_syscall(*names, MACH_86_64);
		if (nr >= 0 && nr < LA_RULES_NR_MAX)
			set[nr] = 1;
	}
}

/* The syscalls a perm rule of @perm may select */
static void rules_bpf_perm_set(uint32_t perm, uint8_t *set)
{
	memset(set, 0, LA_RULES_NR_MAX);
	if (perm & AUDIT_PERM_WRITE)
		rules_bpf_mark(set, rules_bpf_class_write);
	if (perm & AUDIT_PERM_READ)
		rules_bpf_mark(set, rules_bpf_class_read);
	if (perm & AUDIT_PERM_ATTR)
		rules_bpf_mark(set, rules_bpf_class_attr);
	if (perm & (AUDIT_PERM_READ | AUDIT_PERM_WRITE))
		rules_bpf_mark(set, rules_bpf_class_open);
	if (perm & AUDIT_PERM_EXEC)
		rules_bpf_mark(set, rules_bpf_class_exec);
}

static void rules_bpf_add_field(struct la_rule *r, uint8_t field, uint8_t op, uint8_t field2,
				uint32_t value)
{
	struct la_rule_field *f;

	if (r->nfields == LA_RULE_FIELDS) {
		r->unsure = 1;
		return;
	}
	f = &r->f[r->nfields++];
	f->field = field;
	f->op = op;
	f->field2 = field2;
	f->value = value;
}

/*
 * Compile rule @d into @r, its key into @key, the syscalls a perm field and its object
 * fields allow into @perm (all ones without either).  Return: 1 if the rule can match, 0 if it never can, -ENOMEM.
 */
static int rules_bpf_rule(const struct audit_rule_data *d, struct la_rule *r, char **key,
			  uint8_t *perm)
{
	const char *str = d->buf;
	uint32_t i, f, v, len;
	int op, id, can = 1;

	memset(r, 0, sizeof(*r));
	memset(perm, 1, LA_RULES_NR_MAX);
	*key = NULL;
	r->action = d->action == AUDIT_ALWAYS ? LA_RULE_ALWAYS : LA_RULE_NEVER;
	for (i = 0; i < d->field_count && i < AUDIT_MAX_FIELDS; i++) {
		f = d->fields[i];
		v = d->values[i];
		op = rules_bpf_op(d->fieldflags[i]);
		if (rules_bpf_is_string(f)) {
			len = v;
			if (f == AUDIT_FILTERKEY && !*key) {
				*key = strndup(str, len);
				if (!*key)
					return -ENOMEM;
			}
			str += len;
		}
		id = rules_bpf_task_field(f);
		if (id == LA_RF_SUCCESS)
			v = v ? 1 : 2; /* AUDITSC_SUCCESS, AUDITSC_FAILURE */
		if (id) {
			rules_bpf_add_field(r, id, op, 0, v);
			continue;
		}
		switch (f) {
		case AUDIT_FILTERKEY:
			break;
		case AUDIT_ARCH:
			/* = or != only; every syscall captured is x86_64's own */
			if ((op == LA_OP_EQ) != (v == AUDIT_ARCH_X86_64))
				can = 0;
			break;
		case AUDIT_PERM:
			rules_bpf_perm_set(v, perm);
			rules_bpf_add_field(r, LA_RF_PERM, op, 0, v);
			break;
		case AUDIT_FIELD_COMPARE:
			if (v <= AUDIT_MAX_FIELD_COMPARE && rules_bpf_cmp[v][0])
				rules_bpf_add_field(r, LA_RF_CMP, op, rules_bpf_cmp[v][1],
						    rules_bpf_cmp[v][0]);
			else
				r->unsure = 1; /* against the objects' owners */
			break;
		case AUDIT_SUBJ_USER:
		case AUDIT_SUBJ_ROLE:
		case AUDIT_SUBJ_TYPE:
		case AUDIT_SUBJ_SEN:
		case AUDIT_SUBJ_CLR:
		case AUDIT_OBJ_USER:
		case AUDIT_OBJ_ROLE:
		case AUDIT_OBJ_TYPE:
		case AUDIT_OBJ_LEV_LOW:
		case AUDIT_OBJ_LEV_HIGH:
			/* no LSM takes audit rules here: the kernel keeps the rule, matching nothing */
			can = 0;
			break;
		default:
			/* decided on the objects in user space; never on a syscall that names none */
			if (rules_bpf_object_field(f))
				rules_bpf_unmark(perm, rules_bpf_nameless);
			/* and exe, -C against an object's owner ... */
			r->unsure = 1;
			break;
		}
	}
	return can;
}

int rules_bpf_object_field(uint32_t f)
{
	switch (f) {
	case AUDIT_WATCH:
	case AUDIT_DIR:
	case AUDIT_INODE:
	case AUDIT_DEVMAJOR:
	case AUDIT_DEVMINOR:
	case AUDIT_OBJ_UID:
	case AUDIT_OBJ_GID:
	case AUDIT_FILETYPE:
		return 1;
	}
	return 0;
}

static int rules_bpf_is_exit(const struct rules_rule *rr)
{
	return (rr->data->flags & ~AUDIT_FILTER_PREPEND) == AUDIT_FILTER_EXIT;
}

static int rules_bpf_list_of(const struct rules_rule *rr)
{
	return rr->data->flags & ~AUDIT_FILTER_PREPEND;
}

/*
 * Whether task-list rule @d may match: audit_filter_rules() with no audit context and
 * no name (task_creation) matches nothing on the syscall's fields nor on the objects.
 */
static int rules_bpf_task_can(const struct audit_rule_data *d)
{
	uint32_t i, f, v;

	for (i = 0; i < d->field_count && i < AUDIT_MAX_FIELDS; i++) {
		f = d->fields[i];
		v = d->values[i];
		switch (f) {
		case AUDIT_ARG0:
		case AUDIT_ARG1:
		case AUDIT_ARG2:
		case AUDIT_ARG3:
		case AUDIT_EXIT:
		case AUDIT_SUCCESS:
		case AUDIT_ARCH:
		case AUDIT_PERM:
		case AUDIT_PPID: /* the kernel takes it from the context */
		case AUDIT_SADDR_FAM:
			return 0;
		case AUDIT_FIELD_COMPARE:
			if (v > AUDIT_MAX_FIELD_COMPARE || !rules_bpf_cmp[v][0])
				return 0;
			break;
		default:
			if (rules_bpf_object_field(f))
				return 0;
		}
	}
	return 1;
}

/* Compile the task-list rule @d as rule[nrules + ntask] of @b and list it. */
static int rules_bpf_task_rule(struct rules_bpf *b, const struct audit_rule_data *d)
{
	uint8_t perm[LA_RULES_NR_MAX];
	size_t idx = b->nrules + b->ntask;
	char *key;
	int can;

	can = rules_bpf_rule(d, &b->rule[idx], &key, perm);
	free(key);
	if (can < 0)
		return can;
	b->ntask++;
	if (!can || !rules_bpf_task_can(d))
		return 0;
	if (d->action == AUDIT_NEVER)
		b->task_never = 1;
	else
		b->task_record = 1;
	if (idx >= LA_RULES_MAX || b->task.n == LA_RULES_PER_NR)
		b->task.flags |= LA_RL_OVERFLOW;
	else
		b->task.rule[b->task.n++] = idx;
	return 0;
}

/* The fstype fields of filesystem-list rule @d, when it is a never rule */
static void rules_bpf_fs_rule(struct rules_bpf *b, const struct audit_rule_data *d)
{
	uint32_t i;

	if (d->action != AUDIT_NEVER)
		return;
	for (i = 0; i < d->field_count && i < AUDIT_MAX_FIELDS; i++) {
		if (d->fields[i] != AUDIT_FSTYPE || b->nfs == LA_FS_NEVER_MAX)
			continue;
		b->fs[b->nfs].op = rules_bpf_op(d->fieldflags[i]);
		b->fs[b->nfs].magic = d->values[i];
		b->nfs++;
	}
}

/* Whether rule @d has a field decided on an object's full path (LA_RL_ATDIR) */
static int rules_bpf_has_path_field(const struct audit_rule_data *d)
{
	uint32_t i;

	for (i = 0; i < d->field_count && i < AUDIT_MAX_FIELDS; i++)
		if (d->fields[i] == AUDIT_WATCH || d->fields[i] == AUDIT_DIR)
			return 1;
	return 0;
}

int rules_bpf_compile(const struct rules_set *s, struct rules_bpf *b)
{
	uint8_t perm[LA_RULES_NR_MAX], creds[LA_RULES_NR_MAX] = {0};
	const struct audit_rule_data *d;
	struct la_rule_list *l;
	size_t i, n = 0, ntask = 0;
	int nr, can, paths, err = -ENOMEM;

	memset(b, 0, sizeof(*b));
	b->active = s->count > 0;
	for (i = 0; i < s->count; i++) {
		n += rules_bpf_is_exit(&s->rule[i]);
		ntask += rules_bpf_list_of(&s->rule[i]) == AUDIT_FILTER_TASK;
	}
	b->list = calloc(LA_RULES_NR_MAX, sizeof(*b->list));
	b->rule = calloc(n + ntask ? n + ntask : 1, sizeof(*b->rule));
	b->key = calloc(n ? n : 1, sizeof(*b->key));
	if (!b->list || !b->rule || !b->key)
		goto fail;
	rules_bpf_mark(creds, rules_bpf_creds_change);
	for (nr = 0; nr < LA_RULES_NR_MAX; nr++)
		if (creds[nr])
			b->list[nr].flags |= LA_RL_CREDS_CHANGE;
	for (i = 0; i < s->count; i++) {
		if (!rules_bpf_is_exit(&s->rule[i]))
			continue;
		d = s->rule[i].data;
		can = rules_bpf_rule(d, &b->rule[b->nrules], &b->key[b->nrules], perm);
		if (can < 0)
			goto fail;
		b->nrules++;
		if (!can)
			continue;
		paths = rules_bpf_has_path_field(d);
		for (nr = 0; nr < LA_RULES_NR_MAX; nr++) {
			if (!(d->mask[nr / 32] & (1U << (nr % 32))) || !perm[nr])
				continue;
			l = &b->list[nr];
			if (paths)
				l->flags |= LA_RL_ATDIR;
			if (b->nrules > LA_RULES_MAX || l->n == LA_RULES_PER_NR)
				l->flags |= LA_RL_OVERFLOW;
			else
				l->rule[l->n++] = b->nrules - 1;
		}
	}
	for (i = 0; i < s->count; i++) {
		d = s->rule[i].data;
		if (rules_bpf_list_of(&s->rule[i]) == AUDIT_FILTER_FS)
			rules_bpf_fs_rule(b, d);
		else if (rules_bpf_list_of(&s->rule[i]) == AUDIT_FILTER_TASK &&
			 rules_bpf_task_rule(b, d))
			goto fail;
	}
	return 0;
fail:
	err = -ENOMEM;
	rules_bpf_free(b);
	return err;
}

/* Whether rule @d has a field on the objects */
static int rules_bpf_has_object_field(const struct audit_rule_data *d)
{
	uint32_t i;

	for (i = 0; i < d->field_count && i < AUDIT_MAX_FIELDS; i++)
		if (rules_bpf_object_field(d->fields[i]))
			return 1;
	return 0;
}

void rules_bpf_unimplemented(struct rules_bpf *b, const struct rules_set *s, int nr)
{
	struct la_rule_list *l;
	size_t i, idx = 0;
	uint16_t k, n = 0;
	uint8_t *objects;

	if (!b->list || nr < 0 || nr >= LA_RULES_NR_MAX || !b->list[nr].n)
		return;
	objects = calloc(b->nrules ? b->nrules : 1, 1);
	if (!objects)
		return; /* the candidates stay: fail open */
	for (i = 0; i < s->count && idx < b->nrules; i++)
		if (rules_bpf_is_exit(&s->rule[i]))
			objects[idx++] = rules_bpf_has_object_field(s->rule[i].data);
	l = &b->list[nr];
	for (k = 0; k < l->n && k < LA_RULES_PER_NR; k++)
		if (l->rule[k] >= b->nrules || !objects[l->rule[k]])
			l->rule[n++] = l->rule[k];
	l->n = n;
	free(objects);
}

void rules_bpf_free(struct rules_bpf *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; b->key && i < b->nrules; i++)
		free(b->key[i]);
	free(b->key);
	free(b->rule);
	free(b->list);
	memset(b, 0, sizeof(*b));
}

int rules_bpf_selects(const struct rules_bpf *b, int nr)
{
	if (!b->active)
		return 1;
	if (nr < 0 || nr >= LA_RULES_NR_MAX)
		return 0;
	/* the tasks an always rule of the task list selects: every syscall */
	if (b->task_record && audit_syscall_to_name(nr, MACH_86_64))
		return 1;
	return b->list[nr].n || (b->list[nr].flags & LA_RL_OVERFLOW);
}
