/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 14, sendto: the destination address, read at entry. */
#include "ebpf/common.bpf.h"

LA_SYSCALL_SOCKADDR(sendto, 4, 5)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
