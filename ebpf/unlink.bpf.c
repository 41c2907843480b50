/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Family 20, unlink: the path and the directory it starts from, read at entry;
 * the working directory at exit.
 */
#include "ebpf/programs.bpf.h"

static __always_inline void la_unlink_entry(struct la_sys_enter *ctx, struct la_cursor *cur)
{
	la_put_path_base(ctx, cur, 0, LA_AT_FDCWD);
}

static __always_inline void la_unlinkat_entry(struct la_sys_enter *ctx, struct la_cursor *cur)
{
	la_put_path_base(ctx, cur, 1, (__s32)ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_enter_unlink")
int la_enter_unlink(struct la_sys_enter *ctx)
{
	return la_enter_hooked(ctx, la_unlink_entry);
}

SEC("tracepoint/syscalls/sys_exit_unlink")
int la_exit_unlink(struct la_sys_exit *ctx)
{
	return la_exit_hooked(ctx, 0, la_cwd_hook);
}

SEC("tracepoint/syscalls/sys_enter_unlinkat")
int la_enter_unlinkat(struct la_sys_enter *ctx)
{
	return la_enter_hooked(ctx, la_unlinkat_entry);
}

SEC("tracepoint/syscalls/sys_exit_unlinkat")
int la_exit_unlinkat(struct la_sys_exit *ctx)
{
	return la_exit_hooked(ctx, 0, la_cwd_at_hook);
}

SEC("tracepoint/syscalls/sys_enter_rmdir")
int la_enter_rmdir(struct la_sys_enter *ctx)
{
	return la_enter_hooked(ctx, la_unlink_entry);
}

SEC("tracepoint/syscalls/sys_exit_rmdir")
int la_exit_rmdir(struct la_sys_exit *ctx)
{
	return la_exit_hooked(ctx, 0, la_cwd_hook);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
