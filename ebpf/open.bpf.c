/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Family 3, open: the path, read at entry; at exit the working directory and,
 * for an fd returned, what it opened (with its directory when it was created).
 * With the cache filter, the open of a regular file is held for the reads or
 * writes that follow on it (la_pend_hold()).
 */
#include "ebpf/cache.bpf.h"

/* Exit of an open whose path is argument @arg. */
static __always_inline int la_exit_opened(struct la_sys_exit *ctx, __u8 arg)
{
	struct la_stash *s = la_stash_get();
	struct la_cursor cur;
	struct la_buf *b = la_exit_begin(s, ctx->nr, ctx->ret, &cur);
	struct file *f;
	struct dentry *d;

	if (!b)
		return 0;
	la_put_cwd(&cur, s);
	la_put_atdirs(&cur, s);
	if (ctx->ret < 0 || !(f = la_fd_file(ctx->ret)))
		goto out;
	d = BPF_CORE_READ(f, f_path.dentry);
	/* opened for writing (perhaps truncated): a new version for the cache filter */
	if (BPF_CORE_READ(f, f_mode) & LA_FMODE_WRITE)
		la_cache_changed(f);
	if (BPF_CORE_READ(f, f_mode) & LA_FMODE_CREATED) {
		la_put_inode(&cur, LA_POS_MAX, arg, LA_INO_PARENT,
			     BPF_CORE_READ(d, d_parent, d_inode));
		la_put_inode(&cur, LA_POS_MAX, arg, LA_INO_CREATE, BPF_CORE_READ(d, d_inode));
	} else {
		la_put_inode(&cur, LA_POS_MAX, arg, LA_INO_NORMAL, BPF_CORE_READ(f, f_inode));
	}
	/* the cache filter holds it for the reads or writes that follow */
	if (la_pend_hold(b, &cur, s, f))
		return 0;
out:
	la_emit(b, &cur, s, 0);
	return 0;
}

/* openat2 also passes a struct open_how (argument 2, its size in argument 3). */
static __always_inline void la_openat2_entry(struct la_sys_enter *ctx, struct la_cursor *cur)
{
	__u64 size = ctx->args[3] < 24 ? ctx->args[3] : 24;

	la_put_ustr(cur, LA_ENTRY_POS_MAX, LA_IT_PATH, 1, (void *)ctx->args[1]);
	if (ctx->args[2])
		la_put_ubytes(cur, LA_ENTRY_POS_MAX, LA_IT_OPENHOW, 2, (void *)ctx->args[2], size);
}

SEC("tracepoint/syscalls/sys_enter_open")
int la_enter_open(struct la_sys_enter *ctx)
{
	return la_enter_path(ctx, 0);
}

SEC("tracepoint/syscalls/sys_exit_open")
int la_exit_open(struct la_sys_exit *ctx)
{
	return la_exit_opened(ctx, 0);
}

SEC("tracepoint/syscalls/sys_enter_openat")
int la_enter_openat(struct la_sys_enter *ctx)
{
	return la_enter_path(ctx, 1);
}

SEC("tracepoint/syscalls/sys_exit_openat")
int la_exit_openat(struct la_sys_exit *ctx)
{
	return la_exit_opened(ctx, 1);
}

SEC("tracepoint/syscalls/sys_enter_creat")
int la_enter_creat(struct la_sys_enter *ctx)
{
	return la_enter_path(ctx, 0);
}

SEC("tracepoint/syscalls/sys_exit_creat")
int la_exit_creat(struct la_sys_exit *ctx)
{
	return la_exit_opened(ctx, 0);
}

SEC("tracepoint/syscalls/sys_enter_openat2")
int la_enter_openat2(struct la_sys_enter *ctx)
{
	return la_enter_hooked(ctx, la_openat2_entry);
}

SEC("tracepoint/syscalls/sys_exit_openat2")
int la_exit_openat2(struct la_sys_exit *ctx)
{
	return la_exit_opened(ctx, 1);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
