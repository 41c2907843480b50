/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 14, sendto: the destination address, read at entry. */
#include "ebpf/cache.bpf.h"

SEC("tracepoint/syscalls/sys_enter_sendto")
int la_enter_sendto(struct la_sys_enter *ctx)
{
	return la_enter_sockaddr(ctx, 4, 5);
}

SEC("tracepoint/syscalls/sys_exit_sendto")
int la_exit_sendto(struct la_sys_exit *ctx)
{
	return la_exit_cached(ctx, LA_CLASS_WRITE);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
