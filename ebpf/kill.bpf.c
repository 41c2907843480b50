/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Family 24, kill and ptrace: the target task, read at entry while it surely
 * exists (auditd's OBJ_PID); wake the consumer at once.
 */
#include "ebpf/common.bpf.h"

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

LA_ENTER_HOOKED(kill, la_kill_entry)
LA_EXIT_PLAIN(kill, 1)
LA_ENTER_HOOKED(tkill, la_kill_entry)
LA_EXIT_PLAIN(tkill, 1)
LA_ENTER_HOOKED(tgkill, la_tgkill_entry)
LA_EXIT_PLAIN(tgkill, 1)
LA_ENTER_HOOKED(ptrace, la_ptrace_entry)
LA_EXIT_PLAIN(ptrace, 1)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
