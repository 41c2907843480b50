/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Delivery: a syscall's record from its entry to its CPU's ring.  The entry
 * program stashes the arguments (and, where the syscall reads user memory the
 * process could change meanwhile, that memory) in per-thread storage; the exit
 * program fills the header, appends the items and sends the record, counting
 * every outcome in la_counters.
 */
#ifndef LAUDITD_EBPF_DELIVERY_BPF_H
#define LAUDITD_EBPF_DELIVERY_BPF_H

#include "ebpf/rules.bpf.h"

#define LA_HDR ((__u32)sizeof(struct la_event))

/* This CPU's counters of syscall @nr; numbers from LA_NR_MAX - 1 up share the last. */
static __always_inline struct la_counts *la_counts_of(__s32 nr)
{
	__u32 key = nr >= 0 && nr < LA_NR_MAX ? nr : LA_NR_MAX - 1;

	return bpf_map_lookup_elem(&la_counters, &key);
}

/* A syscall the rules log nothing for: made, and not delivered. */
static __always_inline void la_count_filtered(__s32 nr)
{
	struct la_counts *c = la_counts_of(nr);

	if (c) {
		__sync_fetch_and_add(&c->n[LA_CNT_MADE], 1);
		__sync_fetch_and_add(&c->n[LA_CNT_FILTERED], 1);
	}
}

/* Whether the calling thread is captured: not lauditd itself, not after shutdown began. */
static __always_inline int la_captured(void)
{
	return !la_stopped && (bpf_get_current_pid_tgid() >> 32) != la_self_tgid;
}

/*
 * Whether the calling thread's process is one of la_excluded's.  The verdict is
 * kept in the thread's stash until user space adds a process, so that a
 * syscall pays for a hash lookup only once per thread and generation.
 */
static __always_inline int la_excluded_task(struct la_stash *s)
{
	__u32 gen = la_excluded_gen, tgid;

	if (s->excl_gen == gen)
		return s->excluded;
	tgid = bpf_get_current_pid_tgid() >> 32;
	s->excluded = bpf_map_lookup_elem(&la_excluded, &tgid) != NULL;
	s->excl_gen = gen;
	return s->excluded;
}

/* The calling thread's stash, at exit, when it is captured; else NULL. */
static __always_inline struct la_stash *la_stash_get(void)
{
	if (!la_captured())
		return NULL;
	return bpf_task_storage_get(&la_stashes, bpf_get_current_task_btf(), 0, 0);
}

/*
 * la_enter() - stash a syscall's arguments at entry.
 * Return: the stash, or NULL when the thread is not captured or has no storage
 * (then the record is counted as made and lost).
 */
static __always_inline struct la_stash *la_enter(struct la_sys_enter *ctx)
{
	__u32 rev = la_rules_rev, record = 0;
	struct la_stash *s;
	struct la_counts *c;

	if (!la_captured())
		return NULL;
	/*
	 * A thread that a task-list rule selected at its fork: never, nothing ever;
	 * always, every syscall, the exit list not tried (the kernel's context
	 * starts in AUDIT_STATE_RECORD with the highest prio).
	 */
	if (la_task_seen) {
		s = bpf_task_storage_get(&la_stashes, bpf_get_current_task_btf(), 0, 0);
		if (s && s->task_state == LA_TASK_NEVER)
			return NULL;
		record = s && s->task_state == LA_TASK_RECORD;
	}
	/* with rules, a syscall none of them can select goes no further */
	if (rev && !record && !la_rules_entry(ctx->nr, rev))
		return NULL;
	s = bpf_task_storage_get(&la_stashes, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!s) {
		c = la_counts_of(ctx->nr);
		if (c) {
			__sync_fetch_and_add(&c->n[LA_CNT_MADE], 1);
			__sync_fetch_and_add(&c->n[LA_CNT_NO_STASH], 1);
		}
		return NULL;
	}
	if (la_excluded_task(s))
		return NULL;
	s->ts_enter = bpf_ktime_get_boot_ns();
	s->nr = ctx->nr;
	/*
	 * From the saved registers rather than the tracepoint's record: that one
	 * has only the syscall's own arguments, and auditd logs a0..a3 from the
	 * registers whatever the syscall's arity.
	 */
	la_syscall_args(s->args, ctx->nr);
	s->has_entry = 0;
	s->exec_script = 0;
	s->ruled = 0;
	s->active = 1;
	return s;
}

/*
 * Fill the header: the syscall from the stash, and what auditd's SYSCALL record
 * carries from the task.  The tty's name is kept in the stash while the tty stays.
 */
static __always_inline void la_fill_header(struct la_event *ev, struct la_stash *s, __s32 nr,
					   __s64 ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	const struct cred *cred = task->cred;
	__u64 id = bpf_get_current_pid_tgid();
	struct tty_struct *tty;

	ev->kind = LA_EV_SYSCALL;
	ev->flags = 0;
	ev->nr = nr;
	ev->cpu = bpf_get_smp_processor_id();
	ev->ts_enter = s->ts_enter;
	ev->ts_exit = bpf_ktime_get_boot_ns();
	ev->args[0] = s->args[0];
	ev->args[1] = s->args[1];
	ev->args[2] = s->args[2];
	ev->args[3] = s->args[3];
	ev->args[4] = s->args[4];
	ev->args[5] = s->args[5];
	ev->ret = ret;
	ev->tid = (__u32)id;
	ev->pid = id >> 32;
	ev->ppid = task->real_parent->tgid;
	ev->auid = la_task_auid(task);
	ev->ses = la_task_ses(task);
	ev->uid = cred->uid.val;
	ev->gid = cred->gid.val;
	ev->euid = cred->euid.val;
	ev->suid = cred->suid.val;
	ev->fsuid = cred->fsuid.val;
	ev->egid = cred->egid.val;
	ev->sgid = cred->sgid.val;
	ev->fsgid = cred->fsgid.val;
	ev->cgroup_id = bpf_get_current_cgroup_id();
	ev->exec_id = task->self_exec_id;
	ev->rule = s->rule;
	ev->rules_rev = s->rules_rev;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	tty = task->signal->tty;
	if ((__u64)tty + 1 != s->tty_key) {
		__builtin_memset(s->tty, 0, sizeof(s->tty));
		if (tty)
			bpf_probe_read_kernel_str(s->tty, sizeof(s->tty), tty->name);
		s->tty_key = (__u64)tty + 1;
	}
	__builtin_memcpy(ev->tty, s->tty, sizeof(ev->tty));
}

/* Wake-up flags for a record of @size about to go to @ring. */
static __always_inline __u64 la_wake_flags(void *ring, __u32 size, int urgent)
{
	__u64 avail;

	if (urgent)
		return BPF_RB_FORCE_WAKEUP;
	/*
	 * A wake-up is an IPI (in a VM, a trapped MSR write): wake the consumer
	 * when this record makes the ring cross the threshold, not for every record
	 * above it.  The consumer empties the ring once woken.
	 */
	avail = bpf_ringbuf_query(ring, BPF_RB_AVAIL_DATA);
	if (avail < la_wakeup_bytes && avail + size >= la_wakeup_bytes)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

/*
 * la_exit_begin() - start the record of a returning syscall in the CPU's build
 * area: header from the stash and the task, then the entry-time items.
 * Return: the build area, or NULL when the syscall's entry was not captured.
 */
static __always_inline struct la_buf *la_exit_begin(struct la_stash *s, __s32 nr, __s64 ret,
						    struct la_cursor *cur)
{
	struct la_entry *e;
	struct la_buf *b;
	__u32 key = 0;
	__u64 tkey;

	if (!s || !s->active || !la_exit_matches(s->nr, nr))
		return NULL;
	s->active = 0;
	if (!la_rules_exit(s, s->nr, ret, la_noreturn_nr(nr))) {
		la_count_filtered(s->nr);
		if (s->has_entry)
			la_entry_drop(s, (__u64)bpf_get_current_task_btf());
		return NULL;
	}
	b = bpf_map_lookup_elem(&la_scratch, &key);
	if (!b)
		return NULL;
	/* the stashed number: execveat's exit comes as execve's */
	la_fill_header(&b->ev, s, s->nr, ret);
	cur->data = b->data;
	cur->pos = 0;
	cur->nitems = 0;
	cur->flags = 0;
	if (!s->has_entry)
		return b;
	if (s->has_entry == LA_AT_LOST) {
		cur->flags |= LA_F_NOSPACE;
		return b;
	}
	tkey = (__u64)bpf_get_current_task_btf();
	e = la_entry_get(s, tkey);
	if (!e) {
		cur->flags |= LA_F_NOSPACE;
		return b;
	}
	if (e->len <= LA_ENTRY_SIZE &&
	    !bpf_probe_read_kernel(b->data, e->len & (LA_ENTRY_POS_MAX * 2 - 1), e->data)) {
		cur->pos = e->len & (LA_ENTRY_POS_MAX * 2 - 1);
		cur->nitems = e->nitems;
		cur->flags = e->flags;
	} else {
		cur->flags |= LA_F_NOSPACE;
	}
	la_entry_drop(s, tkey);
	return b;
}

/*
 * la_exit_fast() - the common case of a syscall with no items to add (no
 * entry-time items, identity already sent on this CPU): the header is written
 * straight into the ring, without the build area and its copy.
 * Return: 1 when done (delivered or counted lost), 0 when the full path is needed.
 */
static __always_inline int la_exit_fast(struct la_stash *s, __s32 nr, __s64 ret, int urgent)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 cpu = bpf_get_smp_processor_id();
	struct la_counts *c;
	struct la_event *ev;
	__u64 flags;
	void *ring;

	if (!s || !s->active || s->nr != nr || s->has_entry || cpu >= 256 ||
	    s->sent_exec_id != task->self_exec_id + 1 ||
	    !(s->sent_cpus[(cpu >> 6) & 3] & (1ULL << (cpu & 63))))
		return 0;
	ring = bpf_map_lookup_elem(&la_rings, &cpu);
	c = la_counts_of(nr);
	if (!ring || !c)
		return 0;
	s->active = 0;
	__sync_fetch_and_add(&c->n[LA_CNT_MADE], 1);
	if (!la_rules_exit(s, nr, ret, 0)) {
		__sync_fetch_and_add(&c->n[LA_CNT_FILTERED], 1);
		return 1;
	}
	flags = la_wake_flags(ring, LA_HDR, urgent);
	ev = bpf_ringbuf_reserve(ring, sizeof(*ev), 0);
	if (!ev) {
		__sync_fetch_and_add(&c->n[LA_CNT_RING_FULL], 1);
		return 1;
	}
	la_fill_header(ev, s, nr, ret);
	ev->size = LA_HDR;
	ev->nitems = 0;
	bpf_ringbuf_submit(ev, flags);
	return 1;
}

/* The record of exit and exit_group, which never return: built at entry. */
static __always_inline struct la_buf *la_noreturn_begin(struct la_sys_enter *ctx,
							struct la_cursor *cur)
{
	struct la_stash *s = la_enter(ctx);

	if (!s)
		return NULL;
	return la_exit_begin(s, ctx->nr, 0, cur);
}

/*
 * Append the process's exe and proctitle unless this thread already sent them
 * on this CPU's ring since its last execve: user space keeps them by (pid,
 * exec_id), and a ring is read in order.
 * Return: the CPU bit to set in the stash once the record is delivered, or 0.
 */
static __always_inline __u64 la_put_identity(struct la_cursor *cur, struct la_stash *s,
					     struct la_event *ev)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct mm_struct *mm = task->mm;
	__u32 cpu = ev->cpu;
	__u64 pos;
	__u64 bit, start, end, len;
	struct la_item *it;

	if (s->sent_exec_id != ev->exec_id + 1) {
		s->sent_exec_id = ev->exec_id + 1;
		s->sent_cpus[0] = s->sent_cpus[1] = s->sent_cpus[2] = s->sent_cpus[3] = 0;
	}
	bit = 1ULL << (cpu & 63);
	if (cpu < 256 && (s->sent_cpus[(cpu >> 6) & 3] & bit))
		return 0;
	if (!mm)
		return 0;
	la_put_file_path(cur, LA_POS_MAX, LA_IT_EXE, mm->exe_file);
	pos = cur->pos;
	if (pos > LA_POS_MAX) {
		cur->flags |= LA_F_NOSPACE;
		return 0;
	}
	it = la_item_open(cur, pos, LA_IT_PROCTITLE, 0);
	start = mm->arg_start;
	end = mm->arg_end;
	len = end > start ? end - start : 0;
	if (len > LA_PROCTITLE_MAX)
		len = LA_PROCTITLE_MAX;
	if (len && bpf_probe_read_user(cur->data + pos + LA_ITEM, len & 255, (void *)start)) {
		la_item_fault(cur, it);
		len = 0;
	}
	it->len = len;
	cur->pos = la_align(pos + LA_ITEM + len);
	return cpu < 256 ? bit : 0;
}

/*
 * la_emit() - finish the record in @b and send it to this CPU's ring, waking the
 * consumer only for an @urgent record or once the ring passes the fill threshold.
 * Every outcome is counted in la_counters.
 */
static __always_inline void la_emit(struct la_buf *b, struct la_cursor *cur, struct la_stash *s,
				    int urgent)
{
	__u32 cpu = b->ev.cpu, size;
	struct la_counts *c;
	__u64 bit, flags;
	void *ring;

	bit = s ? la_put_identity(cur, s, &b->ev) : 0;
	size = LA_HDR + cur->pos;
	b->ev.size = size;
	b->ev.nitems = cur->nitems;
	b->ev.flags |= cur->flags;
	c = la_counts_of(b->ev.nr);
	if (!c)
		return;
	__sync_fetch_and_add(&c->n[LA_CNT_MADE], 1);
	if (cur->flags & LA_F_FAULT)
		__sync_fetch_and_add(&c->n[LA_CNT_FAULTS], 1);
	if (cur->flags & (LA_F_TRUNC | LA_F_NOSPACE))
		__sync_fetch_and_add(&c->n[LA_CNT_TRUNCATED], 1);
	if (size > sizeof(*b)) {
		__sync_fetch_and_add(&c->n[LA_CNT_TOO_LARGE], 1);
		return;
	}
	ring = bpf_map_lookup_elem(&la_rings, &cpu);
	if (!ring) {
		__sync_fetch_and_add(&c->n[LA_CNT_RING_FULL], 1);
		return;
	}
	flags = la_wake_flags(ring, size, urgent);
	if (bpf_ringbuf_output(ring, b, size, flags)) {
		__sync_fetch_and_add(&c->n[LA_CNT_RING_FULL], 1);
		return;
	}
	if (bit)
		s->sent_cpus[(cpu >> 6) & 3] |= bit;
}

#endif /* LAUDITD_EBPF_DELIVERY_BPF_H */
