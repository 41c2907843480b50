/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * logger/writer.c with failure injection: pwrite is wrapped (-Wl,--wrap=pwrite)
 * to fail with EIO, or to write part of a buffer and then fail with ENOSPC.  The
 * file must hold whole records only, no holes, exactly the records not counted
 * as lost, in order.
 */
#include <CUnit/Basic.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "logger/writer.c"

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
static void put(struct writer *w, unsigned int i)
{
	char fields[256];
	struct log_record r = {.kind = LOG_REC_DAEMON, .type = "DAEMON_ERR", .fields = fields};

	snprintf(fields, sizeof(fields), "op=test n=%u pad=%.*s", i, (int)(i % 97),
		 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	r.stamp.sec = 1700000000;
	r.stamp.serial = i + 1;
	CU_ASSERT_EQUAL(writer_put(w, &r), 0);
}

/* Records @from to @to - 1, with a flush every @every. */
static void put_range(struct writer *w, unsigned int from, unsigned int to, unsigned int every)
{
	unsigned int i;

	for (i = from; i < to; i++) {
		put(w, i);
		if (i % every == 0)
			writer_flush(w);
	}
}

/* Flush, wait for the writer thread, read the counters, close. */
static void finish(struct writer *w, struct writer_stats *st)
{
	writer_flush(w);
	writer_wait(w);
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
	struct writer *w;
	unsigned int last = 0;

	setup(&c, "plain");
	w = writer_open(&c, &o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	put_range(w, 0, 50000, 777);
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
	struct writer *w;
	unsigned int last = 0;
	long n;

	setup(&c, "eio2");
	c.disk_error_action.action = CONF_DISK_SYSLOG;
	w = writer_open(&c, &o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	fail_at = 3;
	fail_errno = EIO;
	put_range(w, 0, 20000, 500);
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
	struct writer *w;
	unsigned int last = 0;
	long n;

	setup(&c, "full");
	c.disk_full_action.action = CONF_DISK_SUSPEND;
	w = writer_open(&c, &o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	fail_at = 4;
	fail_errno = ENOSPC;
	fail_sticky = 1;
	fail_partial = 1;
	put_range(w, 0, 20000, 500);
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
	struct writer *w;
	unsigned int last = 0;
	long n;

	setup(&c, "resume");
	c.disk_full_action.action = CONF_DISK_SUSPEND;
	w = writer_open(&c, &o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	fail_at = 3;
	fail_errno = ENOSPC;
	put_range(w, 0, 10000, 500);
	writer_flush(w);
	writer_resume(w);
	put_range(w, 10000, 20000, 500);
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
	put_range(w, 0, 30000, 30000);
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

int main(int argc, char **argv)
{
	CU_pSuite s;
	char cmd[128];
	int failures;

	(void)argc;
	(void)argv;
	log_init(1, 0);
	/* on the disk, not tmpfs: the O_DIRECT path is the one to test */
	snprintf(dir, sizeof(dir), "/var/tmp/lauditd-writer-test.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("writer", NULL, NULL);
	if (!s || !CU_add_test(s, "records in order, whole, none lost", test_plain) ||
	    !CU_add_test(s, "EIO once: writing goes on, no hole; written + counted lost == put",
			 test_eio_counts) ||
	    !CU_add_test(s, "ENOSPC mid-write: SUSPEND, a prefix of whole records",
			 test_enospc_suspends) ||
	    !CU_add_test(s, "resume after SUSPEND", test_resume) ||
	    !CU_add_test(s, "rotation by size", test_rotation)) {
		CU_cleanup_registry();
		return 1;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failures = CU_get_number_of_failures();
	CU_cleanup_registry();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", dir);
	return failures ? 1 : 0;
}
