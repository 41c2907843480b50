/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Family 3, open: the path, read at entry; at exit the working directory and,
 * for an fd returned, what it opened (with its directory when it was created).
 */
#include "ebpf/common.bpf.h"

static __always_inline void la_put_opened(struct la_sys_exit *ctx, struct la_cursor *cur,
					  struct la_stash *s, __u8 arg)
{
	struct file *f;
	struct dentry *d;

	la_put_cwd(cur, s);
	if (ctx->ret < 0 || !(f = la_fd_file(ctx->ret)))
		return;
	d = BPF_CORE_READ(f, f_path.dentry);
	if (BPF_CORE_READ(f, f_mode) & LA_FMODE_CREATED) {
		la_put_inode(cur, LA_POS_MAX, arg, LA_INO_PARENT,
			     BPF_CORE_READ(d, d_parent, d_inode));
		la_put_inode(cur, LA_POS_MAX, arg, LA_INO_CREATE, BPF_CORE_READ(d, d_inode));
	} else {
		la_put_inode(cur, LA_POS_MAX, arg, LA_INO_NORMAL, BPF_CORE_READ(f, f_inode));
	}
}

#define LA_OPEN(name, p)                                                                      \
	static __always_inline void la_opened_##name(struct la_sys_exit *ctx,                 \
						     struct la_cursor *cur, struct la_buf *b, \
						     struct la_stash *s)                      \
	{                                                                                     \
		la_put_opened(ctx, cur, s, p);                                                \
	}                                                                                     \
	LA_ENTER_PATHS(name, p, -1)                                                           \
	LA_EXIT_HOOKED(name, 0, la_opened_##name)

/* openat2 also passes a struct open_how (argument 2, its size in argument 3). */
static __always_inline void la_openat2_entry(struct la_sys_enter *ctx, struct la_cursor *cur)
{
	__u64 size = ctx->args[3] < 24 ? ctx->args[3] : 24;

	la_put_ustr(cur, LA_ENTRY_POS_MAX, LA_IT_PATH, 1, (void *)ctx->args[1]);
	if (ctx->args[2])
		la_put_ubytes(cur, LA_ENTRY_POS_MAX, LA_IT_OPENHOW, 2, (void *)ctx->args[2], size);
}

static __always_inline void la_opened_openat2(struct la_sys_exit *ctx, struct la_cursor *cur,
					      struct la_buf *b, struct la_stash *s)
{
	la_put_opened(ctx, cur, s, 1);
}

LA_OPEN(open, 0)
LA_OPEN(openat, 1)
LA_OPEN(creat, 0)
LA_ENTER_HOOKED(openat2, la_openat2_entry)
LA_EXIT_HOOKED(openat2, 0, la_opened_openat2)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
