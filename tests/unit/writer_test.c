/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * logger/writer.c with failure injection: pwrite is wrapped (-Wl,--wrap=pwrite)
 * to fail with EIO, or to write part of a buffer and then fail with ENOSPC.  The
 * file must hold whole records only, no holes, exactly the records not counted
 * as lost, in order.  Several sources putting records from threads of their own
 * make one log whose serials increase by one from record to record, with each
 * source's records in its order, in text and in binary, across rotations.
 */
#include <CUnit/Basic.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "logger/capture.h"
#include "logger/writer.c"
#include "tests/unit/unit.h"

/* The dispatcher linked here has no capture to leave its plugins out of. */
int capture_exclude(struct capture *c, pid_t id)
{
	(void)c;
	(void)id;
	return -ENOSYS;
}

int capture_include(struct capture *c, pid_t id)
{
	(void)c;
	(void)id;
	return -ENOSYS;
}

int capture_is_excluded(struct capture *c, pid_t id)
{
	(void)c;
	(void)id;
	return -ENOSYS;
}

ssize_t __real_pwrite(int fd, const void *buf, size_t len, off_t off);
ssize_t __wrap_pwrite(int fd, const void *buf, size_t len, off_t off);

/* Fail the call numbered fail_at (counted from 1) and, when sticky, every later one. */
static long calls, fail_at;
static int fail_errno, fail_sticky, fail_partial;

ssize_t __wrap_pwrite(int fd, const void *buf, size_t len, off_t off)
{
	calls++;
	if (fail_at && (calls == fail_at || (fail_sticky && calls > fail_at))) {
		if (fail_partial && len > 1) {
			/* a write cut short by the disk filling up */
			ssize_t n = __real_pwrite(fd, buf, len / 2, off);

			fail_partial = 0;
			if (n > 0)
				return n;
		}
		errno = fail_errno;
		return -1;
	}
	return __real_pwrite(fd, buf, len, off);
}

static char dir[64];

static void setup(struct conf *c, const char *name)
{
	conf_defaults(c);
	snprintf(c->log_file, sizeof(c->log_file), "%s/%s/audit.log", dir, name);
	c->max_log_file = 0;
	c->flush = CONF_FLUSH_NONE;
	calls = fail_at = 0;
	fail_sticky = fail_partial = 0;
}

/* Record i: a daemon record of its own length, so that any mix-up shows. */
static void put(struct writer_source *s, unsigned int i)
{
	char fields[256];
	struct log_record r = {.kind = LOG_REC_DAEMON, .type = "DAEMON_ERR", .fields = fields};

	snprintf(fields, sizeof(fields), "op=test n=%u pad=%.*s", i, (int)(i % 97),
		 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	r.stamp.sec = 1700000000;
	CU_ASSERT_EQUAL(writer_put(s, &r), 0);
}

/* Records @from to @to - 1, in batches of @every, each ended with a flush. */
static void put_range(struct writer_source *s, unsigned int from, unsigned int to,
		      unsigned int every)
{
	unsigned int i, k, n;

	for (i = from; i < to; i += n) {
		n = to - i < every ? to - i : every;
		CU_ASSERT_EQUAL(writer_begin(s, n), 0);
		for (k = 0; k < n; k++)
			put(s, i + k);
		writer_end(s, 1);
	}
}

/* Flush, wait for the writer thread, read the counters, close. */
static void finish(struct writer *w, struct writer_stats *st)
{
	writer_flush(w);
	writer_wait_all(w, 0);
	writer_stats(w, st);
	writer_close(w);
}

/*
 * Read @path back: every line must be record k for increasing k; returns the
 * number of lines, -1 on a malformed line (a torn record, a hole of NULs).
 */
static long check_file(const char *path, unsigned int total, unsigned int *last)
{
	FILE *f = fopen(path, "r");
	char line[512], want[512];
	long n = 0;
	unsigned int k, prev = 0;
	int first = 1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "type=DAEMON_ERR msg=audit(1700000000.000:%u): ", &k) != 1 ||
		    k == 0 || k > total || (!first && k <= prev)) {
			fclose(f);
			return -1;
		}
		snprintf(want, sizeof(want),
			 "type=DAEMON_ERR msg=audit(1700000000.000:%u): op=test n=%u pad=%.*s\n", k,
			 k - 1, (int)((k - 1) % 97),
			 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
		if (strcmp(line, want)) {
			fclose(f);
			return -1;
		}
		prev = k;
		first = 0;
		n++;
	}
	fclose(f);
	*last = prev;
	return n;
}

static void test_plain(void)
{
	struct text_opts o = {0};
	struct writer_stats st;
	struct conf c;
	struct writer_source *s;
	struct writer *w;
	unsigned int last = 0;

	setup(&c, "plain");
	w = writer_open(&c, &o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	s = writer_source_new(w, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	put_range(s, 0, 50000, 777);
	finish(w, &st);
	CU_ASSERT_EQUAL(check_file(c.log_file, 50000, &last), 50000);
	CU_ASSERT_EQUAL(last, 50000);
	CU_ASSERT_EQUAL(st.records, 50000);
	CU_ASSERT_EQUAL(st.write_lost, 0);
	CU_ASSERT_EQUAL(st.error, 0);
}

/* EIO once, disk_error_action SYSLOG: writing goes on after the lost buffer. */
static void test_eio_counts(void)
{
	struct text_opts o = {0};
	struct writer_stats st;
	struct conf c;
	struct writer_source *s;
	struct writer *w;
	unsigned int last = 0;
	long n;

	setup(&c, "eio2");
	c.disk_error_action.action = CONF_DISK_SYSLOG;
	w = writer_open(&c, &o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	s = writer_source_new(w, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	fail_at = 3;
	fail_errno = EIO;
	put_range(s, 0, 20000, 500);
	finish(w, &st);
	n = check_file(c.log_file, 20000, &last);
	CU_ASSERT_EQUAL(st.error, -EIO);
	CU_ASSERT_EQUAL(st.suspended, 0);
	/* every record is either in the file or counted lost */
	CU_ASSERT_EQUAL((uint64_t)n + st.write_lost, 20000);
	CU_ASSERT(st.write_lost > 0);
	CU_ASSERT_EQUAL(last, 20000);
}

/* ENOSPC in the middle of a write, disk_full_action SUSPEND: a prefix of whole records. */
static void test_enospc_suspends(void)
{
	struct text_opts o = {0};
	struct writer_stats st;
	struct conf c;
	struct writer_source *s;
	struct writer *w;
	unsigned int last = 0;
	long n;

	setup(&c, "full");
	c.disk_full_action.action = CONF_DISK_SUSPEND;
	w = writer_open(&c, &o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	s = writer_source_new(w, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	fail_at = 4;
	fail_errno = ENOSPC;
	fail_sticky = 1;
	fail_partial = 1;
	put_range(s, 0, 20000, 500);
	finish(w, &st);
	n = check_file(c.log_file, 20000, &last);
	CU_ASSERT(n > 0);
	CU_ASSERT_EQUAL(st.error, -ENOSPC);
	CU_ASSERT_EQUAL(st.suspended, 1);
	CU_ASSERT_EQUAL((uint64_t)n + st.write_lost, 20000);
	/* a prefix: the records 1..n, none after the failure */
	CU_ASSERT_EQUAL(last, (unsigned int)n);
}

/* SIGUSR2 after the disk was freed: writing resumes where the file ends. */
static void test_resume(void)
{
	struct text_opts o = {0};
	struct writer_stats st;
	struct conf c;
	struct writer_source *s;
	struct writer *w;
	unsigned int last = 0;
	long n;

	setup(&c, "resume");
	c.disk_full_action.action = CONF_DISK_SUSPEND;
	w = writer_open(&c, &o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	s = writer_source_new(w, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	fail_at = 3;
	fail_errno = ENOSPC;
	put_range(s, 0, 10000, 500);
	writer_flush(w);
	writer_resume(w);
	put_range(s, 10000, 20000, 500);
	finish(w, &st);
	n = check_file(c.log_file, 20000, &last);
	CU_ASSERT_EQUAL((uint64_t)n + st.write_lost, 20000);
	CU_ASSERT_EQUAL(st.suspended, 0);
	CU_ASSERT_EQUAL(last, 20000);
}

/* Rotation by size: the segments, oldest first, hold every record once. */
static void test_rotation(void)
{
	struct text_opts o = {0};
	struct conf c;
	struct writer_source *s;
	struct writer *w;
	char path[PATH_MAX + 64], cmd[2 * PATH_MAX];
	unsigned int last = 0;
	int rc;

	setup(&c, "rot");
	c.max_log_file = 1;
	c.num_logs = 99;
	c.compress_logs = 0;
	w = writer_open(&c, &o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	s = writer_source_new(w, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	put_range(s, 0, 30000, 100);
	writer_close(w);
	snprintf(path, sizeof(path), "%s/rot/all", dir);
	snprintf(cmd, sizeof(cmd),
		 "cd %s/rot && for i in $(ls audit.log.* | sed 's/.*\\.//' | sort -rn); do "
		 "cat audit.log.$i; done > all && cat audit.log >> all && test -s audit.log.2",
		 dir);
	rc = system(cmd);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(check_file(path, 30000, &last), 30000);
	CU_ASSERT_EQUAL(last, 30000);
}

/* ------------------------------------------------------------ several sources */

#define MP_MAX 8

/* One producer thread: @count records through a source of its own. */
struct mp_thread {
	pthread_t tid;
	struct writer_source *s;
	unsigned int t, count, seed;
};

/* What record @i of thread @t says: a length of its own, so that a mix-up shows. */
static void mp_fields(char *buf, size_t len, unsigned int t, unsigned int i)
{
	snprintf(buf, len, "op=mp t=%u i=%u pad=%.*s", t, i, (int)((i * 7 + t * 13) % 101),
		 "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
		 "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy");
}

/* Batches of 1 to 300 records, some ended without a flush, as consumers make them. */
static void *mp_run(void *arg)
{
	struct mp_thread *m = arg;
	struct log_record r = {.kind = LOG_REC_DAEMON, .type = "DAEMON_ERR"};
	char fields[256];
	unsigned int i = 0, k, n;

	r.fields = fields;
	r.stamp.sec = 1700000000;
	while (i < m->count) {
		n = rand_r(&m->seed) % 300 + 1;
		n = n < m->count - i ? n : m->count - i;
		if (writer_begin(m->s, n))
			return (void *)1;
		for (k = 0; k < n; k++, i++) {
			mp_fields(fields, sizeof(fields), m->t, i);
			if (writer_put(m->s, &r))
				return (void *)1;
		}
		writer_end(m->s, rand_r(&m->seed) % 4 != 0);
	}
	return NULL;
}

/* Run @nthreads producers of @count records each on @w (and rotate @rotations times). */
static void mp_produce(struct writer *w, unsigned int nthreads, unsigned int count,
		       unsigned int rotations)
{
	struct mp_thread th[MP_MAX];
	unsigned int t;
	void *rc;

	for (t = 0; t < nthreads; t++) {
		th[t].s = writer_source_new(w, NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(th[t].s);
		th[t].t = t;
		th[t].count = count;
		th[t].seed = 1234 + t;
	}
	for (t = 0; t < nthreads; t++)
		CU_ASSERT_EQUAL_FATAL(pthread_create(&th[t].tid, NULL, mp_run, &th[t]), 0);
	for (t = 0; t < rotations; t++) {
		usleep(20000);
		writer_rotate(w);
	}
	for (t = 0; t < nthreads; t++) {
		pthread_join(th[t].tid, &rc);
		CU_ASSERT_PTR_NULL(rc);
	}
}

/* What the log holds, checked record by record. */
struct mp_check {
	uint64_t serial;   /* of the last record; 0: none yet */
	int gaps_ok;	   /* serials may skip (records lost to write errors) */
	long next[MP_MAX]; /* the next record expected of each thread (at least) */
	long records;	   /* records of the producers */
	long rotates;	   /* DAEMON_ROTATE records */
	int segment_start; /* the next record opens a segment after the first */
	long bad_start;	   /* segments after the first not opened by DAEMON_ROTATE */
	long bad;	   /* anything else wrong */
};

static void mp_visit(struct mp_check *c, const char *type, const char *fields, uint64_t serial)
{
	char want[256];
	unsigned int t, i;

	if (c->segment_start && strcmp(type, "DAEMON_ROTATE"))
		c->bad_start++;
	c->segment_start = 0;
	if (c->serial && (c->gaps_ok ? serial <= c->serial : serial != c->serial + 1))
		c->bad++;
	if (!c->serial && !c->gaps_ok && serial != 1)
		c->bad++;
	c->serial = serial;
	if (!strcmp(type, "DAEMON_ROTATE")) {
		c->rotates++;
		return;
	}
	if (strcmp(type, "DAEMON_ERR") || sscanf(fields, "op=mp t=%u i=%u ", &t, &i) != 2 ||
	    t >= MP_MAX) {
		c->bad++;
		return;
	}
	mp_fields(want, sizeof(want), t, i);
	if (strcmp(fields, want) || (c->gaps_ok ? (long)i < c->next[t] : (long)i != c->next[t]))
		c->bad++;
	c->next[t] = i + 1;
	c->records++;
}

/* Check a text log (rotated segments concatenated, oldest first). */
static void mp_check_text(const char *path, struct mp_check *c)
{
	FILE *f = fopen(path, "r");
	char line[512], type[32];
	unsigned long long serial;
	int n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	while (fgets(line, sizeof(line), f)) {
		n = 0;
		line[strcspn(line, "\n")] = 0;
		if (sscanf(line, "type=%31[A-Z_] msg=audit(1%*u.%*u:%llu): %n", type, &serial,
			   &n) != 2 ||
		    !n) {
			c->bad++;
			continue;
		}
		mp_visit(c, type, line + n, serial);
	}
	fclose(f);
}

static int mp_bin_record(void *arg, const struct log_record *r)
{
	if (r->kind != LOG_REC_DAEMON) {
		((struct mp_check *)arg)->bad++;
		return 0;
	}
	mp_visit(arg, r->type, r->fields, r->stamp.serial);
	return 0;
}

static int mp_bin_segment(void *arg, const struct bin_segment_info *si)
{
	struct mp_check *c = arg;

	c->segment_start = si->offset > 0;
	return 0;
}

/* Check a binary log (segments concatenated); Return: the segments found. */
static uint64_t mp_check_binary(const char *path, struct mp_check *c)
{
	struct bin_decode_ops ops = {.record = mp_bin_record, .segment = mp_bin_segment};
	struct bin_decode_stats st;
	struct stat sb;
	void *p;
	int fd = open(path, O_RDONLY);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(!fstat(fd, &sb) && sb.st_size > 0);
	p = mmap(NULL, sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	CU_ASSERT_FATAL(p != MAP_FAILED);
	CU_ASSERT_EQUAL(bin_decode(p, sb.st_size, &ops, c, &st), 0);
	CU_ASSERT_EQUAL(st.corrupt, 0);
	CU_ASSERT_EQUAL(st.torn, 0);
	munmap(p, sb.st_size);
	close(fd);
	return st.segments;
}

/* Four sources at once, text: one log, serials consecutive, each source's order kept. */
static void test_sources_text(void)
{
	struct text_opts o = {0};
	struct mp_check chk = {0};
	struct writer_stats st;
	struct conf c;
	struct writer *w;

	setup(&c, "mp");
	w = writer_open(&c, &o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	mp_produce(w, 4, 30000, 0);
	finish(w, &st);
	mp_check_text(c.log_file, &chk);
	CU_ASSERT_EQUAL(chk.bad, 0);
	CU_ASSERT_EQUAL(chk.records, 4 * 30000);
	CU_ASSERT_EQUAL(chk.serial, 4 * 30000);
	CU_ASSERT_EQUAL(st.records, 4 * 30000);
	CU_ASSERT_EQUAL(st.serial, 4 * 30000);
	CU_ASSERT_EQUAL(st.write_lost, 0);
	CU_ASSERT_EQUAL(st.error, 0);
}

/* The same in binary: one segment header, however many encoders made the blocks. */
static void test_sources_binary(void)
{
	struct text_opts o = {0};
	struct mp_check chk = {0};
	struct writer_stats st;
	struct conf c;
	struct writer *w;

	setup(&c, "mpbin");
	c.log_format = CONF_FMT_BINARY;
	w = writer_open(&c, &o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	mp_produce(w, 3, 20000, 0);
	finish(w, &st);
	CU_ASSERT_EQUAL(mp_check_binary(c.log_file, &chk), 1);
	CU_ASSERT_EQUAL(chk.bad, 0);
	CU_ASSERT_EQUAL(chk.records, 3 * 20000);
	CU_ASSERT_EQUAL(chk.serial, 3 * 20000);
	CU_ASSERT_EQUAL(st.records, 3 * 20000);
	CU_ASSERT_EQUAL(st.write_lost, 0);
}

/*
 * Rotation by size and by writer_rotate() while sources write: the segments,
 * oldest first, hold every record once, each after the first opened by
 * DAEMON_ROTATE, serials consecutive through all of them.
 */
static void rotation_sources(enum conf_log_format fmt, const char *name)
{
	struct text_opts o = {0};
	struct mp_check chk = {0};
	struct writer_stats st;
	struct conf c;
	struct writer *w;
	char cmd[2 * PATH_MAX], all[PATH_MAX + 64];
	uint64_t segments;

	setup(&c, name);
	c.log_format = fmt;
	c.max_log_file = 1;
	c.num_logs = 99;
	c.compress_logs = 0;
	w = writer_open(&c, &o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	CU_ASSERT_EQUAL(writer_set_rotate_record(w, "op=rotate-logs res=success"), 0);
	mp_produce(w, 3, fmt == CONF_FMT_BINARY ? 40000 : 20000, 3);
	finish(w, &st);
	snprintf(all, sizeof(all), "%s/%s/all", dir, name);
	snprintf(cmd, sizeof(cmd),
		 "cd %s/%s && for i in $(ls audit.log.* | sed 's/.*\\.//' | sort -rn); do "
		 "cat audit.log.$i; done > all && cat audit.log >> all",
		 dir, name);
	CU_ASSERT_EQUAL(system(cmd), 0);
	if (fmt == CONF_FMT_BINARY) {
		segments = mp_check_binary(all, &chk);
		CU_ASSERT_EQUAL(segments, st.rotations + 1);
	} else {
		mp_check_text(all, &chk);
		/* text segments have no header: count openings by DAEMON_ROTATE */
		chk.bad_start = 0;
	}
	CU_ASSERT(st.rotations >= 3);
	CU_ASSERT_EQUAL(chk.rotates, st.rotations);
	CU_ASSERT_EQUAL(chk.bad_start, 0);
	CU_ASSERT_EQUAL(chk.bad, 0);
	CU_ASSERT_EQUAL(chk.records, fmt == CONF_FMT_BINARY ? 3 * 40000 : 3 * 20000);
	CU_ASSERT_EQUAL(chk.serial, st.serial);
	CU_ASSERT_EQUAL(st.write_lost, 0);
	if (fmt != CONF_FMT_BINARY) {
		/* each closed segment's successor starts with DAEMON_ROTATE */
		snprintf(cmd, sizeof(cmd),
			 "cd %s/%s && for f in audit.log $(ls audit.log.* | grep -v '\\.%lu$'); do "
			 "head -1 $f | grep -q '^type=DAEMON_ROTATE ' || exit 1; done",
			 dir, name, (unsigned long)st.rotations);
		CU_ASSERT_EQUAL(system(cmd), 0);
	}
}

static void test_sources_rotation(void)
{
	rotation_sources(CONF_FMT_RAW, "mprot");
}

static void test_sources_rotation_binary(void)
{
	rotation_sources(CONF_FMT_BINARY, "mprotbin");
}

/* EIO with several sources: whole records, in order, written + lost == put. */
static void test_sources_eio(void)
{
	struct text_opts o = {0};
	struct mp_check chk = {.gaps_ok = 1};
	struct writer_stats st;
	struct conf c;
	struct writer *w;

	setup(&c, "mpeio");
	c.disk_error_action.action = CONF_DISK_SYSLOG;
	w = writer_open(&c, &o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	fail_at = 5;
	fail_errno = EIO;
	mp_produce(w, 3, 20000, 0);
	finish(w, &st);
	mp_check_text(c.log_file, &chk);
	CU_ASSERT_EQUAL(chk.bad, 0);
	CU_ASSERT_EQUAL(st.error, -EIO);
	CU_ASSERT(st.write_lost > 0);
	CU_ASSERT_EQUAL((uint64_t)chk.records + st.write_lost, 3 * 20000);
	CU_ASSERT_EQUAL(chk.serial, 3 * 20000);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"records in order, whole, none lost", test_plain},
		{"EIO once: writing goes on, no hole; written + counted lost == put",
		 test_eio_counts},
		{"ENOSPC mid-write: SUSPEND, a prefix of whole records", test_enospc_suspends},
		{"resume after SUSPEND", test_resume},
		{"rotation by size", test_rotation},
		{"4 sources: serials consecutive, each source's order", test_sources_text},
		{"3 sources, BINARY: one segment, serials consecutive", test_sources_binary},
		{"3 sources, rotations: DAEMON_ROTATE first, nothing lost or twice",
		 test_sources_rotation},
		{"3 sources, BINARY rotations", test_sources_rotation_binary},
		{"3 sources, EIO: whole records, written + lost == put", test_sources_eio},
	};
	char cmd[128];
	int rc;

	log_init(1, 0);
	/* on the disk, not tmpfs: the O_DIRECT path is the one to test */
	snprintf(dir, sizeof(dir), "/var/tmp/lauditd-writer-test.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	rc = UNIT_RUN("writer", tests);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", dir);
	return rc;
}
