/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Family 23, setuid: identity changes wake the consumer at once. */
#include "ebpf/programs.bpf.h"

SEC("tracepoint/syscalls/sys_enter_setuid")
int la_enter_setuid(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_setuid")
int la_exit_setuid(struct la_sys_exit *ctx)
{
	return la_exit_plain(ctx, 1);
}

SEC("tracepoint/syscalls/sys_enter_setgid")
int la_enter_setgid(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_setgid")
int la_exit_setgid(struct la_sys_exit *ctx)
{
	return la_exit_plain(ctx, 1);
}

SEC("tracepoint/syscalls/sys_enter_setreuid")
int la_enter_setreuid(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_setreuid")
int la_exit_setreuid(struct la_sys_exit *ctx)
{
	return la_exit_plain(ctx, 1);
}

SEC("tracepoint/syscalls/sys_enter_setregid")
int la_enter_setregid(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_setregid")
int la_exit_setregid(struct la_sys_exit *ctx)
{
	return la_exit_plain(ctx, 1);
}

SEC("tracepoint/syscalls/sys_enter_setresuid")
int la_enter_setresuid(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_setresuid")
int la_exit_setresuid(struct la_sys_exit *ctx)
{
	return la_exit_plain(ctx, 1);
}

SEC("tracepoint/syscalls/sys_enter_setresgid")
int la_enter_setresgid(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_setresgid")
int la_exit_setresgid(struct la_sys_exit *ctx)
{
	return la_exit_plain(ctx, 1);
}

SEC("tracepoint/syscalls/sys_enter_setfsuid")
int la_enter_setfsuid(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_setfsuid")
int la_exit_setfsuid(struct la_sys_exit *ctx)
{
	return la_exit_plain(ctx, 1);
}

SEC("tracepoint/syscalls/sys_enter_setfsgid")
int la_enter_setfsgid(struct la_sys_enter *ctx)
{
	return la_enter_plain(ctx);
}

SEC("tracepoint/syscalls/sys_exit_setfsgid")
int la_exit_setfsgid(struct la_sys_exit *ctx)
{
	return la_exit_plain(ctx, 1);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
