/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Kernel tests: the harness every family's suite uses.
 *
 * One binary loads the real programs once (ktest.c's main) and runs every suite.
 * The capture never records the process that loaded it, so each test forks a
 * child (kt_run) that makes the real syscalls; the parent waits for it, drains
 * the rings and keeps a copy of every record, sorted by entry time.  The child
 * reports what it saw of itself (struct kt_ctx) and the values it passed or got
 * (struct kt_shm) through shared memory mapped at the same address in both, so
 * a pointer the child passed is known to the parent as is.
 *
 * Bodies make their syscalls through kt_sys() with all six arguments given, so
 * that every register the programs read holds a known value.
 */
#ifndef LAUDITD_TESTS_KERNEL_KTEST_H
#define LAUDITD_TESTS_KERNEL_KTEST_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include <CUnit/CUnit.h>

#include "ebpf/wire.h"
#include "logger/capture.h"

/* What a process saw of itself: the context each of its records must carry. */
struct kt_ctx {
	uint32_t pid;
	uint32_t tid;
	uint32_t ppid;
	uint32_t uid, gid, euid, suid, fsuid, egid, sgid, fsgid;
	uint32_t auid;
	uint32_t ses;
	uint64_t cgroup_id;
	char comm[LA_COMM_LEN];
	char tty[LA_TTY_LEN];
	char exe[4096];
	uint32_t proctitle_len;
	char proctitle[LA_PROCTITLE_MAX];
};

#define KT_VALS 64
#define KT_CTXS 4
#define KT_BUF	(64 * 1024)

/* Shared between the parent and a test's child (and its descendants). */
struct kt_shm {
	struct kt_ctx ctx;	  /* the child, when its body starts */
	struct kt_ctx c[KT_CTXS]; /* more, filled by the body (grandchild, after setuid) */
	uint64_t t_begin;	  /* the body's window, CLOCK_BOOTTIME ns */
	uint64_t t_end;
	int64_t v[KT_VALS]; /* the body's values: returns, fds, pids */
	int failed;	    /* set by kt_child_fail() */
	char why[512];
	/* the body's buffers: paths, sockaddrs, iovecs, msghdrs; aligned for any of them */
	char buf[KT_BUF] __attribute__((aligned(64)));
	char buf2[KT_BUF] __attribute__((aligned(64)));
};

typedef void (*kt_body_fn)(struct kt_shm *sh, void *arg);

/* One child's run: its records (all processes') sorted by entry time. */
struct kt_run {
	pid_t pid;	 /* the child */
	int status;	 /* its waitpid() status */
	uint64_t t0, t1; /* CLOCK_BOOTTIME before fork and after waitpid */
	struct kt_shm *sh;
	const struct la_event **ev;
	size_t n;
};

/* The main capture, loaded by main() for the whole run. */
extern struct capture *kt_cap;
/* A scratch directory, removed at the end. */
extern char kt_tmpdir[];
/* Possible CPUs: every record's cpu is below. */
extern int kt_ncpus;

/* Where the records consumed go: the store of the current run, or counters only. */
struct kt_sink {
	int keep;		       /* copy records into the run's store */
	uint64_t delivered[LA_NR_MAX]; /* records consumed, by syscall */
	uint64_t bad;		       /* records wire_check() rejected */
	uint64_t self;		       /* records of the test process itself */
	void (*on)(void *arg, const struct la_event *ev, size_t len); /* sees each one */
	void *on_arg;
};

extern struct kt_sink kt_main_sink;

/*
 * kt_record() - the record callback of every capture this binary opens: routes
 * to the sink of the kt_consume() in progress, else to @arg (a struct kt_sink).
 */
int kt_record(void *arg, const struct la_event *ev, size_t len);

/*
 * kt_consume() - consume @c's rings into @sink: poll up to @timeout_ms first
 * when it is >= 0, then drain.  Return: records consumed or a negative errno.
 */
int kt_consume(struct capture *c, struct kt_sink *sink, int timeout_ms);

/*
 * kt_main_sync() - have the main capture's reader drain every ring, then keep
 * (@keep) or stop keeping copies of the records in the run's store.
 * Return: 0, or the negative errno the reader met since the last sync.
 */
int kt_main_sync(int keep);

/* kt_now() - CLOCK_BOOTTIME in ns (vDSO: no syscall). */
uint64_t kt_now(void);

/* kt_sys() - syscall(@nr, a0..a5) with all six registers set; -errno on failure. */
long kt_sys(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

/* kt_fill_ctx() - what the calling process sees of itself.  Makes open/read/close. */
int kt_fill_ctx(struct kt_ctx *c);

/* kt_begin(), kt_end() - (re)start and end the body's window of records. */
void kt_begin(struct kt_shm *sh);
void kt_end(struct kt_shm *sh);

/* kt_child_fail() - in a child: note a setup failure for the parent to report. */
void kt_child_fail(struct kt_shm *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* kt_cgroup2_mount() - where the cgroup v2 hierarchy is mounted. */
const char *kt_cgroup2_mount(void);

/* kt_path() - @name under kt_tmpdir, in a static buffer of the caller's choice. */
char *kt_path(char *out, size_t size, const char *name);

struct sockaddr_in;
struct sockaddr_un;
/* kt_lo() - 127.0.0.1:@port (host order) in @sin. */
void kt_lo(struct sockaddr_in *sin, unsigned int port);
/*
 * kt_bound() - a socket of @type bound to 127.0.0.1:0, listening when a stream.
 * Return: the fd, its address in @sin; or -errno.
 */
int kt_bound(int type, struct sockaddr_in *sin);
/* kt_un() - the AF_UNIX address of @name under kt_tmpdir.  Return: its length. */
unsigned int kt_un(struct sockaddr_un *sun, const char *name);

/*
 * kt_run_at() - fork a child named @comm that runs @body(sh, @arg) and exits
 * with status 0; wait for it, collect its records, and assert what holds for
 * every record of the child and its descendants: well-formed, inside [t0, t1],
 * ts_enter <= ts_exit, cpu, exec_id constant between execs, and the exe and
 * proctitle items on the first record of each thread, exec and CPU only.
 * Return: 0, or -1 when the run could not be made (already asserted).
 */
int kt_run_at(const char *file, unsigned int line, struct kt_run *r, const char *comm,
	      kt_body_fn body, void *arg);
#define kt_run(r, comm, body, arg) kt_run_at(__FILE__, __LINE__, r, comm, body, arg)

/* The @nth (from 0) record of @pid with syscall @nr in the body's window, or NULL. */
const struct la_event *kt_find(const struct kt_run *r, uint32_t pid, int nr, int nth);
/* The first record of @pid with syscall @nr and args[0] == @a0 in the window, or NULL. */
const struct la_event *kt_find_a0(const struct kt_run *r, uint32_t pid, int nr, uint64_t a0);
/* Records of @pid with syscall @nr (-1: any) in the window. */
int kt_count(const struct kt_run *r, uint32_t pid, int nr);
/* Same, over the whole run rather than the window. */
int kt_count_all(const struct kt_run *r, uint32_t pid, int nr);
/* The @nth record of @pid with @nr over the whole run, or NULL. */
const struct la_event *kt_find_all(const struct kt_run *r, uint32_t pid, int nr, int nth);

/* The first item of @kind, or NULL. */
const struct la_item *kt_item(const struct la_event *ev, unsigned int kind);

/* An item expected on a record. */
struct kt_item {
	uint8_t kind;
	uint8_t arg;
	uint8_t flags;
	const void *data;
	uint32_t len;
};

/* Item initialisers for KT_ITEMS(). */
#define KT_IT(k, a, fl, p, n)                                                   \
	{                                                                       \
		.kind = (k), .arg = (a), .flags = (fl), .data = (p), .len = (n) \
	}
#define KT_IT_PATH(a, s) KT_IT(LA_IT_PATH, a, 0, s, strlen(s))

void kt_fail(const char *file, unsigned int line, int fatal, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void kt_pass(const char *file, unsigned int line);

void kt_check_ctx(const char *file, unsigned int line, const struct la_event *ev,
		  const struct kt_ctx *c);
void kt_check_sys(const char *file, unsigned int line, const struct la_event *ev, int nr,
		  const uint64_t *args, int64_t ret);
void kt_check_items(const char *file, unsigned int line, const struct la_event *ev, uint16_t flags,
		    const struct kt_item *items, int n);
void kt_check_nrs(const char *file, unsigned int line, const struct kt_run *r, uint32_t pid,
		  const int *nrs, int n);

/* Assertions that print both values. */
#define KT_ASSERT(cond)                                              \
	do {                                                         \
		if (cond)                                            \
			kt_pass(__FILE__, __LINE__);                 \
		else                                                 \
			kt_fail(__FILE__, __LINE__, 0, "%s", #cond); \
	} while (0)

#define KT_ASSERT_FATAL(cond)                                        \
	do {                                                         \
		if (cond)                                            \
			kt_pass(__FILE__, __LINE__);                 \
		else                                                 \
			kt_fail(__FILE__, __LINE__, 1, "%s", #cond); \
	} while (0)

#define KT_EQ(a, b)                                                                              \
	do {                                                                                     \
		long long kt_a_ = (long long)(a), kt_b_ = (long long)(b);                        \
		if (kt_a_ == kt_b_)                                                              \
			kt_pass(__FILE__, __LINE__);                                             \
		else                                                                             \
			kt_fail(__FILE__, __LINE__, 0, "%s == %s: %lld (%#llx) != %lld (%#llx)", \
				#a, #b, kt_a_, kt_a_, kt_b_, kt_b_);                             \
	} while (0)

/* The child ran to the end of its body without a setup failure and exited 0. */
#define KT_CHILD_OK(r)                                                             \
	do {                                                                       \
		if ((r)->sh->failed)                                               \
			kt_fail(__FILE__, __LINE__, 1, "child: %s", (r)->sh->why); \
		KT_EQ((r)->status, 0);                                             \
	} while (0)

/* A record that must exist; the test stops here when it does not. */
#define KT_REC(var, r, pid, nr, nth)                                                          \
	do {                                                                                  \
		(var) = kt_find(r, pid, nr, nth);                                             \
		if (!(var))                                                                   \
			kt_fail(__FILE__, __LINE__, 1, "no record #%d of syscall %d, pid %u", \
				(int)(nth), (int)(nr), (unsigned int)(pid));                  \
	} while (0)

/* Same, the record of @nr whose first argument is @a0. */
#define KT_REC_A0(var, r, pid, nr, a0)                                                     \
	do {                                                                               \
		(var) = kt_find_a0(r, pid, nr, (uint64_t)(a0));                            \
		if (!(var))                                                                \
			kt_fail(__FILE__, __LINE__, 1,                                     \
				"no record of syscall %d, args[0] %#llx, "                 \
				"pid %u",                                                  \
				(int)(nr), (unsigned long long)(a0), (unsigned int)(pid)); \
	} while (0)

#define KT_CTX(ev, c) kt_check_ctx(__FILE__, __LINE__, ev, c)

/* nr, the six arguments and the return value, exactly. */
#define KT_SYS(ev, nr, a0, a1, a2, a3, a4, a5, ret)                                            \
	do {                                                                                   \
		const uint64_t kt_args_[6] = {(uint64_t)(a0), (uint64_t)(a1), (uint64_t)(a2),  \
					      (uint64_t)(a3), (uint64_t)(a4), (uint64_t)(a5)}; \
		kt_check_sys(__FILE__, __LINE__, ev, nr, kt_args_, (int64_t)(ret));            \
	} while (0)

/* The record's flags and its items other than exe and proctitle, in order. */
#define KT_ITEMS(ev, flags, ...)                                                     \
	do {                                                                         \
		const struct kt_item kt_items_[] = {{0}, __VA_ARGS__};               \
		kt_check_items(__FILE__, __LINE__, ev, flags, kt_items_ + 1,         \
			       (int)(sizeof(kt_items_) / sizeof(kt_items_[0])) - 1); \
	} while (0)

#define KT_NO_ITEMS(ev, flags) kt_check_items(__FILE__, __LINE__, ev, flags, NULL, 0)

/* The window's records of @pid are exactly these syscalls, in this order. */
#define KT_NRS(r, pid, ...)                                                \
	do {                                                               \
		const int kt_nrs_[] = {__VA_ARGS__};                       \
		kt_check_nrs(__FILE__, __LINE__, r, pid, kt_nrs_,          \
			     (int)(sizeof(kt_nrs_) / sizeof(kt_nrs_[0]))); \
	} while (0)

/*
 * kt_rules_load() - load the exit-list rules of @text into the main capture, after a
 * rule that logs the exit of the test's child.  Return: 0, or -1 (already asserted).
 */
int kt_rules_load(const char *text);
/* kt_rules_load_into() - kt_rules_load() into capture @c. */
int kt_rules_load_into(struct capture *c, const char *text);
/* kt_rules_key_in() - the key= of @ev, a record of capture @c, "" for none. */
const char *kt_rules_key_in(struct capture *c, const struct la_event *ev);
/* kt_rules_unload() - no rules again: every syscall of the families logged. */
void kt_rules_unload(void);
/* kt_rules_key() - the key= of @ev, "" for none. */
const char *kt_rules_key(const struct la_event *ev);

/* The record's key= is @want. */
#define KT_KEY(ev, want)                                                                           \
	do {                                                                                       \
		if (!strcmp(kt_rules_key(ev), want))                                               \
			kt_pass(__FILE__, __LINE__);                                               \
		else                                                                               \
			kt_fail(__FILE__, __LINE__, 0, "key \"%s\", not \"%s\"", kt_rules_key(ev), \
				want);                                                             \
	} while (0)

/* Each family's suite. */
void ktest_register_read(void);
void ktest_register_records(void);
void ktest_register_write(void);
void ktest_register_open(void);
void ktest_register_close(void);
void ktest_register_mmap(void);
void ktest_register_mprotect(void);
void ktest_register_dup(void);
void ktest_register_pipe(void);
void ktest_register_socket(void);
void ktest_register_connect(void);
void ktest_register_accept(void);
void ktest_register_bind(void);
void ktest_register_recvfrom(void);
void ktest_register_sendto(void);
void ktest_register_recvmsg(void);
void ktest_register_sendmsg(void);
void ktest_register_clone(void);
void ktest_register_execve(void);
void ktest_register_exit(void);
void ktest_register_unlink(void);
void ktest_register_rename(void);
void ktest_register_chmod(void);
void ktest_register_setuid(void);
void ktest_register_kill(void);
void ktest_register_truncate(void);
void ktest_register_context(void);
void ktest_register_exclude(void);
void ktest_register_rules(void);
void ktest_register_rulechange(void);
void ktest_register_taskrules(void);
void ktest_register_watch(void);
void ktest_register_others(void);
void ktest_register_cache(void);
void ktest_register_loss(void);

/* kt_suite() - add a suite; fatal on CUnit errors. */
CU_pSuite kt_suite(const char *name);
void kt_test(CU_pSuite s, const char *name, CU_TestFunc fn);

#endif /* LAUDITD_TESTS_KERNEL_KTEST_H */
