/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Which PATH records auditd writes for a syscall (text_path.c), for the text
 * encoder (text.c) to write, and for the rules' object fields to be tried on
 * (conf/rules_watch.c).
 */
#ifndef LAUDITD_FORMATS_TEXT_PATH_H
#define LAUDITD_FORMATS_TEXT_PATH_H

#include <stddef.h>
#include <sys/syscall.h>

#include "ebpf/paths.h"
#include "formats/text.h"
#include "formats/wire.h"

/* Syscalls whose records (text.c) or PATH items (text_path.c) depend on the syscall */
enum {
	NR_OPEN = __NR_open,
	NR_MMAP = __NR_mmap,
	NR_PIPE = __NR_pipe,
	NR_SOCKETPAIR = __NR_socketpair,
	NR_CONNECT = __NR_connect,
	NR_BIND = __NR_bind,
	NR_EXECVE = __NR_execve,
	NR_TRUNCATE = __NR_truncate,
	NR_RENAME = __NR_rename,
	NR_RMDIR = __NR_rmdir,
	NR_CREAT = __NR_creat,
	NR_UNLINK = __NR_unlink,
	NR_CHMOD = __NR_chmod,
	NR_FCHMOD = __NR_fchmod,
	NR_CHOWN = __NR_chown,
	NR_FCHOWN = __NR_fchown,
	NR_LCHOWN = __NR_lchown,
	NR_OPENAT = __NR_openat,
	NR_FCHOWNAT = __NR_fchownat,
	NR_UNLINKAT = __NR_unlinkat,
	NR_RENAMEAT = __NR_renameat,
	NR_FCHMODAT = __NR_fchmodat,
	NR_PIPE2 = __NR_pipe2,
	NR_RENAMEAT2 = __NR_renameat2,
	NR_EXECVEAT = __NR_execveat,
	NR_OPENAT2 = __NR_openat2,
};

/* The first item of @kind from argument @arg (LA_ARG_NONE: any), or NULL. */
static inline const struct la_item *item_of(const struct la_event *ev, unsigned int kind, int arg)
{
	const struct la_item *it = NULL;

	while ((it = wire_item(ev, kind, it)))
		if (arg == LA_ARG_NONE || it->arg == arg)
			return it;
	return NULL;
}

/* One PATH record to write. */
struct path_rec {
	const char *name; /* NULL: name=(null) */
	size_t len;
	const struct la_inode *ino; /* NULL: attributes unknown, left out */
	const char *nametype;
	int noeval; /* the file capabilities were not evaluated: cap_fe=? ... */
};

#define PATH_RECS_MAX 6

struct path_set {
	struct path_rec r[PATH_RECS_MAX];
	unsigned int n;
};

/*
 * text_path_records() - the PATH records auditd writes for @ev, in the kernel's
 * order, into @ps; @id: its exe (a script's interpreter).
 */
void text_path_records(struct path_set *ps, const struct la_event *ev, const struct text_ident *id);

#endif /* LAUDITD_FORMATS_TEXT_PATH_H */
