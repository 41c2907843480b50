// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Watches and the rules' object fields: -w on a file and on a directory, path=,
 * dir=, perm=, filetype=, inode=, obj_uid=, decided on the objects a syscall reached
 * (capture_rule_decide(), conf/rules_watch.h) as the kernel's audit_filter_inodes()
 * and match_tree_refs() decide; a watched file replaced and followed by its name; the
 * exclude list's record types.  Each test loads its rules, runs a child, and records
 * what the programs captured and what the rules then log, in the records' order (a
 * watch's inode is looked up again when a record renames it).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "conf/rules.h"
#include "formats/wire.h"
#include "conf/rules_watch.h"
#include "tests/kernel/ktest.h"

static char dir[1024], fw[2048], fg[2048], ftmp[2048], tree[2048], sub[2048], fx[2048], fdel[2048],
	fgone[2048];

static void touch(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);

	if (fd >= 0)
		close(fd);
}

/*
 * What the rules make of the records of @pid, in their order: for each, "nr:key" when
 * logged ("nr:" with no key), "nr-" when not, joined by spaces; the key's \x01 as ",".
 */
static const char *decisions(const struct kt_run *r, uint32_t pid)
{
	static char out[4096];
	const struct la_event *ev;
	const char *key;
	size_t n = 0;
	uint32_t drop;
	int i, log;
	char *p;

	out[0] = 0;
	for (i = 0; (ev = kt_find(r, pid, -1, i)); i++) {
		if (ev->nr == SYS_exit_group)
			continue;
		log = capture_rule_decide(kt_cap, ev, NULL, &key, &drop);
		n += snprintf(out + n, sizeof(out) - n, "%s%d%s%s", n ? " " : "", ev->nr,
			      log ? ":" : "-", log && key ? key : "");
		if (n >= sizeof(out))
			break;
	}
	for (p = out; *p; p++)
		if (*p == '\001')
			*p = ',';
	return out;
}

#define KT_SAME(got, want)                                                   \
	do {                                                                 \
		const char *kt_s_ = (got);                                   \
		if (kt_s_ && !strcmp(kt_s_, want))                           \
			kt_pass(__FILE__, __LINE__);                         \
		else                                                         \
			kt_fail(__FILE__, __LINE__, 0, "\"%s\", not \"%s\"", \
				kt_s_ ? kt_s_ : "(null)", want);             \
	} while (0)

#define KT_DECISIONS(r, pid, want)                                                            \
	do {                                                                                  \
		const char *kt_d_ = decisions(r, pid);                                        \
		if (!strcmp(kt_d_, want))                                                     \
			kt_pass(__FILE__, __LINE__);                                          \
		else                                                                          \
			kt_fail(__FILE__, __LINE__, 0, "decisions \"%s\", not \"%s\"", kt_d_, \
				want);                                                        \
	} while (0)

static void body_file(struct kt_shm *sh, void *arg)
{
	char buf[8];
	long fd;

	(void)arg;
	kt_begin(sh);
	fd = kt_sys(SYS_openat, AT_FDCWD, (long)fw, O_RDONLY, 0, 0, 0);
	kt_sys(SYS_read, fd, (long)buf, sizeof(buf), 0, 0, 0);
	kt_sys(SYS_close, fd, 0, 0, 0, 0, 0);
	fd = kt_sys(SYS_openat, AT_FDCWD, (long)fw, O_WRONLY, 0, 0, 0);
	kt_sys(SYS_write, fd, (long)"x", 1, 0, 0, 0);
	kt_sys(SYS_fchmod, fd, 0600, 0, 0, 0, 0);
	kt_sys(SYS_close, fd, 0, 0, 0, 0, 0);
	kt_sys(SYS_chmod, (long)fw, 0640, 0, 0, 0, 0);
	/* another file of the same directory */
	kt_sys(SYS_openat, AT_FDCWD, (long)fg, O_RDONLY, 0, 0, 0);
	kt_sys(SYS_chmod, (long)fg, 0640, 0, 0, 0, 0);
	kt_sys(SYS_unlink, (long)fw, 0, 0, 0, 0, 0);
	kt_end(sh);
}

/*
 * -w FILE -p rwa: read and write opens, chmod and fchmod of it, its unlink; not its
 * reads and writes (no class has them), nor the other file's.  perm=r alone: the
 * read open only.
 */
static void test_file(void)
{
	char text[8192];
	struct kt_run r;

	touch(fw);
	touch(fg);
	snprintf(text, sizeof(text),
		 "-w %s -p rwa -k wf\n"
		 "-a always,exit -F path=%s -F perm=r -k pr\n",
		 fw, fg);
	if (kt_rules_load(text))
		return;
	if (!kt_run(&r, "kt-watch-file", body_file, NULL)) {
		KT_CHILD_OK(&r);
		/* the programs fail open on the path: the rules decide on the objects */
		KT_DECISIONS(&r, r.pid, "257:wf 257:wf 91:wf 90:wf 257:pr 90- 87:wf");
	}
	kt_rules_unload();
}

static void body_dir(struct kt_shm *sh, void *arg)
{
	long fd;

	(void)arg;
	kt_begin(sh);
	fd = kt_sys(SYS_openat, AT_FDCWD, (long)fx, O_CREAT | O_WRONLY, 0644, 0, 0);
	kt_sys(SYS_close, fd, 0, 0, 0, 0, 0);
	kt_sys(SYS_unlink, (long)fdel, 0, 0, 0, 0, 0);
	kt_sys(SYS_openat, AT_FDCWD, (long)fx, O_RDONLY, 0, 0, 0);
	kt_sys(SYS_chmod, (long)tree, 0755, 0, 0, 0, 0);
	kt_sys(SYS_chmod, (long)fg, 0644, 0, 0, 0, 0);
	/* relative to the working directory, inside the tree */
	if (chdir(sub) == 0)
		kt_sys(SYS_chmod, (long)"x", 0600, 0, 0, 0, 0);
	kt_end(sh);
}

/* -w DIR -p wa covers the subtree: a file created below, a file deleted in it, the dir. */
static void test_dir(void)
{
	char text[8192];
	struct kt_run r;

	mkdir(tree, 0755);
	mkdir(sub, 0755);
	unlink(fx);
	touch(fdel);
	touch(fg);
	snprintf(text, sizeof(text), "-w %s -p wa -k wd\n", tree);
	if (kt_rules_load(text))
		return;
	if (!kt_run(&r, "kt-watch-dir", body_dir, NULL)) {
		KT_CHILD_OK(&r);
		/* the read open is not captured at all: perm=wa is evaluated by the programs */
		KT_DECISIONS(&r, r.pid, "257:wd 87:wd 90:wd 90- 90:wd");
	}
	kt_rules_unload();
}

static void body_replace(struct kt_shm *sh, void *arg)
{
	long fd;

	(void)arg;
	kt_begin(sh);
	fd = kt_sys(SYS_openat, AT_FDCWD, (long)ftmp, O_CREAT | O_WRONLY, 0644, 0, 0);
	kt_sys(SYS_close, fd, 0, 0, 0, 0, 0);
	/* renamed over the watched name: the watch follows the name */
	kt_sys(SYS_rename, (long)ftmp, (long)fw, 0, 0, 0, 0);
	fd = kt_sys(SYS_openat, AT_FDCWD, (long)fw, O_WRONLY, 0, 0, 0);
	kt_sys(SYS_fchmod, fd, 0600, 0, 0, 0, 0);
	kt_sys(SYS_close, fd, 0, 0, 0, 0, 0);
	kt_sys(SYS_unlink, (long)fw, 0, 0, 0, 0, 0);
	/* created again under the name, then changed through its fd alone */
	fd = kt_sys(SYS_openat, AT_FDCWD, (long)fw, O_CREAT | O_WRONLY, 0644, 0, 0);
	kt_sys(SYS_fchmod, fd, 0600, 0, 0, 0, 0);
	kt_sys(SYS_close, fd, 0, 0, 0, 0, 0);
	kt_end(sh);
}

/* A watched file replaced (renamed over, unlinked and created) is followed by its name. */
static void test_replace(void)
{
	char text[8192];
	struct kt_run r;

	touch(fw);
	unlink(ftmp);
	snprintf(text, sizeof(text), "-w %s -p wa -k wr\n", fw);
	if (kt_rules_load(text))
		return;
	if (!kt_run(&r, "kt-watch-repl", body_replace, NULL)) {
		KT_CHILD_OK(&r);
		KT_DECISIONS(&r, r.pid, "257- 82:wr 257:wr 91:wr 87:wr 257:wr 91:wr");
	}
	kt_rules_unload();
}

static void body_fields(struct kt_shm *sh, void *arg)
{
	pid_t pid;
	int st;

	(void)arg;
	kt_begin(sh);
	kt_sys(SYS_openat, AT_FDCWD, (long)tree, O_RDONLY | O_DIRECTORY, 0, 0, 0);
	kt_sys(SYS_openat, AT_FDCWD, (long)fg, O_RDONLY, 0, 0, 0);
	kt_sys(SYS_openat, AT_FDCWD, (long)fdel, O_RDONLY, 0, 0, 0);
	kt_sys(SYS_openat, AT_FDCWD, (long)fx, O_RDONLY, 0, 0, 0);
	pid = fork();
	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	sh->v[0] = pid;
	kt_end(sh);
}

/* filetype=, inode=, obj_uid=, a never dir= rule before an always, perm=x on execve. */
static void test_fields(void)
{
	char text[8192];
	struct kt_run r;
	struct stat st;
	int P = getpid();

	mkdir(tree, 0755);
	touch(fg);
	touch(fdel);
	touch(fx);
	if (stat(fdel, &st)) {
		KT_EQ(errno, 0);
		return;
	}
	snprintf(text, sizeof(text),
		 "-a always,exit -S openat -F ppid=%d -F filetype=dir -k isdir\n"
		 "-a always,exit -S openat -F ppid=%d -F inode=%lu -k ino\n"
		 "-a never,exit -S openat -F dir=%s\n"
		 "-a always,exit -S openat -F ppid=%d -F obj_uid=0 -k root\n"
		 "-a always,exit -F path=/bin/true -F perm=x -k px\n",
		 P, P, (unsigned long)st.st_ino, tree, P);
	if (kt_rules_load(text))
		return;
	if (!kt_run(&r, "kt-watch-fields", body_fields, NULL)) {
		KT_CHILD_OK(&r);
		KT_DECISIONS(&r, r.pid, "257:isdir 257:root 257:ino 257-");
		KT_DECISIONS(&r, r.sh->v[0], "59:px");
	}
	kt_rules_unload();
}

static void body_close(struct kt_shm *sh, void *arg)
{
	(void)arg;
	kt_begin(sh);
	kt_sys(SYS_close, 1500, 0, 0, 0, 0, 0);
	kt_sys(SYS_openat, AT_FDCWD, (long)fg, O_RDONLY, 0, 0, 0);
	kt_end(sh);
}

/* The exclude list: the record types it names, whatever the action; the others stay. */
static void test_exclude(void)
{
	char text[8192], buf[512];
	const struct la_event *ev;
	struct kt_run r;
	const char *key;
	uint32_t drop;
	size_t n;

	snprintf(text, sizeof(text),
		 "-a always,exit -S close -S openat -F ppid=%d -k ex\n"
		 "-a always,exclude -F msgtype=PROCTITLE\n"
		 "-a never,exclude -F msgtype=CWD\n"
		 "-a always,exclude -F msgtype=PATH -F uid!=0\n",
		 (int)getpid());
	if (kt_rules_load(text))
		return;
	if (!kt_run(&r, "kt-watch-excl", body_close, NULL)) {
		KT_CHILD_OK(&r);
		KT_REC_A0(ev, &r, r.pid, SYS_close, 1500);
		KT_EQ(capture_rule_decide(kt_cap, ev, NULL, &key, &drop), 1);
		KT_EQ(drop, RW_PROCTITLE | RW_CWD);
		KT_SAME(key, "ex");
	}
	kt_rules_unload();
	n = snprintf(
		buf, sizeof(buf),
		"type=SYSCALL msg=audit(1.000:1): a\ntype=CWD msg=audit(1.000:1): b\n"
		"node=h type=PATH msg=audit(1.000:1): c\ntype=PROCTITLE msg=audit(1.000:1): d\n");
	n = rules_watch_drop_lines(buf, n, RW_PROCTITLE | RW_CWD);
	buf[n] = 0;
	KT_SAME(buf,
		"type=SYSCALL msg=audit(1.000:1): a\nnode=h type=PATH msg=audit(1.000:1): c\n");
}

static void body_atdir(struct kt_shm *sh, void *arg)
{
	long dfd, ofd, sfd;

	(void)arg;
	kt_begin(sh);
	dfd = kt_sys(SYS_openat, AT_FDCWD, (long)tree, O_RDONLY | O_DIRECTORY, 0, 0, 0);
	kt_sys(SYS_openat, dfd, (long)"sub/x", O_RDONLY, 0, 0, 0);
	ofd = kt_sys(SYS_openat, AT_FDCWD, (long)dir, O_RDONLY | O_DIRECTORY, 0, 0, 0);
	kt_sys(SYS_openat, ofd, (long)"g", O_RDONLY, 0, 0, 0);
	sfd = kt_sys(SYS_openat, AT_FDCWD, (long)sub, O_RDONLY | O_DIRECTORY, 0, 0, 0);
	kt_sys(SYS_openat, sfd, (long)"../del", O_RDONLY, 0, 0, 0);
	kt_sys(SYS_openat, sfd, (long)"../../g", O_RDONLY, 0, 0, 0);
	kt_sys(SYS_unlinkat, ofd, (long)"tree/gone", 0, 0, 0, 0);
	kt_end(sh);
}

/*
 * dir= on names relative to a directory descriptor: decided on the full path (the
 * programs send the descriptor's directory, LA_IT_ATDIR), under the tree or not,
 * ".." included; the record names the path as given.
 */
static void test_atdir(void)
{
	char text[8192];
	const struct la_event *ev;
	const struct la_item *it;
	struct kt_run r;

	mkdir(tree, 0755);
	mkdir(sub, 0755);
	touch(fx);
	touch(fg);
	touch(fdel);
	touch(fgone);
	snprintf(text, sizeof(text),
		 "-a always,exit -S openat -S unlinkat -F ppid=%d -F dir=%s -k at\n", (int)getpid(),
		 tree);
	if (kt_rules_load(text))
		return;
	if (!kt_run(&r, "kt-watch-atdir", body_atdir, NULL)) {
		KT_CHILD_OK(&r);
		KT_DECISIONS(&r, r.pid, "257:at 257:at 257- 257- 257:at 257:at 257- 263:at");
		/* openat(ofd, "g"): the descriptor's directory, for argument 1 */
		ev = kt_find(&r, r.pid, SYS_openat, 3);
		it = ev ? wire_item(ev, LA_IT_ATDIR, NULL) : NULL;
		KT_EQ(it != NULL, 1);
		if (it) {
			KT_EQ(it->arg, 1);
			KT_EQ(it->len, strlen(dir));
			KT_EQ(memcmp(wire_payload(it), dir,
				     strlen(dir) < it->len ? strlen(dir) : it->len),
			      0);
		}
		/* the name as given */
		it = ev ? wire_item(ev, LA_IT_PATH, NULL) : NULL;
		KT_EQ(it && it->len == 1 && wire_payload(it)[0] == 'g', 1);
		/* AT_FDCWD: the CWD item serves, no directory sent */
		ev = kt_find(&r, r.pid, SYS_openat, 0);
		KT_EQ(ev && !wire_item(ev, LA_IT_ATDIR, NULL), 1);
	}
	kt_rules_unload();
}

void ktest_register_watch(void)
{
	CU_pSuite s = kt_suite("watch");

	kt_path(dir, sizeof(dir), "watch");
	mkdir(dir, 0755);
	snprintf(fw, sizeof(fw), "%s/f", dir);
	snprintf(fg, sizeof(fg), "%s/g", dir);
	snprintf(ftmp, sizeof(ftmp), "%s/tmp", dir);
	snprintf(tree, sizeof(tree), "%s/tree", dir);
	snprintf(sub, sizeof(sub), "%s/tree/sub", dir);
	snprintf(fx, sizeof(fx), "%s/tree/sub/x", dir);
	snprintf(fdel, sizeof(fdel), "%s/tree/del", dir);
	snprintf(fgone, sizeof(fgone), "%s/tree/gone", dir);
	kt_test(s, "watch: a file read, written, chmod-ed, removed; perm classes", test_file);
	kt_test(s, "watch: a directory covers its subtree", test_dir);
	kt_test(s, "watch: a replaced file is followed by its name", test_replace);
	kt_test(s, "watch: filetype, inode, obj_uid, a never dir rule, perm=x", test_fields);
	kt_test(s, "watch: the exclude list leaves record types out", test_exclude);
	kt_test(s, "watch: dir= on names relative to a directory descriptor", test_atdir);
}
