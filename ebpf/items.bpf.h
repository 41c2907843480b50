/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Items: appending a record's decoded arguments (strings, sockaddrs, paths
 * walked from dentries, the working directory, inode attributes, signal
 * targets) at a cursor, each bounded so that the verifier sees it fit.
 */
#ifndef LAUDITD_EBPF_ITEMS_BPF_H
#define LAUDITD_EBPF_ITEMS_BPF_H

#include "ebpf/vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "ebpf/wire.h"
#include "ebpf/maps.bpf.h"
#include "ebpf/core_fixes.bpf.h"

#define LA_ITEM ((__u32)sizeof(struct la_item))
/* A path walk climbs at most this many directories (bpf_loop's bound). */
#define LA_WALK_DEPTH 64
/* include/uapi/linux/fcntl.h: the UAPI header cannot be included beside vmlinux.h. */
#define LA_AT_FDCWD (-100)

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
	/* execve's are refilled once the image is loaded (la_exec_loaded): always big */
	if (cur->pos <= LA_ENTRY_SMALL && s->nr != __NR_execve && s->nr != __NR_execveat) {
		if (!bpf_map_update_elem(&la_entries_small, &key, e, BPF_ANY))
			s->has_entry = LA_AT_SMALL;
		else
			s->has_entry = LA_AT_LOST;
		return;
	}
	if (!bpf_map_update_elem(&la_entries, &key, e, BPF_ANY))
		s->has_entry = LA_AT_BIG;
	else
		s->has_entry = LA_AT_LOST;
}

/*
 * The calling thread's entry-time items, as la_entry_commit() left them: a
 * struct la_entry, or the head of one (struct la_entry_small, len at most
 * LA_ENTRY_SMALL).  NULL when there are none.
 */
static __always_inline struct la_entry *la_entry_get(struct la_stash *s, __u64 tkey)
{
	if (s->has_entry == LA_AT_SMALL)
		return bpf_map_lookup_elem(&la_entries_small, &tkey);
	if (s->has_entry == LA_AT_BIG)
		return bpf_map_lookup_elem(&la_entries, &tkey);
	return NULL;
}

/* Drop the calling thread's entry-time items. */
static __always_inline void la_entry_drop(struct la_stash *s, __u64 tkey)
{
	if (s->has_entry == LA_AT_SMALL)
		bpf_map_delete_elem(&la_entries_small, &tkey);
	else if (s->has_entry == LA_AT_BIG)
		bpf_map_delete_elem(&la_entries, &tkey);
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

	if (dirfd == LA_AT_FDCWD)
		return BPF_CORE_READ(task, fs, pwd.dentry);
	f = la_fd_file(dirfd);
	return f ? BPF_CORE_READ(f, f_path.dentry) : NULL;
}

/*
 * la_fs_never_match() - whether a never rule of the filesystem list selects a
 * filesystem of magic @magic (ebpf/rules.bpf.c): 1 or 0.
 */
int la_fs_never_match(__u32 magic);

/*
 * Append @inode's attributes as a struct la_inode item; marked fs_never, with no
 * attributes, when a never rule of the filesystem list selects its filesystem.
 */
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
	__builtin_memset(li->pad, 0, sizeof(li->pad));
	li->role = role;
	it->len = sizeof(*li);
	cur->pos = la_align(pos + LA_ITEM + sizeof(*li));
	li->fs_never = la_fs_never_n && la_fs_never_match(BPF_CORE_READ(inode, i_sb, s_magic));
	if (li->fs_never) {
		li->ino = 0;
		li->dev = 0;
		li->rdev = 0;
		li->uid = 0;
		li->gid = 0;
		li->mode = 0;
		return;
	}
	li->ino = BPF_CORE_READ(inode, i_ino);
	li->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	li->rdev = BPF_CORE_READ(inode, i_rdev);
	li->uid = BPF_CORE_READ(inode, i_uid.val);
	li->gid = BPF_CORE_READ(inode, i_gid.val);
	li->mode = BPF_CORE_READ(inode, i_mode);
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

/* The attributes of the directory that path argument @arg starts from (@dirfd's). */
static __always_inline void la_put_base(struct la_cursor *cur, __u8 arg, __s32 dirfd)
{
	struct dentry *base = la_base_dentry(dirfd);

	/* small: it may follow a path that ends at LA_ENTRY_POS_MAX */
	if (base)
		la_put_inode(cur, LA_ENTRY_INODE_POS_MAX, arg, LA_INO_BASE,
			     BPF_CORE_READ(base, d_inode));
}

/* A path (argument @arg) and the attributes of the directory it starts from. */
static __always_inline void la_put_path_base(struct la_sys_enter *ctx, struct la_cursor *cur,
					     __u8 arg, __s32 dirfd)
{
	la_put_ustr(cur, LA_ENTRY_POS_MAX, LA_IT_PATH, arg, (void *)ctx->args[arg & 7]);
	la_put_base(cur, arg, dirfd);
}

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

#endif /* LAUDITD_EBPF_ITEMS_BPF_H */
