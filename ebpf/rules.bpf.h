/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The exit-list audit rules, evaluated as the kernel's audit_filter_syscall()
 * does (kernel/auditsc.c): the candidate rules of the syscall in their order,
 * the first whose fields all match decides; always logs the syscall with that
 * rule's keys, never logs nothing; no rule matching logs nothing.
 *
 * At entry the same walk runs on what is known then (the task, a0..a3): a
 * syscall that no rule can select is discarded before anything is stashed.  A
 * field known only at exit (exit, success; the ids of a syscall that may change
 * them) leaves a rule undecided, and the syscall is kept for the exit's walk.
 */
#ifndef LAUDITD_EBPF_RULES_BPF_H
#define LAUDITD_EBPF_RULES_BPF_H

#include "ebpf/items.bpf.h"

/* include/uapi/linux/audit.h: the only arch captured (x86_64's native calls) */
#define LA_AUDIT_ARCH_X86_64 0xc000003eU
/* kernel/audit.h: ctx->return_valid */
#define LA_AUDITSC_SUCCESS 1
#define LA_AUDITSC_FAILURE 2
/* include/uapi/linux/audit.h: AUDIT_PERM_* */
#define LA_PERM_EXEC  1
#define LA_PERM_WRITE 2
#define LA_PERM_READ  4
/* supplementary groups looked at for gid and egid */
#define LA_RULES_GROUPS 32

/* A rule's, or a field's, outcome */
enum la_match {
	LA_M_NO = 0,
	LA_M_YES = 1,
	LA_M_MAYBE = 2, /* depends on what is known only later */
};

struct la_rules_walk {
	__u32 val[LA_RF_UNSURE + 1]; /* the task's and the syscall's values, by field id */
	__u32 known;		     /* bit (1 << id): val[id] is known */
	__u32 never; /* bit (1 << id): the field can match nothing (no return value) */
	__u64 a[4];
	__u32 slot;
	__s32 nr;
	__u32 n;	/* candidates listed */
	__u32 at_exit;	/* 0: entry */
	__s32 decision; /* -1: none yet; else the deciding rule's index */
	__u32 action;	/* its action */
	__u32 maybe;	/* a rule stays undecided until exit */
	__u32 overflow; /* LA_RL_OVERFLOW: more candidates than listed */
	__u32 place;	/* the candidate being evaluated ... */
	__u32 m;	/* ... its outcome so far (enum la_match) */
	__u32 done;	/* ... settled */
};

/* audit_comparator(): 32 bits, unsigned */
static __always_inline int la_compare(__u32 left, __u8 op, __u32 right)
{
	switch (op) {
	case LA_OP_EQ:
		return left == right;
	case LA_OP_NE:
		return left != right;
	case LA_OP_LT:
		return left < right;
	case LA_OP_LE:
		return left <= right;
	case LA_OP_GT:
		return left > right;
	case LA_OP_GE:
		return left >= right;
	case LA_OP_BITMASK:
		return (left & right) != 0;
	case LA_OP_BITTEST:
		return (left & right) == right;
	}
	return 0;
}

struct la_groups_walk {
	__u64 gid0; /* the address of group_info.gid[0] */
	__u32 gid;
	__u32 found;
};

static long la_group_step(__u64 i, void *arg)
{
	struct la_groups_walk *g = arg;
	__u32 v;

	if (bpf_probe_read_kernel(&v, sizeof(v), (void *)(g->gid0 + (i & 63) * sizeof(v))))
		return 1;
	if (v == g->gid) {
		g->found = 1;
		return 1;
	}
	return 0;
}

/* groups_search(): whether @gid is one of the task's supplementary groups (the first 32) */
static __always_inline int la_in_groups(__u32 gid)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct group_info *gi = task->cred->group_info;
	struct la_groups_walk g = {.gid = gid};
	int n = gi->ngroups;

	g.gid0 = (__u64)gi + bpf_core_field_offset(struct group_info, gid);

	if (n > LA_RULES_GROUPS)
		n = LA_RULES_GROUPS;
	if (n > 0)
		bpf_loop(n, la_group_step, &g, 0);
	return g.found;
}

/*
 * audit_match_perm(): whether syscall @nr with arguments @a is of a class of
 * @mask.  The compiler lists a perm rule only for the syscalls of its classes,
 * so that every other syscall that reaches here is of one.
 */
static __always_inline int la_perm(const struct la_rules_walk *w, __u32 mask)
{
	/* ACC_MODE(): O_RDONLY reads, O_WRONLY writes, O_RDWR and 3 both */
	const __u32 acc[4] = {LA_PERM_READ, LA_PERM_WRITE, LA_PERM_READ | LA_PERM_WRITE,
			      LA_PERM_READ | LA_PERM_WRITE};

	switch (w->nr) {
	case __NR_open:
		return (mask & acc[w->a[1] & 3]) ? LA_M_YES : LA_M_NO;
	case __NR_openat:
		return (mask & acc[w->a[2] & 3]) ? LA_M_YES : LA_M_NO;
	case __NR_openat2:
		return LA_M_MAYBE; /* the flags are in struct open_how */
	case __NR_execve:
	case __NR_execveat:
		return (mask & LA_PERM_EXEC) ? LA_M_YES : LA_M_NO;
	}
	return LA_M_YES;
}

static __always_inline int la_field(const struct la_rules_walk *w, const struct la_rule_field *f)
{
	__u32 id = f->field, id2 = f->field2, bit, left;
	int r;

	if (id == LA_RF_UNSURE)
		return LA_M_YES; /* see struct la_rule.unsure */
	if (id == LA_RF_PERM)
		return la_perm(w, f->value);
	if (id >= LA_RF_UNSURE)
		return LA_M_NO;
	if (id == LA_RF_CMP) {
		if (id2 >= LA_RF_UNSURE)
			return LA_M_NO;
		if (!(w->known & (1U << id2)) || !(w->known & (1U << f->value)))
			return LA_M_MAYBE;
		return la_compare(w->val[f->value & 31], f->op, w->val[id2]);
	}
	bit = 1U << id;
	if (w->never & bit)
		return LA_M_NO;
	if (!(w->known & bit))
		return LA_M_MAYBE;
	left = w->val[id];
	r = la_compare(left, f->op, f->value);
	/* gid and egid: = and != also look at the supplementary groups */
	if (id == LA_RF_GID || id == LA_RF_EGID) {
		if (f->op == LA_OP_EQ && !r)
			r = la_in_groups(f->value);
		else if (f->op == LA_OP_NE && r)
			r = !la_in_groups(f->value);
	}
	return r ? LA_M_YES : LA_M_NO;
}

/*
 * One field of one candidate rule: bpf_loop()'s callback, over every (rule, field)
 * pair of the list in order, i = place * LA_RULE_FIELDS + field, so that the
 * verifier sees one field's evaluation rather than a rule's sixteen unrolled.  A
 * rule's outcome is settled at its last field.  Return 1 to stop the walk.
 */
static long la_rule_step(__u64 i, void *arg)
{
	struct la_rules_walk *w = arg;
	const struct la_rule_list *l;
	const struct la_rule *rule;
	__u64 place = i / LA_RULE_FIELDS;
	__u32 k = i % LA_RULE_FIELDS, key, idx, last;
	int fm;

	/* the bound is checked on place itself, not on i */
	barrier_var(place);
	if (place != w->place) {
		w->place = place;
		w->m = LA_M_YES;
		w->done = 0;
	}
	if (w->done)
		return 0;
	key = w->slot * LA_RULES_NR_MAX + ((__u32)w->nr & (LA_RULES_NR_MAX - 1));
	l = bpf_map_lookup_elem(&la_rule_lists, &key);
	if (!l || place >= LA_RULES_PER_NR)
		return 1;
	idx = l->rule[place] & (LA_RULES_MAX - 1);
	key = w->slot * LA_RULES_MAX + idx;
	rule = bpf_map_lookup_elem(&la_rules, &key);
	if (!rule)
		return 0;
	if (k < rule->nfields) {
		fm = la_field(w, &rule->f[k]);
		if (fm == LA_M_NO) {
			w->done = 1;
			return 0;
		}
		if (fm == LA_M_MAYBE)
			w->m = LA_M_MAYBE;
	}
	last = rule->nfields ? rule->nfields - 1 : 0;
	if (k < last)
		return 0;
	w->done = 1;
	if (rule->action == LA_RULE_NEVER && (rule->unsure || (w->m == LA_M_MAYBE && w->at_exit)))
		return 0; /* fail open: a never rule that may not match is passed over */
	if (w->m == LA_M_MAYBE && !w->at_exit) {
		w->maybe = 1;
		return 1;
	}
	w->decision = idx;
	w->action = rule->action;
	return 1;
}

/* Walk the list's @n candidates in order. */
static __always_inline void la_rules_loop(struct la_rules_walk *w)
{
	__u32 n = w->n < LA_RULES_PER_NR ? w->n : LA_RULES_PER_NR;

	w->place = (__u32)-1;
	bpf_loop(n * LA_RULE_FIELDS, la_rule_step, w, 0);
}

/* Fill the walk's values of the current task and of syscall @nr's arguments @args. */
static __always_inline void la_rules_values(struct la_rules_walk *w, const __u64 *args)
{
	struct task_struct *task = bpf_get_current_task_btf();
	const struct cred *cred = task->cred;
	__u32 auid = la_task_auid(task);

	w->val[LA_RF_PID] = task->tgid;
	w->val[LA_RF_PPID] = task->real_parent->tgid;
	w->val[LA_RF_UID] = cred->uid.val;
	w->val[LA_RF_EUID] = cred->euid.val;
	w->val[LA_RF_SUID] = cred->suid.val;
	w->val[LA_RF_FSUID] = cred->fsuid.val;
	w->val[LA_RF_GID] = cred->gid.val;
	w->val[LA_RF_EGID] = cred->egid.val;
	w->val[LA_RF_SGID] = cred->sgid.val;
	w->val[LA_RF_FSGID] = cred->fsgid.val;
	w->val[LA_RF_AUID] = auid;
	w->val[LA_RF_AUID_SET] = auid != (__u32)-1;
	w->val[LA_RF_SES] = la_task_ses(task);
	w->val[LA_RF_PERS] = task->personality;
	w->val[LA_RF_ARCH] = LA_AUDIT_ARCH_X86_64;
	w->val[LA_RF_A0] = args[0];
	w->val[LA_RF_A1] = args[1];
	w->val[LA_RF_A2] = args[2];
	w->val[LA_RF_A3] = args[3];
	w->a[0] = args[0];
	w->a[1] = args[1];
	w->a[2] = args[2];
	w->a[3] = args[3];
	w->known = ((1U << (LA_RF_A3 + 1)) - 1) & ~(1U << LA_RF_EXIT | 1U << LA_RF_SUCCESS);
	w->never = 0;
}

/* The task's ids and auid, unknown at the entry of a syscall that may change them. */
#define LA_RULES_CREDS                                                               \
	(1U << LA_RF_UID | 1U << LA_RF_EUID | 1U << LA_RF_SUID | 1U << LA_RF_FSUID | \
	 1U << LA_RF_GID | 1U << LA_RF_EGID | 1U << LA_RF_SGID | 1U << LA_RF_FSGID | \
	 1U << LA_RF_AUID | 1U << LA_RF_AUID_SET)

/*
 * la_rules_run() - run the walk of syscall @nr in the rules of revision @rev.
 * Return: 0 when the syscall has no candidate (nothing is logged), else 1 with
 * @w->decision, @w->action and @w->maybe set.
 */
static __always_inline int la_rules_run(struct la_rules_walk *w, __u32 rev, __s32 nr,
					const __u64 *args, int at_exit)
{
	const struct la_rule_list *l;
	__u32 key;

	w->slot = rev & 1;
	w->nr = nr;
	key = w->slot * LA_RULES_NR_MAX + ((__u32)nr & (LA_RULES_NR_MAX - 1));
	l = nr >= 0 && nr < LA_RULES_NR_MAX ? bpf_map_lookup_elem(&la_rule_lists, &key) : NULL;
	if (!l || (!l->n && !(l->flags & LA_RL_OVERFLOW)))
		return 0;
	la_rules_values(w, args);
	if (!at_exit && (l->flags & LA_RL_CREDS_CHANGE))
		w->known &= ~LA_RULES_CREDS;
	w->n = l->n;
	w->at_exit = at_exit;
	w->decision = -1;
	w->action = 0;
	w->maybe = 0;
	w->overflow = l->flags & LA_RL_OVERFLOW;
	if (at_exit)
		return 1;
	la_rules_loop(w);
	if (w->decision < 0 && w->overflow)
		w->maybe = 1;
	return 1;
}

/*
 * la_rules_entry() - at a syscall's entry, with rules loaded: whether it may be
 * logged.  Return: 1 to stash it, 0 to discard it.
 */
static __always_inline int la_rules_entry(__s32 nr, __u32 rev)
{
	struct la_rules_walk w;
	__u64 args[LA_NARGS];

	la_syscall_args(args);
	if (!la_rules_run(&w, rev, nr, args, 0))
		return 0;
	if (w.maybe)
		return 1;
	return w.decision >= 0 && w.action == LA_RULE_ALWAYS;
}

/*
 * la_rules_exit() - at a syscall's exit: whether the rules log it, and with
 * which rule, kept in @s->rule and @s->rules_rev.
 * @nr: the syscall's number as stashed at entry.
 * @ret: its return value; @no_return: exit and exit_group, which have none.
 * Return: 1 to log it, 0 not to.
 */
static __always_inline int la_rules_exit(struct la_stash *s, __s32 nr, __s64 ret, int no_return)
{
	__u32 rev = la_rules_rev;
	struct la_rules_walk w;

	s->rule = 0;
	s->rules_rev = rev;
	if (!rev)
		return 1;
	if (!la_rules_run(&w, rev, nr, s->args, 1))
		return 0;
	if (no_return) {
		w.never = 1U << LA_RF_EXIT | 1U << LA_RF_SUCCESS;
	} else {
		w.val[LA_RF_EXIT] = (__u32)ret;
		/* is_syscall_success(): a return in [-MAX_ERRNO, -1] is a failure */
		w.val[LA_RF_SUCCESS] =
			(__u64)ret >= (__u64)-4095 ? LA_AUDITSC_FAILURE : LA_AUDITSC_SUCCESS;
		w.known |= 1U << LA_RF_EXIT | 1U << LA_RF_SUCCESS;
	}
	la_rules_loop(&w);
	if (w.decision >= 0) {
		if (w.action != LA_RULE_ALWAYS)
			return 0;
		s->rule = w.decision + 1;
		return 1;
	}
	/* fail open: the candidates that did not fit the list are not known here */
	return w.overflow ? 1 : 0;
}

#endif /* LAUDITD_EBPF_RULES_BPF_H */
