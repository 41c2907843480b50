/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Family 21, rename: both paths and the directories they start from, read at
 * entry; the working directory at exit.
 */
#include "ebpf/programs.bpf.h"

static __always_inline void la_rename_entry(struct la_sys_enter *ctx, struct la_cursor *cur)
{
	la_put_ustr(cur, LA_ENTRY_POS_MAX, LA_IT_PATH, 0, (void *)ctx->args[0]);
	la_put_ustr(cur, LA_ENTRY_POS_MAX, LA_IT_PATH, 1, (void *)ctx->args[1]);
	la_put_base(cur, 0, LA_AT_FDCWD);
	la_put_base(cur, 1, LA_AT_FDCWD);
}

static __always_inline void la_renameat_entry(struct la_sys_enter *ctx, struct la_cursor *cur)
{
	la_put_ustr(cur, LA_ENTRY_POS_MAX, LA_IT_PATH, 1, (void *)ctx->args[1]);
	la_put_ustr(cur, LA_ENTRY_POS_MAX, LA_IT_PATH, 3, (void *)ctx->args[3]);
	la_put_base(cur, 1, (__s32)ctx->args[0]);
	la_put_base(cur, 3, (__s32)ctx->args[2]);
}

/* The working directory; a rename that succeeded voids every kept one. */
static __always_inline void la_rename_hook(struct la_sys_exit *ctx, struct la_cursor *cur,
					   struct la_buf *b, struct la_stash *s)
{
	__u32 key = 0;
	__u64 *renames;

	if (!ctx->ret && (renames = bpf_map_lookup_elem(&la_renames, &key)))
		__sync_fetch_and_add(renames, 1);
	la_put_cwd(cur, s);
	la_put_atdirs(cur, s);
}

SEC("tracepoint/syscalls/sys_enter_rename")
int la_enter_rename(struct la_sys_enter *ctx)
{
	return la_enter_hooked(ctx, la_rename_entry);
}

SEC("tracepoint/syscalls/sys_exit_rename")
int la_exit_rename(struct la_sys_exit *ctx)
{
	return la_exit_hooked(ctx, 0, la_rename_hook);
}

SEC("tracepoint/syscalls/sys_enter_renameat")
int la_enter_renameat(struct la_sys_enter *ctx)
{
	return la_enter_hooked(ctx, la_renameat_entry);
}

SEC("tracepoint/syscalls/sys_exit_renameat")
int la_exit_renameat(struct la_sys_exit *ctx)
{
	return la_exit_hooked(ctx, 0, la_rename_hook);
}

SEC("tracepoint/syscalls/sys_enter_renameat2")
int la_enter_renameat2(struct la_sys_enter *ctx)
{
	return la_enter_hooked(ctx, la_renameat_entry);
}

SEC("tracepoint/syscalls/sys_exit_renameat2")
int la_exit_renameat2(struct la_sys_exit *ctx)
{
	return la_exit_hooked(ctx, 0, la_rename_hook);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
