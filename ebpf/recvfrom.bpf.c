/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 13, recvfrom: the sender's address, read at exit. */
#include "ebpf/common.bpf.h"

LA_SYSCALL_PEER(recvfrom, 4, 5)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
