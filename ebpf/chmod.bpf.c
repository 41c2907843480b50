/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Family 22, chmod and chown: the path, read at entry, or for fchmod and fchown
 * the attributes of the fd's file before the change; the working directory.
 */
#include "ebpf/programs.bpf.h"

static __always_inline void la_fd_inode_entry(struct la_sys_enter *ctx, struct la_cursor *cur)
{
	struct file *f = la_fd_file((__s32)ctx->args[0]);

	if (f)
		la_put_inode(cur, LA_ENTRY_POS_MAX, LA_ARG_NONE, LA_INO_NORMAL,
			     BPF_CORE_READ(f, f_inode));
}

SEC("tracepoint/syscalls/sys_enter_chmod")
int la_enter_chmod(struct la_sys_enter *ctx)
{
	return la_enter_path(ctx, 0);
}

SEC("tracepoint/syscalls/sys_exit_chmod")
int la_exit_chmod(struct la_sys_exit *ctx)
{
	return la_exit_hooked(ctx, 0, la_cwd_hook);
}

SEC("tracepoint/syscalls/sys_enter_fchmod")
int la_enter_fchmod(struct la_sys_enter *ctx)
{
	return la_enter_hooked(ctx, la_fd_inode_entry);
}

SEC("tracepoint/syscalls/sys_exit_fchmod")
int la_exit_fchmod(struct la_sys_exit *ctx)
{
	return la_exit_hooked(ctx, 0, la_cwd_hook);
}

SEC("tracepoint/syscalls/sys_enter_fchmodat")
int la_enter_fchmodat(struct la_sys_enter *ctx)
{
	return la_enter_path(ctx, 1);
}

SEC("tracepoint/syscalls/sys_exit_fchmodat")
int la_exit_fchmodat(struct la_sys_exit *ctx)
{
	return la_exit_hooked(ctx, 0, la_cwd_at_hook);
}

SEC("tracepoint/syscalls/sys_enter_chown")
int la_enter_chown(struct la_sys_enter *ctx)
{
	return la_enter_path(ctx, 0);
}

SEC("tracepoint/syscalls/sys_exit_chown")
int la_exit_chown(struct la_sys_exit *ctx)
{
	return la_exit_hooked(ctx, 0, la_cwd_hook);
}

SEC("tracepoint/syscalls/sys_enter_fchown")
int la_enter_fchown(struct la_sys_enter *ctx)
{
	return la_enter_hooked(ctx, la_fd_inode_entry);
}

SEC("tracepoint/syscalls/sys_exit_fchown")
int la_exit_fchown(struct la_sys_exit *ctx)
{
	return la_exit_hooked(ctx, 0, la_cwd_hook);
}

SEC("tracepoint/syscalls/sys_enter_lchown")
int la_enter_lchown(struct la_sys_enter *ctx)
{
	return la_enter_path(ctx, 0);
}

SEC("tracepoint/syscalls/sys_exit_lchown")
int la_exit_lchown(struct la_sys_exit *ctx)
{
	return la_exit_hooked(ctx, 0, la_cwd_hook);
}

SEC("tracepoint/syscalls/sys_enter_fchownat")
int la_enter_fchownat(struct la_sys_enter *ctx)
{
	return la_enter_path(ctx, 1);
}

SEC("tracepoint/syscalls/sys_exit_fchownat")
int la_exit_fchownat(struct la_sys_exit *ctx)
{
	return la_exit_hooked(ctx, 0, la_cwd_at_hook);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
