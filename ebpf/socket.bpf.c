/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 9, socket: socketpair's two fds. */
#include "ebpf/programs.bpf.h"

SEC("tracepoint/syscalls/sys_enter_socket")
int la_enter_socket(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_socket")
int la_exit_socket(struct la_sys_exit *ctx)
{
	return la_exit_plain(ctx, 0);
}

SEC("tracepoint/syscalls/sys_enter_socketpair")
int la_enter_socketpair(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_socketpair")
int la_exit_socketpair(struct la_sys_exit *ctx)
{
	return la_exit_fds(ctx, 3);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
