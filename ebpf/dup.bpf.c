/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Family 7, dup: dup, dup2, dup3, and fcntl's F_DUPFD and F_DUPFD_CLOEXEC only;
 * each joins the process's descriptor record of the object (the cache filter).
 */
#include "ebpf/cache.bpf.h"

#define LA_F_DUPFD	   0
#define LA_F_DUPFD_CLOEXEC 1030

SEC("tracepoint/syscalls/sys_enter_dup")
int la_enter_dup(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_dup")
int la_exit_dup(struct la_sys_exit *ctx)
{
	return la_exit_cached(ctx, LA_CLASS_FD);
}

SEC("tracepoint/syscalls/sys_enter_dup2")
int la_enter_dup2(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_dup2")
int la_exit_dup2(struct la_sys_exit *ctx)
{
	return la_exit_cached(ctx, LA_CLASS_FD);
}

SEC("tracepoint/syscalls/sys_enter_dup3")
int la_enter_dup3(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_dup3")
int la_exit_dup3(struct la_sys_exit *ctx)
{
	return la_exit_cached(ctx, LA_CLASS_FD);
}

SEC("tracepoint/syscalls/sys_enter_fcntl")
int la_enter_fcntl(struct la_sys_enter *ctx)
{
	/* cmd is an unsigned int: the register's upper half is not the kernel's */
	__u32 cmd = ctx->args[1];

	if (cmd == LA_F_DUPFD || cmd == LA_F_DUPFD_CLOEXEC)
		la_enter(ctx);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_fcntl")
int la_exit_fcntl(struct la_sys_exit *ctx)
{
	return la_exit_cached(ctx, LA_CLASS_FD);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
