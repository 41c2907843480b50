/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Family 24, kill and ptrace: the target task, read at entry while it surely
 * exists (auditd's OBJ_PID); wake the consumer at once.
 */
#include "ebpf/programs.bpf.h"

#define LA_PTRACE_ATTACH 16
#define LA_PTRACE_SEIZE	 0x4206

static __always_inline void la_kill_entry(struct la_sys_enter *ctx, struct la_cursor *cur)
{
	la_put_objpid(cur, LA_ENTRY_POS_MAX, (__s32)ctx->args[0]);
}

static __always_inline void la_tgkill_entry(struct la_sys_enter *ctx, struct la_cursor *cur)
{
	la_put_objpid(cur, LA_ENTRY_POS_MAX, (__s32)ctx->args[1]);
}

/* auditd names the target of an attach only, not of the later requests */
static __always_inline void la_ptrace_entry(struct la_sys_enter *ctx, struct la_cursor *cur)
{
	if (ctx->args[0] == LA_PTRACE_ATTACH || ctx->args[0] == LA_PTRACE_SEIZE)
		la_put_objpid(cur, LA_ENTRY_POS_MAX, (__s32)ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_enter_kill")
int la_enter_kill(struct la_sys_enter *ctx)
{
	return la_enter_hooked(ctx, la_kill_entry);
}

SEC("tracepoint/syscalls/sys_exit_kill")
int la_exit_kill(struct la_sys_exit *ctx)
{
	return la_exit_plain(ctx, 1);
}

SEC("tracepoint/syscalls/sys_enter_tkill")
int la_enter_tkill(struct la_sys_enter *ctx)
{
	return la_enter_hooked(ctx, la_kill_entry);
}

SEC("tracepoint/syscalls/sys_exit_tkill")
int la_exit_tkill(struct la_sys_exit *ctx)
{
	return la_exit_plain(ctx, 1);
}

SEC("tracepoint/syscalls/sys_enter_tgkill")
int la_enter_tgkill(struct la_sys_enter *ctx)
{
	return la_enter_hooked(ctx, la_tgkill_entry);
}

SEC("tracepoint/syscalls/sys_exit_tgkill")
int la_exit_tgkill(struct la_sys_exit *ctx)
{
	return la_exit_plain(ctx, 1);
}

SEC("tracepoint/syscalls/sys_enter_ptrace")
int la_enter_ptrace(struct la_sys_enter *ctx)
{
	return la_enter_hooked(ctx, la_ptrace_entry);
}

SEC("tracepoint/syscalls/sys_exit_ptrace")
int la_exit_ptrace(struct la_sys_exit *ctx)
{
	return la_exit_plain(ctx, 1);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
