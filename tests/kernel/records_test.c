// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What auditd's CWD, PATH, OBJ_PID and OPENAT2 records are made of: the
 * working directory, the attributes of the objects a syscall reached (compared
 * with stat()), the target of a signal, openat2's struct open_how.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "formats/wire.h"
#include "tests/kernel/ktest.h"

static char dir[2048];

/* The item after @it (the first when NULL), or NULL. */
static const struct la_item *event_item_next(const struct la_event *ev, const struct la_item *it)
{
	const char *p = it ? wire_payload(it) + LA_ALIGN(it->len) : (const char *)(ev + 1);

	return p < (const char *)ev + ev->size ? (const void *)p : NULL;
}

/* The struct la_inode of @role for argument @arg on @ev, or NULL. */
static const struct la_inode *inode_item(const struct la_event *ev, int role, int arg)
{
	const struct la_item *it = NULL;

	while ((it = event_item_next(ev, it))) {
		const struct la_inode *in = (const void *)wire_payload(it);

		if (it->kind == LA_IT_INODE && it->len == sizeof(*in) && in->role == role &&
		    it->arg == arg)
			return in;
	}
	return NULL;
}

static int count_kind(const struct la_event *ev, unsigned int kind)
{
	const struct la_item *it = NULL;
	int n = 0;

	while ((it = event_item_next(ev, it)))
		n += it->kind == kind;
	return n;
}

/* @in holds what stat() says of @st (the kernel's dev_t is major << 20 | minor). */
#define KT_INODE_IS(in, st)                                                           \
	do {                                                                          \
		KT_ASSERT_FATAL((in) != NULL);                                        \
		KT_EQ((in)->ino, (st)->st_ino);                                       \
		KT_EQ((in)->dev, major((st)->st_dev) << 20 | minor((st)->st_dev));    \
		KT_EQ((in)->rdev, major((st)->st_rdev) << 20 | minor((st)->st_rdev)); \
		KT_EQ((in)->mode, (st)->st_mode);                                     \
		KT_EQ((in)->uid, (st)->st_uid);                                       \
		KT_EQ((in)->gid, (st)->st_gid);                                       \
	} while (0)

/* The record's CWD item is @want. */
#define KT_CWD_IS(ev, want)                                               \
	do {                                                              \
		const struct la_item *c_ = kt_item(ev, LA_IT_CWD);        \
		KT_ASSERT_FATAL(c_ != NULL);                              \
		KT_EQ(c_->len, strlen(want));                             \
		KT_ASSERT(!memcmp(wire_payload(c_), want, strlen(want))); \
	} while (0)

static void body_files(struct kt_shm *sh, void *arg)
{
	struct open_how how = {.flags = O_RDONLY, .resolve = RESOLVE_NO_SYMLINKS};
	int fd;

	(void)arg;
	if (chdir(dir)) {
		kt_child_fail(sh, "chdir: %s", strerror(errno));
		return;
	}
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_openat, AT_FDCWD, (long)"old", O_RDONLY, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_openat, AT_FDCWD, (long)"sub/new", O_CREAT | O_WRONLY, 0640, 0, 0);
	sh->v[2] = kt_sys(SYS_openat, AT_FDCWD, (long)"missing", O_RDONLY, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_openat2, AT_FDCWD, (long)"old", (long)&how, sizeof(how), 0, 0);
	fd = sh->v[0];
	sh->v[4] = kt_sys(SYS_fchmod, fd, 0600, 0, 0, 0, 0);
	sh->v[5] = kt_sys(SYS_unlinkat, AT_FDCWD, (long)"gone", 0, 0, 0, 0);
	sh->v[6] = kt_sys(SYS_renameat, AT_FDCWD, (long)"from", fd, (long)"to", 0, 0);
	kt_end(sh);
}

static void test_files(void)
{
	struct stat sdir, sold, ssub, snew, sold_after;
	const struct la_event *ev;
	const struct la_inode *in;
	const struct la_item *it;
	struct kt_run r;
	char p[4096];
	FILE *f;

	kt_path(dir, sizeof(dir), "records dir");
	KT_ASSERT_FATAL(!mkdir(dir, 0755) || errno == EEXIST);
	snprintf(p, sizeof(p), "%s/sub", dir);
	KT_ASSERT_FATAL(!mkdir(p, 0700) || errno == EEXIST);
	snprintf(p, sizeof(p), "%s/old", dir);
	f = fopen(p, "w");
	KT_ASSERT_FATAL(f != NULL);
	fclose(f);
	KT_ASSERT_FATAL(!chmod(p, 0644) && !stat(p, &sold));
	snprintf(p, sizeof(p), "%s/gone", dir);
	f = fopen(p, "w");
	KT_ASSERT_FATAL(f != NULL);
	fclose(f);
	snprintf(p, sizeof(p), "%s/from", dir);
	f = fopen(p, "w");
	KT_ASSERT_FATAL(f != NULL);
	fclose(f);
	KT_ASSERT_FATAL(!stat(dir, &sdir));
	snprintf(p, sizeof(p), "%s/sub", dir);
	KT_ASSERT_FATAL(!stat(p, &ssub));
	if (kt_run(&r, "kt-records", body_files, NULL))
		return;
	KT_CHILD_OK(&r);
	KT_EQ(r.sh->v[0], 3);
	KT_EQ(r.sh->v[1], 4);
	KT_EQ(r.sh->v[2], -ENOENT);
	KT_EQ(r.sh->v[3], 5);
	KT_EQ(r.sh->v[4], 0);
	KT_EQ(r.sh->v[5], 0);
	KT_EQ(r.sh->v[6], -ENOTDIR);
	snprintf(p, sizeof(p), "%s/sub/new", dir);
	KT_ASSERT_FATAL(!stat(p, &snew));
	snprintf(p, sizeof(p), "%s/old", dir);
	KT_ASSERT_FATAL(!stat(p, &sold_after));
	KT_EQ(sold_after.st_mode & 07777, 0600);

	/* an existing file: the cwd and what the fd opened */
	KT_REC(ev, &r, r.pid, SYS_openat, 0);
	KT_CWD_IS(ev, dir);
	KT_EQ(count_kind(ev, LA_IT_INODE), 1);
	in = inode_item(ev, LA_INO_NORMAL, 1);
	KT_INODE_IS(in, &sold);
	/* created: the directory it went into, then the new file */
	KT_REC(ev, &r, r.pid, SYS_openat, 1);
	KT_CWD_IS(ev, dir);
	KT_EQ(count_kind(ev, LA_IT_INODE), 2);
	in = inode_item(ev, LA_INO_PARENT, 1);
	KT_INODE_IS(in, &ssub);
	in = inode_item(ev, LA_INO_CREATE, 1);
	KT_INODE_IS(in, &snew);
	/* not found: the cwd only */
	KT_REC(ev, &r, r.pid, SYS_openat, 2);
	KT_CWD_IS(ev, dir);
	KT_EQ(count_kind(ev, LA_IT_INODE), 0);
	/* openat2: the struct open_how as passed */
	KT_REC(ev, &r, r.pid, SYS_openat2, 0);
	it = kt_item(ev, LA_IT_OPENHOW);
	KT_ASSERT_FATAL(it != NULL);
	KT_EQ(it->arg, 2);
	KT_EQ(it->len, sizeof(struct open_how));
	KT_EQ(((const struct open_how *)wire_payload(it))->resolve, RESOLVE_NO_SYMLINKS);
	KT_INODE_IS(inode_item(ev, LA_INO_NORMAL, 1), &sold);
	/* fchmod: the file as it was before the change */
	KT_REC(ev, &r, r.pid, SYS_fchmod, 0);
	KT_CWD_IS(ev, dir);
	in = inode_item(ev, LA_INO_NORMAL, LA_ARG_NONE);
	KT_INODE_IS(in, &sold);
	/* unlinkat: the directory the name starts from */
	KT_REC(ev, &r, r.pid, SYS_unlinkat, 0);
	KT_CWD_IS(ev, dir);
	KT_INODE_IS(inode_item(ev, LA_INO_BASE, 1), &sdir);
	/* renameat from the cwd to a dirfd that is a file (ENOTDIR): what each fd holds */
	KT_REC(ev, &r, r.pid, SYS_renameat, 0);
	KT_EQ(count_kind(ev, LA_IT_INODE), 2);
	KT_INODE_IS(inode_item(ev, LA_INO_BASE, 1), &sdir);
	KT_INODE_IS(inode_item(ev, LA_INO_BASE, 3), &sold_after);
}

/* In directory @arg[0]: the cwd kept across calls, after a chdir, after its rename. */
static void body_cwd(struct kt_shm *sh, void *arg)
{
	const char **paths = arg;

	if (chdir(paths[0])) {
		kt_child_fail(sh, "chdir: %s", strerror(errno));
		return;
	}
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_openat, AT_FDCWD, (long)"missing", O_RDONLY, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_openat, AT_FDCWD, (long)"missing", O_RDONLY, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_chdir, (long)"inner", 0, 0, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_openat, AT_FDCWD, (long)"missing", O_RDONLY, 0, 0, 0);
	/* the cwd itself renamed, by absolute paths: its dentry stays, its path changes */
	sh->v[4] = kt_sys(SYS_rename, (long)paths[1], (long)paths[2], 0, 0, 0, 0);
	sh->v[5] = kt_sys(SYS_openat, AT_FDCWD, (long)"missing", O_RDONLY, 0, 0, 0);
	kt_end(sh);
}

static void test_cwd(void)
{
	char outer[2048], inner[4096], moved[4096];
	const char *paths[3] = {outer, inner, moved};
	const struct la_event *ev;
	struct kt_run r;

	kt_path(outer, sizeof(outer), "cwd outer");
	snprintf(inner, sizeof(inner), "%s/inner", outer);
	snprintf(moved, sizeof(moved), "%s/moved", outer);
	rmdir(moved);
	KT_ASSERT_FATAL((!mkdir(outer, 0755) || errno == EEXIST) &&
			(!mkdir(inner, 0755) || errno == EEXIST));
	if (kt_run(&r, "kt-cwd", body_cwd, paths))
		return;
	KT_CHILD_OK(&r);
	KT_EQ(r.sh->v[0], -ENOENT);
	KT_EQ(r.sh->v[2], 0);
	KT_EQ(r.sh->v[4], 0);
	KT_REC(ev, &r, r.pid, SYS_openat, 0);
	KT_CWD_IS(ev, outer);
	KT_REC(ev, &r, r.pid, SYS_openat, 1);
	KT_CWD_IS(ev, outer);
	KT_REC(ev, &r, r.pid, SYS_openat, 2);
	KT_CWD_IS(ev, inner);
	KT_REC(ev, &r, r.pid, SYS_openat, 3);
	KT_CWD_IS(ev, moved);
	rmdir(moved);
	rmdir(outer);
}

static void body_signals(struct kt_shm *sh, void *arg)
{
	pid_t child;
	int st;

	(void)arg;
	child = fork();
	if (child < 0) {
		kt_child_fail(sh, "fork: %s", strerror(errno));
		return;
	}
	if (child == 0) {
		prctl(PR_SET_NAME, "kt-target");
		pause();
		_exit(0);
	}
	sh->v[9] = child;
	usleep(100 * 1000);
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_kill, child, 0, 0, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_tgkill, child, child, 0, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_kill, child, SIGKILL, 0, 0, 0, 0);
	waitpid(child, &st, 0);
	sh->v[3] = kt_sys(SYS_kill, child, 0, 0, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_kill, 0x7ffffff0, 0, 0, 0, 0, 0);
	kt_end(sh);
}

#define KT_OBJPID_IS(ev, pid_, comm_)                                   \
	do {                                                            \
		const struct la_item *o_ = kt_item(ev, LA_IT_OBJPID);   \
		const struct la_objpid *op_;                            \
		KT_ASSERT_FATAL(o_ != NULL && o_->len == sizeof(*op_)); \
		op_ = (const void *)wire_payload(o_);                   \
		KT_EQ(op_->pid, pid_);                                  \
		KT_EQ(op_->uid, getuid());                              \
		KT_EQ(op_->auid, r.sh->ctx.auid);                       \
		KT_EQ(op_->ses, r.sh->ctx.ses);                         \
		KT_ASSERT(!strcmp(op_->comm, comm_));                   \
	} while (0)

static void test_signals(void)
{
	const struct la_event *ev;
	struct kt_run r;

	if (kt_run(&r, "kt-signals", body_signals, NULL))
		return;
	KT_CHILD_OK(&r);
	KT_EQ(r.sh->v[0], 0);
	KT_EQ(r.sh->v[1], 0);
	KT_EQ(r.sh->v[2], 0);
	KT_EQ(r.sh->v[3], -ESRCH);
	KT_EQ(r.sh->v[4], -ESRCH);
	KT_REC(ev, &r, r.pid, SYS_kill, 0);
	KT_OBJPID_IS(ev, r.sh->v[9], "kt-target");
	KT_REC(ev, &r, r.pid, SYS_tgkill, 0);
	KT_OBJPID_IS(ev, r.sh->v[9], "kt-target");
	KT_REC(ev, &r, r.pid, SYS_kill, 1);
	KT_OBJPID_IS(ev, r.sh->v[9], "kt-target");
	/* no such process: no target */
	KT_REC(ev, &r, r.pid, SYS_kill, 2);
	KT_EQ(count_kind(ev, LA_IT_OBJPID), 0);
	KT_REC(ev, &r, r.pid, SYS_kill, 3);
	KT_EQ(count_kind(ev, LA_IT_OBJPID), 0);
}

static void body_unix_bind(struct kt_shm *sh, void *arg)
{
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	int s, c, m;

	(void)arg;
	if (chdir(dir)) {
		kt_child_fail(sh, "chdir: %s", strerror(errno));
		return;
	}
	unlink("sock");
	strcpy(un.sun_path, "sock");
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	m = socket(AF_UNIX, SOCK_STREAM, 0);
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_bind, s, (long)&un, sizeof(un), 0, 0, 0);
	listen(s, 1);
	sh->v[1] = kt_sys(SYS_connect, c, (long)&un, sizeof(un), 0, 0, 0);
	strcpy(un.sun_path, "missing");
	sh->v[2] = kt_sys(SYS_connect, m, (long)&un, sizeof(un), 0, 0, 0);
	kt_end(sh);
	close(s);
	close(c);
	close(m);
}

static void test_unix_bind(void)
{
	struct stat sdir, ssock;
	const struct la_event *ev;
	struct kt_run r;
	char p[4096];

	kt_path(dir, sizeof(dir), "records dir");
	KT_ASSERT_FATAL(!mkdir(dir, 0755) || errno == EEXIST);
	KT_ASSERT_FATAL(!stat(dir, &sdir));
	if (kt_run(&r, "kt-unixbind", body_unix_bind, NULL))
		return;
	KT_CHILD_OK(&r);
	KT_EQ(r.sh->v[0], 0);
	snprintf(p, sizeof(p), "%s/sock", dir);
	KT_ASSERT_FATAL(!stat(p, &ssock));
	KT_REC(ev, &r, r.pid, SYS_bind, 0);
	KT_CWD_IS(ev, dir);
	KT_INODE_IS(inode_item(ev, LA_INO_BASE, 1), &sdir);
	KT_INODE_IS(inode_item(ev, LA_INO_CREATE, 1), &ssock);
	/* connect: the file the peer is bound to; none when there is no such file */
	KT_EQ(r.sh->v[1], 0);
	KT_EQ(r.sh->v[2], -ENOENT);
	KT_REC(ev, &r, r.pid, SYS_connect, 0);
	KT_CWD_IS(ev, dir);
	KT_INODE_IS(inode_item(ev, LA_INO_NORMAL, 1), &ssock);
	KT_REC(ev, &r, r.pid, SYS_connect, 1);
	KT_CWD_IS(ev, dir);
	KT_EQ(count_kind(ev, LA_IT_INODE), 0);
	unlink(p);
}

static void body_exec(struct kt_shm *sh, void *arg)
{
	char *argv[] = {(char *)arg, NULL};
	char *envp[] = {NULL};
	pid_t child;
	int st;

	kt_begin(sh);
	child = fork();
	if (child == 0) {
		execve(argv[0], argv, envp);
		_exit(127);
	}
	sh->v[9] = child;
	waitpid(child, &st, 0);
	sh->v[0] = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	kt_end(sh);
}

/* The execve record of the body's child: the file, its ELF interpreter; @script's. */
static void check_exec(const char *file, const char *runs, const char *interp)
{
	struct stat sfile, sinterp;
	const struct la_event *ev;
	const struct la_item *it;
	char real[4096];
	struct kt_run r;

	if (kt_run(&r, "kt-exec", body_exec, (void *)file))
		return;
	KT_CHILD_OK(&r);
	KT_EQ(r.sh->v[0], 0);
	KT_ASSERT_FATAL(!stat(runs, &sfile) && !stat(interp, &sinterp));
	KT_ASSERT_FATAL(realpath(interp, real) != NULL);
	KT_REC(ev, &r, r.sh->v[9], SYS_execve, 0);
	KT_EQ(ev->ret, 0);
	if (strcmp(file, runs)) {
		KT_INODE_IS(inode_item(ev, LA_INO_SCRIPT, 0), &sfile);
		KT_ASSERT(inode_item(ev, LA_INO_NORMAL, 0) == NULL);
		/* the interpreter as the #! line names it */
		it = kt_item(ev, LA_IT_BINFMT);
		KT_ASSERT_FATAL(it != NULL);
		KT_EQ(it->len, strlen("/bin/sh"));
		KT_ASSERT(!memcmp(wire_payload(it), "/bin/sh", it->len));
	} else {
		KT_ASSERT(kt_item(ev, LA_IT_BINFMT) == NULL);
		KT_INODE_IS(inode_item(ev, LA_INO_NORMAL, 0), &sfile);
		KT_ASSERT(inode_item(ev, LA_INO_SCRIPT, 0) == NULL);
	}
	KT_INODE_IS(inode_item(ev, LA_INO_INTERP, LA_ARG_NONE), &sinterp);
	it = kt_item(ev, LA_IT_INTERP);
	KT_ASSERT_FATAL(it != NULL);
	KT_EQ(it->len, strlen(real));
	KT_ASSERT(!memcmp(wire_payload(it), real, it->len));
}

static void test_exec(void)
{
	char script[2048], real[4096];
	FILE *f;

	/* /bin/true is dynamically linked on Debian: PT_INTERP names the loader */
	check_exec("/bin/true", "/bin/true", "/lib64/ld-linux-x86-64.so.2");
	kt_path(script, sizeof(script), "script.sh");
	f = fopen(script, "w");
	KT_ASSERT_FATAL(f != NULL);
	fputs("#!/bin/sh\nexit 0\n", f);
	fclose(f);
	KT_ASSERT_FATAL(!chmod(script, 0755) && realpath("/bin/sh", real));
	check_exec(script, real, "/lib64/ld-linux-x86-64.so.2");
}

void ktest_register_records(void)
{
	CU_pSuite s = kt_suite("records");

	kt_test(s, "cwd and inode attributes: openat, O_CREAT, openat2, fchmod, unlinkat, renameat",
		test_files);
	kt_test(s, "cwd: kept across calls, walked again after a chdir and after a rename",
		test_cwd);
	kt_test(s, "kill and tgkill targets, none for a missing process", test_signals);
	kt_test(s, "bind and connect of a unix socket: its directory, the socket file's inode",
		test_unix_bind);
	kt_test(s, "execve: the file or a script's interpreter, the ELF interpreter", test_exec);
}
