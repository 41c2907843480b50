/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 20, unlink: the path, read at entry. */
#include "ebpf/common.bpf.h"

LA_SYSCALL_PATHS(unlink, 0, -1)
LA_SYSCALL_PATHS(unlinkat, 1, -1)
LA_SYSCALL_PATHS(rmdir, 0, -1)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
