/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 16, sendmsg: the destination address (msg_name), read at entry. */
#include "ebpf/cache.bpf.h"

/*
 * The destination of the msghdr at argument 1: sendmsg's, or the first of
 * sendmmsg's vector (a struct mmsghdr starts with its msghdr).
 */
static __always_inline void la_msg_name_entry(struct la_sys_enter *ctx, struct la_cursor *cur)
{
	struct user_msghdr msg;

	if (bpf_probe_read_user(&msg, sizeof(msg), (void *)ctx->args[1]) || !msg.msg_name ||
	    msg.msg_namelen <= 0)
		return;
	la_put_ubytes(cur, LA_ENTRY_POS_MAX, LA_IT_SOCKADDR, 1, msg.msg_name, msg.msg_namelen);
}

SEC("tracepoint/syscalls/sys_enter_sendmsg")
int la_enter_sendmsg(struct la_sys_enter *ctx)
{
	return la_enter_hooked(ctx, la_msg_name_entry);
}

SEC("tracepoint/syscalls/sys_exit_sendmsg")
int la_exit_sendmsg(struct la_sys_exit *ctx)
{
	return la_exit_cached(ctx, LA_CLASS_WRITE);
}

SEC("tracepoint/syscalls/sys_enter_sendmmsg")
int la_enter_sendmmsg(struct la_sys_enter *ctx)
{
	return la_enter_hooked(ctx, la_msg_name_entry);
}

SEC("tracepoint/syscalls/sys_exit_sendmmsg")
int la_exit_sendmmsg(struct la_sys_exit *ctx)
{
	return la_exit_cached(ctx, LA_CLASS_WRITE);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
