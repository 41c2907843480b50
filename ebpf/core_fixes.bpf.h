/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Differences between kernel versions, each read through CO-RE so that one
 * object loads on all of them.
 */
#ifndef LAUDITD_EBPF_CORE_FIXES_BPF_H
#define LAUDITD_EBPF_CORE_FIXES_BPF_H

#include "ebpf/vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <asm/unistd.h>

/*
 * task_struct.loginuid and .sessionid exist only with CONFIG_AUDIT (they were
 * introduced with the audit subsystem, kernel 2.6.x, and stay conditional).
 * Without them a task has no audit identity: auid and ses read as unset (-1).
 */
static __always_inline __u32 la_task_auid(struct task_struct *t)
{
	if (bpf_core_field_exists(t->loginuid))
		return t->loginuid.val;
	return (__u32)-1;
}

static __always_inline __u32 la_task_ses(struct task_struct *t)
{
	if (bpf_core_field_exists(t->sessionid))
		return t->sessionid;
	return (__u32)-1;
}

/*
 * struct syscall_trace_enter/exit: the per-syscall tracepoints' records.  nr is
 * an int followed by padding since trace_syscalls.c's first version (2.6.31);
 * defined here rather than taken from vmlinux.h because the args[] flexible array
 * is declared differently across versions (args[0] vs args[]).
 */
struct la_sys_enter {
	__u64 common;
	__s32 nr;
	__u32 pad;
	__u64 args[6];
};

struct la_sys_exit {
	__u64 common;
	__s32 nr;
	__u32 pad;
	__s64 ret;
};

/*
 * The six syscall arguments as the entry code saved them in pt_regs (x86-64
 * syscall ABI: rdi, rsi, rdx, r10, r8, r9).  bpf_task_pt_regs() exists since 5.15.
 */
static __always_inline void la_syscall_args(__u64 *args, __s32 nr)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());

	/*
	 * A 32-bit syscall's (LA_NR_COMPAT) are bx, cx, dx, si, di, bp, as the
	 * kernel's syscall_get_arguments() reads them for a TS_COMPAT task.
	 */
	if (nr & LA_NR_COMPAT) {
		args[0] = regs->bx;
		args[1] = regs->cx;
		args[2] = regs->dx;
		args[3] = regs->si;
		args[4] = regs->di;
		args[5] = regs->bp;
		return;
	}
	/* plain loads: bpf_task_pt_regs() returns a BTF pointer */
	args[0] = regs->di;
	args[1] = regs->si;
	args[2] = regs->dx;
	args[3] = regs->r10;
	args[4] = regs->r8;
	args[5] = regs->r9;
}

/*
 * Whether an exit tracepoint of syscall @exit_nr ends the syscall stashed as
 * @stash_nr.  A successful execveat leaves through sys_exit_execve on x86-64:
 * the exit event is chosen from the syscall number in the registers, and
 * execveat shares execve's way out (seen on 6.18; execveat since 3.19).
 */
static __always_inline int la_exit_matches(__s32 stash_nr, __s32 exit_nr)
{
	return stash_nr == exit_nr || (stash_nr == __NR_execveat && exit_nr == __NR_execve);
}

/*
 * Whether the current syscall is a 32-bit one (int 0x80, sysenter, an ia32
 * compat call): x86-64's in_ia32_syscall() tests TS_COMPAT (0x0002) in
 * thread_info.status (arch/x86/include/asm/thread_info.h, since 4.6, "x86/syscalls:
 * Move TS_COMPAT into thread_info.status").  The raw_syscalls tracepoints fire for
 * those too, with their compat number; the per-syscall ones do not.
 */
#define LA_TS_COMPAT 0x0002

/*
 * The i386 numbers (arch/x86/entry/syscalls/syscall_32.tbl) the programs look at,
 * as la_event.nr has them (LA_NR_COMPAT): audit_match_perm()'s, and those that
 * never return.
 */
#define LA_NR32_EXIT	   (LA_NR_COMPAT | 1)
#define LA_NR32_OPEN	   (LA_NR_COMPAT | 5)
#define LA_NR32_EXECVE	   (LA_NR_COMPAT | 11)
#define LA_NR32_EXIT_GROUP (LA_NR_COMPAT | 252)
#define LA_NR32_OPENAT	   (LA_NR_COMPAT | 295)
#define LA_NR32_EXECVEAT   (LA_NR_COMPAT | 358)
#define LA_NR32_OPENAT2	   (LA_NR_COMPAT | 437)

/* Whether syscall @nr never returns (exit, exit_group: recorded at entry) */
static __always_inline int la_noreturn_nr(__s32 nr)
{
	return nr == __NR_exit || nr == __NR_exit_group || nr == LA_NR32_EXIT ||
	       nr == LA_NR32_EXIT_GROUP;
}

static __always_inline int la_compat_syscall(void)
{
	struct task_struct *t = bpf_get_current_task_btf();

	if (bpf_core_field_exists(t->thread_info.status))
		return (t->thread_info.status & LA_TS_COMPAT) != 0;
	return 0;
}

/*
 * file.f_mode's FMODE_CREATED: set when open(O_CREAT) created the file (since
 * 4.19, "introduce FMODE_CREATED and switch to it"; the same bit through 6.18).
 */
#define LA_FMODE_CREATED (1U << 20)

/* A task by its pid in the initial namespace, referenced (kfuncs since 6.2). */
extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

#endif /* LAUDITD_EBPF_CORE_FIXES_BPF_H */
