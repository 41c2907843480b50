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
	"chmod",     "fchmod",	  "chown",	 "lchown",	 "fchown",	 "setxattr",
	"lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr", "fchownat",
	"fchmodat",  "fchmodat2", "link",	 "linkat",	 "setxattrat",	 "removexattrat",
	"chown32",   "lchown32",  "fchown32",	 NULL,
};
static const char *const rules_bpf_class_open[] = {"open", "openat", "openat2", NULL};
static const char *const rules_bpf_class_exec[] = {"execve", "execveat", NULL};
/* Syscalls that may change the task's ids or auid (write: /proc/self/loginuid) */
static const char *const rules_bpf_creds_change[] = {
	"setuid",      "setgid",     "setreuid",    "setregid",	   "setresuid",	 "setresgid",
	"setfsuid",    "setfsgid",   "setgroups",   "execve",	   "execveat",	 "write",
	"pwrite",      "writev",     "pwritev",	    "pwritev2",	   "setuid32",	 "setgid32",
	"setreuid32",  "setregid32", "setresuid32", "setresgid32", "setfsuid32", "setfsgid32",
	"setgroups32", NULL,
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

/* Set @set[nr] to @v for each of @names, by machine @mach's numbers (libaudit's MACH_*) */
static void rules_bpf_mark(uint8_t *set, const char *const *names, int mach, uint8_t v)
{
	int nr;

	for (; *names; names++) {
		nr = audit_name_to_syscall(*names, mach);
		if (nr >= 0 && nr < LA_RULES_NR_MAX)
			set[nr] = v;
	}
}

/*
 * The syscalls of machine @mach that a rule with perm field @perm (0: none) and, with
 * @objects, a field on the objects may select, into @set.
 */
static void rules_bpf_allowed(uint32_t perm, int objects, int mach, uint8_t *set)
{
	memset(set, !perm, LA_RULES_NR_MAX);
	if (perm & AUDIT_PERM_WRITE)
		rules_bpf_mark(set, rules_bpf_class_write, mach, 1);
	if (perm & AUDIT_PERM_READ)
		rules_bpf_mark(set, rules_bpf_class_read, mach, 1);
	if (perm & AUDIT_PERM_ATTR)
		rules_bpf_mark(set, rules_bpf_class_attr, mach, 1);
	if (perm & (AUDIT_PERM_READ | AUDIT_PERM_WRITE))
		rules_bpf_mark(set, rules_bpf_class_open, mach, 1);
	if (perm & AUDIT_PERM_EXEC)
		rules_bpf_mark(set, rules_bpf_class_exec, mach, 1);
	/* decided on the objects in user space; never on a syscall that names none */
	if (objects)
		rules_bpf_mark(set, rules_bpf_nameless, mach, 0);
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

/* The arches of the syscalls captured: x86-64's own, and the 32-bit ones (LA_NR_COMPAT) */
static const struct {
	uint32_t audit_arch; /* AUDIT_ARCH_*, as an arch= field compares it */
	int mach;	     /* libaudit's MACH_*: the numbers of the rule's -S */
} rules_bpf_arches[RULES_BPF_ARCHES] = {
	{AUDIT_ARCH_X86_64, MACH_86_64},
	{AUDIT_ARCH_I386, MACH_X86},
};

/*
 * Compile rule @d into @r, its key into @key, its perm field's value into @perm (0: none)
 * and whether it has a field on the objects into @objects.  Return: the arches it can
 * match (bit i: rules_bpf_arches[i]; 0 if it never can), or -ENOMEM.
 */
static int rules_bpf_rule(const struct audit_rule_data *d, struct la_rule *r, char **key,
			  uint32_t *perm, int *objects)
{
	const char *str = d->buf;
	uint32_t i, f, v, len;
	int op, id, a, can = (1 << RULES_BPF_ARCHES) - 1;

	memset(r, 0, sizeof(*r));
	*perm = 0;
	*objects = 0;
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
			/* = or != only (audit_field_valid()) */
			for (a = 0; a < RULES_BPF_ARCHES; a++)
				if ((op == LA_OP_EQ) != (v == rules_bpf_arches[a].audit_arch))
					can &= ~(1 << a);
			break;
		case AUDIT_PERM:
			*perm = v;
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
			/* decided on the objects in user space (rules_bpf_allowed()) */
			if (rules_bpf_object_field(f))
				*objects = 1;
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
	size_t idx = b->nrules + b->ntask;
	int can, objects;
	uint32_t perm;
	char *key;

	can = rules_bpf_rule(d, &b->rule[idx], &key, &perm, &objects);
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

/*
 * List rule @d, the set's last compiled, as a candidate of each syscall of arch @a that
 * its mask names (in that arch's numbers, as auditctl encodes -S) and @allowed allows.
 */
static void rules_bpf_list(struct rules_bpf *b, const struct audit_rule_data *d, int a,
			   const uint8_t *allowed)
{
	int nr, paths = rules_bpf_has_path_field(d);
	struct la_rule_list *l;

	for (nr = 0; nr < LA_RULES_NR_MAX; nr++) {
		if (!(d->mask[nr / 32] & (1U << (nr % 32))) || !allowed[nr])
			continue;
		l = &b->lists[a][nr];
		if (paths)
			l->flags |= LA_RL_ATDIR;
		if (b->rule[b->nrules - 1].unsure)
			l->flags |= LA_RL_UNSURE;
		if (b->nrules > LA_RULES_MAX || l->n == LA_RULES_PER_NR)
			l->flags |= LA_RL_OVERFLOW;
		else
			l->rule[l->n++] = b->nrules - 1;
	}
}

/*
 * Each exit-list rule's key_id: 0 with no key, else 1 + the index of the first rule with
 * the same key, so that the cache filter merges the records of two rules only when the
 * kernel would have written the same key= for both.
 */
static void rules_bpf_key_ids(struct rules_bpf *b)
{
	size_t i, j;

	for (i = 0; i < b->nrules && i < LA_RULES_MAX; i++) {
		if (!b->key[i])
			continue;
		for (j = 0; j < i && (!b->key[j] || strcmp(b->key[j], b->key[i])); j++)
			;
		b->rule[i].key_id = (uint16_t)(j + 1);
	}
}

/*
 * Whether exclude-list rule @d may leave SYSCALL records out of the log: a merged
 * record's totals (merged=) are in its SYSCALL record, which must then not merge.
 */
static int rules_bpf_excludes_syscall(const struct audit_rule_data *d)
{
	uint32_t i, v;
	int may = 1;

	for (i = 0; i < d->field_count && i < AUDIT_MAX_FIELDS && may; i++) {
		if (d->fields[i] != AUDIT_MSGTYPE)
			continue;
		v = d->values[i];
		switch (rules_bpf_op(d->fieldflags[i])) {
		case LA_OP_EQ:
			may = AUDIT_SYSCALL == v;
			break;
		case LA_OP_NE:
			may = AUDIT_SYSCALL != v;
			break;
		case LA_OP_LT:
			may = AUDIT_SYSCALL < v;
			break;
		case LA_OP_LE:
			may = AUDIT_SYSCALL <= v;
			break;
		case LA_OP_GT:
			may = AUDIT_SYSCALL > v;
			break;
		case LA_OP_GE:
			may = AUDIT_SYSCALL >= v;
			break;
		case LA_OP_BITMASK:
			may = (AUDIT_SYSCALL & v) != 0;
			break;
		case LA_OP_BITTEST:
			may = (AUDIT_SYSCALL & v) == v;
			break;
		}
	}
	return may;
}

int rules_bpf_compile(const struct rules_set *s, struct rules_bpf *b)
{
	uint8_t allowed[LA_RULES_NR_MAX], creds[LA_RULES_NR_MAX];
	const struct audit_rule_data *d;
	int nr, a, can, objects, err = -ENOMEM;
	size_t i, n = 0, ntask = 0;
	uint32_t perm;

	memset(b, 0, sizeof(*b));
	b->active = s->count > 0;
	for (i = 0; i < s->count; i++) {
		n += rules_bpf_is_exit(&s->rule[i]);
		ntask += rules_bpf_list_of(&s->rule[i]) == AUDIT_FILTER_TASK;
	}
	b->list = calloc(RULES_BPF_ARCHES * LA_RULES_NR_MAX, sizeof(*b->list));
	b->rule = calloc(n + ntask ? n + ntask : 1, sizeof(*b->rule));
	b->key = calloc(n ? n : 1, sizeof(*b->key));
	if (!b->list || !b->rule || !b->key)
		goto fail;
	for (a = 0; a < RULES_BPF_ARCHES; a++) {
		b->lists[a] = b->list + a * LA_RULES_NR_MAX;
		memset(creds, 0, sizeof(creds));
		rules_bpf_mark(creds, rules_bpf_creds_change, rules_bpf_arches[a].mach, 1);
		for (nr = 0; nr < LA_RULES_NR_MAX; nr++)
			if (creds[nr])
				b->lists[a][nr].flags |= LA_RL_CREDS_CHANGE;
	}
	for (i = 0; i < s->count; i++) {
		if (!rules_bpf_is_exit(&s->rule[i]))
			continue;
		d = s->rule[i].data;
		can = rules_bpf_rule(d, &b->rule[b->nrules], &b->key[b->nrules], &perm, &objects);
		if (can < 0)
			goto fail;
		b->nrules++;
		for (a = 0; a < RULES_BPF_ARCHES; a++) {
			if (!(can & (1 << a)))
				continue;
			rules_bpf_allowed(perm, objects, rules_bpf_arches[a].mach, allowed);
			rules_bpf_list(b, d, a, allowed);
		}
	}
	rules_bpf_key_ids(b);
	for (i = 0; i < s->count; i++) {
		d = s->rule[i].data;
		/* user space may write a merged record without its SYSCALL record: none merges */
		if (rules_bpf_list_of(&s->rule[i]) == AUDIT_FILTER_EXCLUDE &&
		    rules_bpf_excludes_syscall(d))
			for (nr = 0; nr < RULES_BPF_ARCHES * LA_RULES_NR_MAX; nr++)
				b->list[nr].flags |= LA_RL_UNSURE;
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
	const struct la_rule_list *l;
	int n = nr & ~LA_NR_COMPAT;

	if (!b->active)
		return 1;
	if (n < 0 || n >= LA_RULES_NR_MAX)
		return 0;
	/* the tasks an always rule of the task list selects: every syscall */
	if (b->task_record && audit_syscall_to_name(n, (nr & LA_NR_COMPAT) ? MACH_X86 : MACH_86_64))
		return 1;
	l = &b->lists[(nr & LA_NR_COMPAT) ? RULES_BPF_I386 : RULES_BPF_X86_64][n];
	return l->n || (l->flags & LA_RL_OVERFLOW);
}

int rules_bpf_selects_compat(const struct rules_bpf *b)
{
	int nr;

	for (nr = 0; b->active && nr < LA_RULES_NR_MAX; nr++)
		if (rules_bpf_selects(b, nr | LA_NR_COMPAT))
			return 1;
	return 0;
}
