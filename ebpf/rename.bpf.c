/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Family 21, rename: both paths and the directories they start from, read at
 * entry; the working directory at exit.
 */
#include "ebpf/common.bpf.h"

static __always_inline void la_rename_entry(struct la_sys_enter *ctx, struct la_cursor *cur)
{
	la_put_ustr(cur, LA_ENTRY_POS_MAX, LA_IT_PATH, 0, (void *)ctx->args[0]);
	la_put_ustr(cur, LA_ENTRY_POS_MAX, LA_IT_PATH, 1, (void *)ctx->args[1]);
	la_put_base(cur, 0, -100);
	la_put_base(cur, 1, -100);
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
}

LA_ENTER_HOOKED(rename, la_rename_entry)
LA_EXIT_HOOKED(rename, 0, la_rename_hook)
LA_ENTER_HOOKED(renameat, la_renameat_entry)
LA_EXIT_HOOKED(renameat, 0, la_rename_hook)
LA_ENTER_HOOKED(renameat2, la_renameat_entry)
LA_EXIT_HOOKED(renameat2, 0, la_rename_hook)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
