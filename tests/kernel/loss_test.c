// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Loss accounting: every record the programs set out to make is either
 * delivered or counted lost, exactly (DESIGN.md, "Lossless").  A second capture
 * with a small ring is loaded beside the main one and not read while a child
 * makes 200000 audited calls; then, for every syscall, made == delivered + the
 * loss counters (logger/counters.c).  The suite runs last: it ends by stopping
 * the main capture and checking its own accounting over the whole run, with
 * nothing lost.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "formats/wire.h"
#include "logger/counters.h"
#include "tests/kernel/ktest.h"

/* small enough to overflow at once when not read, big enough for an exec's records */
#define SMALL_RING (256 * 1024)
#define SMALL_ARGV 1024
#define CLOSES	   200000

static struct capture *c2;
/* Every record consumed from c2 since it was loaded goes through this sink. */
static struct kt_sink c2_sink;
static int c2_attached;
/* Calls of c2's own callback (a wrapper of kt_record), wherever they came from. */
static unsigned long c2_calls;

static int c2_record(void *arg, const struct la_event *ev, size_t len)
{
	__atomic_fetch_add(&c2_calls, 1, __ATOMIC_RELAXED);
	return kt_record(arg, ev, len);
}

static void test_load(void)
{
	struct capture_opts o = {
		.ring_bytes = SMALL_RING,
		.wakeup_percent = 50,
		.argv_bytes = SMALL_ARGV,
	};
	int err;

	c2 = capture_open(&o, c2_record, &c2_sink);
	if (!c2) {
		kt_fail(__FILE__, __LINE__, 1, "second capture_open: %s", strerror(errno));
		return;
	}
	err = capture_attach(c2);
	if (err)
		kt_fail(__FILE__, __LINE__, 1, "second capture_attach: %s", strerror(-err));
	c2_attached = 1;
	KT_ASSERT(kt_consume(c2, &c2_sink, -1) >= 0);
}

static void body_close(struct kt_shm *sh, void *arg)
{
	(void)arg;
	kt_sys(SYS_close, -1, 0, 0, 0, 0, 0);
	kt_end(sh);
}

/*
 * capture_open()'s @fn and @arg belong to the capture opened: records the main
 * capture consumes must not go to the second capture's callback.
 */
static void test_own_callback(void)
{
	struct kt_run r;

	KT_ASSERT_FATAL(c2_attached);
	kt_consume(c2, &c2_sink, -1);
	__atomic_store_n(&c2_calls, 0, __ATOMIC_RELAXED);
	if (kt_run(&r, "kt-loss-cb", body_close, NULL))
		return;
	KT_CHILD_OK(&r);
	KT_EQ(kt_count(&r, r.pid, SYS_close), 1);
	/* only the main capture was read meanwhile */
	KT_EQ(__atomic_load_n(&c2_calls, __ATOMIC_RELAXED), 0);
	kt_consume(c2, &c2_sink, -1);
}

/* The execve seen by the second capture: the one a child of this process made. */
struct argv_seen {
	uint32_t ppid;
	uint32_t pid;
	int n;
	uint32_t len;
	uint8_t flags;
};

static void on_execve(void *arg, const struct la_event *ev, size_t len)
{
	struct argv_seen *s = arg;
	const struct la_item *it;

	(void)len;
	if (ev->ppid != s->ppid || ev->nr != SYS_execve)
		return;
	s->n++;
	s->pid = ev->pid;
	it = wire_item(ev, LA_IT_ARGV, NULL);
	if (it) {
		s->len = it->len;
		s->flags = it->flags;
	}
}

static void body_exec(struct kt_shm *sh, void *arg)
{
	char **argv = (char **)sh->buf2;

	(void)arg;
	memset(sh->buf, 'z', 3000);
	sh->buf[3000] = 0;
	argv[0] = "true";
	argv[1] = sh->buf;
	argv[2] = NULL;
	kt_sys(SYS_execve, (long)"/bin/true", (long)argv, (long)(argv + 2), 0, 0, 0);
	kt_child_fail(sh, "execve: %s", strerror(errno));
}

/* Reads the second capture while a test runs, so that other processes cannot fill it. */
static int c2_pump_quit;

static void *c2_pump(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&c2_pump_quit, __ATOMIC_ACQUIRE))
		kt_consume(c2, &c2_sink, 1);
	kt_consume(c2, &c2_sink, -1);
	return NULL;
}

/* DESIGN.md: the argv cap is configuration (capture_opts.argv_bytes), flagged when cut. */
static void test_argv_bytes(void)
{
	static struct la_counts cnt[LA_NR_MAX];
	struct argv_seen seen = {0};
	const struct la_event *ev;
	const struct la_item *it;
	struct kt_run r;
	pthread_t t;

	KT_ASSERT_FATAL(c2_attached);
	kt_consume(c2, &c2_sink, -1);
	seen.ppid = getpid();
	c2_sink.on = on_execve;
	c2_sink.on_arg = &seen;
	__atomic_store_n(&c2_pump_quit, 0, __ATOMIC_RELEASE);
	KT_ASSERT_FATAL(pthread_create(&t, NULL, c2_pump, NULL) == 0);
	kt_run(&r, "kt-loss-argv", body_exec, NULL);
	__atomic_store_n(&c2_pump_quit, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	c2_sink.on = NULL;
	if (!seen.n && !capture_counts(c2, cnt) && cnt[SYS_execve].n[LA_CNT_RING_FULL])
		kt_fail(__FILE__, __LINE__, 0, "the execve record was lost: second ring full");
	KT_EQ(r.status, 0);
	/* the main capture: argv_bytes 8192, the 3006 bytes whole */
	KT_REC(ev, &r, r.pid, SYS_execve, 0);
	it = kt_item(ev, LA_IT_ARGV);
	KT_ASSERT_FATAL(it != NULL);
	KT_EQ(it->len, 3006);
	KT_EQ(it->flags, 0);
	/* the second: argv_bytes 1024 */
	KT_EQ(seen.n, 1);
	KT_EQ(seen.pid, r.pid);
	KT_EQ(seen.len, SMALL_ARGV);
	KT_EQ(seen.flags, LA_IF_TRUNC);
}

/* The main capture is read as fast as it comes; the second one is not read at all. */
static void test_accounting(void)
{
	static struct la_counts cnt[LA_NR_MAX];
	uint64_t lost, bad = 0, made = 0, delivered = 0, full = 0;
	pid_t pid;
	int st = 0, nr, i;

	KT_ASSERT_FATAL(c2_attached);
	kt_consume(c2, &c2_sink, -1);
	fflush(NULL);
	pid = fork();
	if (!pid) {
		for (i = 0; i < CLOSES; i++)
			kt_sys(SYS_close, -1, 0, 0, 0, 0, 0);
		kt_sys(SYS_exit_group, 0, 0, 0, 0, 0, 0);
	}
	KT_ASSERT_FATAL(pid > 0);
	/* the main capture's reader keeps up meanwhile */
	KT_EQ(waitpid(pid, &st, 0), pid);
	KT_EQ(st, 0);
	KT_EQ(kt_main_sync(0), 0);

	/* no new record, then all of them */
	KT_EQ(capture_stop(c2), 0);
	KT_ASSERT(kt_consume(c2, &c2_sink, -1) >= 0);
	KT_EQ(capture_counts(c2, cnt), 0);
	KT_EQ(c2_sink.bad, 0);
	for (nr = 0; nr < LA_NR_MAX; nr++) {
		lost = counters_lost(&cnt[nr]);
		if (cnt[nr].n[LA_CNT_MADE] != c2_sink.delivered[nr] + lost) {
			if (bad++ < 5)
				kt_fail(__FILE__, __LINE__, 0,
					"syscall %d: made %llu != delivered %llu + lost %llu", nr,
					(unsigned long long)cnt[nr].n[LA_CNT_MADE],
					(unsigned long long)c2_sink.delivered[nr],
					(unsigned long long)lost);
		}
		made += cnt[nr].n[LA_CNT_MADE];
		delivered += c2_sink.delivered[nr];
		full += cnt[nr].n[LA_CNT_RING_FULL];
	}
	KT_EQ(bad, 0);
	printf("\n    second capture: made %llu, delivered %llu, ring full %llu; close: made %llu, "
	       "delivered %llu, ring full %llu ",
	       (unsigned long long)made, (unsigned long long)delivered, (unsigned long long)full,
	       (unsigned long long)cnt[SYS_close].n[LA_CNT_MADE],
	       (unsigned long long)c2_sink.delivered[SYS_close],
	       (unsigned long long)cnt[SYS_close].n[LA_CNT_RING_FULL]);
	KT_ASSERT(cnt[SYS_close].n[LA_CNT_MADE] >= CLOSES);
	KT_ASSERT(cnt[SYS_close].n[LA_CNT_RING_FULL] > 0);
	/* the ring held a few hundred records, far fewer than were made */
	KT_ASSERT(c2_sink.delivered[SYS_close] < CLOSES / 2);
	KT_EQ(cnt[SYS_close].n[LA_CNT_TOO_LARGE], 0);
	KT_EQ(cnt[SYS_close].n[LA_CNT_NO_STASH], 0);
}

/* The main capture over the whole run: every record accounted for, none lost. */
static void test_main(void)
{
	static struct la_counts cnt[LA_NR_MAX];
	uint64_t lost, bad = 0, made = 0, lost_all = 0;
	int nr, k;

	KT_EQ(capture_stop(kt_cap), 0);
	KT_EQ(kt_main_sync(0), 0);
	KT_EQ(capture_counts(kt_cap, cnt), 0);
	KT_EQ(kt_main_sink.bad, 0);
	KT_EQ(kt_main_sink.self, 0);
	for (nr = 0; nr < LA_NR_MAX; nr++) {
		lost = counters_lost(&cnt[nr]);
		/* the rules suite's syscalls that no rule logged */
		if (cnt[nr].n[LA_CNT_MADE] !=
		    kt_main_sink.delivered[nr] + lost + counters_filtered(&cnt[nr])) {
			if (bad++ < 5)
				kt_fail(__FILE__, __LINE__, 0,
					"syscall %d: made %llu != delivered %llu + lost %llu", nr,
					(unsigned long long)cnt[nr].n[LA_CNT_MADE],
					(unsigned long long)kt_main_sink.delivered[nr],
					(unsigned long long)lost);
		}
		for (k = 0; k < LA_CNT__MAX && lost && lost_all < 5; k++)
			if (counter_info[k].loss && cnt[nr].n[k])
				kt_fail(__FILE__, __LINE__, 0, "syscall %d: %llu lost (%s)", nr,
					(unsigned long long)cnt[nr].n[k], counter_info[k].name);
		made += cnt[nr].n[LA_CNT_MADE];
		lost_all += lost;
	}
	KT_EQ(bad, 0);
	KT_EQ(lost_all, 0);
	printf("\n    main capture: made %llu, lost %llu ", (unsigned long long)made,
	       (unsigned long long)lost_all);
	KT_ASSERT(cnt[SYS_close].n[LA_CNT_MADE] >= CLOSES);
}

static int loss_cleanup(void)
{
	if (c2) {
		capture_stop(c2);
		capture_detach(c2);
		capture_close(c2);
		c2 = NULL;
	}
	return 0;
}

void ktest_register_loss(void)
{
	CU_pSuite s = CU_add_suite("loss", NULL, loss_cleanup);

	if (!s)
		s = kt_suite("loss");
	kt_test(s, "a second capture (256 KiB rings, argv_bytes 1024) loads beside the first",
		test_load);
	kt_test(s, "each capture calls its own callback", test_own_callback);
	kt_test(s, "argv_bytes is the capture's option", test_argv_bytes);
	kt_test(s, "second capture, not read: made == delivered + lost for every syscall",
		test_accounting);
	kt_test(s, "main capture, whole run: made == delivered, nothing lost", test_main);
}
