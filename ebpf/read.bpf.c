/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Family 1, read: read, readv, pread (the kernel's pread64), preadv, preadv2.
 * Data buffers are not captured, as auditd does not.
 */
#include "ebpf/cache.bpf.h"

SEC("tracepoint/syscalls/sys_enter_read")
int la_enter_read(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_read")
int la_exit_read(struct la_sys_exit *ctx)
{
	return la_exit_cached(ctx, LA_CLASS_READ);
}

SEC("tracepoint/syscalls/sys_enter_readv")
int la_enter_readv(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_readv")
int la_exit_readv(struct la_sys_exit *ctx)
{
	return la_exit_cached(ctx, LA_CLASS_READ);
}

SEC("tracepoint/syscalls/sys_enter_pread64")
int la_enter_pread64(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_pread64")
int la_exit_pread64(struct la_sys_exit *ctx)
{
	return la_exit_cached(ctx, LA_CLASS_READ);
}

SEC("tracepoint/syscalls/sys_enter_preadv")
int la_enter_preadv(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_preadv")
int la_exit_preadv(struct la_sys_exit *ctx)
{
	return la_exit_cached(ctx, LA_CLASS_READ);
}

SEC("tracepoint/syscalls/sys_enter_preadv2")
int la_enter_preadv2(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_preadv2")
int la_exit_preadv2(struct la_sys_exit *ctx)
{
	return la_exit_cached(ctx, LA_CLASS_READ);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
