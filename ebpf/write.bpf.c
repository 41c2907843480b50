/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 2, write: data buffers are not captured. */
#include "ebpf/common.bpf.h"

LA_SYSCALL_PLAIN(write, 0)
LA_SYSCALL_PLAIN(writev, 0)
LA_SYSCALL_PLAIN(pwrite64, 0)
LA_SYSCALL_PLAIN(pwritev, 0)
LA_SYSCALL_PLAIN(pwritev2, 0)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
