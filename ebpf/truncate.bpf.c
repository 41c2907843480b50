/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 25, truncate: truncate's path, read at entry. */
#include "ebpf/common.bpf.h"

LA_SYSCALL_PATHS(truncate, 0, -1)
LA_SYSCALL_PLAIN(ftruncate, 0)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
