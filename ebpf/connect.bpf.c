/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Family 10, connect: the address, read at entry.  A unix socket named by a path
 * is a file: the working directory and, once connected, the inode of the file
 * the peer is bound to.
 */
#include "ebpf/programs.bpf.h"

static __always_inline void la_connect_hook(struct la_sys_exit *ctx, struct la_cursor *cur,
					    struct la_buf *b, struct la_stash *s)
{
	struct sock *sk;

	if (!la_unix_path(b->ev.args[1], b->ev.args[2]))
		return;
	la_put_cwd(cur, s);
	if (ctx->ret || !(sk = la_fd_sock((__s32)b->ev.args[0])))
		return;
	la_put_inode(cur, LA_POS_MAX, 1, LA_INO_NORMAL,
		     la_unix_inode(BPF_CORE_READ((struct unix_sock *)sk, peer)));
}

SEC("tracepoint/syscalls/sys_enter_connect")
int la_enter_connect(struct la_sys_enter *ctx)
{
	return la_enter_sockaddr(ctx, 1, 2);
}

SEC("tracepoint/syscalls/sys_exit_connect")
int la_exit_connect(struct la_sys_exit *ctx)
{
	return la_exit_hooked(ctx, 0, la_connect_hook);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
