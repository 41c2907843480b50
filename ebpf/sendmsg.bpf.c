/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 16, sendmsg: the destination address (msg_name), read at entry. */
#include "ebpf/common.bpf.h"

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

LA_ENTER_HOOKED(sendmsg, la_msg_name_entry)
LA_EXIT_PLAIN(sendmsg, 0)
LA_ENTER_HOOKED(sendmmsg, la_msg_name_entry)
LA_EXIT_PLAIN(sendmmsg, 0)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
