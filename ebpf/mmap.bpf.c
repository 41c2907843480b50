/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 5, mmap: mapping a file is taken in by the process, for the cache filter. */
#include "ebpf/cache.bpf.h"

SEC("tracepoint/syscalls/sys_enter_mmap")
int la_enter_mmap(struct la_sys_enter *ctx)
{
	/* a file mapped: what the process reads from it the cache cannot see */
	if (!(ctx->args[3] & 0x20 /* MAP_ANONYMOUS */) && (__s32)ctx->args[4] >= 0)
		la_cache_taken_in();
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_mmap")
int la_exit_mmap(struct la_sys_exit *ctx)
{
	return la_exit_plain(ctx, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
