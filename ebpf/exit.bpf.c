/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 19, exit: exit and exit_group never return, so they are recorded at entry. */
#include "ebpf/cache.bpf.h"

SEC("tracepoint/syscalls/sys_enter_exit")
int la_enter_exit(struct la_sys_enter *ctx)
{
	return la_enter_noreturn(ctx);
}

SEC("tracepoint/syscalls/sys_enter_exit_group")
int la_enter_exit_group(struct la_sys_enter *ctx)
{
	la_cache_exit();
	return la_enter_noreturn(ctx);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
