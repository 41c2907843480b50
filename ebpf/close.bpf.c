/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Family 4, close: the cache filter's records of the descriptor's object go out
 * first, and the close joins the process's descriptor record of the object.
 */
#include "ebpf/cache.bpf.h"

SEC("tracepoint/syscalls/sys_enter_close")
int la_enter_close(struct la_sys_enter *ctx)
{
	la_cache_close(ctx->args[0]);
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_close")
int la_exit_close(struct la_sys_exit *ctx)
{
	return la_exit_cached(ctx, LA_CLASS_FD);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
