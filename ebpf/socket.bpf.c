/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 9, socket: socketpair's two fds. */
#include "ebpf/common.bpf.h"

LA_SYSCALL_PLAIN(socket, 0)
LA_SYSCALL_FDS(socketpair, 3)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
