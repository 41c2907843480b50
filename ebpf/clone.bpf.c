/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 17, clone: recorded in the parent; the child's return is not a syscall of its own. */
#include "ebpf/common.bpf.h"

LA_SYSCALL_PLAIN(clone, 0)
LA_SYSCALL_PLAIN(clone3, 0)
LA_SYSCALL_PLAIN(fork, 0)
LA_SYSCALL_PLAIN(vfork, 0)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
