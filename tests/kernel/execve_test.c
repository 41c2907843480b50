// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Family 18, execve: execve, execveat.  The filename (read at entry); after a
 * successful exec the new image's argument area (ARGV, exact bytes) and argc;
 * the new exec_id, comm, exe and proctitle.  A failed exec has no ARGV.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "formats/wire.h"
#include "tests/kernel/ktest.h"

#define MAXARGS	 8
#define FILE_OFF 40000
#define ENV_OFF	 48000

struct exec_case {
	const char *file; /* NULL: the bad pointer 1 */
	int nargs;	  /* -1: argv NULL */
	const char *argv[MAXARGS];
	int dirfd; /* execveat from a directory opened at this path ... */
	const char *dir;
	int flags;
	int empty_fd; /* ... or AT_EMPTY_PATH on this file */
};

/* realpath of /bin/true, and its directory */
static char true_exe[PATH_MAX], true_dir[PATH_MAX];

/* sh->buf: the argument strings back to back (the ARGV item's bytes), the filename at FILE_OFF */
static void body_exec(struct kt_shm *sh, void *arg)
{
	struct exec_case *c = arg;
	char **argv = (char **)sh->buf2, **envp = (char **)(sh->buf2 + 4096);
	size_t off = 0;
	long argvp = (long)argv;
	int i, fd = -1;

	for (i = 0; i < c->nargs; i++) {
		size_t n = strlen(c->argv[i]) + 1;

		argv[i] = memcpy(sh->buf + off, c->argv[i], n);
		off += n;
	}
	argv[c->nargs > 0 ? c->nargs : 0] = NULL;
	if (c->nargs < 0)
		argvp = 0;
	sh->v[20] = off;
	envp[0] = strcpy(sh->buf + ENV_OFF, "KTEST=1");
	envp[1] = NULL;
	if (c->file)
		strcpy(sh->buf + FILE_OFF, c->file);
	if (c->dir)
		fd = open(c->dir, O_RDONLY | O_DIRECTORY);
	else if (c->empty_fd)
		fd = open(true_exe, O_RDONLY);
	sh->v[21] = fd;
	kt_begin(sh);
	if (c->dir || c->empty_fd)
		sh->v[0] = kt_sys(SYS_execveat, fd, (long)(sh->buf + FILE_OFF), argvp, (long)envp,
				  c->flags, 0);
	else
		sh->v[0] = kt_sys(SYS_execve, c->file ? (long)(sh->buf + FILE_OFF) : 1, argvp,
				  (long)envp, 0, 0, 0);
	/* only a failed exec gets here */
	kt_end(sh);
}

/* Run @c; on success check the exec's record and the new image's exit. */
static void run_case(struct exec_case *c, const char *comm, int64_t ret)
{
	const struct la_event *ev, *end;
	const struct la_item *exe, *title;
	struct kt_ctx after;
	struct kt_run r;
	uint32_t argc = c->nargs < 0 ? 1 : c->nargs;
	const char *b;
	size_t len;
	int nr = c->dir || c->empty_fd ? SYS_execveat : SYS_execve;
	int parg = nr == SYS_execveat ? 1 : 0;
	uint16_t flags = 0;

	if (kt_run(&r, comm, body_exec, c))
		return;
	b = r.sh->buf;
	if (r.sh->failed)
		kt_fail(__FILE__, __LINE__, 1, "child: %s", r.sh->why);
	KT_EQ(r.status, 0);
	KT_EQ(kt_count(&r, r.pid, SYS_execve) + kt_count(&r, r.pid, SYS_execveat), 1);
	KT_REC(ev, &r, r.pid, nr, 0);
	KT_SYS(ev, nr, nr == SYS_execve ? (long)(c->file ? (long)(b + FILE_OFF) : 1) : r.sh->v[21],
	       nr == SYS_execve ? (c->nargs < 0 ? 0 : (long)r.sh->buf2) : (long)(b + FILE_OFF),
	       nr == SYS_execve ? (long)(r.sh->buf2 + 4096) : (c->nargs < 0 ? 0 : (long)r.sh->buf2),
	       nr == SYS_execve ? 0 : (long)(r.sh->buf2 + 4096), nr == SYS_execve ? 0 : c->flags, 0,
	       ret);
	if (ret) {
		/* failed: the path only, and the process as it was */
		KT_EQ(r.sh->v[0], ret);
		if (c->file)
			KT_ITEMS(ev, 0, KT_IT_PATH(parg, c->file));
		else
			KT_ITEMS(ev, LA_F_FAULT, KT_IT(LA_IT_PATH, parg, LA_IF_FAULT, "", 0));
		KT_CTX(ev, &r.sh->ctx);
		KT_EQ(ev->exec_id, kt_find_all(&r, r.pid, -1, 0)->exec_id);
		return;
	}
	/* the exec's record: the new image's comm and exec_id, the old ids */
	after = r.sh->ctx;
	memset(after.comm, 0, sizeof(after.comm));
	strcpy(after.comm, "true");
	KT_CTX(ev, &after);
	KT_EQ(ev->exec_id, kt_find_all(&r, r.pid, -1, 0)->exec_id + 1);
	len = r.sh->v[20];
	if (c->nargs < 0) {
		/* no argv: the kernel gives the program one empty argument */
		b = "";
		len = 1;
	}
	if (len > 8192) {
		len = 8192;
		flags = LA_F_TRUNC;
	}
	KT_ITEMS(ev, flags, KT_IT_PATH(parg, c->file),
		 KT_IT(LA_IT_ARGV, 1, flags ? LA_IF_TRUNC : 0, b, len),
		 KT_IT(LA_IT_ARGC, 1, 0, &argc, 4));
	exe = kt_item(ev, LA_IT_EXE);
	title = kt_item(ev, LA_IT_PROCTITLE);
	KT_ASSERT_FATAL(exe && title);
	KT_EQ(exe->len, strlen(true_exe));
	KT_ASSERT(!memcmp(wire_payload(exe), true_exe, exe->len));
	KT_EQ(title->len, len < LA_PROCTITLE_MAX ? len : LA_PROCTITLE_MAX);
	KT_ASSERT(!memcmp(wire_payload(title), b, title->len));
	KT_EQ(title->flags, 0);
	/* the new image ran and exited 0: its last record, its identity */
	end = kt_find_all(&r, r.pid, SYS_exit_group, 0);
	KT_ASSERT_FATAL(end != NULL);
	KT_SYS(end, SYS_exit_group, 0, end->args[1], end->args[2], end->args[3], end->args[4],
	       end->args[5], 0);
	KT_CTX(end, &after);
	KT_EQ(end->exec_id, ev->exec_id);
}

static void test_basic(void)
{
	static struct exec_case c = {
		.file = "/bin/true",
		.nargs = 4,
		.argv = {"true", "a b", "", "q\"\n\xc3\xa9\xff"},
	};

	run_case(&c, "kt-exec", 0);
}

/* More than 128 bytes of arguments: proctitle keeps the first 128, ARGV all. */
static void test_proctitle(void)
{
	static char x[201];
	static struct exec_case c = {
		.file = "/bin/true",
		.nargs = 3,
		.argv = {"/bin/true", "--", x},
	};

	memset(x, 'x', 200);
	run_case(&c, "kt-exec-title", 0);
}

/* More than 8192 bytes of arguments: ARGV cut at 8192 and flagged; argc is all. */
static void test_huge(void)
{
	static char y[3][4001];
	static struct exec_case c = {
		.file = "/bin/true",
		.nargs = 4,
		.argv = {"true", y[0], y[1], y[2]},
	};
	int i;

	for (i = 0; i < 3; i++)
		memset(y[i], 'a' + i, 4000);
	run_case(&c, "kt-exec-huge", 0);
}

static void test_null_argv(void)
{
	static struct exec_case c = {
		.file = "/bin/true",
		.nargs = -1,
	};

	run_case(&c, "kt-exec-noargv", 0);
}

static void test_enoent(void)
{
	static struct exec_case c = {
		.file = "/nonexistent/true",
		.nargs = 2,
		.argv = {"true", "x"},
	};

	run_case(&c, "kt-exec-enoent", -ENOENT);
}

static void test_efault(void)
{
	static struct exec_case c = {
		.file = NULL,
		.nargs = 1,
		.argv = {"true"},
	};

	run_case(&c, "kt-exec-efault", -EFAULT);
}

static void test_eacces(void)
{
	static char path[4096];
	static struct exec_case c = {
		.file = path,
		.nargs = 1,
		.argv = {"noexec"},
	};
	FILE *f;

	kt_path(path, sizeof(path), "noexec");
	f = fopen(path, "w");
	KT_ASSERT_FATAL(f != NULL);
	fputs("#!/bin/true\n", f);
	fclose(f);
	run_case(&c, "kt-exec-eacces", -EACCES);
}

/*
 * A successful execveat returns through the exit tracepoint of execve (nr 59) on
 * x86-64, not execveat's (the enter tracepoint is execveat's): the record must
 * still be made, as execveat with its own number and path argument (Falco met
 * the same: falcosecurity/libs#543).
 */
static void test_execveat(void)
{
	static struct exec_case c = {
		.file = "true",
		.nargs = 2,
		.argv = {"true", "at"},
		.dir = true_dir,
	};

	run_case(&c, "kt-execveat", 0);
}

static void test_execveat_empty(void)
{
	static struct exec_case c = {
		.file = "",
		.nargs = 2,
		.argv = {"true", "empty"},
		.empty_fd = 1,
		.flags = AT_EMPTY_PATH,
	};

	run_case(&c, "kt-execveat-fd", 0);
}

static void test_execveat_enoent(void)
{
	static struct exec_case c = {
		.file = "nonexistent",
		.nargs = 1,
		.argv = {"true"},
		.dir = "/",
	};

	run_case(&c, "kt-execveat-noent", -ENOENT);
}

/* A second thread execs: the record is the process's, with the leader's pid as tid. */
static void *exec_thread(void *arg)
{
	struct kt_shm *sh = arg;
	char **argv = (char **)sh->buf2;

	sh->v[1] = gettid();
	strcpy(sh->buf, "true");
	strcpy(sh->buf + 5, "thread");
	argv[0] = sh->buf;
	argv[1] = sh->buf + 5;
	argv[2] = NULL;
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_execve, (long)"/bin/true", (long)argv, (long)(argv + 2), 0, 0, 0);
	return NULL;
}

static void body_thread(struct kt_shm *sh, void *arg)
{
	pthread_t t;

	(void)arg;
	if (pthread_create(&t, NULL, exec_thread, sh)) {
		kt_child_fail(sh, "pthread_create");
		return;
	}
	/* the exec ends this thread */
	pthread_join(t, NULL);
	kt_child_fail(sh, "execve in the thread: %s", strerror((int)-sh->v[0]));
}

static void test_thread(void)
{
	const struct la_event *ev;
	struct kt_ctx after;
	struct kt_run r;
	uint32_t argc = 2;

	if (kt_run(&r, "kt-exec-thread", body_thread, NULL))
		return;
	KT_CHILD_OK(&r);
	KT_ASSERT(r.sh->v[1] != r.pid);
	KT_EQ(kt_count(&r, r.pid, SYS_execve), 1);
	KT_REC(ev, &r, r.pid, SYS_execve, 0);
	KT_EQ(ev->args[1], (long)r.sh->buf2);
	KT_EQ(ev->ret, 0);
	after = r.sh->ctx;
	memset(after.comm, 0, sizeof(after.comm));
	strcpy(after.comm, "true");
	KT_CTX(ev, &after);
	KT_ITEMS(ev, 0, KT_IT_PATH(0, "/bin/true"), KT_IT(LA_IT_ARGV, 1, 0, "true\0thread", 12),
		 KT_IT(LA_IT_ARGC, 1, 0, &argc, 4));
}

static int execve_init(void)
{
	char tmp[PATH_MAX];

	if (!realpath("/bin/true", true_exe))
		return -1;
	strcpy(tmp, true_exe);
	snprintf(true_dir, sizeof(true_dir), "%s", dirname(tmp));
	return 0;
}

void ktest_register_execve(void)
{
	CU_pSuite s = CU_add_suite("execve", execve_init, NULL);

	if (!s)
		s = kt_suite("execve");
	kt_test(s, "execve: path, ARGV with odd bytes, argc, exec_id, comm, exe", test_basic);
	kt_test(s, "execve: proctitle is the first 128 bytes", test_proctitle);
	kt_test(s, "execve: ARGV cut at 8192 bytes", test_huge);
	kt_test(s, "execve: argv NULL (the kernel's one empty argument)", test_null_argv);
	kt_test(s, "execve: ENOENT, no ARGV", test_enoent);
	kt_test(s, "execve: bad filename pointer", test_efault);
	kt_test(s, "execve: EACCES on a file without x", test_eacces);
	kt_test(s, "execve from a second thread", test_thread);
	kt_test(s, "execveat: dirfd and a relative name", test_execveat);
	kt_test(s, "execveat: AT_EMPTY_PATH", test_execveat_empty);
	kt_test(s, "execveat: ENOENT", test_execveat_enoent);
}
