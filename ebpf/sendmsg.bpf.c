/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 16, sendmsg: sendmsg's destination address (msg_name), read at entry. */
#include "ebpf/common.bpf.h"

SEC("tracepoint/syscalls/sys_enter_sendmsg")
int la_enter_sendmsg(struct la_sys_enter *ctx)
{
	struct la_stash *s = la_enter(ctx);
	struct user_msghdr msg;
	struct la_cursor cur;
	struct la_entry *e;

	if (!s || bpf_probe_read_user(&msg, sizeof(msg), (void *)ctx->args[1]) || !msg.msg_name ||
	    msg.msg_namelen <= 0 || !(e = la_entry_begin(&cur)))
		return 0;
	la_put_ubytes(&cur, LA_ENTRY_POS_MAX, LA_IT_SOCKADDR, 1, msg.msg_name, msg.msg_namelen);
	la_entry_commit(s, e, &cur);
	return 0;
}

LA_EXIT_PLAIN(sendmsg, 0)
LA_SYSCALL_PLAIN(sendmmsg, 0)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
