/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 21, rename: both paths, read at entry. */
#include "ebpf/common.bpf.h"

LA_SYSCALL_PATHS(rename, 0, 1)
LA_SYSCALL_PATHS(renameat, 1, 3)
LA_SYSCALL_PATHS(renameat2, 1, 3)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
