/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 11, accept: the peer's address, read at exit. */
#include "ebpf/programs.bpf.h"

SEC("tracepoint/syscalls/sys_enter_accept")
int la_enter_accept(struct la_sys_enter *ctx)
{
	return la_enter_peer(ctx, 1);
}

SEC("tracepoint/syscalls/sys_exit_accept")
int la_exit_accept(struct la_sys_exit *ctx)
{
	return la_exit_peer(ctx, 1);
}

SEC("tracepoint/syscalls/sys_enter_accept4")
int la_enter_accept4(struct la_sys_enter *ctx)
{
	return la_enter_peer(ctx, 1);
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int la_exit_accept4(struct la_sys_exit *ctx)
{
	return la_exit_peer(ctx, 1);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
