/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 6, mprotect. */
#include "ebpf/programs.bpf.h"

SEC("tracepoint/syscalls/sys_enter_mprotect")
int la_enter_mprotect(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_mprotect")
int la_exit_mprotect(struct la_sys_exit *ctx)
{
	return la_exit_plain(ctx, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
