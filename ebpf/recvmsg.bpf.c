/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 15, recvmsg: recvmsg's sender address (msg_name), read at exit. */
#include "ebpf/cache.bpf.h"

SEC("tracepoint/syscalls/sys_enter_recvmsg")
int la_enter_recvmsg(struct la_sys_enter *ctx)
{
	struct la_stash *s = la_enter(ctx);
	struct user_msghdr msg;

	la_cache_taken_in();
	if (!s)
		return 0;
	s->peer_cap = 0;
	if (!bpf_probe_read_user(&msg, sizeof(msg), (void *)ctx->args[1]) && msg.msg_name)
		s->peer_cap = msg.msg_namelen;
	return 0;
}

static __always_inline void la_recvmsg_hook(struct la_sys_exit *ctx, struct la_cursor *cur,
					    struct la_buf *b, struct la_stash *s)
{
	struct user_msghdr msg;

	if (ctx->ret >= 0 && !bpf_probe_read_user(&msg, sizeof(msg), (void *)b->ev.args[1]) &&
	    msg.msg_name)
		la_put_peer(cur, 1, msg.msg_name, msg.msg_namelen, s->peer_cap);
}

SEC("tracepoint/syscalls/sys_exit_recvmsg")
int la_exit_recvmsg(struct la_sys_exit *ctx)
{
	return la_exit_hooked(ctx, 0, la_recvmsg_hook);
}

SEC("tracepoint/syscalls/sys_enter_recvmmsg")
int la_enter_recvmmsg(struct la_sys_enter *ctx)
{
	la_cache_taken_in();
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_recvmmsg")
int la_exit_recvmmsg(struct la_sys_exit *ctx)
{
	return la_exit_plain(ctx, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
