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
 *
 * The walk is one global function, la_rules_eval() (ebpf/rules.bpf.c), that
 * every program calls at entry and at exit: the verifier checks a global
 * function once per program, whatever its call sites, where an inlined walk and
 * its bpf_loop() callbacks would be checked again at each.
 */
#ifndef LAUDITD_EBPF_RULES_BPF_H
#define LAUDITD_EBPF_RULES_BPF_H

#include "ebpf/items.bpf.h"
#include "ebpf/paths.h"

/* struct la_rules_in.at: where the walk runs */
enum la_rules_at {
	LA_RULES_AT_ENTRY = 0, /* a0..a3 read from the task's registers */
	LA_RULES_AT_EXIT,      /* with the return value */
	LA_RULES_AT_NORETURN,  /* exit and exit_group: no return value */
	LA_RULES_AT_FORK,      /* the task list, for a new task: a[0] its tgid, a[1] its ppid */
};

/* What la_rules_eval() walks: scalars only, as a global function's argument */
struct la_rules_in {
	__u64 a[4]; /* at exit: a0..a3 as stashed at entry */
	__s64 ret;  /* LA_RULES_AT_EXIT: the return value */
	__s32 nr;   /* the syscall's number */
	__u32 rev;  /* the rules' revision (la_rules_rev), not 0 */
	__u32 at;   /* enum la_rules_at */
	__u32 pad;
};

/*
 * la_rules_eval()'s outcome.  At entry: LA_RULES_DROP to discard the syscall,
 * else keep it.  At exit: LA_RULES_DROP not to log it, LA_RULES_LOG to log it
 * with no rule (the list overflowed), LA_RULES_LOG + 1 + i to log it with rule i.
 */
#define LA_RULES_DROP 0
#define LA_RULES_LOG  1

int la_rules_eval(const struct la_rules_in *in);

/*
 * la_rules_entry() - at a syscall's entry, with rules loaded: whether it may be
 * logged.  Return: 1 to stash it, 0 to discard it.
 */
static __always_inline int la_rules_entry(__s32 nr, __u32 rev)
{
	struct la_rules_in in = {.nr = nr, .rev = rev, .at = LA_RULES_AT_ENTRY};

	return la_rules_eval(&in) != LA_RULES_DROP;
}

/*
 * la_rules_exit() - at a syscall's exit: whether the rules log it, and with
 * which rule, kept in @s->rule and @s->rules_rev.  A syscall decided already
 * (@s->ruled: the cache filter decides before it merges) is logged as decided.
 * @nr: the syscall's number as stashed at entry.
 * @ret: its return value; @no_return: exit and exit_group, which have none.
 * Return: 1 to log it, 0 not to.
 */
static __always_inline int la_rules_exit(struct la_stash *s, __s32 nr, __s64 ret, int no_return)
{
	__u32 rev = la_rules_rev;
	struct la_rules_in in = {
		.a = {s->args[0], s->args[1], s->args[2], s->args[3]},
		.ret = ret,
		.nr = nr,
		.rev = rev,
		.at = no_return ? LA_RULES_AT_NORETURN : LA_RULES_AT_EXIT,
	};
	int r;

	/* decided already, by the cache filter before it merged or sent the record */
	if (s->ruled) {
		s->ruled = 0;
		return 1;
	}
	s->rule = 0;
	s->rules_rev = rev;
	/* a task an always rule of the task list selected: logged, with no key */
	if (!rev || s->task_state == LA_TASK_RECORD)
		return 1;
	r = la_rules_eval(&in);
	if (r == LA_RULES_DROP)
		return 0;
	s->rule = r - LA_RULES_LOG; /* la_event.rule: 0 none, else the rule's index + 1 */
	return 1;
}

/*
 * la_rules_fork() - the task list's verdict on a new task, forked by the calling
 * one (whose ids, auid and personality it has), as the kernel's audit_alloc()
 * decides it: an enum la_task_state.  @tgid, @ppid: the new task's.
 */
static __always_inline int la_rules_fork(__u32 tgid, __u32 ppid)
{
	__u32 rev = la_rules_rev;
	struct la_rules_in in = {.a = {tgid, ppid}, .rev = rev, .at = LA_RULES_AT_FORK};

	if (!rev)
		return LA_TASK_BUILD;
	return la_rules_eval(&in);
}

/* The path of the directory that path argument @arg starts from: descriptor @arg - 1's */
static __always_inline void la_put_atdir(struct la_cursor *cur, struct la_stash *s, __u8 arg)
{
	__s32 dirfd = (__s32)s->args[(arg - 1) & 7];
	__u64 pos = cur->pos;
	struct file *f;

	if (dirfd == LA_AT_FDCWD || !(f = la_fd_file(dirfd)))
		return;
	la_put_file_path(cur, LA_POS_MAX, LA_IT_ATDIR, f);
	if (cur->pos != pos && pos <= LA_POS_MAX)
		((struct la_item *)(cur->data + pos))->arg = arg;
}

/*
 * la_put_atdirs_of() - at the exit of a syscall the rules selected: for each path
 * argument relative to a directory descriptor (bit i of @m for argument i, as
 * la_at_path_args() gives them), the directory's absolute path, when a candidate
 * rule has a dir= or watch field (LA_RL_ATDIR).  User space joins it to the name to
 * decide those fields; the name is logged as given.  Called after la_rules_exit()
 * (@s->rules_rev).
 */
static __always_inline void la_put_atdirs_of(struct la_cursor *cur, struct la_stash *s,
					     unsigned int m)
{
	struct la_rule_list *l;
	__u32 key;

	if (!s || !s->rules_rev || !m)
		return;
	/* x86-64's lists: la_at_path_args() has no 32-bit syscall */
	key = (s->rules_rev & 1) * LA_RULES_NR_MAX + ((__u32)s->nr & (LA_RULES_NR_MAX - 1));
	l = bpf_map_lookup_elem(&la_rule_lists, &key);
	if (!l || !(l->flags & LA_RL_ATDIR))
		return;
	if (m & (1u << 1))
		la_put_atdir(cur, s, 1);
	if (m & (1u << 2))
		la_put_atdir(cur, s, 2);
	if (m & (1u << 3))
		la_put_atdir(cur, s, 3);
}

/*
 * la_put_atdirs() - la_put_atdirs_of() for a program that several syscalls share:
 * their arguments from the number in the stash.  A program of one syscall gives
 * them as a constant instead, which keeps the directory walks out of the programs
 * of the syscalls that have none (the verifier's states multiply with each case).
 */
static __always_inline void la_put_atdirs(struct la_cursor *cur, struct la_stash *s)
{
	if (s)
		la_put_atdirs_of(cur, s, la_at_path_args(s->nr));
}

#endif /* LAUDITD_EBPF_RULES_BPF_H */
