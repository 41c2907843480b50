/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Family 2, write: write, writev, pwrite (the kernel's pwrite64), pwritev,
 * pwritev2.  Data buffers are not captured.
 */
#include "ebpf/cache.bpf.h"

SEC("tracepoint/syscalls/sys_enter_write")
int la_enter_write(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_write")
int la_exit_write(struct la_sys_exit *ctx)
{
	return la_exit_cached(ctx, LA_CLASS_WRITE);
}

SEC("tracepoint/syscalls/sys_enter_writev")
int la_enter_writev(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_writev")
int la_exit_writev(struct la_sys_exit *ctx)
{
	return la_exit_cached(ctx, LA_CLASS_WRITE);
}

SEC("tracepoint/syscalls/sys_enter_pwrite64")
int la_enter_pwrite64(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_pwrite64")
int la_exit_pwrite64(struct la_sys_exit *ctx)
{
	return la_exit_cached(ctx, LA_CLASS_WRITE);
}

SEC("tracepoint/syscalls/sys_enter_pwritev")
int la_enter_pwritev(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_pwritev")
int la_exit_pwritev(struct la_sys_exit *ctx)
{
	return la_exit_cached(ctx, LA_CLASS_WRITE);
}

SEC("tracepoint/syscalls/sys_enter_pwritev2")
int la_enter_pwritev2(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_pwritev2")
int la_exit_pwritev2(struct la_sys_exit *ctx)
{
	return la_exit_cached(ctx, LA_CLASS_WRITE);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
