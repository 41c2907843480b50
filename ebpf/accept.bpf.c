/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 11, accept: the peer's address, read at exit. */
#include "ebpf/common.bpf.h"

LA_SYSCALL_PEER(accept, 1, 2)
LA_SYSCALL_PEER(accept4, 1, 2)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
