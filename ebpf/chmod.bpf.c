/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 22, chmod and chown: the path where there is one, read at entry. */
#include "ebpf/common.bpf.h"

LA_SYSCALL_PATHS(chmod, 0, -1)
LA_SYSCALL_PLAIN(fchmod, 0)
LA_SYSCALL_PATHS(fchmodat, 1, -1)
LA_SYSCALL_PATHS(chown, 0, -1)
LA_SYSCALL_PLAIN(fchown, 0)
LA_SYSCALL_PATHS(lchown, 0, -1)
LA_SYSCALL_PATHS(fchownat, 1, -1)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
