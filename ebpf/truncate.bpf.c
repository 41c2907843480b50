/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 25, truncate: truncate's path, read at entry; ftruncate changes its file's version. */
#include "ebpf/cache.bpf.h"

SEC("tracepoint/syscalls/sys_enter_truncate")
int la_enter_truncate(struct la_sys_enter *ctx)
{
	return la_enter_path(ctx, 0);
}

SEC("tracepoint/syscalls/sys_exit_truncate")
int la_exit_truncate(struct la_sys_exit *ctx)
{
	return la_exit_hooked(ctx, 0, la_cwd_hook);
}

SEC("tracepoint/syscalls/sys_enter_ftruncate")
int la_enter_ftruncate(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_ftruncate")
int la_exit_ftruncate(struct la_sys_exit *ctx)
{
	struct la_stash *s = la_stash_get();

	if (s && s->active && !ctx->ret)
		la_cache_changed(la_fd_file((__s32)s->args[0]));
	return la_exit_plain(ctx, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
