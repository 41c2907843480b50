/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 5, mmap. */
#include "ebpf/programs.bpf.h"

SEC("tracepoint/syscalls/sys_enter_mmap")
int la_enter_mmap(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_mmap")
int la_exit_mmap(struct la_sys_exit *ctx)
{
	return la_exit_plain(ctx, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
