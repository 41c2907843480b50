/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The bodies of the common program shapes.  Every program is written out in its
 * family's file, SEC line and name, so that grep finds it, and calls one of
 * these; a hook passed as an argument is inlined, as the bodies are.
 */
#ifndef LAUDITD_EBPF_PROGRAMS_BPF_H
#define LAUDITD_EBPF_PROGRAMS_BPF_H

#include "ebpf/delivery.bpf.h"

/* Appends a syscall's entry-time items. */
typedef void (*la_entry_hook)(struct la_sys_enter *ctx, struct la_cursor *cur);

/* Appends a syscall's exit-time items to the record in @b. */
typedef void (*la_exit_hook)(struct la_sys_exit *ctx, struct la_cursor *cur, struct la_buf *b,
			     struct la_stash *s);

/* Entry of a syscall whose entry reads nothing but the arguments. */
static __always_inline int la_enter_plain(struct la_sys_enter *ctx)
{
	la_enter(ctx);
	return 0;
}

/* exit, exit_group: the record is built at entry, flagged as having no return value. */
static __always_inline int la_enter_noreturn(struct la_sys_enter *ctx)
{
	struct la_cursor cur;
	struct la_buf *b = la_noreturn_begin(ctx, &cur);

	if (b) {
		b->ev.flags |= LA_F_NORETURN;
		la_emit(b, &cur, la_stash_get(), 0);
	}
	return 0;
}

/* Exit of a syscall that adds no items: send the record, waking the consumer if @urgent. */
static __always_inline int la_exit_plain(struct la_sys_exit *ctx, int urgent)
{
	struct la_stash *s = la_stash_get();
	struct la_cursor cur;
	struct la_buf *b;

	if (la_exit_fast(s, ctx->nr, ctx->ret, urgent))
		return 0;
	b = la_exit_begin(s, ctx->nr, ctx->ret, &cur);
	if (b)
		la_emit(b, &cur, s, urgent);
	return 0;
}

/*
 * Entry of a syscall that reads items of its own at entry: @hook appends them;
 * they wait in la_entries until the exit program sends the record.
 */
static __always_inline int la_enter_hooked(struct la_sys_enter *ctx, la_entry_hook hook)
{
	struct la_stash *s = la_enter(ctx);
	struct la_cursor cur;
	struct la_entry *e;

	if (!s || !(e = la_entry_begin(&cur)))
		return 0;
	hook(ctx, &cur);
	if (cur.nitems)
		la_entry_commit(s, e, &cur);
	return 0;
}

/* Entry of a syscall with a path string in argument @arg. */
static __always_inline int la_enter_path(struct la_sys_enter *ctx, __u8 arg)
{
	struct la_stash *s = la_enter(ctx);
	struct la_cursor cur;
	struct la_entry *e;

	if (!s || !(e = la_entry_begin(&cur)))
		return 0;
	la_put_ustr(&cur, LA_ENTRY_POS_MAX, LA_IT_PATH, arg, (void *)ctx->args[arg & 7]);
	if (cur.nitems)
		la_entry_commit(s, e, &cur);
	return 0;
}

/* Entry of a syscall passing a sockaddr in argument @addr of length argument @alen. */
static __always_inline int la_enter_sockaddr(struct la_sys_enter *ctx, __u8 addr, __u8 alen)
{
	struct la_stash *s = la_enter(ctx);
	struct la_cursor cur;
	struct la_entry *e;

	if (!s || !ctx->args[addr & 7] || !(e = la_entry_begin(&cur)))
		return 0;
	la_put_ubytes(&cur, LA_ENTRY_POS_MAX, LA_IT_SOCKADDR, addr, (void *)ctx->args[addr & 7],
		      ctx->args[alen & 7]);
	la_entry_commit(s, e, &cur);
	return 0;
}

/* Exit of a syscall that adds items of its own at exit: @hook appends them. */
static __always_inline int la_exit_hooked(struct la_sys_exit *ctx, int urgent, la_exit_hook hook)
{
	struct la_stash *s = la_stash_get();
	struct la_cursor cur;
	struct la_buf *b = la_exit_begin(s, ctx->nr, ctx->ret, &cur);

	if (!b)
		return 0;
	hook(ctx, &cur, b, s);
	la_emit(b, &cur, s, urgent);
	return 0;
}

/* Exit hook of the syscalls that name files: the working directory. */
static __always_inline void la_cwd_hook(struct la_sys_exit *ctx, struct la_cursor *cur,
					struct la_buf *b, struct la_stash *s)
{
	la_put_cwd(cur, s);
}

/*
 * Exit hook of the syscalls that name a file relative to the directory descriptor
 * in argument 0 (unlinkat, fchmodat, fchownat: la_at_path_args()): the working
 * directory, and that directory's path for the rules' dir= and watch fields.
 */
static __always_inline void la_cwd_at_hook(struct la_sys_exit *ctx, struct la_cursor *cur,
					   struct la_buf *b, struct la_stash *s)
{
	la_put_cwd(cur, s);
	la_put_atdirs_of(cur, s, 1u << 1);
}

/*
 * A syscall returning a sockaddr through argument @addr with its length through
 * the int pointed to by argument @addr + 1 (accept, accept4, recvfrom): the
 * buffer's size is read at entry, the address at exit, once the kernel has
 * filled it.
 */
static __always_inline int la_enter_peer(struct la_sys_enter *ctx, __u8 addr)
{
	struct la_stash *s = la_enter(ctx);
	__s32 cap = 0;

	if (s && ctx->args[(addr + 1) & 7])
		bpf_probe_read_user(&cap, sizeof(cap), (void *)ctx->args[(addr + 1) & 7]);
	if (s)
		s->peer_cap = cap;
	return 0;
}

static __always_inline int la_exit_peer(struct la_sys_exit *ctx, __u8 addr)
{
	struct la_stash *s = la_stash_get();
	struct la_cursor cur;
	struct la_buf *b = la_exit_begin(s, ctx->nr, ctx->ret, &cur);
	__s32 alen = 0;

	if (!b)
		return 0;
	if (ctx->ret >= 0 && b->ev.args[addr & 7] && b->ev.args[(addr + 1) & 7] &&
	    !bpf_probe_read_user(&alen, sizeof(alen), (void *)b->ev.args[(addr + 1) & 7]))
		la_put_peer(&cur, addr, (void *)b->ev.args[addr & 7], alen, s->peer_cap);
	la_emit(b, &cur, s, 0);
	return 0;
}

/* Exit of a syscall returning two fds through the int[2] in argument @fds. */
static __always_inline int la_exit_fds(struct la_sys_exit *ctx, __u8 fds)
{
	struct la_stash *s = la_stash_get();
	struct la_cursor cur;
	struct la_buf *b = la_exit_begin(s, ctx->nr, ctx->ret, &cur);

	if (!b)
		return 0;
	if (ctx->ret == 0)
		la_put_ubytes(&cur, LA_POS_MAX, LA_IT_FDS, fds, (void *)b->ev.args[fds & 7],
			      2 * sizeof(__s32));
	la_emit(b, &cur, s, 0);
	return 0;
}

#endif /* LAUDITD_EBPF_PROGRAMS_BPF_H */
