// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The cache filter (ebpf/cache.bpf.h): a second capture loaded with it on, read
 * after each child has exited.  The totals of a merged record, exactly; and
 * every event that ends a cached record before the next syscall could merge
 * into it: a write by another process, execve, a new identity (setresuid),
 * close, exit_group, cache_flush_interval (both the age a merge must be under
 * and the flush user space runs), and a full cache (cache_size), whose syscalls
 * are written alone.  The descriptor syscalls of one object: a dup and the
 * closes after it, one record with their totals, ended by a new identity.  A held
 * open: an open, its reads or writes and its close are one record, the open's,
 * with their exact totals; a write by another process, an execve, the flush
 * and the interval each send the open alone.  In each, every syscall the child
 * made is one record or counted in one's merged.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "formats/wire.h"
#include "tests/kernel/ktest.h"

/* a merge must come within this of the cached syscall's entry */
#define INTERVAL_NS 1000000000ULL
/* the small cache of the eviction test */
#define SMALL_CACHE 64
#define SMALL_FILES 128

/* The records of the processes a test names, from the capture with the filter on. */
struct kept {
	uint32_t pids[4];
	size_t n, cap;
	struct la_event **ev;
};

static struct capture *cc;
static struct kt_sink cc_sink;
static struct kept kept;
static char path[1024], path2[1024];

static void keep_record(void *arg, const struct la_event *ev, size_t len)
{
	struct kept *k = arg;
	struct la_event **v;
	size_t i;

	for (i = 0; i < 4; i++)
		if (k->pids[i] && ev->pid == k->pids[i])
			break;
	if (i == 4)
		return;
	if (k->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 64;
		v = realloc(k->ev, k->cap * sizeof(*v));
		if (!v)
			abort();
		k->ev = v;
	}
	k->ev[k->n] = malloc(len);
	if (!k->ev[k->n])
		abort();
	memcpy(k->ev[k->n++], ev, len);
}

static void kept_clear(void)
{
	while (kept.n)
		free(kept.ev[--kept.n]);
	memset(kept.pids, 0, sizeof(kept.pids));
}

static int by_entry(const void *a, const void *b)
{
	const struct la_event *x = *(const struct la_event *const *)a;
	const struct la_event *y = *(const struct la_event *const *)b;

	return (x->ts_enter > y->ts_enter) - (x->ts_enter < y->ts_enter);
}

/* Drain @c, keeping the records of @pids (up to 4, 0 ends), sorted by entry time. */
static void collect(struct capture *c, const uint32_t *pids)
{
	kept_clear();
	memcpy(kept.pids, pids, sizeof(kept.pids));
	cc_sink.on = keep_record;
	cc_sink.on_arg = &kept;
	KT_ASSERT(kt_consume(c, &cc_sink, -1) >= 0);
	cc_sink.on = NULL;
	if (kept.n)
		qsort(kept.ev, kept.n, sizeof(*kept.ev), by_entry);
}

/* The first syscall of the flow merged into an open's record @ev (-1: none); its totals in @m. */
static int flow_of(const struct la_event *ev, struct la_merge *m)
{
	const struct la_item *it = wire_item(ev, LA_IT_MERGE, NULL);

	memset(m, 0, sizeof(*m));
	if (!it || it->len != sizeof(*m))
		return -1;
	memcpy(m, wire_payload(it), sizeof(*m));
	return m->flow ? m->flow_nr : -1;
}

/*
 * Whether @ev is a record of syscall @nr: its own, or an open's that @nr's
 * syscalls joined (its first one merged into the open's record).
 */
static int is_nr(const struct la_event *ev, int nr)
{
	struct la_merge m;

	return nr < 0 || ev->nr == nr || flow_of(ev, &m) == nr;
}

/* The descriptor a record's flow is on: an open's return, else its args[0]. */
static uint64_t flow_fd(const struct la_event *ev)
{
	struct la_merge m;

	return flow_of(ev, &m) >= 0 ? (uint64_t)ev->ret : ev->args[0];
}

/* The @nth kept record of @pid with syscall @nr (-1: any; is_nr()), or NULL. */
static const struct la_event *kept_find(uint32_t pid, int nr, int nth)
{
	size_t i;

	for (i = 0; i < kept.n; i++)
		if (kept.ev[i]->pid == pid && is_nr(kept.ev[i], nr) && !nth--)
			return kept.ev[i];
	return NULL;
}

/* The @nth kept record of @pid of syscall @nr itself (an open's with its flow aside). */
static const struct la_event *kept_own(uint32_t pid, int nr, int nth)
{
	size_t i;

	for (i = 0; i < kept.n; i++)
		if (kept.ev[i]->pid == pid && kept.ev[i]->nr == nr && !nth--)
			return kept.ev[i];
	return NULL;
}

static int kept_count(uint32_t pid, int nr)
{
	int n = 0;

	while (kept_find(pid, nr, n))
		n++;
	return n;
}

/*
 * A record's merged= (0: it stands for itself only); its totals in @m.  For an
 * open's record that a flow joined, the syscalls after the flow's first, as the
 * first one's record would say without the open.
 */
static uint64_t merged_of(const struct la_event *ev, struct la_merge *m)
{
	if (flow_of(ev, m) >= 0)
		return m->merged - 1;
	return m->merged;
}

/* The merged= of @pid's records of @nr, in the order they were made, as "1 0 3". */
static const char *merged_list(uint32_t pid, int nr)
{
	static char out[256];
	const struct la_event *ev;
	struct la_merge m;
	size_t o = 0;
	int i;

	out[0] = 0;
	for (i = 0; (ev = kept_find(pid, nr, i)) && o < sizeof(out) - 24; i++)
		o += snprintf(out + o, sizeof(out) - o, "%s%llu", i ? " " : "",
			      (unsigned long long)merged_of(ev, &m));
	return out;
}

/* @ev's key= (the capture with the filter on) is @want. */
#define KT_KEY_IN(ev, want) KT_STR(key_of(ev), want)

#define KT_STR(a, b)                                                                         \
	do {                                                                                 \
		const char *kt_a_ = (a), *kt_b_ = (b);                                       \
		if (!strcmp(kt_a_, kt_b_))                                                   \
			kt_pass(__FILE__, __LINE__);                                         \
		else                                                                         \
			kt_fail(__FILE__, __LINE__, 0, "%s == %s: \"%s\" != \"%s\"", #a, #b, \
				kt_a_, kt_b_);                                               \
	} while (0)

/* 64 bytes */
#define DATA64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* The file @name under kt_tmpdir holding @data; its path in @p (of sizeof(path)). */
static void make_file(char *p, const char *name, const char *data)
{
	FILE *f;

	kt_path(p, sizeof(path), name);
	f = fopen(p, "w");
	KT_ASSERT_FATAL(f != NULL);
	KT_EQ(fputs(data, f) >= 0, 1);
	KT_EQ(fclose(f), 0);
}

/* Run @body in a child with the filter's capture drained before and after. */
static int run(struct kt_run *r, const char *comm, kt_body_fn body)
{
	uint32_t pids[4] = {0};

	KT_ASSERT_FATAL(cc != NULL);
	/* nothing of an earlier test's, nothing cached from before */
	KT_EQ(capture_cache_flush(cc, UINT64_MAX), 0);
	kt_consume(cc, &cc_sink, -1);
	if (kt_run(r, comm, body, NULL))
		return -1;
	KT_CHILD_OK(r);
	pids[0] = r->pid;
	pids[1] = r->sh->v[60];
	collect(cc, pids);
	return 0;
}

static void test_load(void)
{
	struct capture_opts o = {
		.ring_bytes = 8 << 20,
		.wakeup_percent = 50,
		.argv_bytes = 8192,
		.cache_size = 4096,
		.cache_interval_ns = INTERVAL_NS,
	};
	int err;

	cc = capture_open(&o, kt_record, &cc_sink);
	if (!cc) {
		kt_fail(__FILE__, __LINE__, 1, "capture_open: %s", strerror(errno));
		return;
	}
	KT_EQ(capture_cache_on(cc), 1);
	err = capture_attach(cc);
	if (err)
		kt_fail(__FILE__, __LINE__, 1, "capture_attach: %s", strerror(-err));
}

/*
 * Nine read-like syscalls of one file, some failing, one a read: one record,
 * the first's (its arguments and return), with merged=8, the bytes of the
 * successful ones and the failures counted, and the last one's exit.
 */
static void body_totals(struct kt_shm *sh, void *arg)
{
	int fd, i;

	(void)arg;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		kt_child_fail(sh, "open: %s", strerror(errno));
		return;
	}
	kt_begin(sh);
	sh->v[0] = fd;
	for (i = 0; i < 5; i++)
		sh->v[1 + i] = kt_sys(SYS_pread64, fd, (long)sh->buf, 16, 0, 0, 0);
	sh->v[6] = kt_sys(SYS_pread64, fd, (long)sh->buf, 16, 60, 0, 0);
	sh->v[7] = kt_sys(SYS_pread64, fd, (long)sh->buf, 16, -1, 0, 0);
	sh->v[8] = kt_sys(SYS_pread64, fd, (long)sh->buf, 16, -1, 0, 0);
	sh->v[9] = kt_now();
	sh->v[10] = kt_sys(SYS_read, fd, (long)sh->buf, 16, 0, 0, 0);
	sh->v[11] = kt_now();
	kt_end(sh);
}

static void test_totals(void)
{
	const struct la_event *ev;
	struct la_merge m;
	struct kt_run r;
	int i;

	make_file(path, "cache-totals", DATA64);
	if (run(&r, "kt-cache-tot", body_totals))
		return;
	for (i = 1; i <= 5; i++)
		KT_EQ(r.sh->v[i], 16);
	KT_EQ(r.sh->v[6], 4);
	KT_EQ(r.sh->v[7], -EINVAL);
	KT_EQ(r.sh->v[8], -EINVAL);
	KT_EQ(r.sh->v[10], 16);
	KT_EQ(kept_count(r.pid, SYS_pread64), 1);
	/* kt_run's own reads before the body, of another file on the same fd, aside */
	for (i = 0; (ev = kept_find(r.pid, SYS_read, i)); i++)
		KT_ASSERT(ev->ts_enter < r.sh->t_begin || ev->args[0] != (uint64_t)r.sh->v[0]);
	/* the open's record, which the reads joined (nothing came between) */
	ev = kept_find(r.pid, SYS_pread64, 0);
	KT_ASSERT_FATAL(ev != NULL);
	KT_EQ(ev->nr, SYS_openat);
	KT_EQ(ev->ret, r.sh->v[0]);
	KT_CTX(ev, &r.sh->ctx);
	KT_EQ(merged_of(ev, &m), 8);
	KT_EQ(m.merged, 9);
	KT_EQ(m.flow, LA_FLOW_READ);
	KT_EQ(m.flow_nr, SYS_pread64);
	KT_EQ(m.closed, 0);
	KT_EQ(m.bytes, 5 * 16 + 4 + 16);
	KT_EQ(m.failed, 2);
	/* the read's exit: after the time taken before it, before the one after */
	KT_ASSERT(m.last_exit >= (uint64_t)r.sh->v[9]);
	KT_ASSERT(m.last_exit <= (uint64_t)r.sh->v[11]);
	KT_ASSERT(ev->ts_exit <= (uint64_t)r.sh->t_begin);
	KT_ASSERT(m.flow_enter >= r.sh->t_begin);
	KT_ASSERT(m.flow_enter <= (uint64_t)r.sh->v[9]);
}

/* The steps of writer_reader(), in sh->v[59]. */
static void set_step(struct kt_shm *sh, int n)
{
	__atomic_store_n(&sh->v[59], n, __ATOMIC_RELEASE);
}

static void wait_step(struct kt_shm *sh, int n)
{
	while (__atomic_load_n(&sh->v[59], __ATOMIC_ACQUIRE) < n)
		usleep(500);
}

/*
 * The child writes the file (or, with @other, another), its child reads it
 * twice, the child writes again, its child reads twice more.
 */
static void writer_reader(struct kt_shm *sh, int other)
{
	int fd, fd2, st = 0;
	pid_t b;

	fd = open(path, O_WRONLY);
	fd2 = open(path2, O_WRONLY);
	if (fd < 0 || fd2 < 0) {
		kt_child_fail(sh, "open: %s", strerror(errno));
		return;
	}
	set_step(sh, 0);
	b = fork();
	if (!b) {
		wait_step(sh, 1);
		fd = open(path, O_RDONLY);
		if (fd < 0 || kt_sys(SYS_pread64, fd, (long)sh->buf, 4, 0, 0, 0) != 4 ||
		    kt_sys(SYS_pread64, fd, (long)sh->buf, 4, 0, 0, 0) != 4)
			kt_sys(SYS_exit_group, 1, 0, 0, 0, 0, 0);
		set_step(sh, 2);
		wait_step(sh, 3);
		if (kt_sys(SYS_pread64, fd, (long)sh->buf, 4, 0, 0, 0) != 4 ||
		    kt_sys(SYS_pread64, fd, (long)sh->buf, 4, 0, 0, 0) != 4)
			kt_sys(SYS_exit_group, 1, 0, 0, 0, 0, 0);
		kt_sys(SYS_exit_group, 0, 0, 0, 0, 0, 0);
	}
	sh->v[60] = b;
	if (kt_sys(SYS_write, fd, (long)"abcd", 4, 0, 0, 0) != 4) {
		kt_child_fail(sh, "write: %s", strerror(errno));
		return;
	}
	set_step(sh, 1);
	wait_step(sh, 2);
	if (kt_sys(SYS_write, other ? fd2 : fd, (long)"efgh", 4, 0, 0, 0) != 4)
		kt_child_fail(sh, "write: %s", strerror(errno));
	set_step(sh, 3);
	if (waitpid(b, &st, 0) != b || st)
		kt_child_fail(sh, "reader: status %#x", st);
	sh->v[0] = fd;
	sh->v[1] = fd2;
}

static void body_writer(struct kt_shm *sh, void *arg)
{
	(void)arg;
	writer_reader(sh, 0);
}

static void body_writer_other(struct kt_shm *sh, void *arg)
{
	(void)arg;
	writer_reader(sh, 1);
}

/* A write by another process: the reads after it are a record of their own. */
static void test_writer(void)
{
	struct kt_run r;

	make_file(path, "cache-writer", DATA64);
	make_file(path2, "cache-writer2", DATA64);
	if (run(&r, "kt-cache-wr", body_writer))
		return;
	KT_STR(merged_list(r.sh->v[60], SYS_pread64), "1 1");
	/* the writer took nothing in between its two writes */
	KT_STR(merged_list(r.pid, SYS_write), "1");

	/* the second write elsewhere: the reads merge, the writes do not */
	if (run(&r, "kt-cache-wr2", body_writer_other))
		return;
	KT_STR(merged_list(r.sh->v[60], SYS_pread64), "3");
	KT_STR(merged_list(r.pid, SYS_write), "0 0");
}

/* Two preads of the file at sh->v[0]. */
static int two_preads(struct kt_shm *sh)
{
	return kt_sys(SYS_pread64, sh->v[0], (long)sh->buf, 4, 0, 0, 0) != 4 ||
	       kt_sys(SYS_pread64, sh->v[0], (long)sh->buf, 4, 0, 0, 0) != 4;
}

static int open_path(struct kt_shm *sh)
{
	sh->v[0] = open(path, O_RDONLY);
	if (sh->v[0] < 0) {
		kt_child_fail(sh, "open: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* execve: the new program's reads of the file (a shell's, byte by byte) are not the old one's. */
static void body_exec(struct kt_shm *sh, void *arg)
{
	char **argv = (char **)sh->buf2;

	(void)arg;
	if (open_path(sh) || two_preads(sh)) {
		kt_child_fail(sh, "setup: %s", strerror(errno));
		return;
	}
	snprintf(sh->buf, KT_BUF, "read x < %s", path);
	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = sh->buf;
	argv[3] = NULL;
	kt_sys(SYS_execve, (long)"/bin/sh", (long)argv, (long)(argv + 3), 0, 0, 0);
	kt_child_fail(sh, "execve: %s", strerror(errno));
}

static void test_exec(void)
{
	const struct la_event *ev;
	struct la_merge m;
	struct kt_run r;
	uint64_t exec_id;
	int i;

	make_file(path, "cache-exec", "abc\n");
	if (run(&r, "kt-cache-exec", body_exec))
		return;
	KT_STR(merged_list(r.pid, SYS_pread64), "1");
	KT_ASSERT_FATAL(kept_find(r.pid, SYS_pread64, 0) != NULL);
	exec_id = kept_find(r.pid, SYS_pread64, 0)->exec_id;
	/*
	 * dash reads its redirected standard input a byte at a time, to the
	 * newline: one record, the new program's (its own: the old program's open
	 * of the file is still held, as the head of the preads' record, so the new
	 * one's is sent as it is)
	 */
	for (i = 0;
	     (ev = kept_find(r.pid, SYS_read, i)) && (ev->exec_id == exec_id || flow_fd(ev) != 0);
	     i++)
		;
	KT_ASSERT_FATAL(ev != NULL);
	KT_EQ(kept_find(r.pid, SYS_read, i + 1), NULL);
	KT_EQ(merged_of(ev, &m), 3);
	KT_EQ(m.bytes, 4);
	KT_EQ(m.failed, 0);
}

/* A new identity: the reads after setresuid are not merged into those before. */
static void body_setuid(struct kt_shm *sh, void *arg)
{
	(void)arg;
	if (open_path(sh) || two_preads(sh))
		return;
	sh->v[1] = kt_sys(SYS_setresuid, 0, 65534, 0, 0, 0, 0);
	if (two_preads(sh))
		kt_child_fail(sh, "pread: %s", strerror(errno));
}

static void test_setuid(void)
{
	struct kt_run r;

	make_file(path, "cache-setuid", DATA64);
	if (run(&r, "kt-cache-uid", body_setuid))
		return;
	KT_EQ(r.sh->v[1], 0);
	KT_STR(merged_list(r.pid, SYS_pread64), "1 1");
	KT_EQ(kept_find(r.pid, SYS_pread64, 0)->euid, 0);
	KT_EQ(kept_find(r.pid, SYS_pread64, 1)->euid, 65534);
}

/*
 * close sends the record, whether another syscall comes or not, and joins it
 * (merged_close); the reads after the file is opened again are a record of their own.
 */
static void body_close(struct kt_shm *sh, void *arg)
{
	(void)arg;
	kt_begin(sh);
	if (open_path(sh) || two_preads(sh))
		return;
	close(sh->v[0]);
	if (open_path(sh) || two_preads(sh))
		kt_child_fail(sh, "pread: %s", strerror(errno));
}

static void test_close(void)
{
	const struct la_event *ev;
	struct la_merge m;
	struct kt_run r;
	int i;

	make_file(path, "cache-close", DATA64);
	if (run(&r, "kt-cache-close", body_close))
		return;
	KT_STR(merged_list(r.pid, SYS_pread64), "2 1");
	KT_EQ(merged_of(kept_find(r.pid, SYS_pread64, 0), &m), 2);
	KT_EQ(m.closed, 1);
	KT_EQ(m.bytes, 8);
	KT_EQ(merged_of(kept_find(r.pid, SYS_pread64, 1), &m), 1);
	KT_EQ(m.closed, 0);
	/* the close left no record of its own */
	for (i = 0; (ev = kept_find(r.pid, SYS_close, i)); i++)
		KT_ASSERT(ev->ts_enter < r.sh->t_begin || ev->args[0] != (uint64_t)r.sh->v[0]);
}

/* The records of @pid's own syscall @nr made from @t0 to @t1. */
static int own_within(uint32_t pid, int nr, uint64_t t0, uint64_t t1)
{
	const struct la_event *ev;
	int i, n = 0;

	for (i = 0; (ev = kept_own(pid, nr, i)); i++)
		n += ev->ts_enter >= t0 && ev->ts_enter <= t1;
	return n;
}

#define own_since(pid, nr, t) own_within(pid, nr, t, UINT64_MAX)

/* The open of @pid made in the window from @t that returned @fd, or NULL. */
static const struct la_event *open_of(uint32_t pid, uint64_t t, int64_t fd)
{
	const struct la_event *ev;
	int i;

	for (i = 0; (ev = kept_own(pid, SYS_openat, i)); i++)
		if (ev->ts_enter >= t && ev->ret == fd)
			return ev;
	return NULL;
}

/*
 * An open, the reads that follow on its descriptor and its close: one record,
 * the open's, with the reads' totals (merged_flow=read), and likewise an open,
 * two writes and a close (merged_flow=write).
 */
static void body_open_flow(struct kt_shm *sh, void *arg)
{
	(void)arg;
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_openat, AT_FDCWD, (long)path, O_RDONLY, 0, 0, 0);
	sh->v[1] = kt_now();
	sh->v[2] = kt_sys(SYS_pread64, sh->v[0], (long)sh->buf, 16, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_pread64, sh->v[0], (long)sh->buf, 16, -1, 0, 0);
	sh->v[4] = kt_sys(SYS_read, sh->v[0], (long)sh->buf, 16, 0, 0, 0);
	sh->v[5] = kt_now();
	sh->v[6] = kt_sys(SYS_close, sh->v[0], 0, 0, 0, 0, 0);
	sh->v[7] = kt_now();
	sh->v[10] = kt_sys(SYS_openat, AT_FDCWD, (long)path2, O_WRONLY, 0, 0, 0);
	sh->v[11] = kt_sys(SYS_write, sh->v[10], (long)"abcd", 4, 0, 0, 0);
	sh->v[12] = kt_sys(SYS_pwrite64, sh->v[10], (long)"efgh", 4, 4, 0, 0);
	sh->v[13] = kt_sys(SYS_close, sh->v[10], 0, 0, 0, 0, 0);
	kt_end(sh);
}

static void test_open_flow(void)
{
	const struct la_event *ev;
	struct la_merge m;
	struct kt_run r;
	int nr;

	make_file(path, "cache-open-read", DATA64);
	make_file(path2, "cache-open-write", DATA64);
	if (run(&r, "kt-cache-open", body_open_flow))
		return;
	KT_ASSERT_FATAL(r.sh->v[0] >= 0);
	KT_EQ(r.sh->v[2], 16);
	KT_EQ(r.sh->v[3], -EINVAL);
	KT_EQ(r.sh->v[4], 16);
	KT_EQ(r.sh->v[6], 0);
	KT_ASSERT_FATAL(r.sh->v[10] >= 0);
	KT_EQ(r.sh->v[11], 4);
	KT_EQ(r.sh->v[12], 4);
	KT_EQ(r.sh->v[13], 0);
	ev = open_of(r.pid, r.sh->t_begin, r.sh->v[0]);
	KT_ASSERT_FATAL(ev != NULL);
	KT_CTX(ev, &r.sh->ctx);
	KT_EQ(flow_of(ev, &m), SYS_pread64);
	KT_EQ(m.merged, 4);
	KT_EQ(m.flow, LA_FLOW_READ);
	KT_EQ(m.bytes, 32);
	KT_EQ(m.failed, 1);
	KT_EQ(m.closed, 1);
	/* the span ends with the last read, the flow starts with the first */
	KT_ASSERT(m.last_exit <= (uint64_t)r.sh->v[5]);
	KT_ASSERT(m.last_exit > (uint64_t)r.sh->v[1]);
	KT_ASSERT(m.flow_enter >= (uint64_t)r.sh->v[1]);
	KT_ASSERT(ev->ts_exit <= (uint64_t)r.sh->v[1]);
	ev = open_of(r.pid, r.sh->v[7], r.sh->v[10]);
	KT_ASSERT_FATAL(ev != NULL);
	KT_EQ(flow_of(ev, &m), SYS_write);
	KT_EQ(m.merged, 3);
	KT_EQ(m.flow, LA_FLOW_WRITE);
	KT_EQ(m.bytes, 8);
	KT_EQ(m.failed, 0);
	KT_EQ(m.closed, 1);
	/* nothing else: every syscall of the window is in one of the two */
	for (nr = 0; nr < LA_NR_MAX; nr++)
		if (nr != SYS_openat)
			KT_EQ(own_within(r.pid, nr, r.sh->t_begin, r.sh->t_end), 0);
	KT_EQ(own_since(r.pid, SYS_openat, r.sh->t_begin), 2);
}

/* Another process writes the file between the open and the reads: the open goes alone. */
static void body_open_writer(struct kt_shm *sh, void *arg)
{
	int fd, st = 0;
	pid_t b;

	(void)arg;
	set_step(sh, 0);
	b = fork();
	if (!b) {
		fd = open(path, O_WRONLY);
		wait_step(sh, 1);
		if (fd < 0 || kt_sys(SYS_pwrite64, fd, (long)"wxyz", 4, 0, 0, 0) != 4)
			kt_sys(SYS_exit_group, 1, 0, 0, 0, 0, 0);
		set_step(sh, 2);
		kt_sys(SYS_exit_group, 0, 0, 0, 0, 0, 0);
	}
	sh->v[60] = b;
	kt_begin(sh);
	if (open_path(sh))
		return;
	set_step(sh, 1);
	wait_step(sh, 2);
	if (two_preads(sh) || close(sh->v[0]))
		kt_child_fail(sh, "pread: %s", strerror(errno));
	if (waitpid(b, &st, 0) != b || st)
		kt_child_fail(sh, "writer: status %#x", st);
}

static void test_open_writer(void)
{
	const struct la_event *ev;
	struct la_merge m;
	struct kt_run r;

	make_file(path, "cache-open-writer", DATA64);
	if (run(&r, "kt-cache-opwr", body_open_writer))
		return;
	ev = open_of(r.pid, r.sh->t_begin, r.sh->v[0]);
	KT_ASSERT_FATAL(ev != NULL);
	KT_EQ(wire_item(ev, LA_IT_MERGE, NULL), NULL);
	/* the reads and the close: a record of their own */
	KT_EQ(own_since(r.pid, SYS_pread64, r.sh->t_begin), 1);
	ev = kept_own(r.pid, SYS_pread64, 0);
	KT_ASSERT_FATAL(ev != NULL);
	KT_EQ(merged_of(ev, &m), 2);
	KT_EQ(m.closed, 1);
	KT_EQ(m.flow, LA_FLOW_NONE);
	KT_EQ(own_since(r.pid, SYS_close, r.sh->t_begin), 0);
}

/* An execve between the open and the reads (the new program's, of its stdin). */
static void body_open_exec(struct kt_shm *sh, void *arg)
{
	char **argv = (char **)sh->buf2;

	(void)arg;
	kt_begin(sh);
	if (open_path(sh) || kt_sys(SYS_dup2, sh->v[0], 0, 0, 0, 0, 0) != 0)
		return;
	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = "read x";
	argv[3] = NULL;
	kt_sys(SYS_execve, (long)"/bin/sh", (long)argv, (long)(argv + 3), 0, 0, 0);
	kt_child_fail(sh, "execve: %s", strerror(errno));
}

static void test_open_exec(void)
{
	const struct la_event *ev, *op;
	struct la_merge m;
	struct kt_run r;
	int i;

	make_file(path, "cache-open-exec", "abc\n");
	if (run(&r, "kt-cache-opex", body_open_exec))
		return;
	op = open_of(r.pid, r.sh->t_begin, r.sh->v[0]);
	KT_ASSERT_FATAL(op != NULL);
	KT_EQ(wire_item(op, LA_IT_MERGE, NULL), NULL);
	/* the new program's reads of fd 0: a record of their own */
	for (i = 0; (ev = kept_own(r.pid, SYS_read, i)) && ev->args[0] != 0; i++)
		;
	KT_ASSERT_FATAL(ev != NULL);
	KT_ASSERT(ev->exec_id != op->exec_id);
	KT_EQ(merged_of(ev, &m), 3);
	KT_EQ(m.bytes, 4);
	KT_EQ(m.flow, LA_FLOW_NONE);
}

/*
 * The descriptor syscalls of one object: a dup (dup, fcntl's F_DUPFD_CLOEXEC,
 * dup2) starts a record, the closes that follow join it with their totals; a
 * new identity ends it.
 */
static void body_fd(struct kt_shm *sh, void *arg)
{
	int fd;

	(void)arg;
	if (open_path(sh))
		return;
	fd = sh->v[0];
	kt_begin(sh);
	sh->v[1] = kt_sys(SYS_dup, fd, 0, 0, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_close, sh->v[1], 0, 0, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 10, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_dup2, fd, 100, 0, 0, 0, 0);
	sh->v[5] = kt_sys(SYS_close, sh->v[3], 0, 0, 0, 0, 0);
	sh->v[6] = kt_now();
	sh->v[7] = kt_sys(SYS_close, 100, 0, 0, 0, 0, 0);
	sh->v[8] = kt_now();
	sh->v[9] = kt_sys(SYS_setresuid, 0, 65534, 0, 0, 0, 0);
	sh->v[10] = kt_sys(SYS_close, fd, 0, 0, 0, 0, 0);
	kt_end(sh);
}

static void test_fd(void)
{
	const struct la_event *ev;
	struct la_merge m;
	struct kt_run r;
	int i, n = 0;

	make_file(path, "cache-fd", DATA64);
	if (run(&r, "kt-cache-fd", body_fd))
		return;
	KT_ASSERT(r.sh->v[1] >= 0);
	KT_EQ(r.sh->v[2], 0);
	KT_ASSERT(r.sh->v[3] >= 10);
	KT_EQ(r.sh->v[4], 100);
	KT_EQ(r.sh->v[5], 0);
	KT_EQ(r.sh->v[7], 0);
	KT_EQ(r.sh->v[9], 0);
	KT_EQ(r.sh->v[10], 0);
	KT_STR(merged_list(r.pid, SYS_dup), "1");
	KT_STR(merged_list(r.pid, SYS_fcntl), "0");
	KT_STR(merged_list(r.pid, SYS_dup2), "2");
	ev = kept_find(r.pid, SYS_dup, 0);
	KT_ASSERT_FATAL(ev != NULL);
	KT_SYS(ev, SYS_dup, r.sh->v[0], 0, 0, 0, 0, 0, r.sh->v[1]);
	KT_EQ(merged_of(ev, &m), 1);
	KT_EQ(m.bytes, r.sh->v[1]);
	KT_EQ(m.failed, 0);
	ev = kept_find(r.pid, SYS_dup2, 0);
	KT_ASSERT_FATAL(ev != NULL);
	KT_SYS(ev, SYS_dup2, r.sh->v[0], 100, 0, 0, 0, 0, 100);
	KT_EQ(merged_of(ev, &m), 2);
	KT_EQ(m.bytes, 100);
	KT_EQ(m.failed, 0);
	KT_ASSERT(m.last_exit >= (uint64_t)r.sh->v[6]);
	KT_ASSERT(m.last_exit <= (uint64_t)r.sh->v[8]);
	/* the close after setresuid: a record of its own, the new euid's */
	for (i = 0; (ev = kept_find(r.pid, SYS_close, i)); i++) {
		if (ev->ts_enter < r.sh->t_begin)
			continue;
		n++;
		KT_EQ(ev->args[0], r.sh->v[0]);
		KT_EQ(ev->euid, 65534);
		KT_EQ(merged_of(ev, &m), 0);
	}
	KT_EQ(n, 1);
}

/*
 * exit_group sends the records of the process, with no flush: the capture's
 * interval is a second and nothing else runs it (as in every test here but the
 * interval's, exit_group sends the last records).
 */
static void body_exit(struct kt_shm *sh, void *arg)
{
	(void)arg;
	if (open_path(sh) || two_preads(sh) || two_preads(sh))
		return;
	kt_end(sh);
}

static void test_exit(void)
{
	struct kt_run r;

	make_file(path, "cache-exit", DATA64);
	if (run(&r, "kt-cache-exit", body_exit))
		return;
	KT_STR(merged_list(r.pid, SYS_pread64), "3");
}

/*
 * A flush the child asks of a thread of the parent, which holds the capture; or,
 * with rules, a rule change, after which the thread drains the capture's rings
 * into early (the records of pid).
 */
struct flush_req {
	int req, done, quit;
	int rc;
	uint64_t until;
	const char *rules;
	uint32_t pid;
};

static struct kept early;
static struct kt_sink early_sink;

static struct flush_req *fr;

static void *flusher(void *arg)
{
	int req;

	(void)arg;
	while (!__atomic_load_n(&fr->quit, __ATOMIC_ACQUIRE)) {
		req = __atomic_load_n(&fr->req, __ATOMIC_ACQUIRE);
		if (req != fr->done && fr->rules) {
			fr->rc = kt_rules_load_into(cc, fr->rules);
			early.pids[0] = fr->pid;
			early_sink.on = keep_record;
			early_sink.on_arg = &early;
			if (kt_consume(cc, &early_sink, -1) < 0)
				fr->rc = -1;
			__atomic_store_n(&fr->done, req, __ATOMIC_RELEASE);
		} else if (req != fr->done) {
			fr->rc = capture_cache_flush(cc, fr->until);
			__atomic_store_n(&fr->done, req, __ATOMIC_RELEASE);
		}
		usleep(200);
	}
	return NULL;
}

/* In the child: capture_cache_flush(@until) by the parent. */
static int flush_until(uint64_t until)
{
	int req = fr->req + 1;

	fr->until = until;
	__atomic_store_n(&fr->req, req, __ATOMIC_RELEASE);
	while (__atomic_load_n(&fr->done, __ATOMIC_ACQUIRE) != req)
		usleep(200);
	return fr->rc;
}

/* In the child: the parent loads @rules and drains the rings into early. */
static int rules_change(const char *rules)
{
	fr->rules = rules;
	fr->pid = getpid();
	return flush_until(0);
}

/*
 * cache_flush_interval: a syscall more than the interval after the cached one's
 * entry is not merged into it; and user space's flush (capture_cache_flush())
 * sends the records that entered at or before the time it names, and only those.
 */
static void body_interval(struct kt_shm *sh, void *arg)
{
	uint64_t t;

	(void)arg;
	if (open_path(sh) || two_preads(sh))
		return;
	usleep(INTERVAL_NS / 1000 + 200000);
	if (two_preads(sh))
		return;
	/* sends the second pair's record */
	sh->v[1] = flush_until(kt_now());
	/* before the third pair's first syscall: its record stays, and the fourth pair merges */
	t = kt_now();
	if (two_preads(sh) || (sh->v[2] = flush_until(t)) || two_preads(sh))
		return;
}

/* run(), with a thread of the parent that flushes when the child asks it (flush_until()). */
static int run_flushed(struct kt_run *r, const char *comm, kt_body_fn body)
{
	pthread_t t;
	int rc;

	fr = mmap(NULL, sizeof(*fr), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	KT_ASSERT_FATAL(fr != MAP_FAILED);
	KT_ASSERT_FATAL(pthread_create(&t, NULL, flusher, NULL) == 0);
	rc = run(r, comm, body);
	__atomic_store_n(&fr->quit, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	munmap(fr, sizeof(*fr));
	return rc;
}

static void test_interval(void)
{
	struct kt_run r;

	make_file(path, "cache-interval", DATA64);
	if (run_flushed(&r, "kt-cache-intv", body_interval))
		return;
	KT_EQ(r.sh->v[1], 0);
	KT_EQ(r.sh->v[2], 0);
	KT_STR(merged_list(r.pid, SYS_pread64), "1 1 3");
}

/*
 * A held open goes out alone when a flush names it, or when the first read
 * comes more than the interval after it: the reads are a record of their own.
 */
static void body_open_interval(struct kt_shm *sh, void *arg)
{
	(void)arg;
	kt_begin(sh);
	if (open_path(sh))
		return;
	sh->v[1] = flush_until(kt_now());
	if (two_preads(sh))
		return;
	sh->v[2] = sh->v[0];
	if (open_path(sh))
		return;
	usleep(INTERVAL_NS / 1000 + 200000);
	if (two_preads(sh))
		kt_child_fail(sh, "pread: %s", strerror(errno));
}

static void test_open_interval(void)
{
	const struct la_event *ev;
	struct kt_run r;

	make_file(path, "cache-open-interval", DATA64);
	if (run_flushed(&r, "kt-cache-opiv", body_open_interval))
		return;
	KT_EQ(r.sh->v[1], 0);
	ev = open_of(r.pid, r.sh->t_begin, r.sh->v[2]);
	KT_ASSERT_FATAL(ev != NULL);
	KT_EQ(wire_item(ev, LA_IT_MERGE, NULL), NULL);
	ev = open_of(r.pid, r.sh->t_begin, r.sh->v[0]);
	KT_ASSERT_FATAL(ev != NULL);
	KT_EQ(wire_item(ev, LA_IT_MERGE, NULL), NULL);
	KT_EQ(own_since(r.pid, SYS_pread64, r.sh->t_begin), 2);
	KT_STR(merged_list(r.pid, SYS_pread64), "1 1");
}

/*
 * A full cache (cache_size SMALL_CACHE, in a capture of its own): the child reads
 * SMALL_FILES files twice each, one after the other.  A read that finds no room
 * is written alone and counted (cache_full); the cache holds at most SMALL_CACHE
 * of its records, fewer when other processes' took room meanwhile; every read is
 * accounted for.
 */
static void body_full(struct kt_shm *sh, void *arg)
{
	int i, fd, *fds = (int *)sh->buf2;
	char p[1100];

	(void)arg;
	for (i = 0; i < SMALL_FILES; i++) {
		snprintf(p, sizeof(p), "%s.%d", path, i);
		fd = open(p, O_RDONLY);
		if (fd < 0) {
			kt_child_fail(sh, "open %s: %s", p, strerror(errno));
			return;
		}
		fds[i] = fd;
	}
	/* each file's two reads in a row: a read of another file between would be new */
	for (i = 0; i < SMALL_FILES; i++) {
		kt_sys(SYS_pread64, fds[i], (long)sh->buf, 4, 0, 0, 0);
		kt_sys(SYS_pread64, fds[i], (long)sh->buf, 4, 0, 0, 0);
	}
}

static void test_full(void)
{
	static struct la_counts before[LA_NR_MAX], after[LA_NR_MAX];
	struct capture_opts o = {
		.ring_bytes = 8 << 20,
		.wakeup_percent = 50,
		.argv_bytes = 8192,
		.cache_size = SMALL_CACHE,
		.cache_interval_ns = INTERVAL_NS,
	};
	const struct la_event *ev;
	struct capture *small;
	int i, n, merged = 0, alone = 0, bad = 0, err;
	struct la_merge m;
	struct kt_run r;
	char p[sizeof(path)], name[32];

	kt_path(path, sizeof(path), "cache-full");
	for (i = 0; i < SMALL_FILES; i++) {
		snprintf(name, sizeof(name), "cache-full.%d", i);
		make_file(p, name, "abcd");
	}
	small = capture_open(&o, kt_record, &cc_sink);
	if (!small) {
		kt_fail(__FILE__, __LINE__, 1, "capture_open: %s", strerror(errno));
		return;
	}
	err = capture_attach(small);
	if (err) {
		capture_close(small);
		kt_fail(__FILE__, __LINE__, 1, "capture_attach: %s", strerror(-err));
		return;
	}
	KT_EQ(capture_cache_flush(small, UINT64_MAX), 0);
	kt_consume(small, &cc_sink, -1);
	KT_EQ(capture_counts(small, before), 0);
	if (kt_run(&r, "kt-cache-full", body_full, NULL))
		goto out;
	KT_CHILD_OK(&r);
	KT_EQ(capture_counts(small, after), 0);
	collect(small, (uint32_t[4]){r.pid});
	/* each file's two reads: one record with merged=1, or two without */
	for (i = 0; i < SMALL_FILES; i++) {
		int recs = 0, calls = 0;

		for (n = 0; (ev = kept_find(r.pid, SYS_pread64, n)); n++) {
			if (flow_fd(ev) != (uint64_t)((int *)r.sh->buf2)[i])
				continue;
			recs++;
			calls += 1 + merged_of(ev, &m);
		}
		if (calls != 2)
			bad++;
		merged += recs == 1;
		alone += recs == 2;
	}
	KT_EQ(bad, 0);
	KT_EQ(merged + alone, SMALL_FILES);
	KT_ASSERT(merged <= SMALL_CACHE);
	KT_ASSERT(alone >= SMALL_FILES - SMALL_CACHE);
	/* at least the first read of each file written alone found the cache full */
	KT_ASSERT(after[SYS_pread64].n[LA_CNT_CACHE_FULL] -
			  before[SYS_pread64].n[LA_CNT_CACHE_FULL] >=
		  (uint64_t)alone);
	printf("\n    cache_size %d: %d files merged, %d written alone ", SMALL_CACHE, merged,
	       alone);
out:
	capture_close(small);
	kt_consume(cc, &cc_sink, -1);
}

/* The rules' key= of @ev, a record of the capture with the filter on. */
static const char *key_of(const struct la_event *ev)
{
	return kt_rules_key_in(cc, ev);
}

/*
 * The records of @pid in @k made in the body's window of @sh, in the order they
 * were made, each as "NR:MERGED:KEY" (an open's that a flow joined as
 * "NR/FLOW_NR:MERGED:KEY", its merged= counting the flow's first syscall).
 */
static const char *window_list(const struct kept *k, uint32_t pid, const struct kt_shm *sh)
{
	static char out[512];
	const struct la_event *ev;
	struct la_merge m;
	size_t i, o = 0;
	int flow;

	out[0] = 0;
	for (i = 0; i < k->n && o < sizeof(out) - 64; i++) {
		ev = k->ev[i];
		if (ev->pid != pid || ev->ts_enter < sh->t_begin || ev->ts_enter > sh->t_end)
			continue;
		flow = flow_of(ev, &m);
		o += snprintf(out + o, sizeof(out) - o, "%s%d", o ? " " : "", ev->nr);
		if (flow >= 0)
			o += snprintf(out + o, sizeof(out) - o, "/%d", flow);
		o += snprintf(out + o, sizeof(out) - o, ":%llu:%s", (unsigned long long)m.merged,
			      key_of(ev));
	}
	return out;
}

/* Load @text into the capture with the filter on; 0 or -1 (already asserted). */
static int cache_rules(const char *text)
{
	KT_ASSERT_FATAL(cc != NULL);
	return kt_rules_load_into(cc, text);
}

static void cache_rules_unload(void)
{
	KT_EQ(capture_set_rules(cc, NULL), 0);
}

#define RULE_IO	   "-a always,exit -F arch=b64 -S read,write,openat,close -k io\n"
#define LOOP_READS 100

/* An open, 100 reads of 64 bytes of an unchanged file, the close. */
static void body_rules_loop(struct kt_shm *sh, void *arg)
{
	int i;

	(void)arg;
	kt_begin(sh);
	sh->v[0] = kt_sys(SYS_openat, AT_FDCWD, (long)path, O_RDONLY, 0, 0, 0);
	for (i = 0; i < LOOP_READS; i++)
		sh->v[1] += kt_sys(SYS_read, sh->v[0], (long)sh->buf, 64, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_close, sh->v[0], 0, 0, 0, 0, 0);
	kt_end(sh);
}

/*
 * With a rule selecting read, write, openat and close: the open, its 100 reads
 * and its close are one record, the open's, with the rule's key and the exact
 * totals; every syscall of the body is that record or counted in its merged=.
 */
static void test_rules_loop(void)
{
	char data[64 * LOOP_READS + 1];
	const struct la_event *ev;
	struct la_merge m;
	struct kt_run r;
	int i;

	for (i = 0; i < LOOP_READS; i++)
		memcpy(data + 64 * i, DATA64, 64);
	data[64 * LOOP_READS] = 0;
	make_file(path, "cache-rules-loop", data);
	if (cache_rules(RULE_IO))
		return;
	if (run(&r, "kt-cache-rloop", body_rules_loop))
		goto out;
	KT_EQ(r.sh->v[1], 64 * LOOP_READS);
	KT_EQ(r.sh->v[2], 0);
	KT_STR(window_list(&kept, r.pid, r.sh), "257/0:101:io");
	ev = open_of(r.pid, r.sh->t_begin, r.sh->v[0]);
	KT_ASSERT_FATAL(ev != NULL);
	KT_KEY_IN(ev, "io");
	KT_EQ(flow_of(ev, &m), SYS_read);
	/* the reads and the close: 102 syscalls, one record */
	KT_EQ(m.merged, LOOP_READS + 1);
	KT_EQ(m.bytes, 64 * LOOP_READS);
	KT_EQ(m.failed, 0);
	KT_EQ(m.closed, 1);
out:
	cache_rules_unload();
}

/* Two reads, two preads, two reads of the file at sh->v[0]; their returns in v[1..6]. */
static void body_rules_keys(struct kt_shm *sh, void *arg)
{
	(void)arg;
	if (open_path(sh))
		return;
	kt_begin(sh);
	sh->v[1] = kt_sys(SYS_read, sh->v[0], (long)sh->buf, 4, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_read, sh->v[0], (long)sh->buf, 4, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_pread64, sh->v[0], (long)sh->buf, 4, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_pread64, sh->v[0], (long)sh->buf, 4, 0, 0, 0);
	sh->v[5] = kt_sys(SYS_read, sh->v[0], (long)sh->buf, 4, 0, 0, 0);
	sh->v[6] = kt_sys(SYS_read, sh->v[0], (long)sh->buf, 4, 0, 0, 0);
	kt_end(sh);
}

/*
 * Rules with different keys on read and pread64: no record merges across keys; two
 * rules with the same key: their syscalls merge, as the kernel writes one key= for both.
 */
static void test_rules_keys(void)
{
	struct kt_run r;
	int i;

	make_file(path, "cache-rules-keys", DATA64);
	if (cache_rules("-a always,exit -F arch=b64 -S read -k r\n"
			"-a always,exit -F arch=b64 -S pread -k p\n"))
		return;
	if (run(&r, "kt-cache-rkeys", body_rules_keys))
		goto out;
	for (i = 1; i <= 6; i++)
		KT_EQ(r.sh->v[i], 4);
	KT_STR(window_list(&kept, r.pid, r.sh), "0:1:r 17:1:p 0:1:r");
	cache_rules_unload();

	if (cache_rules("-a always,exit -F arch=b64 -S read -k r\n"
			"-a always,exit -F arch=b64 -S pread -k r\n"))
		return;
	if (run(&r, "kt-cache-rkey1", body_rules_keys))
		goto out;
	KT_STR(window_list(&kept, r.pid, r.sh), "0:5:r");
out:
	cache_rules_unload();
}

/*
 * An exclude rule that may leave SYSCALL records out (merged= is in them): every
 * syscall is written alone; one on another record type leaves the merges as they are.
 */
static void test_rules_exclude(void)
{
	struct kt_run r;

	make_file(path, "cache-rules-excl", DATA64);
	if (cache_rules("-a always,exit -F arch=b64 -S read -k r\n"
			"-a always,exit -F arch=b64 -S pread -k p\n"
			"-a always,exclude -F msgtype=SYSCALL -F uid=12345\n"))
		return;
	if (run(&r, "kt-cache-rexcl", body_rules_keys))
		goto out;
	KT_STR(window_list(&kept, r.pid, r.sh), "0:0:r 0:0:r 17:0:p 17:0:p 0:0:r 0:0:r");
	cache_rules_unload();

	if (cache_rules("-a always,exit -F arch=b64 -S read -k r\n"
			"-a always,exit -F arch=b64 -S pread -k p\n"
			"-a always,exclude -F msgtype=CWD\n"))
		return;
	if (run(&r, "kt-cache-rexcl2", body_rules_keys))
		goto out;
	KT_STR(window_list(&kept, r.pid, r.sh), "0:1:r 17:1:p 0:1:r");
out:
	cache_rules_unload();
}

/* Reads of 16, 16, 7 and 16 bytes. */
static void body_rules_never(struct kt_shm *sh, void *arg)
{
	(void)arg;
	if (open_path(sh))
		return;
	kt_begin(sh);
	sh->v[1] = kt_sys(SYS_read, sh->v[0], (long)sh->buf, 16, 0, 0, 0);
	sh->v[2] = kt_sys(SYS_read, sh->v[0], (long)sh->buf, 16, 0, 0, 0);
	sh->v[3] = kt_sys(SYS_read, sh->v[0], (long)sh->buf, 7, 0, 0, 0);
	sh->v[4] = kt_sys(SYS_read, sh->v[0], (long)sh->buf, 16, 0, 0, 0);
	kt_end(sh);
}

/*
 * A never rule excludes before the cache: the read it matches at exit (on its
 * return value) is counted filtered, neither merged nor ending the merge of the
 * others (its bytes are not in the totals).
 */
static void test_rules_never(void)
{
	static struct la_counts before[LA_NR_MAX], after[LA_NR_MAX];
	const struct la_event *ev;
	struct la_merge m;
	struct kt_run r;
	int i;

	make_file(path, "cache-rules-never", DATA64);
	if (cache_rules("-a never,exit -F arch=b64 -S read -F exit=7\n"
			"-a always,exit -F arch=b64 -S read -k io\n"))
		return;
	KT_EQ(capture_counts(cc, before), 0);
	if (run(&r, "kt-cache-rnever", body_rules_never))
		goto out;
	KT_EQ(capture_counts(cc, after), 0);
	KT_EQ(r.sh->v[3], 7);
	KT_STR(window_list(&kept, r.pid, r.sh), "0:2:io");
	for (i = 0; (ev = kept_find(r.pid, SYS_read, i)) && ev->ts_enter < r.sh->t_begin; i++)
		;
	KT_ASSERT_FATAL(ev != NULL);
	KT_EQ(merged_of(ev, &m), 2);
	KT_EQ(m.bytes, 48);
	KT_ASSERT(after[SYS_read].n[LA_CNT_FILTERED] - before[SYS_read].n[LA_CNT_FILTERED] >= 1);
out:
	cache_rules_unload();
}

/*
 * Two preads, a rule change (the parent drains the rings then), two preads; after a
 * first, whose record carries the process's exe and is never cached.
 */
static void body_rules_change(struct kt_shm *sh, void *arg)
{
	(void)arg;
	if (open_path(sh) || kt_sys(SYS_pread64, sh->v[0], (long)sh->buf, 4, 0, 0, 0) != 4)
		return;
	kt_begin(sh);
	if (two_preads(sh) ||
	    (sh->v[1] = rules_change("-a always,exit -F arch=b64 -S pread -k io2\n")) ||
	    two_preads(sh))
		kt_child_fail(sh, "pread or rule change: %s", strerror(errno));
	kt_end(sh);
}

/*
 * A rule change sends the cached record its rules made at once, with their key,
 * before the process's next syscall; the syscalls after it are a record of the
 * new rules, with theirs.
 */
static void test_rules_change(void)
{
	struct kt_run r;

	make_file(path, "cache-rules-change", DATA64);
	if (cache_rules("-a always,exit -F arch=b64 -S pread -k io\n"))
		return;
	kept_clear();
	early.n = 0;
	memset(early.pids, 0, sizeof(early.pids));
	if (!run_flushed(&r, "kt-cache-rchg", body_rules_change)) {
		KT_EQ(r.sh->v[1], 0);
		KT_STR(window_list(&early, r.pid, r.sh), "17:1:io");
		KT_STR(window_list(&kept, r.pid, r.sh), "17:1:io2");
	}
	while (early.n)
		free(early.ev[--early.n]);
	cache_rules_unload();
}

static void test_unload(void)
{
	kept_clear();
	free(kept.ev);
	kept.ev = NULL;
	kept.cap = 0;
	free(early.ev);
	early.ev = NULL;
	early.cap = 0;
	capture_close(cc);
	cc = NULL;
}

void ktest_register_cache(void)
{
	CU_pSuite s = kt_suite("cache");

	kt_test(s, "load a capture with the filter on", test_load);
	kt_test(s, "the totals of a merged record", test_totals);
	kt_test(s, "a write by another process", test_writer);
	kt_test(s, "execve", test_exec);
	kt_test(s, "setresuid", test_setuid);
	kt_test(s, "close", test_close);
	kt_test(s, "an open, its reads or writes and its close: one record", test_open_flow);
	kt_test(s, "a write by another process between an open and its reads", test_open_writer);
	kt_test(s, "an execve between an open and the reads", test_open_exec);
	kt_test(s, "descriptor syscalls: dup, fcntl, close", test_fd);
	kt_test(s, "exit_group", test_exit);
	kt_test(s, "cache_flush_interval", test_interval);
	kt_test(s, "cache_flush_interval and the flush: a held open alone", test_open_interval);
	kt_test(s, "a full cache", test_full);
	kt_test(s, "rules: an open, 100 reads and the close, one record with the key",
		test_rules_loop);
	kt_test(s, "rules: no merge across keys", test_rules_keys);
	kt_test(s, "rules: no merge under an exclude rule on SYSCALL", test_rules_exclude);
	kt_test(s, "rules: a never rule excludes before the cache", test_rules_never);
	kt_test(s, "rules: a rule change sends the cached records", test_rules_change);
	kt_test(s, "unload", test_unload);
}
