/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 24, kill and ptrace: wake the consumer at once. */
#include "ebpf/common.bpf.h"

LA_SYSCALL_PLAIN(kill, 1)
LA_SYSCALL_PLAIN(tkill, 1)
LA_SYSCALL_PLAIN(tgkill, 1)
LA_SYSCALL_PLAIN(ptrace, 1)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
