/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 8, pipe: the two fds the kernel returns through the array. */
#include "ebpf/programs.bpf.h"

SEC("tracepoint/syscalls/sys_enter_pipe")
int la_enter_pipe(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_pipe")
int la_exit_pipe(struct la_sys_exit *ctx)
{
	return la_exit_fds(ctx, 0);
}

SEC("tracepoint/syscalls/sys_enter_pipe2")
int la_enter_pipe2(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_pipe2")
int la_exit_pipe2(struct la_sys_exit *ctx)
{
	return la_exit_fds(ctx, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
