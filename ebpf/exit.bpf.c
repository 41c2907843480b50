/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 19, exit: exit and exit_group never return, so they are recorded at entry. */
#include "ebpf/common.bpf.h"

#define LA_SYSCALL_NORETURN(name)                                \
	SEC("tracepoint/syscalls/sys_enter_" #name)              \
	int la_enter_##name(struct la_sys_enter *ctx)            \
	{                                                        \
		struct la_cursor cur;                            \
		struct la_buf *b = la_noreturn_begin(ctx, &cur); \
                                                                 \
		if (b) {                                         \
			b->ev.flags |= LA_F_NORETURN;            \
			la_emit(b, &cur, la_stash_get(), 0);     \
		}                                                \
		return 0;                                        \
	}

LA_SYSCALL_NORETURN(exit)
LA_SYSCALL_NORETURN(exit_group)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
