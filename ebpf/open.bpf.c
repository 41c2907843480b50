/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 3, open: the path, read at entry. */
#include "ebpf/common.bpf.h"

LA_SYSCALL_PATHS(open, 0, -1)
LA_SYSCALL_PATHS(openat, 1, -1)
LA_SYSCALL_PATHS(creat, 0, -1)
LA_SYSCALL_PATHS(openat2, 1, -1)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
