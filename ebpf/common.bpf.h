/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What every family's programs share: the entry stash, items, the context of
 * auditd's SYSCALL record, and delivery to the CPU's ring with loss counting.
 *
 * A syscall's entry program stashes its arguments (and, where the syscall reads
 * user memory the process could change meanwhile, that memory) in per-thread
 * storage; its exit program builds one record and sends it to its CPU's ring.
 */
#ifndef LAUDITD_EBPF_COMMON_BPF_H
#define LAUDITD_EBPF_COMMON_BPF_H

#include "ebpf/vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "ebpf/wire.h"
#include "ebpf/shared.h"
#include "ebpf/maps.bpf.h"
#include "ebpf/core_fixes.bpf.h"

#define LA_HDR	((__u32)sizeof(struct la_event))
#define LA_ITEM ((__u32)sizeof(struct la_item))
/* execve's argument area: at most this much is kept. */
#define LA_WALK_DEPTH 64

/* Items start 8-aligned: payloads are padded. */
static __always_inline __u64 la_align(__u64 pos)
{
	return (pos + 7) & ~7ULL;
}

/* Where items are being appended: a buffer, its fill and the record's flags. */
struct la_cursor {
	__u8 *data;
	__u64 pos;
	__u32 nitems;
	__u16 flags;
};

static __always_inline struct la_counts *la_counts_of(__s32 nr)
{
	__u32 key = nr >= 0 && nr < LA_NR_MAX ? nr : LA_NR_MAX - 1;

	return bpf_map_lookup_elem(&la_counters, &key);
}

/* Whether the calling thread is captured: not lauditd itself, not after shutdown began. */
static __always_inline int la_captured(void)
{
	__u32 key = 0;
	struct la_config *cfg = bpf_map_lookup_elem(&la_config, &key);

	return cfg && !cfg->stopped && (bpf_get_current_pid_tgid() >> 32) != cfg->self_tgid;
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
	struct la_stash *s;
	struct la_counts *c;

	if (!la_captured())
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
	s->ts_enter = bpf_ktime_get_boot_ns();
	s->nr = ctx->nr;
	/*
	 * From the saved registers rather than the tracepoint's record: that one
	 * has only the syscall's own arguments, and auditd logs a0..a3 from the
	 * registers whatever the syscall's arity.
	 */
	la_syscall_args(s->args);
	s->has_entry = 0;
	s->exec_script = 0;
	s->active = 1;
	return s;
}

/* Open an item at @pos, which the caller has checked against its bound. */
static __always_inline struct la_item *la_item_open(struct la_cursor *cur, __u64 pos, __u8 kind,
						    __u8 arg)
{
	struct la_item *it = (void *)(cur->data + pos);

	it->kind = kind;
	it->arg = arg;
	it->flags = 0;
	it->pad = 0;
	it->len = 0;
	cur->nitems++;
	return it;
}

static __always_inline void la_item_fault(struct la_cursor *cur, struct la_item *it)
{
	it->flags |= LA_IF_FAULT;
	cur->flags |= LA_F_FAULT;
}

/*
 * Append a NUL-terminated user string as an item.  @pos_max bounds where an
 * item may start, so that pos_max + LA_ITEM + LA_PATH_MAX + 1 fits the buffer.
 */
static __always_inline void la_put_ustr(struct la_cursor *cur, __u32 pos_max, __u8 kind, __u8 arg,
					const void *uptr)
{
	struct la_item *it;
	__u64 pos = cur->pos;
	long n;

	if (pos > pos_max) {
		cur->flags |= LA_F_NOSPACE;
		return;
	}
	it = la_item_open(cur, pos, kind, arg);
	n = bpf_probe_read_user_str(cur->data + pos + LA_ITEM, LA_PATH_MAX + 1, uptr);
	if (n <= 0) {
		la_item_fault(cur, it);
		n = 1;
	} else if (n > LA_PATH_MAX) {
		it->flags |= LA_IF_TRUNC;
		cur->flags |= LA_F_TRUNC;
		n = LA_PATH_MAX + 1;
	}
	it->len = n - 1;
	cur->pos = la_align(pos + LA_ITEM + it->len);
}

/* Append @len bytes (at most LA_SOCKADDR_MAX) of user memory as an item. */
static __always_inline void la_put_ubytes(struct la_cursor *cur, __u32 pos_max, __u8 kind, __u8 arg,
					  const void *uptr, __u64 len)
{
	struct la_item *it;
	__u64 pos = cur->pos;
	__u32 n = len;

	if (pos > pos_max) {
		cur->flags |= LA_F_NOSPACE;
		return;
	}
	it = la_item_open(cur, pos, kind, arg);
	if (len > LA_SOCKADDR_MAX) {
		n = LA_SOCKADDR_MAX;
		it->flags |= LA_IF_TRUNC;
		cur->flags |= LA_F_TRUNC;
	}
	/* hide n's range from the compiler so that the mask the verifier needs stays */
	barrier_var(n);
	n &= LA_SOCKADDR_MAX * 2 - 1;
	if (n && bpf_probe_read_user(cur->data + pos + LA_ITEM, n, uptr)) {
		la_item_fault(cur, it);
		n = 0;
	}
	it->len = n;
	cur->pos = la_align(pos + LA_ITEM + n);
}

/* Entry-time items: a per-CPU build area, committed to la_entries by la_entry_commit(). */
static __always_inline struct la_entry *la_entry_begin(struct la_cursor *cur)
{
	__u32 key = 0;
	struct la_entry *e = bpf_map_lookup_elem(&la_entry_scratch, &key);

	if (!e)
		return NULL;
	cur->data = e->data;
	cur->pos = 0;
	cur->nitems = 0;
	cur->flags = 0;
	return e;
}

static __always_inline void la_entry_commit(struct la_stash *s, struct la_entry *e,
					    struct la_cursor *cur)
{
	__u64 key = (__u64)bpf_get_current_task_btf();

	e->len = cur->pos;
	e->nitems = cur->nitems;
	e->flags = cur->flags;
	if (!bpf_map_update_elem(&la_entries, &key, e, BPF_ANY))
		s->has_entry = 1;
	else
		s->has_entry = 2; /* items lost: the record says so */
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
static __always_inline __u64 la_wake_flags(void *ring, struct la_config *cfg, __u32 size,
					   int urgent)
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
	if (avail < cfg->wakeup_bytes && avail + size >= cfg->wakeup_bytes)
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
	if (s->has_entry == 2) {
		cur->flags |= LA_F_NOSPACE;
		return b;
	}
	tkey = (__u64)bpf_get_current_task_btf();
	e = bpf_map_lookup_elem(&la_entries, &tkey);
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
	bpf_map_delete_elem(&la_entries, &tkey);
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
	__u32 key = 0, cpu = bpf_get_smp_processor_id();
	struct la_config *cfg;
	struct la_counts *c;
	struct la_event *ev;
	__u64 flags;
	void *ring;

	if (!s || !s->active || s->nr != nr || s->has_entry || cpu >= 256 ||
	    s->sent_exec_id != task->self_exec_id + 1 ||
	    !(s->sent_cpus[(cpu >> 6) & 3] & (1ULL << (cpu & 63))))
		return 0;
	ring = bpf_map_lookup_elem(&la_rings, &cpu);
	cfg = bpf_map_lookup_elem(&la_config, &key);
	c = la_counts_of(nr);
	if (!ring || !cfg || !c)
		return 0;
	s->active = 0;
	__sync_fetch_and_add(&c->n[LA_CNT_MADE], 1);
	flags = la_wake_flags(ring, cfg, LA_HDR, urgent);
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

struct la_walk {
	struct dentry *dentry;
	struct mount *mnt;
	__u32 pos; /* start of the assembled path in la_pathbuf */
	__u32 trunc;
};

/* One step of the walk from a dentry to the root, prepending "/name". */
static long la_walk_step(__u32 i, void *arg)
{
	struct la_walk *w = arg;
	struct dentry *d = w->dentry, *parent;
	struct mount *m = w->mnt;
	struct la_pathbuf *pb;
	struct qstr name;
	__u32 key = 0, len;

	if (d == BPF_CORE_READ(m, mnt.mnt_root)) {
		struct mount *up = BPF_CORE_READ(m, mnt_parent);

		if (up == m)
			return 1;
		w->dentry = BPF_CORE_READ(m, mnt_mountpoint);
		w->mnt = up;
		return 0;
	}
	parent = BPF_CORE_READ(d, d_parent);
	if (parent == d)
		return 1;
	name = BPF_CORE_READ(d, d_name);
	len = name.len & 255;
	if (len + 1 >= w->pos) {
		w->trunc = 1;
		return 1;
	}
	pb = bpf_map_lookup_elem(&la_pathbufs, &key);
	if (!pb)
		return 1;
	w->pos -= len;
	bpf_probe_read_kernel(pb->buf + (w->pos & (LA_PATH_MAX - 1)), len, name.name);
	w->pos -= 1;
	pb->buf[w->pos & (LA_PATH_MAX - 1)] = '/';
	w->dentry = parent;
	return 0;
}

/* Append the absolute path of @dentry on mount @vfsmnt as an item of @kind. */
static __always_inline void la_put_dpath(struct la_cursor *cur, __u32 pos_max, __u8 kind,
					 struct dentry *dentry, struct vfsmount *vfsmnt)
{
	struct la_walk w = {};
	struct la_pathbuf *pb;
	struct la_item *it;
	__u32 key = 0, len;
	__u64 pos = cur->pos;

	if (pos > pos_max) {
		cur->flags |= LA_F_NOSPACE;
		return;
	}
	pb = bpf_map_lookup_elem(&la_pathbufs, &key);
	if (!pb || !dentry || !vfsmnt)
		return;
	w.dentry = dentry;
	w.mnt = container_of(vfsmnt, struct mount, mnt);
	w.pos = LA_PATH_MAX;
	bpf_loop(LA_WALK_DEPTH, la_walk_step, &w, 0);
	it = la_item_open(cur, pos, kind, 0);
	if (w.pos == LA_PATH_MAX) {
		/* the root itself */
		w.pos -= 1;
		pb->buf[w.pos & (LA_PATH_MAX - 1)] = '/';
	}
	len = LA_PATH_MAX - w.pos;
	if (len > LA_PATH_MAX || w.trunc) {
		it->flags |= LA_IF_TRUNC;
		cur->flags |= LA_F_TRUNC;
	}
	len &= LA_PATH_MAX - 1;
	bpf_probe_read_kernel(cur->data + pos + LA_ITEM, len,
			      pb->buf + (w.pos & (LA_PATH_MAX - 1)));
	it->len = len;
	cur->pos = la_align(pos + LA_ITEM + len);
}

/* Append the absolute path of @f as an item. */
static __always_inline void la_put_file_path(struct la_cursor *cur, __u32 pos_max, __u8 kind,
					     struct file *f)
{
	if (f)
		la_put_dpath(cur, pos_max, kind, BPF_CORE_READ(f, f_path.dentry),
			     BPF_CORE_READ(f, f_path.mnt));
}

/*
 * Append the working directory (auditd's CWD record).  The walk from the
 * dentry to the root costs about as much as the rest of the record: a path of
 * up to LA_CWD_KEPT bytes is kept in the stash and reused while the task's cwd
 * dentry and mount stay the same and no rename happened anywhere.
 */
static __always_inline void la_put_cwd(struct la_cursor *cur, struct la_stash *s)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fs_struct *fs = task->fs;
	struct dentry *d;
	struct vfsmount *m;
	struct la_item *it;
	__u64 *renames, pos = cur->pos;
	__u32 key = 0, len;

	if (!fs)
		return;
	d = fs->pwd.dentry;
	m = fs->pwd.mnt;
	renames = bpf_map_lookup_elem(&la_renames, &key);
	if (!renames)
		return;
	if (s && s->cwd_len && s->cwd_dentry == (__u64)d && s->cwd_mnt == (__u64)m &&
	    s->cwd_renames == *renames) {
		if (pos > LA_POS_MAX) {
			cur->flags |= LA_F_NOSPACE;
			return;
		}
		len = s->cwd_len & (LA_CWD_KEPT * 2 - 1);
		if (len > LA_CWD_KEPT)
			return;
		it = la_item_open(cur, pos, LA_IT_CWD, 0);
		bpf_probe_read_kernel(cur->data + pos + LA_ITEM, len, s->cwd);
		it->len = len;
		cur->pos = la_align(pos + LA_ITEM + len);
		return;
	}
	la_put_dpath(cur, LA_POS_MAX, LA_IT_CWD, d, m);
	if (!s || cur->pos == pos || pos > LA_POS_MAX)
		return;
	it = (void *)(cur->data + pos);
	len = it->len;
	s->cwd_len = 0;
	if (it->flags || !len || len > LA_CWD_KEPT)
		return;
	bpf_probe_read_kernel(s->cwd, len & (LA_CWD_KEPT * 2 - 1), cur->data + pos + LA_ITEM);
	s->cwd_dentry = (__u64)d;
	s->cwd_mnt = (__u64)m;
	s->cwd_renames = *renames;
	s->cwd_len = len;
}

/* The open file behind descriptor @fd of the current task, or NULL. */
static __always_inline struct file *la_fd_file(__s64 fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds, *f = NULL;

	if (fd < 0 || !fdt || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&f, sizeof(f), fds + fd))
		return NULL;
	return f;
}

/* The directory a path relative to @dirfd starts from: the fd's, or the cwd for AT_FDCWD. */
static __always_inline struct dentry *la_base_dentry(__s32 dirfd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct file *f;

	if (dirfd == -100 /* AT_FDCWD */)
		return BPF_CORE_READ(task, fs, pwd.dentry);
	f = la_fd_file(dirfd);
	return f ? BPF_CORE_READ(f, f_path.dentry) : NULL;
}

/* Append @inode's attributes as a struct la_inode item. */
static __always_inline void la_put_inode(struct la_cursor *cur, __u32 pos_max, __u8 arg, __u8 role,
					 struct inode *inode)
{
	struct la_inode *li;
	struct la_item *it;
	__u64 pos = cur->pos;

	if (!inode)
		return;
	if (pos > pos_max) {
		cur->flags |= LA_F_NOSPACE;
		return;
	}
	it = la_item_open(cur, pos, LA_IT_INODE, arg);
	li = (void *)(cur->data + pos + LA_ITEM);
	li->ino = BPF_CORE_READ(inode, i_ino);
	li->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	li->rdev = BPF_CORE_READ(inode, i_rdev);
	li->uid = BPF_CORE_READ(inode, i_uid.val);
	li->gid = BPF_CORE_READ(inode, i_gid.val);
	li->mode = BPF_CORE_READ(inode, i_mode);
	li->role = role;
	__builtin_memset(li->pad, 0, sizeof(li->pad));
	it->len = sizeof(*li);
	cur->pos = la_align(pos + LA_ITEM + sizeof(*li));
}

/* Append the target of a signal or ptrace attach, if task @pid exists. */
static __always_inline void la_put_objpid(struct la_cursor *cur, __u32 pos_max, __s32 pid)
{
	struct task_struct *t;
	struct la_objpid *op;
	struct la_item *it;
	__u64 pos = cur->pos;

	if (pid <= 0)
		return;
	if (pos > pos_max) {
		cur->flags |= LA_F_NOSPACE;
		return;
	}
	t = bpf_task_from_pid(pid);
	if (!t)
		return;
	it = la_item_open(cur, pos, LA_IT_OBJPID, LA_ARG_NONE);
	op = (void *)(cur->data + pos + LA_ITEM);
	op->pid = t->tgid;
	op->auid = la_task_auid(t);
	op->ses = la_task_ses(t);
	op->uid = BPF_CORE_READ(t, real_cred, uid.val);
	bpf_probe_read_kernel_str(op->comm, sizeof(op->comm), t->comm);
	bpf_task_release(t);
	it->len = sizeof(*op);
	cur->pos = la_align(pos + LA_ITEM + sizeof(*op));
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
	__u32 key = 0, cpu = b->ev.cpu, size;
	struct la_config *cfg;
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
	cfg = bpf_map_lookup_elem(&la_config, &key);
	if (!ring || !cfg) {
		__sync_fetch_and_add(&c->n[LA_CNT_RING_FULL], 1);
		return;
	}
	/*
	 * A wake-up is an IPI (in a VM, a trapped MSR write): wake the consumer
	 * when this record makes the ring cross the threshold, not for every record
	 * above it.  The consumer empties the ring once woken.
	 */
	flags = la_wake_flags(ring, cfg, size, urgent);
	if (bpf_ringbuf_output(ring, b, size, flags)) {
		__sync_fetch_and_add(&c->n[LA_CNT_RING_FULL], 1);
		return;
	}
	if (bit)
		s->sent_cpus[(cpu >> 6) & 3] |= bit;
}

/*
 * A sockaddr the kernel returned: it writes at most the buffer's size (@cap, read
 * at entry) but sets the length to the address's full size (@len): keep what it
 * wrote, and flag the cut.
 */
static __always_inline void la_put_peer(struct la_cursor *cur, __u8 arg, const void *uaddr,
					__s32 len, __s32 cap)
{
	__u64 pos;

	if (len <= 0 || cap <= 0)
		return;
	if (len <= cap) {
		la_put_ubytes(cur, LA_POS_MAX, LA_IT_PEER, arg, uaddr, len);
		return;
	}
	pos = cur->pos;
	la_put_ubytes(cur, LA_POS_MAX, LA_IT_PEER, arg, uaddr, cap);
	if (cur->pos != pos && pos <= LA_POS_MAX) {
		struct la_item *it = (void *)(cur->data + pos);

		it->flags |= LA_IF_TRUNC;
		cur->flags |= LA_F_TRUNC;
	}
}

/*
 * Programs for the common shapes.  Each takes the syscall's name as in its
 * tracepoints; the exit program sends the record, urgent or not.
 */
#define LA_ENTER_PLAIN(name)                          \
	SEC("tracepoint/syscalls/sys_enter_" #name)   \
	int la_enter_##name(struct la_sys_enter *ctx) \
	{                                             \
		la_enter(ctx);                        \
		return 0;                             \
	}

#define LA_EXIT_PLAIN(name, urgent)                             \
	SEC("tracepoint/syscalls/sys_exit_" #name)              \
	int la_exit_##name(struct la_sys_exit *ctx)             \
	{                                                       \
		struct la_stash *s = la_stash_get();            \
		struct la_cursor cur;                           \
		struct la_buf *b;                               \
                                                                \
		if (la_exit_fast(s, ctx->nr, ctx->ret, urgent)) \
			return 0;                               \
		b = la_exit_begin(s, ctx->nr, ctx->ret, &cur);  \
		if (b)                                          \
			la_emit(b, &cur, s, urgent);            \
		return 0;                                       \
	}

/* A syscall whose pointer arguments are not decoded. */
#define LA_SYSCALL_PLAIN(name, urgent) \
	LA_ENTER_PLAIN(name)           \
	LA_EXIT_PLAIN(name, urgent)

/*
 * An entry program whose syscall reads items of its own at entry: @hook(ctx, cur)
 * appends them; they wait in la_entries until the exit program sends the record.
 */
#define LA_ENTER_HOOKED(name, hook)                    \
	SEC("tracepoint/syscalls/sys_enter_" #name)    \
	int la_enter_##name(struct la_sys_enter *ctx)  \
	{                                              \
		struct la_stash *s = la_enter(ctx);    \
		struct la_cursor cur;                  \
		struct la_entry *e;                    \
                                                       \
		if (!s || !(e = la_entry_begin(&cur))) \
			return 0;                      \
		hook(ctx, &cur);                       \
		if (cur.nitems)                        \
			la_entry_commit(s, e, &cur);   \
		return 0;                              \
	}

/* The attributes of the directory that path argument @arg starts from (@dirfd's). */
static __always_inline void la_put_base(struct la_cursor *cur, __u8 arg, __s32 dirfd)
{
	struct dentry *base = la_base_dentry(dirfd);

	/* small: it may follow a path that ends at LA_ENTRY_POS_MAX */
	if (base)
		la_put_inode(cur, LA_ENTRY_INODE_POS_MAX, arg, LA_INO_BASE,
			     BPF_CORE_READ(base, d_inode));
}

/* The entry program of a syscall with path strings in arguments @p1 and (if >= 0) @p2. */
#define LA_ENTER_PATHS(name, p1, p2)                                                       \
	static __always_inline void la_paths_##name(struct la_sys_enter *ctx,              \
						    struct la_cursor *cur)                 \
	{                                                                                  \
		la_put_ustr(cur, LA_ENTRY_POS_MAX, LA_IT_PATH, p1, (void *)ctx->args[p1]); \
		if (p2 >= 0)                                                               \
			la_put_ustr(cur, LA_ENTRY_POS_MAX, LA_IT_PATH, p2,                 \
				    (void *)ctx->args[(p2)&7]);                            \
	}                                                                                  \
	LA_ENTER_HOOKED(name, la_paths_##name)

/* A path (argument @arg) and the attributes of the directory it starts from. */
static __always_inline void la_put_path_base(struct la_sys_enter *ctx, struct la_cursor *cur,
					     __u8 arg, __s32 dirfd)
{
	la_put_ustr(cur, LA_ENTRY_POS_MAX, LA_IT_PATH, arg, (void *)ctx->args[arg & 7]);
	la_put_base(cur, arg, dirfd);
}

/* Exit hook of the syscalls that name files: the working directory. */
static __always_inline void la_cwd_hook(struct la_sys_exit *ctx, struct la_cursor *cur,
					struct la_buf *b, struct la_stash *s)
{
	la_put_cwd(cur, s);
}

/* A syscall with path strings in arguments @p1 and (if >= 0) @p2, read at entry. */
#define LA_SYSCALL_PATHS(name, p1, p2) \
	LA_ENTER_PATHS(name, p1, p2)   \
	LA_EXIT_HOOKED(name, 0, la_cwd_hook)

/* The entry program of a syscall passing a sockaddr in argument @addr of length argument @alen. */
#define LA_ENTER_SOCKADDR(name, addr, alen)                                 \
	SEC("tracepoint/syscalls/sys_enter_" #name)                         \
	int la_enter_##name(struct la_sys_enter *ctx)                       \
	{                                                                   \
		struct la_stash *s = la_enter(ctx);                         \
		struct la_cursor cur;                                       \
		struct la_entry *e;                                         \
                                                                            \
		if (!s || !ctx->args[addr] || !(e = la_entry_begin(&cur)))  \
			return 0;                                           \
		la_put_ubytes(&cur, LA_ENTRY_POS_MAX, LA_IT_SOCKADDR, addr, \
			      (void *)ctx->args[addr], ctx->args[alen]);    \
		la_entry_commit(s, e, &cur);                                \
		return 0;                                                   \
	}

/* A syscall passing a sockaddr in argument @addr of length argument @alen. */
#define LA_SYSCALL_SOCKADDR(name, addr, alen) \
	LA_ENTER_SOCKADDR(name, addr, alen)   \
	LA_EXIT_PLAIN(name, 0)

#define LA_AF_UNIX 1

/*
 * Whether the sockaddr of @len bytes at user address @uaddr names a unix socket
 * by a path (not an abstract name): the kernel then looks the path up.
 */
static __always_inline int la_unix_path(__u64 uaddr, __u64 len)
{
	char head[3] = {};

	return len > 2 && !bpf_probe_read_user(head, sizeof(head), (void *)uaddr) &&
	       head[0] == LA_AF_UNIX && !head[1] && head[2];
}

/* The inode of the file a unix socket @sk is bound to, or NULL. */
static __always_inline struct inode *la_unix_inode(struct sock *sk)
{
	/* struct unix_sock begins with its struct sock */
	return sk ? BPF_CORE_READ((struct unix_sock *)sk, path.dentry, d_inode) : NULL;
}

/* The struct sock behind socket descriptor @fd, or NULL. */
static __always_inline struct sock *la_fd_sock(__s32 fd)
{
	struct file *f = la_fd_file(fd);
	struct socket *sock = f ? BPF_CORE_READ(f, private_data) : NULL;

	return sock ? BPF_CORE_READ(sock, sk) : NULL;
}

/*
 * An exit program whose syscall adds items of its own at exit: @hook(ctx, cur, b)
 * appends them to the record before it is sent.
 */
#define LA_EXIT_HOOKED(name, urgent, hook)                                    \
	SEC("tracepoint/syscalls/sys_exit_" #name)                            \
	int la_exit_##name(struct la_sys_exit *ctx)                           \
	{                                                                     \
		struct la_stash *s = la_stash_get();                          \
		struct la_cursor cur;                                         \
		struct la_buf *b = la_exit_begin(s, ctx->nr, ctx->ret, &cur); \
                                                                              \
		if (!b)                                                       \
			return 0;                                             \
		hook(ctx, &cur, b, s);                                        \
		la_emit(b, &cur, s, urgent);                                  \
		return 0;                                                     \
	}

/*
 * A syscall returning a sockaddr through argument @addr with its length through
 * the int pointed to by argument @alenp: the buffer's size is read at entry, the
 * address at exit, when the kernel has filled it.
 */
#define LA_SYSCALL_PEER(name, addr, alenp)                                                         \
	SEC("tracepoint/syscalls/sys_enter_" #name)                                                \
	int la_enter_##name(struct la_sys_enter *ctx)                                              \
	{                                                                                          \
		struct la_stash *s = la_enter(ctx);                                                \
		__s32 cap = 0;                                                                     \
                                                                                                   \
		if (s && ctx->args[alenp])                                                         \
			bpf_probe_read_user(&cap, sizeof(cap), (void *)ctx->args[alenp]);          \
		if (s)                                                                             \
			s->peer_cap = cap;                                                         \
		return 0;                                                                          \
	}                                                                                          \
                                                                                                   \
	static __always_inline void la_peer_##name(struct la_sys_exit *ctx, struct la_cursor *cur, \
						   struct la_buf *b, struct la_stash *s)           \
	{                                                                                          \
		__s32 alen = 0;                                                                    \
                                                                                                   \
		if (ctx->ret >= 0 && b->ev.args[addr] && b->ev.args[alenp] &&                      \
		    !bpf_probe_read_user(&alen, sizeof(alen), (void *)b->ev.args[alenp]))          \
			la_put_peer(cur, addr, (void *)b->ev.args[addr], alen, s->peer_cap);       \
	}                                                                                          \
	LA_EXIT_HOOKED(name, 0, la_peer_##name)

/* A syscall returning two fds through the int[2] in argument @fds. */
#define LA_SYSCALL_FDS(name, fds)                                                                 \
	LA_ENTER_PLAIN(name)                                                                      \
	static __always_inline void la_fds_##name(struct la_sys_exit *ctx, struct la_cursor *cur, \
						  struct la_buf *b, struct la_stash *s)           \
	{                                                                                         \
		if (ctx->ret == 0)                                                                \
			la_put_ubytes(cur, LA_POS_MAX, LA_IT_FDS, fds, (void *)b->ev.args[fds],   \
				      2 * sizeof(__s32));                                         \
	}                                                                                         \
	LA_EXIT_HOOKED(name, 0, la_fds_##name)

#endif /* LAUDITD_EBPF_COMMON_BPF_H */
