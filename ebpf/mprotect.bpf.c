/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 6, mprotect. */
#include "ebpf/common.bpf.h"

LA_SYSCALL_PLAIN(mprotect, 0)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
