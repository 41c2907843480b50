/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 17, clone: recorded in the parent; the child's return is not a syscall of its own. */
#include "ebpf/programs.bpf.h"

SEC("tracepoint/syscalls/sys_enter_clone")
int la_enter_clone(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_clone")
int la_exit_clone(struct la_sys_exit *ctx)
{
	return la_exit_plain(ctx, 0);
}

SEC("tracepoint/syscalls/sys_enter_clone3")
int la_enter_clone3(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_clone3")
int la_exit_clone3(struct la_sys_exit *ctx)
{
	return la_exit_plain(ctx, 0);
}

SEC("tracepoint/syscalls/sys_enter_fork")
int la_enter_fork(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_fork")
int la_exit_fork(struct la_sys_exit *ctx)
{
	return la_exit_plain(ctx, 0);
}

SEC("tracepoint/syscalls/sys_enter_vfork")
int la_enter_vfork(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_vfork")
int la_exit_vfork(struct la_sys_exit *ctx)
{
	return la_exit_plain(ctx, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
