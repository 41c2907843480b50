/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Family 12, bind: the address, read at entry.  A unix socket bound to a path
 * creates a file: its directory and, once bound, the socket's inode.
 */
#include "ebpf/common.bpf.h"

#define LA_AF_UNIX 1

static __always_inline void la_bind_hook(struct la_sys_exit *ctx, struct la_cursor *cur,
					 struct la_buf *b, struct la_stash *s)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct unix_sock *u;
	struct socket *sock;
	struct file *f;
	char head[3] = {};

	if (b->ev.args[2] <= 2 || bpf_probe_read_user(head, sizeof(head), (void *)b->ev.args[1]) ||
	    head[0] != LA_AF_UNIX || head[1] || !head[2])
		return;
	la_put_cwd(cur);
	la_put_inode(cur, LA_POS_MAX, 1, LA_INO_BASE, BPF_CORE_READ(task, fs, pwd.dentry, d_inode));
	if (ctx->ret || !(f = la_fd_file((__s32)b->ev.args[0])))
		return;
	sock = BPF_CORE_READ(f, private_data);
	/* struct unix_sock begins with its struct sock */
	u = (struct unix_sock *)BPF_CORE_READ(sock, sk);
	la_put_inode(cur, LA_POS_MAX, 1, LA_INO_CREATE, BPF_CORE_READ(u, path.dentry, d_inode));
}

SEC("tracepoint/syscalls/sys_enter_bind")
int la_enter_bind(struct la_sys_enter *ctx)
{
	struct la_stash *s = la_enter(ctx);
	struct la_cursor cur;
	struct la_entry *e;

	if (!s || !ctx->args[1] || !(e = la_entry_begin(&cur)))
		return 0;
	la_put_ubytes(&cur, LA_ENTRY_POS_MAX, LA_IT_SOCKADDR, 1, (void *)ctx->args[1],
		      ctx->args[2]);
	la_entry_commit(s, e, &cur);
	return 0;
}

LA_EXIT_HOOKED(bind, 0, la_bind_hook)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
