/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The cache filter's state (ebpf/cache.bpf.h): its keys, entries and maps, its
 * settings, the versions of objects and processes, and the tests a merge makes
 * of the task and of the rules' key.
 */
#ifndef LAUDITD_EBPF_CACHE_MAPS_BPF_H
#define LAUDITD_EBPF_CACHE_MAPS_BPF_H

#include "ebpf/programs.bpf.h"

enum la_cache_class {
	LA_CLASS_READ = LA_FLOW_READ,
	LA_CLASS_WRITE = LA_FLOW_WRITE,
	LA_CLASS_FD = 3,   /* close, dup, dup2, dup3, fcntl's F_DUPFD: no data moves */
	LA_CLASS_OPEN = 4, /* an open held for the reads or writes that follow (la_pending) */
};

#define LA_S_IFMT      0170000
#define LA_S_IFSOCK    0140000
#define LA_S_IFREG     0100000
#define LA_FMODE_WRITE 0x2

#define LA_CACHE_CLOSED (1ULL << 63)
#define LA_CACHE_BUSY	(1ULL << 62)
#define LA_CACHE_COUNT	(LA_CACHE_BUSY - 1)

/* An object: the inode behind a descriptor (a file, a pipe, a socket). */
struct la_obj {
	__u64 ino;
	__u32 dev;
	__u32 pad;
};

struct la_cache_key {
	struct la_obj obj;
	__u32 tgid;
	__u32 cls; /* enum la_cache_class */
};

struct la_cache_val {
	struct la_event ev; /* the first syscall's header */
	/*
	 * Its own key: a hash map reuses a deleted element at once, so a pointer
	 * looked up may meet another key's entry once it is taken.
	 */
	struct la_cache_key key;
	__u64 state; /* merges so far, LA_CACHE_BUSY, LA_CACHE_CLOSED */
	__u64 last_exit;
	__u64 bytes;
	__u64 failed;
	__u64 objver;  /* the object's version a merge must find */
	__u64 subjver; /* the process's version a merge must find */
	__u64 cred;    /* the task's struct cred: a new one is a new identity */
	__u64 tty;     /* its tty_struct */
	__u64 closed;  /* the descriptor's close joined it */
	/*
	 * Not 0: the process's held open of the object (la_pending) is this
	 * record's head, and this the first syscall's entry; ev.ts_enter is then
	 * the open's, from which the interval counts.
	 */
	__u64 flow_enter;
	__u32 rkey; /* the key its rules gave it (la_cache_rkey()), which a merge must have */
	__u32 pad;
};

/* The cached records; user space sets the size (cache_size). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct la_cache_key);
	__type(value, struct la_cache_val);
} la_cache SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct la_obj);
	__type(value, __u64);
} la_objvers SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u64);
} la_subjvers SEC(".maps") __weak;

/* The object of the descriptor a thread is closing, from close's entry to its exit. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct la_obj);
} la_cache_closing SEC(".maps") __weak;

/* Where a new entry is built, one per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct la_cache_val);
} la_cache_new SEC(".maps") __weak;

/* The cache filter's settings, fixed at load time (cache_filter, cache_flush_interval). */
const volatile __u32 la_cache_on __weak = 0;
const volatile __u64 la_cache_interval_ns __weak = 1000000000ULL;
/* The syscalls never merged (cache_filter_exempt), a bit each. */
const volatile __u64 la_cache_exempt[LA_NR_MAX / 64] __weak = {};

/* Source of fresh versions. */
__u64 la_cache_gen __weak = 0;

/* The record a flush sends: the first syscall's header and its totals. */
struct la_cache_rec {
	struct la_event ev;
	struct la_item it;
	struct la_merge m;
};

/* The version in @map under @key, made afresh when it has none; NULL when the map refuses. */
static __always_inline __u64 *la_version(void *map, const void *key)
{
	__u64 *p = bpf_map_lookup_elem(map, key), v;

	if (p)
		return p;
	v = (__sync_fetch_and_add(&la_cache_gen, 1) + 1) << 32;
	bpf_map_update_elem(map, key, &v, BPF_NOEXIST);
	return bpf_map_lookup_elem(map, key);
}

/* The index of @w's lowest bit set; 64 when none is. */
static __always_inline __u32 la_lowest_bit(__u64 w)
{
	__u32 i = 0;

	if (!w)
		return 64;
	w &= -w;
	if (w >> 32) {
		i += 32;
		w >>= 32;
	}
	if (w >> 16) {
		i += 16;
		w >>= 16;
	}
	if (w >> 8) {
		i += 8;
		w >>= 8;
	}
	if (w >> 4) {
		i += 4;
		w >>= 4;
	}
	if (w >> 2) {
		i += 2;
		w >>= 2;
	}
	return i + (w >> 1);
}

/* Whether the calling task is still what a cached header @ev (with @cred, @tty) says it was. */
static __always_inline int la_cache_same_task(const struct la_event *ev, __u64 cred, __u64 tty,
					      struct task_struct *task)
{
	__u64 a, b, x, y;

	if (cred != (__u64)task->cred || ev->exec_id != task->self_exec_id ||
	    tty != (__u64)task->signal->tty || ev->auid != la_task_auid(task) ||
	    ev->ses != la_task_ses(task) || ev->ppid != task->real_parent->tgid)
		return 0;
	/* loads from the task itself: cheaper than the helper's copy */
	a = *(__u64 *)&task->comm[0];
	b = *(__u64 *)&task->comm[8];
	__builtin_memcpy(&x, ev->comm, 8);
	__builtin_memcpy(&y, ev->comm + 8, 8);
	return a == x && b == y;
}

/*
 * la_cache_rkey() - the key the rules gave the syscall of @s (decided at exit:
 * @s->rule, @s->rules_rev) as merges compare it: 0 for none (no rules, or no
 * rule's key), else its rule's la_rule.key_id.  Records merge only when their
 * rules_rev and rkey are the same.
 * Return: the key, or -1 when the syscall must not be merged: a candidate of
 * its list is one user space decides on the record (LA_RL_UNSURE), which could
 * then log it with another key, or not at all, or no rule of the kernel's
 * lists decided it.
 */
static __always_inline int la_cache_rkey(const struct la_stash *s)
{
	struct la_rule_list *l;
	struct la_rule *r;
	__u32 k;

	/*
	 * No rule: no rules at all, or a task an always rule of the task list
	 * selected (no key); else the rules could not decide it in the kernel
	 * (more candidates than a list holds), so it is not merged.
	 */
	if (!s->rule)
		return s->rules_rev && s->task_state != LA_TASK_RECORD ? -1 : 0;
	k = la_rule_list_key(s->rules_rev, s->nr);
	l = bpf_map_lookup_elem(&la_rule_lists, &k);
	if (!l || (l->flags & LA_RL_UNSURE))
		return -1;
	k = (s->rules_rev & 1) * LA_RULES_MAX + ((s->rule - 1) & (LA_RULES_MAX - 1));
	r = bpf_map_lookup_elem(&la_rules, &k);
	return r ? r->key_id : -1;
}

#endif /* LAUDITD_EBPF_CACHE_MAPS_BPF_H */
