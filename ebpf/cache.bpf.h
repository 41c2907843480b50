/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The cache filter: a read-like or write-like syscall that repeats the cached
 * one of its process, object and class is merged into it instead of being
 * sent, as long as neither the object nor the process has taken in anything
 * new since (the rule, and why it keeps every dependence, is in README.md's
 * "The cache filter").  The cached record goes out with its totals (struct
 * la_merge) when a merge is refused, when its descriptor is closed, when its
 * process exits, and once it is cache_flush_interval old (user space runs
 * la_cache_flush for those that no syscall flushed).
 *
 * Versions are per object (la_objvers: bumped by every write-like syscall) and
 * per process (la_subjvers: bumped when it reads an object at a version it had
 * not cached, receives from a socket, or maps a file).  A version created
 * afresh takes a new value of la_cache_gen in its high half, so that an entry
 * evicted from its LRU map and made again never equals a value seen before.
 *
 * An entry's state word makes merges and flushes exclusive without a lock: a
 * merge sets BUSY (compare and swap), adds its totals, then stores the count
 * plus one; a flush sets CLOSED when neither is set, and from then on it alone
 * reads and deletes the entry.  A syscall that finds the entry BUSY or CLOSED
 * is sent alone: never both merged and lost.
 *
 * The record of an open of a regular file is held (la_pending) for the reads
 * or writes of its process on the object that follow: the first one's cached
 * record takes it as its head (LA_PEND_ATTACHED), and the open's record goes
 * out with that record's totals (la_merge.flow) in its place.
 *
 * With audit rules loaded, the rules decide first (la_rules_exit()): what they
 * log nothing for never reaches the cache.  Two syscalls merge only when the
 * same rules (the revision la_event.rules_rev) gave them the same key
 * (la_rule.key_id), so that the record's key= is the one the kernel would have
 * written for each; a syscall whose candidates user space may decide otherwise
 * (LA_RL_UNSURE) is sent alone.  A rule change sends every cached record
 * (user space runs la_cache_flush at once, and it sends those of older rules).
 *
 * The entries, maps, settings and versions are in ebpf/cache_maps.bpf.h, the
 * held opens in ebpf/pending.bpf.h.
 */
#ifndef LAUDITD_EBPF_CACHE_BPF_H
#define LAUDITD_EBPF_CACHE_BPF_H

#include "ebpf/pending.bpf.h"

/*
 * la_cache_send() - send the entry @v with its totals, to the ring its first
 * syscall was on (which has the process's exe and proctitle), and delete it.
 * Return: 1 when sent (or counted lost), 0 when a merge or another flush has it.
 */
static __always_inline int la_cache_send(struct la_cache_val *v)
{
	__u64 st = v->state, n;
	struct la_cache_key k;
	struct la_cache_rec *r;
	struct la_counts *c;
	__u32 cpu, size;
	void *ring;

	if (st & (LA_CACHE_BUSY | LA_CACHE_CLOSED))
		return 0;
	if (__sync_val_compare_and_swap(&v->state, st, st | LA_CACHE_CLOSED) != st)
		return 0;
	n = st & LA_CACHE_COUNT;
	if (v->flow_enter) {
		if (la_pend_send_head(v, n))
			return 1;
		/* its head is gone: the record is its first syscall's */
		v->ev.ts_enter = v->flow_enter;
	}
	k = v->key;
	size = n ? sizeof(*r) : LA_HDR;
	cpu = v->ev.cpu;
	c = la_counts_of(v->ev.nr);
	if (c) {
		__sync_fetch_and_add(&c->n[LA_CNT_MADE], 1);
		__sync_fetch_and_add(&c->n[LA_CNT_MERGED], n);
	}
	ring = bpf_map_lookup_elem(&la_rings, &cpu);
	r = NULL;
	if (ring && n)
		r = bpf_ringbuf_reserve(ring, sizeof(*r), 0);
	else if (ring)
		r = bpf_ringbuf_reserve(ring, LA_HDR, 0);
	if (!r) {
		if (c)
			__sync_fetch_and_add(&c->n[LA_CNT_RING_FULL], 1);
		bpf_map_delete_elem(&la_cache, &k);
		return 1;
	}
	__builtin_memcpy(&r->ev, &v->ev, sizeof(r->ev));
	r->ev.size = size;
	r->ev.nitems = 0;
	/* nothing merged: the record is the syscall's own, as without the cache */
	if (n) {
		r->ev.nitems = 1;
		r->it.kind = LA_IT_MERGE;
		r->it.arg = LA_ARG_NONE;
		r->it.flags = 0;
		r->it.pad = 0;
		r->it.len = sizeof(r->m);
		r->m.merged = n;
		r->m.last_exit = v->last_exit;
		r->m.bytes = v->bytes;
		r->m.failed = v->failed;
		r->m.closed = v->closed;
		r->m.flow = LA_FLOW_NONE;
		r->m.flow_nr = 0;
		r->m.flow_enter = 0;
	}
	bpf_map_delete_elem(&la_cache, &k);
	bpf_ringbuf_submit(r, la_wake_flags(ring, size, 0));
	return 1;
}

/*
 * The exit of close, returning @ret, on the object and process of @key: the
 * close joins the process's cached write-like record of the object, or its
 * read-like one (counted in merged and failed, its time not in the span) when
 * that is not taken, not too old, of the same task, and given the same key by
 * the same rules as the close (@s, @rkey), and both are sent.  An exempt close
 * (!@may_join) only sends them.  @key's class is left LA_CLASS_FD.
 * Return: 1 when the close joined one, 0 when it goes on to its own class.
 */
static __always_inline int la_cache_close_join(struct la_cache_key *key, __s64 ret,
					       struct task_struct *task, const struct la_stash *s,
					       int rkey, int may_join)
{
	struct la_cache_val *r, *w, *v;
	__u64 now = bpf_ktime_get_boot_ns(), st;
	int joined = 0;

	key->cls = LA_CLASS_READ;
	r = bpf_map_lookup_elem(&la_cache, key);
	key->cls = LA_CLASS_WRITE;
	w = bpf_map_lookup_elem(&la_cache, key);
	key->cls = LA_CLASS_FD;
	v = w ? w : r;
	if (v && may_join && now - v->ev.ts_enter < la_cache_interval_ns &&
	    v->ev.rules_rev == s->rules_rev && v->rkey == (__u32)rkey &&
	    la_cache_same_task(&v->ev, v->cred, v->tty, task)) {
		st = v->state;
		if (!(st & (LA_CACHE_BUSY | LA_CACHE_CLOSED)) &&
		    __sync_val_compare_and_swap(&v->state, st, st | LA_CACHE_BUSY) == st) {
			if (v->key.obj.ino == key->obj.ino && v->key.obj.dev == key->obj.dev &&
			    v->key.tgid == key->tgid) {
				/* last_exit stays the last flow's: a close moves no data */
				if (ret < 0 && ret >= -4095)
					v->failed++;
				v->closed = 1;
				st++;
				joined = 1;
			}
			__sync_lock_test_and_set(&v->state, st);
		}
	}
	if (r)
		la_cache_send(r);
	if (w)
		la_cache_send(w);
	return joined;
}

/*
 * la_cache_rdwr() - the exit of a read-like (@cls LA_CLASS_READ), write-like
 * (LA_CLASS_WRITE) or descriptor (LA_CLASS_FD) syscall @nr returning @ret: bump
 * the versions it changes, then merge it into the cached record of its process,
 * object and class, or cache it as a new one.  The object is the one behind
 * args[0], or for close the one its entry kept in la_cache_closing.  The
 * rules have decided it already (la_exit_cached(): struct la_stash.ruled).
 * Global, so that the verifier checks it once per program, apart from its callers
 * (and apart from la_rules_eval(), whose stack would add to its own).
 * Return: 1 when the syscall was merged or cached (no record to send now), 0
 * when the caller sends its record as usual.
 */
__weak __noinline int la_cache_rdwr(__s32 nr, __s64 ret, __u32 cls)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 *ov, *sv, over = 0, sver = 0, now, st, seen = 0;
	struct la_cache_key key = {};
	struct la_cache_val *v;
	struct la_stash *s;
	struct la_obj *o;
	struct inode *ino = NULL;
	struct file *f;
	__u32 zero = 0, cpu;
	int fresh, rkey, exempt;

	if (!la_cache_on)
		return 0;
	s = la_stash_get();
	if (!s || !s->active || !la_exit_matches(s->nr, nr))
		return 0;
	rkey = la_cache_rkey(s);
	/*
	 * Exempt (cache_filter_exempt), or its rules are not all the programs'
	 * (rkey -1): sent alone.
	 */
	exempt = rkey < 0 ||
		 la_cache_exempt[((__u32)nr >> 6) & (LA_NR_MAX / 64 - 1)] & (1ULL << (nr & 63));
	if (nr == __NR_close) {
		/* the descriptor is gone: its object was kept at entry */
		o = bpf_task_storage_get(&la_cache_closing, task, 0, 0);
		if (!o || !o->ino)
			return 0;
		key.obj = *o;
		o->ino = 0;
	} else {
		f = la_fd_file((__s32)s->args[0]);
		if (!f)
			return 0;
		ino = BPF_CORE_READ(f, f_inode);
		key.obj.ino = BPF_CORE_READ(ino, i_ino);
		key.obj.dev = BPF_CORE_READ(ino, i_sb, s_dev);
	}
	key.tgid = bpf_get_current_pid_tgid() >> 32;
	/* the close of a descriptor whose reads or writes are cached joins their record */
	if (nr == __NR_close && la_cache_close_join(&key, ret, task, s, rkey, !exempt)) {
		s->active = 0;
		return 1;
	}
	key.cls = cls;
	/* made for every class: la_cache_exit() flushes only a process that has one */
	sv = la_version(&la_subjvers, &key.tgid);
	if (!sv)
		return 0;
	/* a descriptor syscall moves no data: no version to compare or bump */
	if (cls != LA_CLASS_FD) {
		ov = la_version(&la_objvers, &key.obj);
		if (!ov || !ino)
			return 0;
		if (cls == LA_CLASS_WRITE) {
			over = __sync_fetch_and_add(ov, 1);
		} else if ((BPF_CORE_READ(ino, i_mode) & LA_S_IFMT) == LA_S_IFSOCK) {
			/* what a socket brings is always new: never merged */
			__sync_fetch_and_add(sv, 1);
			return 0;
		} else {
			over = *ov;
		}
		sver = *sv;
	}
	/* items of its own (sendto's address): sent alone, the cache left as it is */
	if (s->has_entry)
		return 0;
	/*
	 * Sent alone: its write bumped the object's version above, and what its
	 * read brought may be new to the process.
	 */
	if (exempt) {
		if (cls == LA_CLASS_READ)
			__sync_fetch_and_add(sv, 1);
		if (nr == __NR_close)
			la_pend_close(&key, ret, task, s, rkey, 0);
		return 0;
	}
	now = bpf_ktime_get_boot_ns();
	v = bpf_map_lookup_elem(&la_cache, &key);
	if (v) {
		seen = v->objver;
		/*
		 * A dup is never merged: it starts a record of its own, so that every
		 * descriptor number a log reader must know is the return of a record.
		 */
		if (seen == over && v->subjver == sver &&
		    (cls != LA_CLASS_FD || nr == __NR_close) && v->ev.rules_rev == s->rules_rev &&
		    v->rkey == (__u32)rkey && now - v->ev.ts_enter < la_cache_interval_ns &&
		    la_cache_same_task(&v->ev, v->cred, v->tty, task)) {
			st = v->state;
			if (st & (LA_CACHE_BUSY | LA_CACHE_CLOSED) ||
			    __sync_val_compare_and_swap(&v->state, st, st | LA_CACHE_BUSY) != st)
				return 0;
			if (v->key.obj.ino != key.obj.ino || v->key.obj.dev != key.obj.dev ||
			    v->key.tgid != key.tgid || v->key.cls != key.cls) {
				__sync_lock_test_and_set(&v->state, st);
				return 0;
			}
			v->last_exit = now;
			if (ret < 0 && ret >= -4095)
				v->failed++;
			else
				v->bytes += ret;
			if (cls == LA_CLASS_WRITE)
				v->objver = over + 1;
			__sync_lock_test_and_set(&v->state, st + 1);
			s->active = 0;
			/*
			 * A dup's record is complete once two closes joined it (the
			 * descriptor it made and the one it copied, as find does): sent
			 * now rather than held to the interval.
			 */
			if (cls == LA_CLASS_FD && (st & LA_CACHE_COUNT) + 1 >= 2)
				la_cache_send(v);
			return 1;
		}
		la_cache_send(v);
	}
	/*
	 * A close with no dup's record to join joins its open's when that is held
	 * (an open then a close), and else is written alone: nothing would follow it.
	 */
	if (cls == LA_CLASS_FD && nr == __NR_close) {
		if (!la_pend_close(&key, ret, task, s, rkey, 1))
			return 0;
		s->active = 0;
		return 1;
	}
	/* a read at a version the process had not cached may bring it something new */
	fresh = cls == LA_CLASS_READ && (!v || seen != over);
	if (fresh)
		sver = __sync_fetch_and_add(sv, 1) + 1;
	/*
	 * A new entry's record is sent later, from any CPU, to a ring that already
	 * has the process's exe and proctitle: this CPU's, or the lowest of 0..63's.
	 */
	cpu = bpf_get_smp_processor_id();
	if (cpu >= 256 || s->sent_exec_id != task->self_exec_id + 1)
		return 0;
	if (!(s->sent_cpus[(cpu >> 6) & 3] & (1ULL << (cpu & 63)))) {
		cpu = la_lowest_bit(s->sent_cpus[0]);
		if (cpu >= 64)
			return 0;
	}
	v = bpf_map_lookup_elem(&la_cache_new, &zero);
	if (!v)
		return 0;
	la_fill_header(&v->ev, s, s->nr, ret);
	v->ev.cpu = cpu;
	v->key = key;
	v->ev.size = LA_HDR;
	v->ev.nitems = 0;
	v->state = 0;
	v->last_exit = v->ev.ts_exit;
	v->bytes = ret < 0 && ret >= -4095 ? 0 : ret;
	v->failed = ret < 0 && ret >= -4095;
	v->closed = 0;
	v->flow_enter = 0;
	v->rkey = rkey;
	if (cls != LA_CLASS_FD)
		la_pend_attach(v, &key, over, task, now);
	v->objver = cls == LA_CLASS_WRITE ? over + 1 : over;
	v->subjver = sver;
	v->cred = (__u64)task->cred;
	v->tty = (__u64)task->signal->tty;
	if (bpf_map_update_elem(&la_cache, &key, v, BPF_NOEXIST)) {
		struct la_counts *c = la_counts_of(nr);

		if (v->flow_enter)
			la_pend_detach(&key);
		if (c)
			__sync_fetch_and_add(&c->n[LA_CNT_CACHE_FULL], 1);
		return 0;
	}
	s->active = 0;
	return 1;
}

/*
 * Exit of a read-like, write-like or descriptor syscall with no items of its
 * own at exit.  With the cache filter, the rules decide first: what they log
 * nothing for is counted filtered and never reaches the cache; their decision
 * is kept (struct la_stash.ruled) for la_cache_rdwr() and for the record's
 * send, which does not walk them again.
 */
static __always_inline int la_exit_cached(struct la_sys_exit *ctx, __u32 cls)
{
	struct la_stash *s;

	if (la_cache_on && (s = la_stash_get()) && s->active && la_exit_matches(s->nr, ctx->nr)) {
		if (!la_rules_exit(s, s->nr, ctx->ret, 0)) {
			s->active = 0;
			la_count_filtered(s->nr);
			if (s->has_entry)
				la_entry_drop(s, (__u64)bpf_get_current_task_btf());
			return 0;
		}
		s->ruled = 1;
	}
	if (la_cache_rdwr(ctx->nr, ctx->ret, cls))
		return 0;
	return la_exit_plain(ctx, 0);
}

/* The calling process takes in something the cache cannot compare (a socket, a mapped file). */
static __always_inline void la_cache_taken_in(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u64 *sv;

	if (!la_cache_on || !la_captured())
		return;
	sv = bpf_map_lookup_elem(&la_subjvers, &tgid);
	/* none: the next one is made afresh, unlike any cached */
	if (sv)
		__sync_fetch_and_add(sv, 1);
}

/*
 * The object @f may change by other means than a write-like syscall (opened for
 * writing: O_TRUNC; ftruncate): a new version, when it has one.  Without one,
 * the next syscall that needs it makes one afresh.
 */
static __always_inline void la_cache_changed(struct file *f)
{
	struct la_obj obj = {};
	struct inode *ino;
	__u64 *ov;

	if (!la_cache_on || !f)
		return;
	ino = BPF_CORE_READ(f, f_inode);
	obj.ino = BPF_CORE_READ(ino, i_ino);
	obj.dev = BPF_CORE_READ(ino, i_sb, s_dev);
	ov = bpf_map_lookup_elem(&la_objvers, &obj);
	if (ov)
		__sync_fetch_and_add(ov, 1);
}

/*
 * Entry of close: keep the object behind @fd for the exit, where the descriptor
 * is gone, and which sends the process's cached records of it (the close joins
 * one of them, or its descriptor record: la_cache_rdwr()).
 */
static __always_inline void la_cache_close(__s64 fd)
{
	struct inode *ino;
	struct la_obj *o;
	struct file *f;

	if (!la_cache_on || !la_captured())
		return;
	o = bpf_task_storage_get(&la_cache_closing, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!o)
		return;
	o->ino = 0;
	f = la_fd_file(fd);
	if (!f)
		return;
	ino = BPF_CORE_READ(f, f_inode);
	o->ino = BPF_CORE_READ(ino, i_ino);
	o->dev = BPF_CORE_READ(ino, i_sb, s_dev);
}

static long la_cache_exit_one(void *map, struct la_cache_key *k, struct la_cache_val *v, void *arg)
{
	if (k->tgid == *(__u32 *)arg)
		la_cache_send(v);
	return 0;
}

static long la_pend_exit_one(void *map, struct la_cache_key *k, struct la_pend_val *p, void *arg)
{
	if (k->tgid == *(__u32 *)arg)
		la_pend_alone(p);
	return 0;
}

/*
 * Send every cached record of the calling process (exit_group).  A process
 * without a version never reached la_cache_rdwr, so it has none: the walk of
 * the whole cache is spared to the many that exit without a read or write.
 */
static __always_inline void la_cache_exit(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (!la_cache_on || !la_captured() || !bpf_map_lookup_elem(&la_subjvers, &tgid))
		return;
	bpf_for_each_map_elem(&la_cache, la_cache_exit_one, &tgid, 0);
	/* then the opens it holds that no cached record took as its head */
	bpf_for_each_map_elem(&la_pending, la_pend_exit_one, &tgid, 0);
	bpf_map_delete_elem(&la_subjvers, &tgid);
}

#endif /* LAUDITD_EBPF_CACHE_BPF_H */
