/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 8, pipe: the two fds the kernel returns through the array. */
#include "ebpf/common.bpf.h"

LA_SYSCALL_FDS(pipe, 0)
LA_SYSCALL_FDS(pipe2, 0)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
