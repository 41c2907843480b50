/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The syscalls outside the 25 families that a rule names.  One pair of programs,
 * attached by user space to the syscall's own tracepoints (sys_enter_NAME,
 * sys_exit_NAME) while a rule names it: the syscalls no rule names run nothing.
 * A syscall without tracepoints of its own is caught by a second pair on the
 * generic sys_enter and sys_exit raw tracepoints, which every syscall runs while
 * it is attached: a syscall that has tracepoints of its own returns at once on a
 * test of a .rodata bitmap (la_raw_nrs), the others look up their list of
 * candidate rules (LA_RL_OTHER: a rule names them).
 * At entry the path arguments (ebpf/paths.h) and the directories they start
 * from, or a descriptor's file; at exit the working directory.
 *
 * A syscall this kernel does not implement (sys_ni_syscall: ENOSYS) has no
 * tracepoints either, and nothing happens between its entry and its exit: the
 * program at the generic sys_exit makes its whole record, the arguments still in
 * the saved registers, and none at sys_enter is needed for it.
 *
 * The 32-bit syscalls (int 0x80, sysenter, an ia32 compat call: TS_COMPAT) reach
 * the raw pair only: the per-syscall tracepoints ignore them (the kernel's
 * trace_get_syscall_nr() is -1 when arch_trace_is_compat_syscall()), and the raw
 * ones give their i386 number.  When the kernel runs them (la_raw_compat) the
 * raw pair takes them as number | LA_NR_COMPAT, tried against the rules' lists of
 * the i386 numbers (la_rule_list_key()): an arch=b32 rule's, or one with no arch.
 */
#include "ebpf/programs.bpf.h"
#include "ebpf/paths.h"

/*
 * The syscalls the raw programs may capture: those with a name in libaudit's
 * table that no family has and that have no tracepoints of their own on this
 * kernel.  Set by user space before load; every other syscall (read, write...)
 * leaves the raw programs on this one test, with no helper call.
 */
const volatile __u64 la_raw_nrs[LA_RULES_NR_MAX / 64] = {};

/* Those of la_raw_nrs that this kernel does not implement: captured at exit alone */
const volatile __u64 la_unimpl_nrs[LA_RULES_NR_MAX / 64] = {};

/* Set by user space before load: the kernel runs 32-bit syscalls (IA32 emulation on) */
const volatile __u8 la_raw_compat = 0;

/* Whether syscall @nr is one of bitmap @bits (la_raw_nrs, la_unimpl_nrs) */
static __always_inline int la_nr_in(const volatile __u64 *bits, long nr)
{
	return nr >= 0 && nr < LA_RULES_NR_MAX &&
	       (bits[((__u64)nr >> 6) & (LA_RULES_NR_MAX / 64 - 1)] & (1ULL << (nr & 63)));
}

/*
 * The number the raw programs take syscall @nr as: a 32-bit one's with
 * LA_NR_COMPAT, x86-64's if it is one of la_raw_nrs, else -1 (not theirs).
 */
static __always_inline long la_raw_syscall(long nr)
{
	if (la_raw_compat && la_compat_syscall())
		return nr >= 0 && nr < LA_RULES_NR_MAX ? nr | LA_NR_COMPAT : -1;
	return la_nr_in(la_raw_nrs, nr) ? nr : -1;
}

/*
 * Whether the raw programs capture syscall @nr (one of la_raw_nrs, or a 32-bit
 * one): a rule of the rules in force names it (LA_RL_OTHER), or at exit (@exit)
 * one of the previous revision did, as the syscall may have entered under those.
 */
static __always_inline int la_other_selected(long nr, int exit)
{
	__u32 rev = la_rules_rev, key;
	struct la_rule_list *l;

	if (!rev)
		return 0;
	key = la_rule_list_key(rev, nr);
	l = bpf_map_lookup_elem(&la_rule_lists, &key);
	if (l && (l->flags & LA_RL_OTHER))
		return 1;
	if (!exit)
		return 0;
	key = la_rule_list_key(~rev, nr);
	l = bpf_map_lookup_elem(&la_rule_lists, &key);
	return l && (l->flags & LA_RL_OTHER);
}

/* Argument @i as stashed (spec values are below LA_NARGS) */
static __always_inline __u64 la_other_arg(struct la_stash *s, __u8 i)
{
	return i < LA_NARGS ? s->args[i & 7] : 0;
}

/* Path argument @i starting from dirfd argument @dir; with @base, that directory's attributes */
static __always_inline void la_other_path(struct la_cursor *cur, struct la_stash *s, __u8 i,
					  __u8 dir, int base)
{
	__u64 uptr = la_other_arg(s, i);

	if (i >= LA_NARGS || !uptr)
		return;
	la_put_ustr(cur, LA_ENTRY_POS_MAX, LA_IT_PATH, i, (void *)uptr);
	if (base)
		la_put_base(cur, i, dir < LA_NARGS ? (__s32)la_other_arg(s, dir) : LA_AT_FDCWD);
}

/* At entry: stash the syscall, its path arguments or the descriptor's file. */
static __always_inline int la_other_enter(struct la_sys_enter *ctx)
{
	struct la_path_spec ps;
	struct la_cursor cur;
	struct la_stash *s;
	struct la_entry *e;
	struct file *f;

	/* no rules: the families only (a program still attached for a moment) */
	if (!la_rules_rev)
		return 0;
	s = la_enter(ctx);
	if (!s)
		return 0;
	ps = la_path_spec(ctx->nr);
	if (ps.shape == LA_PS_NONE || !(e = la_entry_begin(&cur)))
		return 0;
	if (ps.shape == LA_PS_FD) {
		f = la_fd_file((__s32)la_other_arg(s, ps.p));
		if (f)
			la_put_inode(&cur, LA_ENTRY_POS_MAX, LA_ARG_NONE, LA_INO_NORMAL,
				     BPF_CORE_READ(f, f_inode));
	} else {
		/* the parent's attributes of what is created, when its name has no slash */
		la_other_path(&cur, s, ps.p, ps.pdir, ps.shape == LA_PS_CREATE);
		la_other_path(&cur, s, ps.q, ps.qdir,
			      ps.shape == LA_PS_SYMLINK || ps.shape == LA_PS_LINK);
	}
	if (cur.nitems)
		la_entry_commit(s, e, &cur);
	return 0;
}

/*
 * The working directory, for a syscall that takes a path; not for one the kernel does
 * not implement (la_unimpl_nrs), which looks up no path: the kernel's audit logs no
 * CWD record for it.
 */
static __always_inline void la_other_exit_hook(struct la_sys_exit *ctx, struct la_cursor *cur,
					       struct la_buf *b, struct la_stash *s)
{
	if (la_path_spec(b->ev.nr).shape != LA_PS_NONE && !la_nr_in(la_unimpl_nrs, b->ev.nr)) {
		la_put_cwd(cur, s);
		la_put_atdirs(cur, s);
	}
}

/*
 * Attached by user space to the sys_enter_NAME and sys_exit_NAME tracepoints of
 * each syscall outside the families that a rule names and that has them.
 */
SEC("tracepoint")
int la_enter_other(struct la_sys_enter *ctx)
{
	return la_other_enter(ctx);
}

SEC("tracepoint")
int la_exit_other(struct la_sys_exit *ctx)
{
	if (!la_rules_rev)
		return 0;
	return la_exit_hooked(ctx, 0, la_other_exit_hook);
}

/*
 * The syscalls a rule names that have no tracepoints of their own, and the 32-bit
 * ones.  The raw tracepoints (tp_btf: the registers and the number, no trace record
 * built) run for every syscall while attached, and pass at once over those outside
 * la_raw_nrs (with la_raw_compat, after the test of the thread's TS_COMPAT).  Those
 * the kernel does not implement are la_exit_other_raw's alone: when they are all
 * the rules need, la_enter_other_raw is not attached.  A 32-bit exit or exit_group
 * is recorded at entry, as the exit family records x86-64's.
 */
SEC("tp_btf/sys_enter")
int BPF_PROG(la_enter_other_raw, struct pt_regs *regs, long id)
{
	struct la_sys_enter tp = {};
	long nr = la_raw_syscall(id);

	if (nr < 0 || la_nr_in(la_unimpl_nrs, nr) || !la_other_selected(nr, 0))
		return 0;
	tp.nr = nr;
	if (la_noreturn_nr(tp.nr))
		return la_enter_noreturn(&tp);
	return la_other_enter(&tp);
}

/* sys_exit's number is the one the registers hold (syscall_get_nr(): orig_ax) */
SEC("tp_btf/sys_exit")
int BPF_PROG(la_exit_other_raw, struct pt_regs *regs, long ret)
{
	long nr = la_raw_syscall(regs->orig_ax);
	struct la_sys_exit tp = {};

	if (nr < 0)
		return 0;
	if (la_nr_in(la_unimpl_nrs, nr)) {
		/*
		 * Not implemented: it ran sys_ni_syscall and nothing else, so the
		 * registers still hold its arguments (la_enter() reads them, as at
		 * entry): its whole record is made here, entered and left at once.
		 */
		struct la_sys_enter in = {.nr = nr};

		if (!la_other_selected(nr, 0) || !la_enter(&in))
			return 0;
	} else if (!la_other_selected(nr, 1)) {
		return 0;
	}
	tp.nr = nr;
	tp.ret = ret;
	return la_exit_hooked(&tp, 0, la_other_exit_hook);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
