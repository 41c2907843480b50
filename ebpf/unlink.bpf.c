/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Family 20, unlink: the path and the directory it starts from, read at entry;
 * the working directory at exit.
 */
#include "ebpf/common.bpf.h"

static __always_inline void la_unlink_entry(struct la_sys_enter *ctx, struct la_cursor *cur)
{
	la_put_path_base(ctx, cur, 0, -100);
}

static __always_inline void la_unlinkat_entry(struct la_sys_enter *ctx, struct la_cursor *cur)
{
	la_put_path_base(ctx, cur, 1, (__s32)ctx->args[0]);
}

LA_ENTER_HOOKED(unlink, la_unlink_entry)
LA_EXIT_HOOKED(unlink, 0, la_cwd_hook)
LA_ENTER_HOOKED(unlinkat, la_unlinkat_entry)
LA_EXIT_HOOKED(unlinkat, 0, la_cwd_hook)
LA_ENTER_HOOKED(rmdir, la_unlink_entry)
LA_EXIT_HOOKED(rmdir, 0, la_cwd_hook)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
