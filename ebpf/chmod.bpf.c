/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Family 22, chmod and chown: the path, read at entry, or for fchmod and fchown
 * the attributes of the fd's file before the change; the working directory.
 */
#include "ebpf/common.bpf.h"

static __always_inline void la_fd_inode_entry(struct la_sys_enter *ctx, struct la_cursor *cur)
{
	struct file *f = la_fd_file((__s32)ctx->args[0]);

	if (f)
		la_put_inode(cur, LA_ENTRY_POS_MAX, LA_ARG_NONE, LA_INO_NORMAL,
			     BPF_CORE_READ(f, f_inode));
}

LA_SYSCALL_PATHS(chmod, 0, -1)
LA_ENTER_HOOKED(fchmod, la_fd_inode_entry)
LA_EXIT_HOOKED(fchmod, 0, la_cwd_hook)
LA_SYSCALL_PATHS(fchmodat, 1, -1)
LA_SYSCALL_PATHS(chown, 0, -1)
LA_ENTER_HOOKED(fchown, la_fd_inode_entry)
LA_EXIT_HOOKED(fchown, 0, la_cwd_hook)
LA_SYSCALL_PATHS(lchown, 0, -1)
LA_SYSCALL_PATHS(fchownat, 1, -1)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
