/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The cache filter's held opens (la_pending): the record of an open of a regular
 * file is held for the reads or writes of its process on the object that follow;
 * the first one's cached record takes it as its head (LA_PEND_ATTACHED), and the
 * open's record goes out with that record's totals (la_merge.flow) in its place
 * (la_pend_send_head(), which la_cache_send() calls), or alone.
 */
#ifndef LAUDITD_EBPF_PENDING_BPF_H
#define LAUDITD_EBPF_PENDING_BPF_H

#include "ebpf/cache_maps.bpf.h"

/* A held open's items (its CWD, PATH and inode items) take at most this. */
#define LA_PEND_DATA 1024

#define LA_PEND_ATTACHED (1ULL << 61)

/*
 * An open's record held in the kernel (la_pending), keyed by its process and
 * object (class LA_CLASS_OPEN), until the first read-like or write-like syscall
 * of the process on the object takes it as the head of its cached record, or
 * its close joins it, or it is sent alone: by a flush, the process's exit, a
 * first syscall that may not join it (another process wrote the object, an
 * execve, a new identity, the interval passed).
 */
struct la_pend_val {
	struct la_cache_key key;
	__u64 state;  /* LA_PEND_ATTACHED (a cached record's head), LA_CACHE_CLOSED */
	__u64 objver; /* the object's version when it was opened */
	__u64 cred;
	__u64 tty;
	__u32 len;	    /* bytes of items in data */
	__u32 rkey;	    /* the key its rules gave it (la_cache_rkey()) */
	struct la_event ev; /* the record as la_emit() would send it: ev, then data */
	__u8 data[LA_PEND_DATA + sizeof(struct la_item) + sizeof(struct la_merge)];
};

/* The held opens; user space sets the size (cache_size). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 4096);
	__type(key, struct la_cache_key);
	__type(value, struct la_pend_val);
} la_pending SEC(".maps") __weak;

/* Where a held open is built, one per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct la_pend_val);
} la_pend_new SEC(".maps") __weak;

/*
 * la_pend_take() - take the held open @p from state @from (0: free) to @to.
 * With @key, only if it is still that key's (a hash map reuses an element).
 * Return: 1 when taken.
 */
static __always_inline int la_pend_take(struct la_pend_val *p, const struct la_cache_key *key,
					__u64 from, __u64 to)
{
	if (p->state != from || __sync_val_compare_and_swap(&p->state, from, to) != from)
		return 0;
	if (key && (p->key.obj.ino != key->obj.ino || p->key.obj.dev != key->obj.dev ||
		    p->key.tgid != key->tgid)) {
		__sync_lock_test_and_set(&p->state, from);
		return 0;
	}
	return 1;
}

/*
 * la_pend_emit() - send the held open @p, which the caller took, to the ring
 * its record was meant for, with the totals @m of the syscalls that joined it
 * (@m->merged 0: none, the record is the open's as without the cache), and
 * delete it.  Counted as la_cache_send() counts.
 */
static __always_inline void la_pend_emit(struct la_pend_val *p, const struct la_merge *m)
{
	struct la_cache_key k = p->key;
	__u32 cpu = p->ev.cpu, len = p->len, size;
	struct la_counts *c;
	struct la_item *it;
	void *ring;

	if (len > LA_PEND_DATA)
		len = LA_PEND_DATA;
	size = LA_HDR + len;
	c = la_counts_of(p->ev.nr);
	if (c) {
		__sync_fetch_and_add(&c->n[LA_CNT_MADE], 1);
		__sync_fetch_and_add(&c->n[LA_CNT_MERGED], m->merged);
	}
	if (m->merged) {
		it = (void *)(p->data + len);
		it->kind = LA_IT_MERGE;
		it->arg = LA_ARG_NONE;
		it->flags = 0;
		it->pad = 0;
		it->len = sizeof(*m);
		__builtin_memcpy(p->data + len + sizeof(*it), m, sizeof(*m));
		p->ev.nitems++;
		size += sizeof(*it) + sizeof(*m);
	}
	p->ev.size = size;
	ring = bpf_map_lookup_elem(&la_rings, &cpu);
	if ((!ring || bpf_ringbuf_output(ring, &p->ev, size, la_wake_flags(ring, size, 0))) && c)
		__sync_fetch_and_add(&c->n[LA_CNT_RING_FULL], 1);
	bpf_map_delete_elem(&la_pending, &k);
}

/* Send the held open @p alone, unless something else has it. */
static __always_inline void la_pend_alone(struct la_pend_val *p)
{
	struct la_merge none = {};

	if (la_pend_take(p, NULL, 0, LA_CACHE_CLOSED))
		la_pend_emit(p, &none);
}

/*
 * The cached record @v, which holds @n merges and was taken for sending, has a
 * held open as its head: the open's record goes out with @v's totals (its
 * first syscall counted among the merged) and @v is deleted.
 * Return: 1 when sent, 0 when the open is gone (@v then goes out as it is).
 */
static __always_inline int la_pend_send_head(struct la_cache_val *v, __u64 n)
{
	struct la_cache_key k = v->key;
	struct la_pend_val *p;
	struct la_merge m = {};

	k.cls = LA_CLASS_OPEN;
	p = bpf_map_lookup_elem(&la_pending, &k);
	if (!p || !la_pend_take(p, &k, LA_PEND_ATTACHED, LA_CACHE_CLOSED))
		return 0;
	m.merged = n + 1;
	m.last_exit = v->last_exit;
	m.bytes = v->bytes;
	m.failed = v->failed;
	m.closed = v->closed;
	m.flow = v->key.cls;
	m.flow_nr = v->ev.nr;
	m.flow_enter = v->flow_enter;
	la_pend_emit(p, &m);
	k.cls = v->key.cls;
	bpf_map_delete_elem(&la_cache, &k);
	return 1;
}

/*
 * A new cached record @v of the read-like or write-like syscall on @key's
 * object, which found the object at version @over: the process's held open of
 * the object becomes its head when nothing came between them that a merge
 * would refuse (another process's write, an execve, a new identity, the
 * interval); otherwise the open is sent alone.
 */
static __always_inline void la_pend_attach(struct la_cache_val *v, struct la_cache_key *key,
					   __u64 over, struct task_struct *task, __u64 now)
{
	struct la_pend_val *p;
	__u32 cls = key->cls;

	key->cls = LA_CLASS_OPEN;
	p = bpf_map_lookup_elem(&la_pending, key);
	key->cls = cls;
	if (!p)
		return;
	if (p->objver == over && now - p->ev.ts_enter < la_cache_interval_ns &&
	    p->ev.rules_rev == v->ev.rules_rev && p->rkey == v->rkey &&
	    la_cache_same_task(&p->ev, p->cred, p->tty, task) &&
	    la_pend_take(p, key, 0, LA_PEND_ATTACHED)) {
		v->flow_enter = v->ev.ts_enter;
		v->ev.ts_enter = p->ev.ts_enter;
		return;
	}
	la_pend_alone(p);
}

/* A record that la_pend_attach() gave a head could not be cached: the head is held again. */
static __always_inline void la_pend_detach(struct la_cache_key *key)
{
	struct la_pend_val *p;
	__u32 cls = key->cls;

	key->cls = LA_CLASS_OPEN;
	p = bpf_map_lookup_elem(&la_pending, key);
	key->cls = cls;
	if (p)
		la_pend_take(p, key, LA_PEND_ATTACHED, 0);
}

/*
 * The exit of close, returning @ret, on the object and process of @key when no
 * cached read or write record joined it: it joins the process's held open of
 * the object (an open then a close: one record, merged=1 merged_close=1) when
 * the same rules gave both the same key (@s), which is sent either way.  An
 * exempt close (!@may_join) only sends it.
 * Return: 1 when the close joined it.
 */
static __always_inline int la_pend_close(struct la_cache_key *key, __s64 ret,
					 struct task_struct *task, const struct la_stash *s,
					 int rkey, int may_join)
{
	__u64 now = bpf_ktime_get_boot_ns();
	struct la_merge m = {};
	struct la_pend_val *p;
	__u32 cls = key->cls;

	key->cls = LA_CLASS_OPEN;
	p = bpf_map_lookup_elem(&la_pending, key);
	key->cls = cls;
	if (!p || !la_pend_take(p, key, 0, LA_CACHE_CLOSED))
		return 0;
	if (may_join && now - p->ev.ts_enter < la_cache_interval_ns &&
	    p->ev.rules_rev == s->rules_rev && p->rkey == (__u32)rkey &&
	    la_cache_same_task(&p->ev, p->cred, p->tty, task)) {
		m.merged = 1;
		m.last_exit = p->ev.ts_exit;
		m.failed = ret < 0 && ret >= -4095;
		m.closed = 1;
	}
	la_pend_emit(p, &m);
	return m.merged != 0;
}

/*
 * la_pend_hold() - hold the record of an open (built in @b, its items to
 * @cur) that returned a descriptor of the regular file @f, instead of sending
 * it: the reads or the writes that follow on the object, and its close, join
 * it (la_pend_attach(), la_pend_close()).  Held only when it would be sent
 * as it is: no items cut, its rules all the programs' (la_cache_rkey()), the
 * process's exe and proctitle already on a ring, and room in la_pending.
 * Return: 1 when held (nothing to send now), 0 when the caller sends it.
 */
static __always_inline int la_pend_hold(struct la_buf *b, struct la_cursor *cur, struct la_stash *s,
					struct file *f)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct la_cache_key key = {};
	__u32 zero = 0, cpu, len = cur->pos;
	__s32 nr = b->ev.nr;
	struct la_pend_val *p;
	struct la_counts *c;
	struct inode *ino;
	__u64 *ov;
	long err;
	int rkey;

	if (!la_cache_on || !f || !s || cur->flags || len > LA_PEND_DATA ||
	    la_cache_exempt[((__u32)nr >> 6) & (LA_NR_MAX / 64 - 1)] & (1ULL << (nr & 63)))
		return 0;
	/* la_exit_begin() decided the rules: s->rule, s->rules_rev are the record's */
	rkey = la_cache_rkey(s);
	if (rkey < 0)
		return 0;
	ino = BPF_CORE_READ(f, f_inode);
	if ((BPF_CORE_READ(ino, i_mode) & LA_S_IFMT) != LA_S_IFREG)
		return 0;
	/* sent later, perhaps from another CPU: to a ring that has the exe and proctitle */
	cpu = b->ev.cpu;
	if (cpu >= 256 || s->sent_exec_id != task->self_exec_id + 1)
		return 0;
	if (!(s->sent_cpus[(cpu >> 6) & 3] & (1ULL << (cpu & 63)))) {
		cpu = la_lowest_bit(s->sent_cpus[0]);
		if (cpu >= 64)
			return 0;
	}
	key.obj.ino = BPF_CORE_READ(ino, i_ino);
	key.obj.dev = BPF_CORE_READ(ino, i_sb, s_dev);
	key.tgid = bpf_get_current_pid_tgid() >> 32;
	key.cls = LA_CLASS_OPEN;
	/* a process version: la_cache_exit() sends what a process holds only when it has one */
	if (!la_version(&la_subjvers, &key.tgid))
		return 0;
	ov = la_version(&la_objvers, &key.obj);
	p = bpf_map_lookup_elem(&la_pend_new, &zero);
	if (!ov || !p)
		return 0;
	p->key = key;
	p->state = 0;
	p->objver = *ov;
	p->cred = (__u64)task->cred;
	p->tty = (__u64)task->signal->tty;
	p->len = len;
	p->rkey = rkey;
	__builtin_memcpy(&p->ev, &b->ev, sizeof(p->ev));
	p->ev.cpu = cpu;
	p->ev.nitems = cur->nitems;
	if (len && bpf_probe_read_kernel(p->data, len, b->data))
		return 0;
	err = bpf_map_update_elem(&la_pending, &key, p, BPF_NOEXIST);
	/* -E2BIG: full (another of its opens of the object is held: -EEXIST) */
	if (err == -7) {
		c = la_counts_of(nr);
		if (c)
			__sync_fetch_and_add(&c->n[LA_CNT_CACHE_FULL], 1);
	}
	return !err;
}

#endif /* LAUDITD_EBPF_PENDING_BPF_H */
