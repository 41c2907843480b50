/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 5, mmap. */
#include "ebpf/common.bpf.h"

LA_SYSCALL_PLAIN(mmap, 0)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
