/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 1, read: data buffers are not captured, as auditd does not. */
#include "ebpf/common.bpf.h"

LA_SYSCALL_PLAIN(read, 0)
LA_SYSCALL_PLAIN(readv, 0)
LA_SYSCALL_PLAIN(pread64, 0)
LA_SYSCALL_PLAIN(preadv, 0)
LA_SYSCALL_PLAIN(preadv2, 0)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
