/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 4, close. */
#include "ebpf/common.bpf.h"

LA_SYSCALL_PLAIN(close, 0)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
