/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Which PATH records auditd writes for a syscall (text_path.c), for the text
 * encoder (text.c) to write.  Private to formats/.
 */
#ifndef LAUDITD_FORMATS_TEXT_PATH_H
#define LAUDITD_FORMATS_TEXT_PATH_H

#include <stddef.h>

#include "formats/text.h"
#include "formats/wire.h"

/* x86-64 syscall numbers whose records (text.c) or PATH items (text_path.c) depend on the syscall */
enum {
	NR_OPEN = 2,
	NR_MMAP = 9,
	NR_PIPE = 22,
	NR_SOCKETPAIR = 53,
	NR_CONNECT = 42,
	NR_BIND = 49,
	NR_EXECVE = 59,
	NR_TRUNCATE = 76,
	NR_RENAME = 82,
	NR_RMDIR = 84,
	NR_CREAT = 85,
	NR_UNLINK = 87,
	NR_CHMOD = 90,
	NR_FCHMOD = 91,
	NR_CHOWN = 92,
	NR_FCHOWN = 93,
	NR_LCHOWN = 94,
	NR_OPENAT = 257,
	NR_FCHOWNAT = 260,
	NR_UNLINKAT = 263,
	NR_RENAMEAT = 264,
	NR_FCHMODAT = 268,
	NR_PIPE2 = 293,
	NR_RENAMEAT2 = 316,
	NR_EXECVEAT = 322,
	NR_OPENAT2 = 437,
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
