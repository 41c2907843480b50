/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The rules' fields on the objects a syscall reached, and the exclude list, decided on
 * a record in user space.
 *
 * The programs evaluate a rule's fields of the task and of the syscall (ebpf/rules.h)
 * and fail open on the others: a rule with a watch (-w, path=, dir=), inode=,
 * filetype=, obj_uid=, obj_gid=, devmajor=, devminor= or exe= selects the syscall
 * there when its other fields match.  Here the record's objects, as auditd's PATH
 * records name them (formats/text_path.h), decide: the kernel's audit_filter_rules()
 * on its audit_names, the first rule in the list's order that matches deciding.
 *
 * A path watch follows its name as the kernel's watch does (kernel/audit_watch.c):
 * an object matches it by the inode the path leads to, or as the name in the watched
 * directory (the PARENT object's inode and the path's last component, or the whole
 * path), and a record that names it so has the watch's inode looked up again.  A dir
 * rule covers the subtree (kernel/audit_tree.c): an object whose path is the
 * directory or under it, or whose inode is the directory's.
 *
 * The exclude list (-a always,exclude / never,exclude) names record types that are
 * left out of the log, as the kernel's audit_log_start() leaves them: the first
 * exclude rule that matches a record type and the task drops it, whatever its action.
 *
 * Pure: the paths are looked up through the caller's function.
 */
#ifndef LAUDITD_CONF_RULES_WATCH_H
#define LAUDITD_CONF_RULES_WATCH_H

#include <stddef.h>
#include <stdint.h>

#include "conf/rules.h"
#include "conf/rules_bpf.h"
#include "formats/text.h"

/*
 * Look @path up as stat() does: 0 with @dev (the kernel's dev_t: major << 20 | minor)
 * and @ino set, or a negative errno.
 */
typedef int (*rules_watch_stat_fn)(const char *path, uint32_t *dev, uint64_t *ino);

struct rules_watch;

/* The record types of a syscall event that the exclude list may leave out (bits) */
enum rules_watch_type {
	RW_SYSCALL = 1 << 0,
	RW_PATH = 1 << 1,
	RW_CWD = 1 << 2,
	RW_EXECVE = 1 << 3,
	RW_PROCTITLE = 1 << 4,
	RW_SOCKADDR = 1 << 5,
	RW_OBJ_PID = 1 << 6,
	RW_FD_PAIR = 1 << 7,
	RW_MMAP = 1 << 8,
};

/*
 * rules_watch_compile() - the object fields of the exit-list rules of @s (in the order
 * rules_bpf_compile() numbers them) and its exclude list.
 * @st: looks the watched paths up, now and when a record renames them.
 *
 * Return: the compiled set, NULL with errno (ENOMEM); rules_watch_free() frees it.
 */
struct rules_watch *rules_watch_compile(const struct rules_set *s, rules_watch_stat_fn st);

/* rules_watch_free() - free @w; NULL is fine. */
void rules_watch_free(struct rules_watch *w);

/*
 * rules_watch_decide() - whether record @ev is logged under the rules @b compiled from
 * the same set as @w, and with which key.
 * @id: the process's exe (exe=, a script's interpreter); may be NULL.
 * @key: set to the key= of the rule that decides, or NULL.
 *
 * A record the programs logged with no rule (ev->rule 0: no rules, or a syscall with
 * more candidates than they list) is logged.  A field that cannot be evaluated here
 * (personality, supplementary groups, -C against an object's owner) fails open: an
 * always rule selects, a never rule is passed over.  Not reentrant for one @w (a
 * watch's inode may be looked up again).
 *
 * Return: 1 to log it, 0 not to.
 */
int rules_watch_decide(struct rules_watch *w, const struct rules_bpf *b, const struct la_event *ev,
		       const struct text_ident *id, const char **key);

/*
 * rules_watch_excluded() - the record types of @ev (enum rules_watch_type) that the
 * exclude list leaves out; 0 for none.
 */
uint32_t rules_watch_excluded(const struct rules_watch *w, const struct la_event *ev,
			      const struct text_ident *id);

/*
 * rules_watch_drop_lines() - remove from the @len bytes of text at @buf (whole lines,
 * "type=NAME ..." with an optional "node=N " before) the lines of the types in @types.
 * Return: the bytes left.
 */
size_t rules_watch_drop_lines(char *buf, size_t len, uint32_t types);

#endif /* LAUDITD_CONF_RULES_WATCH_H */
