// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Syscalls outside the 25 families (ebpf/other.bpf.c): logged, with the rule's
 * key, when a rule names them, with their path arguments, the attributes of the
 * directory a relative name starts from and the working directory; not logged
 * when no rule names them; every syscall of a process with -S all, those of the
 * families once; the 32-bit syscalls (int 0x80 from this 64-bit process) by
 * the rules of their arch, in i386's numbering; a syscall the kernel does not
 * implement by one program at the generic sys_exit alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <sys/wait.h>

#include "formats/wire.h"
#include "logger/capture.h"
#include "tests/kernel/ktest.h"

static char dir[1024], sub[2048];
static const char junk[64] = "not an ELF module", empty[] = "";

/* The struct la_inode item of @role for argument @arg, or NULL. */
static const struct la_inode *inode_of(const struct la_event *ev, int role, int arg)
{
	const struct la_item *it = NULL;

	while ((it = wire_item(ev, LA_IT_INODE, it))) {
		const struct la_inode *in = (const void *)wire_payload(it);

		if (it->len == sizeof(*in) && in->role == role && it->arg == arg)
			return in;
	}
	return NULL;
}

static void body_named(struct kt_shm *sh, void *arg)
{
	struct timex *tx = (struct timex *)sh->buf2;
	int dfd;

	(void)arg;
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd != 3 || chdir(dir)) {
		kt_child_fail(sh, "setup: %s", strerror(errno));
		return;
	}
	strcpy(sh->buf, "b");
	strcpy(sh->buf + 64, "t");
	strcpy(sh->buf + 128, "lnk");
	memset(tx, 0, sizeof(*tx));
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_mkdir, (long)sub, 0750, 0, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_mkdir, (long)sub, 0750, 0, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_mkdirat, dfd, (long)sh->buf, 0700, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_adjtimex, (long)tx, 0, 0, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_init_module, (long)junk, sizeof(junk), (long)empty, 0, 0, 0);
	sh->v[5] = kt_sys(SYS_symlink, (long)(sh->buf + 64), (long)(sh->buf + 128), 0, 0, 0, 0);
	sh->v[6] = kt_sys(SYS_symlink, (long)(sh->buf + 64), (long)(sh->buf + 128), 0, 0, 0, 0);
	sh->v[7] = kt_sys(SYS_getpid, 0, 0, 0, 0, 0, 0);
	kt_end(sh);
}

/* A rule names the syscall: its record, key, paths, base directory and cwd. */
static void test_named(void)
{
	const struct la_inode *in;
	const struct la_item *it;
	const struct la_event *ev;
	struct kt_run r;
	struct stat st;
	char text[512];
	int P = getpid(), i;

	kt_path(dir, sizeof(dir), "others");
	mkdir(dir, 0755);
	snprintf(sub, sizeof(sub), "%s/a", dir);
	snprintf(text, sizeof(text),
		 "-a always,exit -S mkdir,mkdirat,adjtimex,init_module -F ppid=%d -k other\n"
		 "-a always,exit -S symlink -F success=0 -F ppid=%d -k failed\n",
		 P, P);
	if (kt_rules_load(text))
		return;
	if (kt_run(&r, "kt-others", body_named, NULL)) {
		kt_rules_unload();
		return;
	}
	kt_rules_unload();
	KT_CHILD_OK(&r);
	KT_EQ(r.sh->v[0], 0);
	KT_EQ(r.sh->v[1], -EEXIST);
	KT_EQ(r.sh->v[2], 0);
	KT_ASSERT(r.sh->v[3] >= 0);
	KT_ASSERT(r.sh->v[4] < 0);
	KT_EQ(r.sh->v[5], 0);
	KT_EQ(r.sh->v[6], -EEXIST);
	/* the successful symlink: the rule wants failures; getpid: no rule names it */
	KT_NRS(&r, r.pid, SYS_mkdir, SYS_mkdir, SYS_mkdirat, SYS_adjtimex, SYS_init_module,
	       SYS_symlink);

	KT_REC(ev, &r, r.pid, SYS_mkdir, 0);
	KT_SYS(ev, SYS_mkdir, sub, 0750, 0, 0, 0, 0, 0);
	KT_KEY(ev, "other");
	KT_ITEMS(ev, 0, KT_IT_PATH(0, sub));
	it = kt_item(ev, LA_IT_CWD);
	KT_ASSERT_FATAL(it != NULL);
	KT_EQ(it->len, strlen(dir));
	KT_ASSERT(!memcmp(wire_payload(it), dir, strlen(dir)));
	KT_REC(ev, &r, r.pid, SYS_mkdir, 1);
	KT_SYS(ev, SYS_mkdir, sub, 0750, 0, 0, 0, 0, -EEXIST);
	KT_KEY(ev, "other");
	KT_ITEMS(ev, 0, KT_IT_PATH(0, sub));

	/* a name without a slash: the attributes of the directory dirfd 3 opens */
	KT_REC(ev, &r, r.pid, SYS_mkdirat, 0);
	KT_SYS(ev, SYS_mkdirat, 3, r.sh->buf, 0700, 0, 0, 0, 0);
	KT_ITEMS(ev, 0, KT_IT_PATH(1, "b"));
	in = inode_of(ev, LA_INO_BASE, 1);
	KT_ASSERT_FATAL(in != NULL && !stat(dir, &st));
	KT_EQ(in->ino, st.st_ino);
	KT_EQ(in->mode, st.st_mode);
	KT_EQ(in->uid, st.st_uid);

	/* no path: no CWD */
	KT_REC(ev, &r, r.pid, SYS_adjtimex, 0);
	KT_SYS(ev, SYS_adjtimex, r.sh->buf2, 0, 0, 0, 0, 0, r.sh->v[3]);
	KT_KEY(ev, "other");
	KT_NO_ITEMS(ev, 0);
	KT_ASSERT(kt_item(ev, LA_IT_CWD) == NULL);
	/* no tracepoint of its own on a kernel without modules (ENOSYS) */
	KT_REC(ev, &r, r.pid, SYS_init_module, 0);
	KT_SYS(ev, SYS_init_module, junk, sizeof(junk), empty, 0, 0, 0, r.sh->v[4]);
	KT_KEY(ev, "other");
	KT_NO_ITEMS(ev, 0);

	KT_REC(ev, &r, r.pid, SYS_symlink, 0);
	KT_SYS(ev, SYS_symlink, r.sh->buf + 64, r.sh->buf + 128, 0, 0, 0, 0, -EEXIST);
	KT_KEY(ev, "failed");
	KT_ITEMS(ev, 0, KT_IT_PATH(0, "t"), KT_IT_PATH(1, "lnk"));
	KT_ASSERT(inode_of(ev, LA_INO_BASE, 1) != NULL);
	for (i = 0; i < 6; i++) {
		ev = kt_find(&r, r.pid, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_CTX(ev, &r.sh->ctx);
	}
}

static void body_unnamed(struct kt_shm *sh, void *arg)
{
	(void)arg;
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_mkdir, (long)sub, 0750, 0, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_adjtimex, (long)sh->buf2, 0, 0, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_close, 1500, 0, 0, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_rmdir, (long)sub, 0, 0, 0, 0, 0);
	kt_end(sh);
}

/* No rule names them: not logged, the generic programs detached or passing them by. */
static void test_unnamed(void)
{
	const struct la_event *ev;
	struct kt_run r;
	char text[256];

	kt_path(dir, sizeof(dir), "others");
	mkdir(dir, 0755);
	snprintf(sub, sizeof(sub), "%s/unnamed", dir);
	snprintf(text, sizeof(text), "-a always,exit -S close -F a0=1500 -F ppid=%d -k close\n",
		 (int)getpid());
	if (kt_rules_load(text))
		return;
	if (kt_run(&r, "kt-others-none", body_unnamed, NULL)) {
		kt_rules_unload();
		return;
	}
	kt_rules_unload();
	KT_CHILD_OK(&r);
	KT_EQ(r.sh->v[0], 0);
	KT_EQ(r.sh->v[3], 0);
	KT_NRS(&r, r.pid, SYS_close);
	KT_REC(ev, &r, r.pid, SYS_close, 0);
	KT_KEY(ev, "close");
}

static void body_all(struct kt_shm *sh, void *arg)
{
	(void)arg;
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_getppid, 0, 0, 0, 0, 0, 0);
	sh->v[1] = kt_sys(SYS_mkdir, (long)sub, 0750, 0, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_close, 1501, 0, 0, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_rmdir, (long)sub, 0, 0, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_umask, 022, 0, 0, 0, 0, 0);
	kt_end(sh);
}

/* -S all: every syscall, the families' by their own programs only. */
static void test_all(void)
{
	const struct la_event *ev;
	struct kt_run r;
	char text[256];

	kt_path(dir, sizeof(dir), "others");
	mkdir(dir, 0755);
	snprintf(sub, sizeof(sub), "%s/all", dir);
	snprintf(text, sizeof(text), "-a always,exit -S all -F ppid=%d -k all\n", (int)getpid());
	if (kt_rules_load(text))
		return;
	if (kt_run(&r, "kt-others-all", body_all, NULL)) {
		kt_rules_unload();
		return;
	}
	kt_rules_unload();
	KT_CHILD_OK(&r);
	KT_NRS(&r, r.pid, SYS_getppid, SYS_mkdir, SYS_close, SYS_rmdir, SYS_umask);
	KT_REC(ev, &r, r.pid, SYS_getppid, 0);
	KT_SYS(ev, SYS_getppid, 0, 0, 0, 0, 0, 0, getpid());
	KT_KEY(ev, "all");
	KT_REC(ev, &r, r.pid, SYS_mkdir, 0);
	KT_KEY(ev, "all");
	KT_ITEMS(ev, 0, KT_IT_PATH(0, sub));
	KT_REC(ev, &r, r.pid, SYS_close, 0);
	KT_SYS(ev, SYS_close, 1501, 0, 0, 0, 0, 0, -EBADF);
	KT_KEY(ev, "all");
	KT_REC(ev, &r, r.pid, SYS_umask, 0);
	KT_KEY(ev, "all");
	KT_CTX(ev, &r.sh->ctx);
}

/* Whether syscall @name has tracepoints of its own on this kernel */
static int has_tp(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/kernel/tracing/events/syscalls/sys_enter_%s", name);
	return !access(path, F_OK);
}

/* The raw programs that a rule naming syscall @nr (no family's) attaches on this kernel */
static unsigned int raw_links_for(int nr, const char *name)
{
	if (has_tp(name))
		return 0;
	if (capture_unimplemented(kt_cap, nr))
		return CAPTURE_RAW_EXIT;
	return CAPTURE_RAW_ENTER | CAPTURE_RAW_EXIT;
}

static void body_modules(struct kt_shm *sh, void *arg)
{
	(void)arg;
	strcpy(sh->buf, "kt_no_such_module");
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_init_module, (long)junk, sizeof(junk), (long)empty, 0x1234, 0x5678,
			  0x9abc);
	sh->v[1] = kt_sys(SYS_finit_module, 1502, (long)empty, 2, 0x77, 0, 0);
	sh->v[2] = kt_sys(SYS_delete_module, (long)sh->buf, O_NONBLOCK, 0, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_getpid, 0, 0, 0, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_set_thread_area, 0, 0, 0, 0, 0, 0);
	kt_end(sh);
}

/*
 * 43-module-load's syscalls: on a kernel without modules they have no tracepoints, and
 * the raw program at sys_exit makes their records from the registers, a0..a5 and
 * ENOSYS, with none at sys_enter.  set_thread_area (x86-64 has no entry for it, but its
 * code is in the kernel: taken as implemented) beside them attaches the raw pair: each
 * syscall logged once.
 */
static void test_modules(void)
{
	unsigned int want, got;
	const struct la_event *ev;
	struct kt_run r;
	char text[512];
	int P = getpid(), i;

	snprintf(text, sizeof(text),
		 "-a always,exit -F arch=b64 -S init_module,finit_module,delete_module "
		 "-F ppid=%d -k modules\n",
		 P);
	if (kt_rules_load(text))
		return;
	want = raw_links_for(SYS_init_module, "init_module") |
	       raw_links_for(SYS_finit_module, "finit_module") |
	       raw_links_for(SYS_delete_module, "delete_module");
	got = capture_raw_links(kt_cap);
	kt_rules_unload();
	KT_EQ(got, want);
	KT_EQ(capture_raw_links(kt_cap), 0);

	snprintf(text, sizeof(text),
		 "-a always,exit -F arch=b64 -S init_module,finit_module,delete_module "
		 "-F ppid=%d -k modules\n"
		 "-a always,exit -F arch=b64 -S set_thread_area -F ppid=%d -k tls\n",
		 P, P);
	if (kt_rules_load(text))
		return;
	got = capture_raw_links(kt_cap);
	if (kt_run(&r, "kt-others-mod", body_modules, NULL)) {
		kt_rules_unload();
		return;
	}
	kt_rules_unload();
	KT_EQ(got, want | raw_links_for(SYS_set_thread_area, "set_thread_area"));
	KT_CHILD_OK(&r);
	KT_NRS(&r, r.pid, SYS_init_module, SYS_finit_module, SYS_delete_module,
	       SYS_set_thread_area);
	KT_REC(ev, &r, r.pid, SYS_init_module, 0);
	KT_SYS(ev, SYS_init_module, junk, sizeof(junk), empty, 0x1234, 0x5678, 0x9abc, r.sh->v[0]);
	KT_KEY(ev, "modules");
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_finit_module, 0);
	KT_SYS(ev, SYS_finit_module, 1502, empty, 2, 0x77, 0, 0, r.sh->v[1]);
	KT_KEY(ev, "modules");
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_delete_module, 0);
	KT_SYS(ev, SYS_delete_module, r.sh->buf, O_NONBLOCK, 0, 0, 0, 0, r.sh->v[2]);
	KT_KEY(ev, "modules");
	KT_NO_ITEMS(ev, 0);
	KT_REC(ev, &r, r.pid, SYS_set_thread_area, 0);
	KT_SYS(ev, SYS_set_thread_area, 0, 0, 0, 0, 0, 0, r.sh->v[4]);
	KT_KEY(ev, "tls");
	for (i = 0; i < 4; i++) {
		ev = kt_find(&r, r.pid, -1, i);
		KT_ASSERT_FATAL(ev != NULL);
		KT_CTX(ev, &r.sh->ctx);
		KT_ASSERT(ev->ts_enter <= ev->ts_exit);
	}
	if (capture_unimplemented(kt_cap, SYS_init_module)) {
		for (i = 0; i < 3; i++)
			KT_EQ(r.sh->v[i], -ENOSYS);
		/* entered and left in the one program at exit */
		KT_REC(ev, &r, r.pid, SYS_init_module, 0);
		KT_ASSERT(ev->ts_exit - ev->ts_enter < 1000000);
	}
}

/* arch/x86/entry/syscalls/syscall_32.tbl */
#define NR32_READ   3
#define NR32_OPEN   5
#define NR32_GETPID 20

/* A 32-bit syscall from this 64-bit process: int 0x80, i386's number and registers */
static long int80(long nr, long bx, long cx, long dx, long si)
{
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(bx), "c"(cx), "d"(dx), "S"(si)
			 : "memory");
	return ret;
}

/*
 * Whether the kernel runs 32-bit syscalls, by trying one in a child: without IA32
 * emulation, int 0x80 ends the process (SIGSEGV).
 */
static int runs_int80(void)
{
	int st = 0;
	pid_t pid = fork();

	if (pid == 0)
		_exit(int80(NR32_GETPID, 0, 0, 0, 0) == getpid() ? 0 : 1);
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void body_compat(struct kt_shm *sh, void *arg)
{
	char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	struct stat *st = (struct stat *)sh->buf2;

	(void)arg;
	if (low == MAP_FAILED) {
		kt_child_fail(sh, "mmap MAP_32BIT: %s", strerror(errno));
		return;
	}
	snprintf(low, 4096, "%s/none32", dir);
	strcpy(sh->buf, low);
	sh->v[8] = (long)low;
	kt_begin(sh);
	/* i386's open is 5, x86-64's fstat */
	sh->v[0] = int80(NR32_OPEN, (long)low, O_RDONLY, 0, 0);
	sh->v[1] = kt_sys(SYS_fstat, 0, (long)st, 0, 0, 0, 0);
	/* i386's read is 3, x86-64's close */
	sh->v[2] = int80(NR32_READ, 1501, (long)low, 16, 0);
	sh->v[3] = kt_sys(SYS_close, 1501, 0, 0, 0, 0, 0);
	sh->v[4] = int80(NR32_GETPID, 0, 0, 0, 0);
	sh->v[5] = kt_sys(SYS_getpid, 0, 0, 0, 0, 0, 0);
	kt_end(sh);
}

/*
 * The 32-bit syscalls reach the raw pair only, with i386's numbers: an arch=b32 rule's
 * -S is in those (open is 5, x86-64's fstat) and selects no x86-64 syscall; a rule with
 * no arch selects both arches' syscalls of the same number (the kernel tests its mask on
 * the number alone), so -S close (3) takes i386's read; arch=b64 takes no 32-bit one.
 */
static void test_compat(void)
{
	const struct la_event *ev;
	struct kt_run r;
	char text[512];
	int P = getpid(), runs = runs_int80();

	KT_EQ(capture_compat(kt_cap), runs == 1);
	kt_path(dir, sizeof(dir), "others");
	mkdir(dir, 0755);
	snprintf(text, sizeof(text),
		 "-a always,exit -F arch=b32 -S open -F ppid=%d -k b32\n"
		 "-a always,exit -S close -F ppid=%d -k noarch\n"
		 "-a always,exit -F arch=b64 -S getpid -F ppid=%d -k b64\n",
		 P, P, P);
	if (runs != 1) {
		printf("SKIPPED: others: this kernel runs no 32-bit syscall (int 0x80 ends the "
		       "process): the b32 rules load, and select no x86-64 syscall\n");
		if (kt_rules_load(text))
			return;
		kt_rules_unload();
		return;
	}
	if (kt_rules_load(text))
		return;
	/* the 32-bit syscalls: the raw pair */
	KT_EQ(capture_raw_links(kt_cap), CAPTURE_RAW_ENTER | CAPTURE_RAW_EXIT);
	if (kt_run(&r, "kt-others-b32", body_compat, NULL)) {
		kt_rules_unload();
		return;
	}
	kt_rules_unload();
	KT_CHILD_OK(&r);
	KT_EQ(r.sh->v[0], -ENOENT);
	KT_EQ(r.sh->v[1], 0);
	KT_EQ(r.sh->v[2], -EBADF);
	KT_EQ(r.sh->v[3], -EBADF);
	KT_EQ(r.sh->v[4], r.pid);
	KT_EQ(r.sh->v[5], r.pid);
	/* neither x86-64's fstat (5) nor i386's getpid (20) */
	KT_NRS(&r, r.pid, LA_NR_COMPAT | NR32_OPEN, LA_NR_COMPAT | NR32_READ, SYS_close,
	       SYS_getpid);

	KT_REC(ev, &r, r.pid, LA_NR_COMPAT | NR32_OPEN, 0);
	KT_EQ(ev->args[0], r.sh->v[8]);
	KT_EQ(ev->args[1], O_RDONLY);
	KT_EQ(ev->args[2], 0);
	KT_EQ(ev->args[3], 0);
	KT_EQ(ev->ret, -ENOENT);
	KT_KEY(ev, "b32");
	KT_CTX(ev, &r.sh->ctx);
	KT_REC(ev, &r, r.pid, LA_NR_COMPAT | NR32_READ, 0);
	KT_EQ(ev->args[0], 1501);
	KT_EQ(ev->args[1], r.sh->v[8]);
	KT_EQ(ev->args[2], 16);
	KT_EQ(ev->ret, -EBADF);
	KT_KEY(ev, "noarch");
	KT_REC(ev, &r, r.pid, SYS_close, 0);
	KT_SYS(ev, SYS_close, 1501, 0, 0, 0, 0, 0, -EBADF);
	KT_KEY(ev, "noarch");
	KT_REC(ev, &r, r.pid, SYS_getpid, 0);
	KT_KEY(ev, "b64");
}

void ktest_register_others(void)
{
	CU_pSuite s = kt_suite("others");

	kt_test(s, "others: a rule names a syscall outside the families: record, key, paths",
		test_named);
	kt_test(s, "others: no rule names them: not logged", test_unnamed);
	kt_test(s, "others: syscalls the kernel lacks, by one program at sys_exit", test_modules);
	kt_test(s, "others: -S all logs every syscall once", test_all);
	kt_test(s, "others: 32-bit syscalls by the rules of their arch, i386's numbers",
		test_compat);
}
