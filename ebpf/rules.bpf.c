/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The walk of the exit-list audit rules (ebpf/rules.bpf.h), one global function
 * that every program calls, and the verifier checks once per program.
 */
#include "ebpf/rules.bpf.h"

/* include/uapi/linux/audit.h: x86_64's native calls, and the 32-bit ones (LA_NR_COMPAT) */
#define LA_AUDIT_ARCH_X86_64 0xc000003eU
#define LA_AUDIT_ARCH_I386   0x40000003U
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
	__u32 list_key; /* the list's key in la_rule_lists */
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
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct group_info *gi = BPF_CORE_READ(task, cred, group_info);
	struct la_groups_walk g = {.gid = gid};
	int n = BPF_CORE_READ(gi, ngroups);

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
	case LA_NR32_OPEN:
		return (mask & acc[w->a[1] & 3]) ? LA_M_YES : LA_M_NO;
	case __NR_openat:
	case LA_NR32_OPENAT:
		return (mask & acc[w->a[2] & 3]) ? LA_M_YES : LA_M_NO;
	case __NR_openat2:
	case LA_NR32_OPENAT2:
		return LA_M_MAYBE; /* the flags are in struct open_how */
	case __NR_execve:
	case __NR_execveat:
	case LA_NR32_EXECVE:
	case LA_NR32_EXECVEAT:
		return (mask & LA_PERM_EXEC) ? LA_M_YES : LA_M_NO;
	}
	return LA_M_YES;
}

/*
 * la_rules_field() - one field of a rule against the walk's values: enum la_match.
 * A global function, checked once by the verifier rather than at each place of
 * the walk that evaluates a field.
 */
__noinline int la_rules_field(const struct la_rules_walk *w, const struct la_rule_field *f)
{
	__u32 id, id2, bit, left;
	int r;

	if (!w || !f)
		return LA_M_NO;
	id = f->field;
	id2 = f->field2;
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
 *
 * A global function: the verifier checks it once, and the walk's state it
 * writes is unknown to the callback that calls it, whose check then ends at
 * once instead of following every combination of that state.
 */
__noinline int la_rules_step(struct la_rules_walk *w, __u64 i)
{
	const struct la_rule_list *l;
	const struct la_rule *rule;
	__u64 place = i / LA_RULE_FIELDS;
	__u32 k = i % LA_RULE_FIELDS, key, idx, last;
	int fm;

	if (!w)
		return 1;
	/* the bound is checked on place itself, not on i */
	barrier_var(place);
	if (place != w->place) {
		w->place = place;
		w->m = LA_M_YES;
		w->done = 0;
	}
	if (w->done)
		return 0;
	key = w->list_key;
	l = bpf_map_lookup_elem(&la_rule_lists, &key);
	if (!l || place >= LA_RULES_PER_NR)
		return 1;
	idx = l->rule[place] & (LA_RULES_MAX - 1);
	key = w->slot * LA_RULES_MAX + idx;
	rule = bpf_map_lookup_elem(&la_rules, &key);
	if (!rule)
		return 0;
	if (k < rule->nfields) {
		fm = la_rules_field(w, &rule->f[k]);
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

/* bpf_loop()'s callback: one step of the walk @arg */
static long la_rule_step(__u64 i, void *arg)
{
	return la_rules_step(arg, i) ? 1 : 0;
}

/* Walk the list's @n candidates in order. */
static __always_inline void la_rules_loop(struct la_rules_walk *w)
{
	__u32 n = w->n < LA_RULES_PER_NR ? w->n : LA_RULES_PER_NR;

	w->place = (__u32)-1;
	bpf_loop(n * LA_RULE_FIELDS, la_rule_step, w, 0);
}

/*
 * Fill the walk's values of the current task and of the syscall's arguments @w->a.
 * The task's fields are read with probe reads, not through its BTF pointer: the
 * verifier checks a BTF access by walking struct task_struct's members, and
 * these reads, in every program, made most of the walk's verification time.
 */
static __always_inline void la_rules_values(struct la_rules_walk *w)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	const struct cred *cred = BPF_CORE_READ(task, cred);
	__u32 auid = (__u32)-1, ses = (__u32)-1;

	if (bpf_core_field_exists(task->loginuid))
		auid = BPF_CORE_READ(task, loginuid.val);
	if (bpf_core_field_exists(task->sessionid))
		ses = BPF_CORE_READ(task, sessionid);
	w->val[LA_RF_PID] = BPF_CORE_READ(task, tgid);
	w->val[LA_RF_PPID] = BPF_CORE_READ(task, real_parent, tgid);
	w->val[LA_RF_UID] = BPF_CORE_READ(cred, uid.val);
	w->val[LA_RF_EUID] = BPF_CORE_READ(cred, euid.val);
	w->val[LA_RF_SUID] = BPF_CORE_READ(cred, suid.val);
	w->val[LA_RF_FSUID] = BPF_CORE_READ(cred, fsuid.val);
	w->val[LA_RF_GID] = BPF_CORE_READ(cred, gid.val);
	w->val[LA_RF_EGID] = BPF_CORE_READ(cred, egid.val);
	w->val[LA_RF_SGID] = BPF_CORE_READ(cred, sgid.val);
	w->val[LA_RF_FSGID] = BPF_CORE_READ(cred, fsgid.val);
	w->val[LA_RF_AUID] = auid;
	w->val[LA_RF_AUID_SET] = auid != (__u32)-1;
	w->val[LA_RF_SES] = ses;
	w->val[LA_RF_PERS] = BPF_CORE_READ(task, personality);
	w->val[LA_RF_ARCH] = (w->nr & LA_NR_COMPAT) ? LA_AUDIT_ARCH_I386 : LA_AUDIT_ARCH_X86_64;
	w->val[LA_RF_A0] = w->a[0];
	w->val[LA_RF_A1] = w->a[1];
	w->val[LA_RF_A2] = w->a[2];
	w->val[LA_RF_A3] = w->a[3];
	w->known = ((1U << (LA_RF_A3 + 1)) - 1) & ~(1U << LA_RF_EXIT | 1U << LA_RF_SUCCESS);
	w->never = 0;
}

/* The task's ids and auid, unknown at the entry of a syscall that may change them. */
#define LA_RULES_CREDS                                                               \
	(1U << LA_RF_UID | 1U << LA_RF_EUID | 1U << LA_RF_SUID | 1U << LA_RF_FSUID | \
	 1U << LA_RF_GID | 1U << LA_RF_EGID | 1U << LA_RF_SGID | 1U << LA_RF_FSGID | \
	 1U << LA_RF_AUID | 1U << LA_RF_AUID_SET)

/*
 * la_rules_eval() - run the walk of syscall @in->nr in the rules of revision
 * @in->rev, at entry or at exit (@in->at); or, at a fork (LA_RULES_AT_FORK), the
 * walk of the task list for the new task.
 * Return: LA_RULES_DROP, LA_RULES_LOG or LA_RULES_LOG + 1 + the deciding
 * rule's index (see ebpf/rules.bpf.h); at a fork, an enum la_task_state.
 */
__noinline int la_rules_eval(const struct la_rules_in *in)
{
	const struct la_rule_list *l;
	struct la_rules_walk w;
	struct pt_regs *regs;
	__u32 key, at;
	__s64 ret;
	__s32 nr, n;

	/* a global function's pointer argument may be NULL: fail open */
	if (!in)
		return LA_RULES_LOG;
	nr = in->nr;
	n = nr & ~LA_NR_COMPAT;
	at = in->at;
	w.slot = in->rev & 1;
	w.nr = nr;
	if (at == LA_RULES_AT_FORK)
		key = LA_RULES_TASK_KEY + w.slot;
	else
		key = la_rule_list_key(w.slot, nr);
	w.list_key = key;
	l = at == LA_RULES_AT_FORK || (n >= 0 && n < LA_RULES_NR_MAX)
		    ? bpf_map_lookup_elem(&la_rule_lists, &key)
		    : NULL;
	if (!l || (!l->n && !(l->flags & LA_RL_OVERFLOW)))
		return LA_RULES_DROP; /* LA_TASK_BUILD at a fork */
	if (at == LA_RULES_AT_ENTRY) {
		/* as la_syscall_args(), the four the rules look at */
		regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
		if (nr & LA_NR_COMPAT) {
			w.a[0] = regs->bx;
			w.a[1] = regs->cx;
			w.a[2] = regs->dx;
			w.a[3] = regs->si;
		} else {
			w.a[0] = regs->di;
			w.a[1] = regs->si;
			w.a[2] = regs->dx;
			w.a[3] = regs->r10;
		}
	} else {
		w.a[0] = in->a[0];
		w.a[1] = in->a[1];
		w.a[2] = in->a[2];
		w.a[3] = in->a[3];
	}
	la_rules_values(&w);
	if (at == LA_RULES_AT_ENTRY && (l->flags & LA_RL_CREDS_CHANGE))
		w.known &= ~LA_RULES_CREDS;
	w.n = l->n;
	w.at_exit = at != LA_RULES_AT_ENTRY;
	w.decision = -1;
	w.action = 0;
	w.maybe = 0;
	w.overflow = l->flags & LA_RL_OVERFLOW;
	if (at == LA_RULES_AT_FORK) {
		/*
		 * audit_filter_task(): the new task, whose ids, auid and personality are
		 * its parent's (the caller's) at this point; no syscall, so no arguments
		 * and no return value (the compiler lists no rule with those).
		 */
		w.val[LA_RF_PID] = (__u32)in->a[0];
		w.val[LA_RF_PPID] = (__u32)in->a[1];
		w.never = 1U << LA_RF_EXIT | 1U << LA_RF_SUCCESS | 1U << LA_RF_A0 | 1U << LA_RF_A1 |
			  1U << LA_RF_A2 | 1U << LA_RF_A3;
	} else if (at == LA_RULES_AT_NORETURN) {
		w.never = 1U << LA_RF_EXIT | 1U << LA_RF_SUCCESS;
	} else if (at == LA_RULES_AT_EXIT) {
		ret = in->ret;
		w.val[LA_RF_EXIT] = (__u32)ret;
		/* is_syscall_success(): a return in [-MAX_ERRNO, -1] is a failure */
		w.val[LA_RF_SUCCESS] =
			(__u64)ret >= (__u64)-4095 ? LA_AUDITSC_FAILURE : LA_AUDITSC_SUCCESS;
		w.known |= 1U << LA_RF_EXIT | 1U << LA_RF_SUCCESS;
	}
	la_rules_loop(&w);
	if (at == LA_RULES_AT_FORK) {
		/* fail open: a never rule that did not fit the list leaves the task audited */
		if (w.decision < 0)
			return LA_TASK_BUILD;
		return w.action == LA_RULE_ALWAYS ? LA_TASK_RECORD : LA_TASK_NEVER;
	}
	if (!w.at_exit) {
		if (w.maybe || (w.decision < 0 && w.overflow))
			return LA_RULES_LOG;
		return w.decision >= 0 && w.action == LA_RULE_ALWAYS ? LA_RULES_LOG : LA_RULES_DROP;
	}
	if (w.decision >= 0)
		return w.action == LA_RULE_ALWAYS ? LA_RULES_LOG + 1 + w.decision : LA_RULES_DROP;
	/* fail open: the candidates that did not fit the list are not known here */
	return w.overflow ? LA_RULES_LOG : LA_RULES_DROP;
}

/* One fstype field of la_fs_never: bpf_loop()'s callback; @arg holds the magic, then 1 */
static long la_fs_never_step(__u64 i, void *arg)
{
	__u32 *m = arg, k = i & (LA_FS_NEVER_MAX - 1);
	int r = la_compare(m[0], la_fs_never[k].op, la_fs_never[k].magic);

	if (r)
		m[1] = 1;
	return r;
}

__noinline int la_fs_never_match(__u32 magic)
{
	__u32 m[2] = {magic, 0}, n = la_fs_never_n;

	if (n > LA_FS_NEVER_MAX)
		n = LA_FS_NEVER_MAX;
	if (n)
		bpf_loop(n, la_fs_never_step, m, 0);
	return m[1];
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
