/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 10, connect: the address, read at entry. */
#include "ebpf/common.bpf.h"

LA_SYSCALL_SOCKADDR(connect, 1, 2)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
