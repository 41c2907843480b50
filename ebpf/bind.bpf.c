/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Family 12, bind: the address, read at entry.  A unix socket bound to a path
 * creates a file: its directory and, once bound, the socket's inode.
 */
#include "ebpf/programs.bpf.h"

static __always_inline void la_bind_hook(struct la_sys_exit *ctx, struct la_cursor *cur,
					 struct la_buf *b, struct la_stash *s)
{
	struct task_struct *task = bpf_get_current_task_btf();

	if (!la_unix_path(b->ev.args[1], b->ev.args[2]))
		return;
	la_put_cwd(cur, s);
	la_put_inode(cur, LA_POS_MAX, 1, LA_INO_BASE, BPF_CORE_READ(task, fs, pwd.dentry, d_inode));
	if (!ctx->ret)
		la_put_inode(cur, LA_POS_MAX, 1, LA_INO_CREATE,
			     la_unix_inode(la_fd_sock((__s32)b->ev.args[0])));
}

SEC("tracepoint/syscalls/sys_enter_bind")
int la_enter_bind(struct la_sys_enter *ctx)
{
	return la_enter_sockaddr(ctx, 1, 2);
}

SEC("tracepoint/syscalls/sys_exit_bind")
int la_exit_bind(struct la_sys_exit *ctx)
{
	return la_exit_hooked(ctx, 0, la_bind_hook);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
