/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 23, setuid: identity changes wake the consumer at once. */
#include "ebpf/common.bpf.h"

LA_SYSCALL_PLAIN(setuid, 1)
LA_SYSCALL_PLAIN(setgid, 1)
LA_SYSCALL_PLAIN(setreuid, 1)
LA_SYSCALL_PLAIN(setregid, 1)
LA_SYSCALL_PLAIN(setresuid, 1)
LA_SYSCALL_PLAIN(setresgid, 1)
LA_SYSCALL_PLAIN(setfsuid, 1)
LA_SYSCALL_PLAIN(setfsgid, 1)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
