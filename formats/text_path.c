/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The PATH items of auditd's records: which objects a syscall named or reached,
 * with which nametype (NORMAL, PARENT, CREATE, DELETE, UNKNOWN), in the order the
 * kernel's name lookups log them.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <sys/socket.h>

#include "formats/text_path.h"

/* The inode item of @role for argument @arg (LA_ARG_NONE: any), or NULL. */
static const struct la_inode *inode_of(const struct la_event *ev, int role, int arg)
{
	const struct la_item *it = NULL;

	while ((it = wire_item(ev, LA_IT_INODE, it))) {
		const struct la_inode *in = (const void *)wire_payload(it);

		if (it->len >= sizeof(*in) && in->role == role &&
		    (arg == LA_ARG_NONE || it->arg == arg))
			return in;
	}
	return NULL;
}

static void path_add(struct path_set *ps, const char *name, size_t len, const struct la_inode *ino,
		     const char *nametype)
{
	/* an object the kernel did not collect (filesystem list): its name only */
	if (ino && ino->fs_never) {
		ino = NULL;
		nametype = "UNKNOWN";
	}
	if (ps->n < PATH_RECS_MAX)
		ps->r[ps->n++] = (struct path_rec){name, len, ino, nametype, 0};
}

/*
 * The kernel's parent_len(): the length of @path's directory part with its last
 * slash, trailing slashes disregarded; 0 when it has none.
 */
static size_t parent_len(const char *path, size_t len)
{
	const char *p;

	if (!len)
		return 0;
	p = path + len - 1;
	while (*p == '/' && p > path)
		p--;
	while (*p != '/' && p > path)
		p--;
	if (*p == '/')
		p++;
	return p - path;
}

/*
 * A PARENT record for path @name (@len bytes) of argument @arg: named by its
 * directory part, or (no slash) by the working directory, as the kernel does;
 * its attributes are @ino, or the directory the path started from when the name
 * has no slash.
 */
static void path_parent(struct path_set *ps, const struct la_event *ev, const char *name,
			size_t len, int arg, const struct la_inode *ino)
{
	const struct la_item *cwd = item_of(ev, LA_IT_CWD, LA_ARG_NONE);
	size_t plen = name ? parent_len(name, len) : 0;

	if (plen) {
		path_add(ps, name, plen, ino, "PARENT");
		return;
	}
	if (!ino && name)
		ino = inode_of(ev, LA_INO_BASE, arg);
	if (cwd)
		path_add(ps, wire_payload(cwd), cwd->len, ino, "PARENT");
	else
		path_add(ps, NULL, 0, ino, "PARENT");
}

/* path_parent() for a path item, which may be missing. */
static void path_parent_of(struct path_set *ps, const struct la_event *ev,
			   const struct la_item *path, const struct la_inode *ino)
{
	if (path)
		path_parent(ps, ev, wire_payload(path), path->len, path->arg, ino);
	else
		path_parent(ps, ev, NULL, 0, LA_ARG_NONE, ino);
}

static void path_named(struct path_set *ps, const struct la_item *path, const struct la_inode *ino,
		       const char *nametype)
{
	if (path)
		path_add(ps, wire_payload(path), path->len, ino, nametype);
}

static int failed(const struct la_event *ev)
{
	return ev->ret < 0 && ev->ret >= -4095;
}

/* A lookup that found nothing: the kernel's nametype=UNKNOWN. */
static int not_found(const struct la_event *ev)
{
	return ev->ret == -ENOENT || ev->ret == -ENOTDIR;
}

/*
 * The path a unix socket address (argument 1) names, when the programs found it
 * named a file (they recorded the working directory then; not for an abstract
 * name).  Return: 1 with @name and @len set, or 0.
 */
static int unix_path_of(const struct la_event *ev, const char **name, size_t *len)
{
	const struct la_item *sa = item_of(ev, LA_IT_SOCKADDR, 1);
	const char *d;

	if (!sa || sa->len <= 2 || !item_of(ev, LA_IT_CWD, LA_ARG_NONE))
		return 0;
	d = wire_payload(sa);
	if (d[0] != AF_UNIX || d[1] || !d[2])
		return 0;
	*name = d + 2;
	*len = strnlen(d + 2, sa->len - 2);
	return 1;
}

/* open, creat, openat, openat2: the file, or its directory and the file created. */
static void path_open(struct path_set *ps, const struct la_event *ev, int a)
{
	const struct la_item *p0 = item_of(ev, LA_IT_PATH, a);

	if (inode_of(ev, LA_INO_CREATE, a)) {
		path_parent_of(ps, ev, p0, inode_of(ev, LA_INO_PARENT, a));
		path_named(ps, p0, inode_of(ev, LA_INO_CREATE, a), "CREATE");
	} else if (!failed(ev) || ev->ret == -EEXIST) {
		path_named(ps, p0, inode_of(ev, LA_INO_NORMAL, a), "NORMAL");
	} else {
		path_named(ps, p0, NULL, "UNKNOWN");
	}
}

/* connect and bind of a unix socket named by a file. */
static void path_unix(struct path_set *ps, const struct la_event *ev)
{
	const char *name;
	size_t len;

	if (!unix_path_of(ev, &name, &len))
		return;
	if (ev->nr == NR_CONNECT) {
		path_add(ps, name, len, inode_of(ev, LA_INO_NORMAL, 1),
			 not_found(ev) ? "UNKNOWN" : "NORMAL");
		return;
	}
	path_parent(ps, ev, name, len, 1, NULL);
	if (inode_of(ev, LA_INO_CREATE, 1))
		path_add(ps, name, len, inode_of(ev, LA_INO_CREATE, 1), "CREATE");
}

/*
 * execve, execveat: the file, or a script and the interpreter that runs it (the
 * exe), then the ELF loader.
 */
static void path_exec(struct path_set *ps, const struct la_event *ev, int a,
		      const struct text_ident *id)
{
	const struct la_item *p0 = item_of(ev, LA_IT_PATH, a), *p1;
	const struct la_inode *script = inode_of(ev, LA_INO_SCRIPT, a);

	if (failed(ev)) {
		path_named(ps, p0, NULL, not_found(ev) ? "UNKNOWN" : "NORMAL");
		return;
	}
	if (script) {
		path_named(ps, p0, NULL, "NORMAL");
		if ((p1 = item_of(ev, LA_IT_BINFMT, LA_ARG_NONE)))
			path_add(ps, wire_payload(p1), p1->len, script, "NORMAL");
		else if (id && id->exe)
			path_add(ps, id->exe, id->exe_len, script, "NORMAL");
	} else {
		path_named(ps, p0, inode_of(ev, LA_INO_NORMAL, a), "NORMAL");
	}
	if ((p1 = item_of(ev, LA_IT_INTERP, LA_ARG_NONE)))
		path_add(ps, wire_payload(p1), p1->len, inode_of(ev, LA_INO_INTERP, LA_ARG_NONE),
			 "NORMAL");
}

/* rename, renameat, renameat2: both directories, then the old and the new name. */
static void path_rename(struct path_set *ps, const struct la_event *ev, int a, int b)
{
	const struct la_item *p0 = item_of(ev, LA_IT_PATH, a), *p1 = item_of(ev, LA_IT_PATH, b);

	path_parent_of(ps, ev, p1, NULL);
	path_parent_of(ps, ev, p0, NULL);
	if (!failed(ev)) {
		path_named(ps, p0, NULL, "DELETE");
		path_named(ps, p1, NULL, "CREATE");
	}
}

/* A path that was looked up: NORMAL, or UNKNOWN when it was not found. */
static void path_lookup(struct path_set *ps, const struct la_event *ev, const struct la_item *path)
{
	path_named(ps, path, NULL, not_found(ev) ? "UNKNOWN" : "NORMAL");
}

/* The kernel's MS_BIND and MS_MOVE: mount looks its source up as a path */
#define MOUNT_SOURCE_PATH (4096 | 8192)

/*
 * The syscalls outside the families (ebpf/paths.h): path p and q, as the kernel's
 * name lookups log them.  A lookup that found nothing is taken to be the first
 * one's: link's old name, mount's source.
 */
static void path_other(struct path_set *ps, const struct la_event *ev)
{
	struct la_path_spec sp = la_path_spec(ev->nr);
	const struct la_item *p = item_of(ev, LA_IT_PATH, sp.p), *q = item_of(ev, LA_IT_PATH, sp.q);
	int exists = ev->ret == -EEXIST;

	switch (sp.shape) {
	case LA_PS_LOOKUP:
		path_lookup(ps, ev, p);
		break;
	case LA_PS_MOUNTPOINT:
		path_lookup(ps, ev, p);
		if (ps->n)
			ps->r[ps->n - 1].noeval = 1;
		break;
	case LA_PS_LOOKUP2:
		path_lookup(ps, ev, p);
		path_lookup(ps, ev, q);
		break;
	case LA_PS_MOUNT:
		if (!(ev->args[3] & MOUNT_SOURCE_PATH)) {
			path_lookup(ps, ev, q);
			break;
		}
		path_named(ps, q, NULL, "NORMAL");
		path_lookup(ps, ev, p);
		break;
	case LA_PS_CREATE:
		if (not_found(ev)) {
			path_named(ps, p, NULL, "UNKNOWN");
			break;
		}
		path_parent_of(ps, ev, p, NULL);
		if (!exists)
			path_named(ps, p, NULL, "CREATE");
		break;
	case LA_PS_SYMLINK:
		if (not_found(ev)) {
			path_named(ps, q, NULL, "UNKNOWN");
			path_named(ps, p, NULL, "UNKNOWN");
			break;
		}
		path_parent_of(ps, ev, q, NULL);
		path_named(ps, p, NULL, "UNKNOWN");
		if (!exists)
			path_named(ps, q, NULL, "CREATE");
		break;
	case LA_PS_LINK:
		if (not_found(ev)) {
			path_named(ps, q, NULL, "UNKNOWN");
			path_named(ps, p, NULL, "UNKNOWN");
			break;
		}
		path_parent_of(ps, ev, q, NULL);
		path_named(ps, p, NULL, "NORMAL");
		if (!exists)
			path_named(ps, q, NULL, "CREATE");
		break;
	case LA_PS_FD:
		if (inode_of(ev, LA_INO_NORMAL, LA_ARG_NONE))
			path_add(ps, NULL, 0, inode_of(ev, LA_INO_NORMAL, LA_ARG_NONE), "NORMAL");
		break;
	}
}

void text_path_records(struct path_set *ps, const struct la_event *ev, const struct text_ident *id)
{
	const struct la_item *p0;

	ps->n = 0;
	switch (ev->nr) {
	case NR_OPENAT:
	case NR_OPENAT2:
		path_open(ps, ev, 1);
		break;
	case NR_OPEN:
	case NR_CREAT:
		path_open(ps, ev, 0);
		break;
	case NR_CONNECT:
	case NR_BIND:
		path_unix(ps, ev);
		break;
	case NR_FCHMODAT:
	case NR_FCHOWNAT:
	case NR_CHMOD:
	case NR_CHOWN:
	case NR_LCHOWN:
	case NR_TRUNCATE:
		path_named(ps,
			   item_of(ev, LA_IT_PATH, ev->nr == NR_FCHMODAT || ev->nr == NR_FCHOWNAT),
			   NULL, not_found(ev) ? "UNKNOWN" : "NORMAL");
		break;
	case NR_EXECVEAT:
	case NR_EXECVE:
		path_exec(ps, ev, ev->nr == NR_EXECVEAT, id);
		break;
	case NR_FCHMOD:
	case NR_FCHOWN:
		if (inode_of(ev, LA_INO_NORMAL, LA_ARG_NONE))
			path_add(ps, NULL, 0, inode_of(ev, LA_INO_NORMAL, LA_ARG_NONE), "NORMAL");
		break;
	case NR_UNLINKAT:
	case NR_UNLINK:
	case NR_RMDIR:
		p0 = item_of(ev, LA_IT_PATH, ev->nr == NR_UNLINKAT);
		path_parent_of(ps, ev, p0, NULL);
		if (ev->ret != -ENOENT)
			path_named(ps, p0, NULL, "DELETE");
		break;
	case NR_RENAMEAT:
	case NR_RENAMEAT2:
		path_rename(ps, ev, 1, 3);
		break;
	case NR_RENAME:
		path_rename(ps, ev, 0, 1);
		break;
	default:
		path_other(ps, ev);
		break;
	}
}
