/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 13, recvfrom: the sender's address, read at exit. */
#include "ebpf/cache.bpf.h"

SEC("tracepoint/syscalls/sys_enter_recvfrom")
int la_enter_recvfrom(struct la_sys_enter *ctx)
{
	la_cache_taken_in();
	return la_enter_peer(ctx, 4);
}

SEC("tracepoint/syscalls/sys_exit_recvfrom")
int la_exit_recvfrom(struct la_sys_exit *ctx)
{
	return la_exit_peer(ctx, 4);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
