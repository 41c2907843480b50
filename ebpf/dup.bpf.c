/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 7, dup: dup, dup2, dup3, and fcntl's F_DUPFD and F_DUPFD_CLOEXEC only. */
#include "ebpf/common.bpf.h"

#define LA_F_DUPFD	   0
#define LA_F_DUPFD_CLOEXEC 1030

LA_SYSCALL_PLAIN(dup, 0)
LA_SYSCALL_PLAIN(dup2, 0)
LA_SYSCALL_PLAIN(dup3, 0)

SEC("tracepoint/syscalls/sys_enter_fcntl")
int la_enter_fcntl(struct la_sys_enter *ctx)
{
	/* cmd is an unsigned int: the register's upper half is not the kernel's */
	__u32 cmd = ctx->args[1];

	if (cmd == LA_F_DUPFD || cmd == LA_F_DUPFD_CLOEXEC)
		la_enter(ctx);
	return 0;
}

LA_EXIT_PLAIN(fcntl, 0)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
