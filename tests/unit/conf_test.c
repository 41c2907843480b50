// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for conf/conf.c. Every parse runs on an exact-size heap copy of the text, with no
 * NUL after it, so an over-read shows up under AddressSanitizer.
 */
#include "conf/conf.c"

#include <CUnit/Basic.h>
#include <stdlib.h>
#include "tests/unit/unit.h"

#define MAX_WARNINGS 64

struct warnings {
	unsigned int count;
	struct conf_error w[MAX_WARNINGS];
};

static struct conf g_conf;
static struct conf_error g_err;
static struct warnings g_warns;

static void collect(const struct conf_error *w, void *arg)
{
	struct warnings *ws = arg;

	if (ws->count < MAX_WARNINGS)
		ws->w[ws->count] = *w;
	ws->count++;
}

/* Defaults in g_conf, then parse @len bytes of @text into it */
static int parse_n(const char *text, size_t len)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	CU_ASSERT_FATAL(copy != NULL);
	memcpy(copy, text, len);
	conf_defaults(&g_conf);
	memset(&g_warns, 0, sizeof(g_warns));
	/* garbage, to see that conf_parse() clears it */
	memset(&g_err, 0xa5, sizeof(g_err));
	rc = conf_parse(copy, len, &g_conf, collect, &g_warns, &g_err);
	free(copy);
	return rc;
}

static int parse(const char *text)
{
	return parse_n(text, strlen(text));
}

static void check_ok(const char *text, unsigned int src_line)
{
	char what[512];
	int rc = parse(text);

	snprintf(what, sizeof(what), "parse(\"%.80s\") == 0, got %d {%u, %u, \"%s\"}", text, rc,
		 g_err.line, g_err.column, g_err.message);
	CU_assertImplementation(rc == 0, src_line, what, __FILE__, "", CU_FALSE);
	if (rc == 0) {
		CU_ASSERT_EQUAL(g_err.line, 0);
		CU_ASSERT_EQUAL(g_err.column, 0);
		CU_ASSERT_STRING_EQUAL(g_err.message, "");
	}
}

static int check_error_n(const char *text, size_t len, unsigned int want_line,
			 unsigned int want_col, const char *want_msg, unsigned int src_line)
{
	char what[1024];
	int rc = parse_n(text, len);
	int ok = rc == -EINVAL && g_err.line == want_line && g_err.column == want_col &&
		 !strcmp(g_err.message, want_msg);

	snprintf(what, sizeof(what),
		 "parse(\"%.80s\"): want -EINVAL {%u, %u, \"%s\"}, got %d {%u, %u, \"%s\"}", text,
		 want_line, want_col, want_msg, rc, g_err.line, g_err.column, g_err.message);
	CU_assertImplementation(ok, src_line, what, __FILE__, "", CU_FALSE);
	return ok;
}

static void check_warning(unsigned int i, unsigned int want_line, unsigned int want_col,
			  const char *want_msg, unsigned int src_line)
{
	char what[512];
	const struct conf_error *w = &g_warns.w[i < MAX_WARNINGS ? i : 0];
	int ok = i < g_warns.count && i < MAX_WARNINGS && w->line == want_line &&
		 w->column == want_col && !strcmp(w->message, want_msg);

	snprintf(what, sizeof(what),
		 "warning %u: want {%u, %u, \"%s\"}, got {%u, %u, \"%s\"} of %u", i, want_line,
		 want_col, want_msg, w->line, w->column, w->message, g_warns.count);
	CU_assertImplementation(ok, src_line, what, __FILE__, "", CU_FALSE);
}

#define PARSE_OK(text)			    check_ok(text, __LINE__)
#define PARSE_ERR(text, l, col, msg)	    check_error_n(text, strlen(text), l, col, msg, __LINE__)
#define PARSE_ERR_N(text, len, l, col, msg) check_error_n(text, len, l, col, msg, __LINE__)
#define WARNING(i, l, col, msg)		    check_warning(i, l, col, msg, __LINE__)

/* A default struct conf, to compare whole structs with */
static struct conf defaults(void)
{
	struct conf c;

	conf_defaults(&c);
	return c;
}

static int same_as_defaults(const struct conf *c)
{
	struct conf d = defaults();

	return !memcmp(c, &d, sizeof(d));
}

static void test_defaults(void)
{
	struct conf c;

	memset(&c, 0x5a, sizeof(c));
	conf_defaults(&c);
	CU_ASSERT_STRING_EQUAL(c.log_file, "/var/log/lauditd/audit.log");
	CU_ASSERT_EQUAL(c.log_format, CONF_FMT_RAW);
	CU_ASSERT_EQUAL(c.flush, CONF_FLUSH_INCREMENTAL_ASYNC);
	CU_ASSERT_EQUAL(c.freq, 50);
	CU_ASSERT_EQUAL(c.max_log_file, 8);
	CU_ASSERT_EQUAL(c.num_logs, 5);
	CU_ASSERT_EQUAL(c.max_log_file_action, CONF_ROT_ROTATE);
	CU_ASSERT_EQUAL(c.space_left, 75);
	CU_ASSERT_EQUAL(c.space_left_percent, 0);
	CU_ASSERT_EQUAL(c.space_left_action.action, CONF_DISK_SYSLOG);
	CU_ASSERT_STRING_EQUAL(c.space_left_action.exec, "");
	CU_ASSERT_EQUAL(c.admin_space_left, 50);
	CU_ASSERT_EQUAL(c.admin_space_left_percent, 0);
	CU_ASSERT_EQUAL(c.admin_space_left_action.action, CONF_DISK_SUSPEND);
	CU_ASSERT_STRING_EQUAL(c.admin_space_left_action.exec, "");
	CU_ASSERT_EQUAL(c.disk_full_action.action, CONF_DISK_SUSPEND);
	CU_ASSERT_STRING_EQUAL(c.disk_full_action.exec, "");
	CU_ASSERT_EQUAL(c.disk_error_action.action, CONF_DISK_SYSLOG);
	CU_ASSERT_STRING_EQUAL(c.disk_error_action.exec, "");
	CU_ASSERT_EQUAL(c.priority_boost, 4);
	CU_ASSERT_EQUAL(c.ring_buffer_kb, 16384);
	CU_ASSERT_EQUAL(c.wakeup_percent, 25);
	CU_ASSERT_EQUAL(c.poll_interval_ms, 10);
	CU_ASSERT_EQUAL(c.argv_max, 32);
	CU_ASSERT_EQUAL(c.consumer_threads, 0);
	CU_ASSERT_EQUAL(c.encoder_threads, 0);
	CU_ASSERT_EQUAL(c.compress_logs, 1);
	CU_ASSERT_STRING_EQUAL(c.control_socket, "/run/lauditd.sock");
	CU_ASSERT_EQUAL(c.cache_filter, 1);
	CU_ASSERT_EQUAL(c.cache_flush_interval, 1);
	CU_ASSERT_EQUAL(c.cache_size, 4096);
	CU_ASSERT_EQUAL(c.cache_exempt[0], 0);
}

static void test_empty_and_comments(void)
{
	PARSE_OK("");
	CU_ASSERT(same_as_defaults(&g_conf));
	PARSE_OK("\n\n\n");
	PARSE_OK("   \t \n\t\n");
	PARSE_OK("# lauditd.conf\n#log_format = XML\n   # indented = comment\n\t#\n#");
	CU_ASSERT(same_as_defaults(&g_conf));
	CU_ASSERT_EQUAL(g_warns.count, 0);

	PARSE_OK("# header\n\nlog_format = ENRICHED\n\n  # freq = 9\nfreq = 3\n");
	CU_ASSERT_EQUAL(g_conf.log_format, CONF_FMT_ENRICHED);
	CU_ASSERT_EQUAL(g_conf.freq, 3);
	CU_ASSERT_EQUAL(g_warns.count, 0);

	/* NULL is fine for an empty buffer, and so are a NULL warn and err */
	conf_defaults(&g_conf);
	CU_ASSERT_EQUAL(conf_parse(NULL, 0, &g_conf, NULL, NULL, NULL), 0);
	CU_ASSERT(same_as_defaults(&g_conf));
}

static void test_spacing(void)
{
	PARSE_OK("log_format=BINARY");
	CU_ASSERT_EQUAL(g_conf.log_format, CONF_FMT_BINARY);
	PARSE_OK(" \t log_format \t=\t BINARY \t ");
	CU_ASSERT_EQUAL(g_conf.log_format, CONF_FMT_BINARY);
	PARSE_OK("freq =7\nnum_logs= 9\nargv_max=\t4");
	CU_ASSERT_EQUAL(g_conf.freq, 7);
	CU_ASSERT_EQUAL(g_conf.num_logs, 9);
	CU_ASSERT_EQUAL(g_conf.argv_max, 4);
	PARSE_OK("cache_filter = off\ncache_flush_interval = 5\ncache_size = 64");
	CU_ASSERT_EQUAL(g_conf.cache_filter, 0);
	CU_ASSERT_EQUAL(g_conf.cache_flush_interval, 5);
	CU_ASSERT_EQUAL(g_conf.cache_size, 64);
	PARSE_ERR("cache_filter = yes", 1, 16, "cache_filter: expected on or off, got 'yes'");
	PARSE_ERR("cache_size = 63", 1, 14, "cache_size: 63 is out of range 64..1048576");
	/* cache_filter_exempt: syscall names, commas and blanks between; the last line wins */
	PARSE_OK("cache_filter_exempt = read, pwrite,sendmsg");
	CU_ASSERT_EQUAL(g_conf.cache_exempt[0], 1ULL << 0 | 1ULL << 18 | 1ULL << 46);
	CU_ASSERT_EQUAL(g_conf.cache_exempt[4], 0);
	PARSE_OK("cache_filter_exempt = read\ncache_filter_exempt = preadv2 write");
	CU_ASSERT_EQUAL(g_conf.cache_exempt[0], 1ULL << 1);
	CU_ASSERT_EQUAL(g_conf.cache_exempt[5], 1ULL << (327 - 320));
	PARSE_ERR("cache_filter_exempt = read,nosuch", 1, 28,
		  "cache_filter_exempt: unknown syscall 'nosuch'");
	PARSE_ERR("cache_filter_exempt = read,,write", 1, 28,
		  "cache_filter_exempt: expected syscall names separated by commas");
	/* the last line needs no newline */
	PARSE_OK("freq = 1\nfreq = 12");
	CU_ASSERT_EQUAL(g_conf.freq, 12);
}

static void test_crlf(void)
{
	PARSE_OK("# dos\r\nlog_format = BINARY\r\n\r\n  \r\nfreq = 7\r\n"
		 "log_file = /var/log/x.log\r\nspace_left_action = exec /sbin/x\r\n");
	CU_ASSERT_EQUAL(g_conf.log_format, CONF_FMT_BINARY);
	CU_ASSERT_EQUAL(g_conf.freq, 7);
	CU_ASSERT_STRING_EQUAL(g_conf.log_file, "/var/log/x.log");
	CU_ASSERT_EQUAL(g_conf.space_left_action.action, CONF_DISK_EXEC);
	CU_ASSERT_STRING_EQUAL(g_conf.space_left_action.exec, "/sbin/x");
	/* a last line ending in a lone \r */
	PARSE_OK("flush = data\r");
	CU_ASSERT_EQUAL(g_conf.flush, CONF_FLUSH_DATA);
	/* lines are counted across \r\n, columns do not include the \r */
	PARSE_ERR("# c\r\n\r\nfreq = 10\r\n  \t\r\nlog_format = XML\r\n", 5, 14,
		  "log_format: expected RAW, ENRICHED or BINARY, got 'XML'");
	PARSE_ERR("log_format =\r\n", 1, 13, "log_format: missing value");
	/* only one \r belongs to the line ending; another is part of the value */
	PARSE_ERR("log_format = RAW\r\r\n", 1, 14,
		  "log_format: expected RAW, ENRICHED or BINARY, got 'RAW?'");
	/* a \r inside a line is not a line break */
	PARSE_ERR("log_format = RAW\rfreq = 1\n", 1, 23,
		  "log_format: unexpected '=' after 'RAW?freq'");
}

static void test_length_respected(void)
{
	/* only "freq = 1" is the buffer */
	CU_ASSERT_EQUAL(parse_n("freq = 123", 8), 0);
	CU_ASSERT_EQUAL(g_conf.freq, 1);
	CU_ASSERT_EQUAL(parse_n("log_format = RAWX", 16), 0);
	CU_ASSERT_EQUAL(g_conf.log_format, CONF_FMT_RAW);
	PARSE_ERR_N("freq = 123", 6, 1, 7, "freq: missing value");
}

static void test_log_file(void)
{
	static char line[16 + CONF_PATH_MAX + 2];
	size_t n;

	PARSE_OK("log_file = /srv/audit/lauditd.log");
	CU_ASSERT_STRING_EQUAL(g_conf.log_file, "/srv/audit/lauditd.log");
	PARSE_OK("log_file = /a");
	CU_ASSERT_STRING_EQUAL(g_conf.log_file, "/a");

	/* 4095 bytes fit with the NUL; 4096 do not and are not cut */
	n = (size_t)snprintf(line, sizeof(line), "log_file = /");
	memset(line + n, 'a', CONF_PATH_MAX - 2);
	line[n + CONF_PATH_MAX - 2] = '\0';
	PARSE_OK(line);
	CU_ASSERT_EQUAL(strlen(g_conf.log_file), CONF_PATH_MAX - 1);
	CU_ASSERT_EQUAL(g_conf.log_file[CONF_PATH_MAX - 2], 'a');
	line[n + CONF_PATH_MAX - 2] = 'b';
	line[n + CONF_PATH_MAX - 1] = '\0';
	PARSE_ERR(line, 1, 12, "log_file: path is 4096 bytes long, the limit is 4095");
	CU_ASSERT_STRING_EQUAL(g_conf.log_file, "/var/log/lauditd/audit.log");

	PARSE_ERR("log_file = var/log/a.log", 1, 12,
		  "log_file: expected an absolute path, got 'var/log/a.log'");
	PARSE_ERR("log_file = ./a.log", 1, 12,
		  "log_file: expected an absolute path, got './a.log'");
	PARSE_ERR("log_file = /var/log/", 1, 12,
		  "log_file: expected a file, got directory '/var/log/'");
	PARSE_ERR("log_file = /", 1, 12, "log_file: expected a file, got directory '/'");
	PARSE_ERR("log_file = /var/log/my audit.log", 1, 24,
		  "log_file: unexpected 'audit.log' after '/var/log/my'");
	PARSE_ERR("log_file = /var/log/audit.log # main log", 1, 31,
		  "log_file: unexpected '#' after '/var/log/audit.log'");
}

static void test_log_format(void)
{
	PARSE_OK("log_format = ENRICHED");
	CU_ASSERT_EQUAL(g_conf.log_format, CONF_FMT_ENRICHED);
	PARSE_OK("log_format = binary");
	CU_ASSERT_EQUAL(g_conf.log_format, CONF_FMT_BINARY);
	PARSE_OK("log_format = ENRICHED\nlog_format = Raw");
	CU_ASSERT_EQUAL(g_conf.log_format, CONF_FMT_RAW);

	PARSE_ERR("log_format = XML", 1, 14,
		  "log_format: expected RAW, ENRICHED or BINARY, got 'XML'");
	/* auditd's deprecated NOLOG is write_logs = no, which lauditd does not do */
	PARSE_ERR("log_format = NOLOG", 1, 14,
		  "log_format: expected RAW, ENRICHED or BINARY, got 'NOLOG'");
	PARSE_ERR("log_format = RA", 1, 14,
		  "log_format: expected RAW, ENRICHED or BINARY, got 'RA'");
	PARSE_ERR("log_format = RAWR", 1, 14,
		  "log_format: expected RAW, ENRICHED or BINARY, got 'RAWR'");
	PARSE_ERR("log_format = RAW ENRICHED", 1, 18,
		  "log_format: unexpected 'ENRICHED' after 'RAW'");
	PARSE_ERR("log_format == RAW", 1, 15, "log_format: unexpected 'RAW' after '='");
}

static void test_flush(void)
{
	static const struct {
		const char *text;
		enum conf_flush want;
	} good[] = {
		{"flush = NONE", CONF_FLUSH_NONE},
		{"flush = incremental", CONF_FLUSH_INCREMENTAL},
		{"flush = INCREMENTAL_ASYNC", CONF_FLUSH_INCREMENTAL_ASYNC},
		{"flush = Data", CONF_FLUSH_DATA},
		{"flush = sync", CONF_FLUSH_SYNC},
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		PARSE_OK(good[i].text);
		CU_ASSERT_EQUAL(g_conf.flush, good[i].want);
	}
	PARSE_ERR("flush = sometimes", 1, 9,
		  "flush: expected NONE, INCREMENTAL, INCREMENTAL_ASYNC, DATA or SYNC, "
		  "got 'sometimes'");
	PARSE_ERR("flush = INCREMENTAL_", 1, 9,
		  "flush: expected NONE, INCREMENTAL, INCREMENTAL_ASYNC, DATA or SYNC, "
		  "got 'INCREMENTAL_'");
}

static void test_numbers(void)
{
	PARSE_OK("freq = 0");
	CU_ASSERT_EQUAL(g_conf.freq, 0);
	PARSE_OK("freq = 2147483647");
	CU_ASSERT_EQUAL(g_conf.freq, 2147483647u);
	PARSE_OK("freq = 007");
	CU_ASSERT_EQUAL(g_conf.freq, 7);
	PARSE_OK("max_log_file = 0");
	CU_ASSERT_EQUAL(g_conf.max_log_file, 0);
	PARSE_OK("max_log_file = 4294967295");
	CU_ASSERT_EQUAL(g_conf.max_log_file, 4294967295u);
	PARSE_OK("num_logs = 0");
	CU_ASSERT_EQUAL(g_conf.num_logs, 0);
	PARSE_OK("num_logs = 999");
	CU_ASSERT_EQUAL(g_conf.num_logs, 999);

	PARSE_ERR("freq = -1", 1, 8, "freq: expected a decimal number, got '-1'");
	PARSE_ERR("freq = +1", 1, 8, "freq: expected a decimal number, got '+1'");
	PARSE_ERR("freq = 0x10", 1, 8, "freq: expected a decimal number, got '0x10'");
	PARSE_ERR("freq = 12abc", 1, 8, "freq: expected a decimal number, got '12abc'");
	PARSE_ERR("freq = 1.5", 1, 8, "freq: expected a decimal number, got '1.5'");
	PARSE_ERR("freq = 1 2", 1, 10, "freq: unexpected '2' after '1'");
	PARSE_ERR("freq = 2147483648", 1, 8, "freq: 2147483648 is out of range 0..2147483647");
	PARSE_ERR("freq = 99999999999999999999999", 1, 8,
		  "freq: 99999999999999999999999 is out of range 0..2147483647");
	PARSE_ERR("max_log_file = 4294967296", 1, 16,
		  "max_log_file: 4294967296 is out of range 0..4294967295");
	PARSE_ERR("max_log_file = 8M", 1, 16, "max_log_file: expected a decimal number, got '8M'");
	PARSE_ERR("num_logs = 1000", 1, 12, "num_logs: 1000 is out of range 0..999");
	PARSE_ERR("num_logs = five", 1, 12, "num_logs: expected a decimal number, got 'five'");
}

static void test_max_log_file_action(void)
{
	static const struct {
		const char *text;
		enum conf_rotate_action want;
	} good[] = {
		{"max_log_file_action = IGNORE", CONF_ROT_IGNORE},
		{"max_log_file_action = syslog", CONF_ROT_SYSLOG},
		{"max_log_file_action = Suspend", CONF_ROT_SUSPEND},
		{"max_log_file_action = ROTATE", CONF_ROT_ROTATE},
		{"max_log_file_action = keep_logs", CONF_ROT_KEEP_LOGS},
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		PARSE_OK(good[i].text);
		CU_ASSERT_EQUAL(g_conf.max_log_file_action, good[i].want);
	}
	PARSE_ERR("max_log_file_action = DELETE", 1, 23,
		  "max_log_file_action: expected IGNORE, SYSLOG, SUSPEND, ROTATE or KEEP_LOGS, "
		  "got 'DELETE'");
	PARSE_ERR("max_log_file_action = KEEP-LOGS", 1, 23,
		  "max_log_file_action: expected IGNORE, SYSLOG, SUSPEND, ROTATE or KEEP_LOGS, "
		  "got 'KEEP-LOGS'");
	PARSE_ERR("max_log_file_action = EXEC /bin/true", 1, 28,
		  "max_log_file_action: unexpected '/bin/true' after 'EXEC'");
}

static void test_space_left(void)
{
	PARSE_OK("space_left = 100");
	CU_ASSERT_EQUAL(g_conf.space_left, 100);
	CU_ASSERT_EQUAL(g_conf.space_left_percent, 0);
	PARSE_OK("space_left = 25%");
	CU_ASSERT_EQUAL(g_conf.space_left, 25);
	CU_ASSERT_EQUAL(g_conf.space_left_percent, 1);
	PARSE_OK("space_left = 0%");
	CU_ASSERT_EQUAL(g_conf.space_left, 0);
	CU_ASSERT_EQUAL(g_conf.space_left_percent, 1);
	PARSE_OK("space_left = 100%");
	CU_ASSERT_EQUAL(g_conf.space_left, 100);
	CU_ASSERT_EQUAL(g_conf.space_left_percent, 1);
	PARSE_OK("space_left = 4294967295");
	CU_ASSERT_EQUAL(g_conf.space_left, 4294967295u);
	CU_ASSERT_EQUAL(g_conf.space_left_percent, 0);
	/* the last one wins, percent flag included */
	PARSE_OK("space_left = 10%\nspace_left = 500");
	CU_ASSERT_EQUAL(g_conf.space_left, 500);
	CU_ASSERT_EQUAL(g_conf.space_left_percent, 0);
	PARSE_OK("admin_space_left = 5%");
	CU_ASSERT_EQUAL(g_conf.admin_space_left, 5);
	CU_ASSERT_EQUAL(g_conf.admin_space_left_percent, 1);
	CU_ASSERT_EQUAL(g_conf.space_left, 75);
	CU_ASSERT_EQUAL(g_conf.space_left_percent, 0);
	PARSE_OK("admin_space_left = 0");
	CU_ASSERT_EQUAL(g_conf.admin_space_left, 0);
	CU_ASSERT_EQUAL(g_conf.admin_space_left_percent, 0);

	PARSE_ERR("space_left = 101%", 1, 14, "space_left: 101% is out of range 0..100%");
	PARSE_ERR("space_left = 99999999999999999999999%", 1, 14,
		  "space_left: 99999999999999999999999% is out of range 0..100%");
	PARSE_ERR("space_left = 4294967296", 1, 14,
		  "space_left: 4294967296 is out of range 0..4294967295");
	PARSE_ERR("space_left = %", 1, 14,
		  "space_left: expected a size in MB or a percentage, got '%'");
	PARSE_ERR("space_left = 50%%", 1, 14,
		  "space_left: expected a size in MB or a percentage, got '50%%'");
	PARSE_ERR("space_left = -5", 1, 14,
		  "space_left: expected a size in MB or a percentage, got '-5'");
	PARSE_ERR("space_left = 5%0", 1, 14,
		  "space_left: expected a size in MB or a percentage, got '5%0'");
	PARSE_ERR("space_left = 50 %", 1, 17, "space_left: unexpected '%' after '50'");
	PARSE_ERR("admin_space_left = 200%", 1, 20,
		  "admin_space_left: 200% is out of range 0..100%");
	PARSE_ERR("admin_space_left = lots", 1, 20,
		  "admin_space_left: expected a size in MB or a percentage, got 'lots'");
}

/* Each keyword of a disk action key, upper and lower case, with its exec path cleared */
static void check_action_keywords(const char *key, size_t off, unsigned int reject)
{
	static const struct {
		const char *word;
		enum conf_disk_action want;
	} all[] = {
		{.word = "IGNORE", .want = CONF_DISK_IGNORE},
		{.word = "syslog", .want = CONF_DISK_SYSLOG},
		{.word = "Rotate", .want = CONF_DISK_ROTATE},
		{.word = "email", .want = CONF_DISK_EMAIL},
		{.word = "SUSPEND", .want = CONF_DISK_SUSPEND},
		{.word = "single", .want = CONF_DISK_SINGLE},
		{.word = "HALT", .want = CONF_DISK_HALT},
	};
	const struct conf_action *a = (const struct conf_action *)((char *)&g_conf + off);
	char text[128];
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (reject & (1u << all[i].want))
			continue;
		snprintf(text, sizeof(text), "%s = exec /usr/sbin/x\n%s = %s", key, key,
			 all[i].word);
		PARSE_OK(text);
		CU_ASSERT_EQUAL(a->action, all[i].want);
		CU_ASSERT_STRING_EQUAL(a->exec, "");
	}
	snprintf(text, sizeof(text), "%s = EXEC /usr/local/sbin/audit-low", key);
	PARSE_OK(text);
	CU_ASSERT_EQUAL(a->action, CONF_DISK_EXEC);
	CU_ASSERT_STRING_EQUAL(a->exec, "/usr/local/sbin/audit-low");
	snprintf(text, sizeof(text), "%s = exec\t /a \t", key);
	PARSE_OK(text);
	CU_ASSERT_EQUAL(a->action, CONF_DISK_EXEC);
	CU_ASSERT_STRING_EQUAL(a->exec, "/a");
}

static void test_actions(void)
{
	check_action_keywords("space_left_action", offsetof(struct conf, space_left_action), 0);
	check_action_keywords("admin_space_left_action",
			      offsetof(struct conf, admin_space_left_action), 0);
	check_action_keywords("disk_full_action", offsetof(struct conf, disk_full_action),
			      1u << CONF_DISK_EMAIL);
	check_action_keywords("disk_error_action", offsetof(struct conf, disk_error_action),
			      1u << CONF_DISK_EMAIL | 1u << CONF_DISK_ROTATE);

	/* one key's action leaves the others alone */
	PARSE_OK("disk_full_action = halt");
	CU_ASSERT_EQUAL(g_conf.disk_full_action.action, CONF_DISK_HALT);
	CU_ASSERT_EQUAL(g_conf.space_left_action.action, CONF_DISK_SYSLOG);
	CU_ASSERT_EQUAL(g_conf.admin_space_left_action.action, CONF_DISK_SUSPEND);
	CU_ASSERT_EQUAL(g_conf.disk_error_action.action, CONF_DISK_SYSLOG);

	PARSE_ERR("space_left_action = panic", 1, 21,
		  "space_left_action: expected IGNORE, SYSLOG, ROTATE, EMAIL, EXEC, SUSPEND, "
		  "SINGLE or HALT, got 'panic'");
	PARSE_ERR("admin_space_left_action = reboot", 1, 27,
		  "admin_space_left_action: expected IGNORE, SYSLOG, ROTATE, EMAIL, EXEC, "
		  "SUSPEND, SINGLE or HALT, got 'reboot'");
	/* auditd.conf(5): disk_full_action has no email, disk_error_action no rotate or email */
	PARSE_ERR("disk_full_action = email", 1, 20,
		  "disk_full_action: expected IGNORE, SYSLOG, ROTATE, EXEC, SUSPEND, SINGLE or "
		  "HALT, got 'email'");
	PARSE_ERR("disk_error_action = rotate", 1, 21,
		  "disk_error_action: expected IGNORE, SYSLOG, EXEC, SUSPEND, SINGLE or HALT, "
		  "got 'rotate'");
	PARSE_ERR("disk_error_action = EMAIL", 1, 21,
		  "disk_error_action: expected IGNORE, SYSLOG, EXEC, SUSPEND, SINGLE or HALT, "
		  "got 'EMAIL'");

	PARSE_ERR("space_left_action = exec", 1, 21,
		  "space_left_action: EXEC needs the absolute path of a program");
	PARSE_ERR("space_left_action = exec  \t", 1, 21,
		  "space_left_action: EXEC needs the absolute path of a program");
	PARSE_ERR("space_left_action = exec bin/x", 1, 26,
		  "space_left_action: expected an absolute path, got 'bin/x'");
	PARSE_ERR("space_left_action = exec /usr/bin/x --now", 1, 37,
		  "space_left_action: EXEC takes no arguments, got '--now'");
	PARSE_ERR("space_left_action = exec /usr/sbin/", 1, 26,
		  "space_left_action: expected a file, got directory '/usr/sbin/'");
	PARSE_ERR("space_left_action = syslog now", 1, 28,
		  "space_left_action: unexpected 'now' after 'syslog'");
	PARSE_ERR("disk_error_action = /sbin/halt", 1, 21,
		  "disk_error_action: expected IGNORE, SYSLOG, EXEC, SUSPEND, SINGLE or HALT, "
		  "got '/sbin/halt'");
}

static void test_action_exec_length(void)
{
	static char line[32 + CONF_PATH_MAX + 2];
	size_t n;

	n = (size_t)snprintf(line, sizeof(line), "disk_full_action = exec /");
	memset(line + n, 'x', CONF_PATH_MAX - 2);
	line[n + CONF_PATH_MAX - 2] = '\0';
	PARSE_OK(line);
	CU_ASSERT_EQUAL(g_conf.disk_full_action.action, CONF_DISK_EXEC);
	CU_ASSERT_EQUAL(strlen(g_conf.disk_full_action.exec), CONF_PATH_MAX - 1);
	line[n + CONF_PATH_MAX - 2] = 'y';
	line[n + CONF_PATH_MAX - 1] = '\0';
	PARSE_ERR(line, 1, 25, "disk_full_action: path is 4096 bytes long, the limit is 4095");
	CU_ASSERT_EQUAL(g_conf.disk_full_action.action, CONF_DISK_SUSPEND);
	CU_ASSERT_STRING_EQUAL(g_conf.disk_full_action.exec, "");
}

static void test_lauditd_keys(void)
{
	PARSE_OK("ring_buffer_kb = 64");
	CU_ASSERT_EQUAL(g_conf.ring_buffer_kb, 64);
	PARSE_OK("ring_buffer_kb = 4096");
	CU_ASSERT_EQUAL(g_conf.ring_buffer_kb, 4096);
	PARSE_OK("ring_buffer_kb = 1048576");
	CU_ASSERT_EQUAL(g_conf.ring_buffer_kb, 1048576);
	PARSE_OK("wakeup_percent = 1\npoll_interval_ms = 1\nargv_max = 1\nwriter_threads = 0");
	CU_ASSERT_EQUAL(g_conf.wakeup_percent, 1);
	CU_ASSERT_EQUAL(g_conf.poll_interval_ms, 1);
	CU_ASSERT_EQUAL(g_conf.argv_max, 1);
	CU_ASSERT_EQUAL(g_conf.consumer_threads, 0);
	PARSE_OK("wakeup_percent = 100\npoll_interval_ms = 1000\nargv_max = 64\n"
		 "writer_threads = 64");
	CU_ASSERT_EQUAL(g_conf.wakeup_percent, 100);
	CU_ASSERT_EQUAL(g_conf.poll_interval_ms, 1000);
	CU_ASSERT_EQUAL(g_conf.argv_max, 64);
	CU_ASSERT_EQUAL(g_conf.consumer_threads, 64);
	PARSE_OK("encoder_threads = 2");
	CU_ASSERT_EQUAL(g_conf.encoder_threads, 2);
	PARSE_OK("compress_logs = no");
	CU_ASSERT_EQUAL(g_conf.compress_logs, 0);
	PARSE_OK("compress_logs = no\ncompress_logs = YES");
	CU_ASSERT_EQUAL(g_conf.compress_logs, 1);
	PARSE_OK("compress_logs = No");
	CU_ASSERT_EQUAL(g_conf.compress_logs, 0);
	PARSE_OK("control_socket = /tmp/t/ctl.sock");
	CU_ASSERT_STRING_EQUAL(g_conf.control_socket, "/tmp/t/ctl.sock");
	PARSE_ERR("control_socket = ctl.sock", 1, 18,
		  "control_socket: expected an absolute path, got 'ctl.sock'");

	/* auditd's range: any int; the kernel clamps nice to -20 */
	PARSE_OK("priority_boost = 0");
	CU_ASSERT_EQUAL(g_conf.priority_boost, 0);
	PARSE_OK("priority_boost = 2147483647");
	CU_ASSERT_EQUAL(g_conf.priority_boost, 2147483647);
	PARSE_ERR("priority_boost = 2147483648", 1, 18,
		  "priority_boost: 2147483648 is out of range 0..2147483647");
	PARSE_ERR("priority_boost = -1", 1, 18,
		  "priority_boost: expected a decimal number, got '-1'");
	PARSE_ERR("ring_buffer_kb = 32", 1, 18, "ring_buffer_kb: 32 is out of range 64..1048576");
	PARSE_ERR("ring_buffer_kb = 0", 1, 18, "ring_buffer_kb: 0 is out of range 64..1048576");
	PARSE_ERR("ring_buffer_kb = 2097152", 1, 18,
		  "ring_buffer_kb: 2097152 is out of range 64..1048576");
	PARSE_ERR("ring_buffer_kb = 100", 1, 18, "ring_buffer_kb: 100 is not a power of two");
	PARSE_ERR("ring_buffer_kb = 1048575", 1, 18,
		  "ring_buffer_kb: 1048575 is not a power of two");
	PARSE_ERR("wakeup_percent = 0", 1, 18, "wakeup_percent: 0 is out of range 1..100");
	PARSE_ERR("wakeup_percent = 101", 1, 18, "wakeup_percent: 101 is out of range 1..100");
	PARSE_ERR("wakeup_percent = 50%", 1, 18,
		  "wakeup_percent: expected a decimal number, got '50%'");
	PARSE_ERR("poll_interval_ms = 0", 1, 20, "poll_interval_ms: 0 is out of range 1..1000");
	PARSE_ERR("poll_interval_ms = 1001", 1, 20,
		  "poll_interval_ms: 1001 is out of range 1..1000");
	PARSE_ERR("argv_max = 0", 1, 12, "argv_max: 0 is out of range 1..64");
	PARSE_ERR("argv_max = 65", 1, 12, "argv_max: 65 is out of range 1..64");
	PARSE_ERR("writer_threads = 65", 1, 18, "writer_threads: 65 is out of range 0..64");
	PARSE_ERR("encoder_threads = 65", 1, 19, "encoder_threads: 65 is out of range 0..64");
	PARSE_ERR("writer_threads = auto", 1, 18,
		  "writer_threads: expected a decimal number, got 'auto'");
	PARSE_ERR("compress_logs = maybe", 1, 17, "compress_logs: expected yes or no, got 'maybe'");
	PARSE_ERR("compress_logs = 1", 1, 17, "compress_logs: expected yes or no, got '1'");
	PARSE_ERR("compress_logs = true", 1, 17, "compress_logs: expected yes or no, got 'true'");
}

/* consumer_threads, and writer_threads, its older name, set the same field; the last line wins */
static void test_consumer_threads_alias(void)
{
	PARSE_OK("consumer_threads = 3");
	CU_ASSERT_EQUAL(g_conf.consumer_threads, 3);
	CU_ASSERT_EQUAL(g_warns.count, 0);
	PARSE_OK("writer_threads = 5");
	CU_ASSERT_EQUAL(g_conf.consumer_threads, 5);
	CU_ASSERT_EQUAL(g_warns.count, 0);
	PARSE_OK("consumer_threads = 2\nwriter_threads = 7");
	CU_ASSERT_EQUAL(g_conf.consumer_threads, 7);
	PARSE_OK("writer_threads = 7\nconsumer_threads = 2");
	CU_ASSERT_EQUAL(g_conf.consumer_threads, 2);
	PARSE_ERR("consumer_threads = 65", 1, 20, "consumer_threads: 65 is out of range 0..64");
	PARSE_ERR("writer_threads = 65", 1, 18, "writer_threads: 65 is out of range 0..64");
	PARSE_ERR("encoder_threads = 65", 1, 19, "encoder_threads: 65 is out of range 0..64");
}

static void test_all_keys_together(void)
{
	PARSE_OK("log_file = /srv/audit/lauditd.log\n"
		 "log_format = enriched\n"
		 "flush = data\n"
		 "freq = 0\n"
		 "max_log_file = 0\n"
		 "num_logs = 999\n"
		 "max_log_file_action = keep_logs\n"
		 "space_left = 25%\n"
		 "space_left_action = email\n"
		 "admin_space_left = 10%\n"
		 "admin_space_left_action = exec /usr/local/sbin/audit-full\n"
		 "disk_full_action = HALT\n"
		 "disk_error_action = single\n"
		 "ring_buffer_kb = 1048576\n"
		 "wakeup_percent = 100\n"
		 "poll_interval_ms = 1000\n"
		 "argv_max = 64\n"
		 "writer_threads = 64\n"
		 "compress_logs = no\n");
	CU_ASSERT_EQUAL(g_warns.count, 0);
	CU_ASSERT_STRING_EQUAL(g_conf.log_file, "/srv/audit/lauditd.log");
	CU_ASSERT_EQUAL(g_conf.log_format, CONF_FMT_ENRICHED);
	CU_ASSERT_EQUAL(g_conf.flush, CONF_FLUSH_DATA);
	CU_ASSERT_EQUAL(g_conf.freq, 0);
	CU_ASSERT_EQUAL(g_conf.max_log_file, 0);
	CU_ASSERT_EQUAL(g_conf.num_logs, 999);
	CU_ASSERT_EQUAL(g_conf.max_log_file_action, CONF_ROT_KEEP_LOGS);
	CU_ASSERT_EQUAL(g_conf.space_left, 25);
	CU_ASSERT_EQUAL(g_conf.space_left_percent, 1);
	CU_ASSERT_EQUAL(g_conf.space_left_action.action, CONF_DISK_EMAIL);
	CU_ASSERT_STRING_EQUAL(g_conf.space_left_action.exec, "");
	CU_ASSERT_EQUAL(g_conf.admin_space_left, 10);
	CU_ASSERT_EQUAL(g_conf.admin_space_left_percent, 1);
	CU_ASSERT_EQUAL(g_conf.admin_space_left_action.action, CONF_DISK_EXEC);
	CU_ASSERT_STRING_EQUAL(g_conf.admin_space_left_action.exec, "/usr/local/sbin/audit-full");
	CU_ASSERT_EQUAL(g_conf.disk_full_action.action, CONF_DISK_HALT);
	CU_ASSERT_EQUAL(g_conf.disk_error_action.action, CONF_DISK_SINGLE);
	CU_ASSERT_EQUAL(g_conf.ring_buffer_kb, 1048576);
	CU_ASSERT_EQUAL(g_conf.wakeup_percent, 100);
	CU_ASSERT_EQUAL(g_conf.poll_interval_ms, 1000);
	CU_ASSERT_EQUAL(g_conf.argv_max, 64);
	CU_ASSERT_EQUAL(g_conf.consumer_threads, 64);
	CU_ASSERT_EQUAL(g_conf.compress_logs, 0);
}

static void test_syntax_errors(void)
{
	PARSE_ERR("log_format", 1, 11, "missing '=' after 'log_format'");
	PARSE_ERR("log_format RAW", 1, 12, "missing '=' after 'log_format'");
	PARSE_ERR("  log_format\tRAW", 1, 14, "missing '=' after 'log_format'");
	PARSE_ERR("log_format: RAW", 1, 13, "missing '=' after 'log_format:'");
	PARSE_ERR("log format = RAW", 1, 5, "missing '=' after 'log'");
	PARSE_ERR("= RAW", 1, 1, "missing key before '='");
	PARSE_ERR("   =RAW", 1, 4, "missing key before '='");
	PARSE_ERR("log_format =", 1, 13, "log_format: missing value");
	PARSE_ERR("log_format = \t ", 1, 16, "log_format: missing value");
	PARSE_ERR("log_format=", 1, 12, "log_format: missing value");
	/* syntax comes before the key lookup: an unknown key needs a value too */
	PARSE_ERR("foo =", 1, 6, "foo: missing value");
	PARSE_ERR("foo", 1, 4, "missing '=' after 'foo'");
	CU_ASSERT_EQUAL(g_warns.count, 0);
	/* a tab is one column */
	PARSE_ERR("\tlog_format = XML", 1, 15,
		  "log_format: expected RAW, ENRICHED or BINARY, got 'XML'");
	PARSE_ERR("freq = 1\n\n# c\n\t\tnum_logs\n", 4, 11, "missing '=' after 'num_logs'");
}

static void test_nul_byte(void)
{
	static const char mid[] = "freq = 1\nfr\0eq = 2\n";
	static const char comment[] = "# c\r\n\r\n#\0\n";
	static const char last[] = "freq = 1\0";

	/* reported before any line is applied */
	PARSE_ERR_N(mid, sizeof(mid) - 1, 2, 3, "unexpected NUL byte");
	CU_ASSERT_EQUAL(g_conf.freq, 50);
	PARSE_ERR_N("\0", 1, 1, 1, "unexpected NUL byte");
	PARSE_ERR_N(comment, sizeof(comment) - 1, 3, 2, "unexpected NUL byte");
	PARSE_ERR_N(last, sizeof(last) - 1, 1, 9, "unexpected NUL byte");
	/* before an earlier line's error, and before any warning */
	PARSE_ERR_N("foo = 1\nfreq = x\0", 17, 2, 9, "unexpected NUL byte");
	CU_ASSERT_EQUAL(g_warns.count, 0);
}

static void test_unknown_keys(void)
{
	char text[256];

	PARSE_OK("foo = 1\n  Log_Format = XML\nlog_format = binary\n\tbar=baz qux\n");
	CU_ASSERT_EQUAL(g_warns.count, 3);
	WARNING(0, 1, 1, "unknown key 'foo', ignored");
	/* keys are case-sensitive, and an unknown key's value is not looked at */
	WARNING(1, 2, 3, "unknown key 'Log_Format', ignored");
	WARNING(2, 4, 2, "unknown key 'bar', ignored");
	CU_ASSERT_EQUAL(g_conf.log_format, CONF_FMT_BINARY);

	/* a long key is cut in the message */
	memset(text, 'k', 100);
	memcpy(text + 100, " = 1", sizeof(" = 1"));
	PARSE_OK(text);
	CU_ASSERT_EQUAL(g_warns.count, 1);
	WARNING(0, 1, 1,
		"unknown key "
		"'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...', ignored");

	/* control bytes are not copied into messages */
	PARSE_OK("f\x1bo = 1");
	WARNING(0, 1, 1, "unknown key 'f?o', ignored");

	/* no callback, no crash */
	conf_defaults(&g_conf);
	CU_ASSERT_EQUAL(conf_parse("foo = 1\nfreq = 2", 16, &g_conf, NULL, NULL, &g_err), 0);
	CU_ASSERT_EQUAL(g_conf.freq, 2);
}

static void test_ignored_keys(void)
{
	static const char *const names[] = {
		"local_events",		"log_group",
		"dispatcher",		"verify_email",
		"action_mail_acct",	"tcp_listen_port",
		"tcp_listen_queue",	"tcp_max_per_addr",
		"use_libwrap",		"tcp_client_ports",
		"tcp_client_max_idle",	"transport",
		"enable_krb5",		"krb5_principal",
		"krb5_key_file",	"distribute_network",
		"end_of_event_timeout",
	};
	char text[128], msg[128];
	size_t i;

	CU_ASSERT_EQUAL(sizeof(names) / sizeof(names[0]), 17);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		/* the value is not checked, and may have several words */
		snprintf(text, sizeof(text), "\n  %s = any thing #at all\n", names[i]);
		snprintf(msg, sizeof(msg), "%s: accepted for compatibility, has no effect",
			 names[i]);
		PARSE_OK(text);
		CU_ASSERT_EQUAL(g_warns.count, 1);
		WARNING(0, 2, 3, msg);
		CU_ASSERT(same_as_defaults(&g_conf));
	}
	PARSE_OK("Name_Format = NONE");
	CU_ASSERT_EQUAL(g_warns.count, 1);
	WARNING(0, 1, 1, "unknown key 'Name_Format', ignored");
	/* still a line: it needs its '=' and value */
	PARSE_ERR("name_format =", 1, 14, "name_format: missing value");
}

static void test_auditd_conf(void)
{
	/* auditd 3.x's stock auditd.conf */
	PARSE_OK("#\n"
		 "# This file controls the configuration of the audit daemon\n"
		 "#\n"
		 "\n"
		 "local_events = yes\n"
		 "write_logs = yes\n"
		 "log_file = /var/log/audit/audit.log\n"
		 "log_group = adm\n"
		 "log_format = ENRICHED\n"
		 "flush = INCREMENTAL_ASYNC\n"
		 "freq = 50\n"
		 "max_log_file = 8\n"
		 "num_logs = 5\n"
		 "priority_boost = 4\n"
		 "name_format = NONE\n"
		 "##name = mydomain\n"
		 "max_log_file_action = ROTATE\n"
		 "space_left = 75\n"
		 "space_left_action = SYSLOG\n"
		 "verify_email = yes\n"
		 "action_mail_acct = root\n"
		 "admin_space_left = 50\n"
		 "admin_space_left_action = SUSPEND\n"
		 "disk_full_action = SUSPEND\n"
		 "disk_error_action = SUSPEND\n"
		 "use_libwrap = yes\n"
		 "##tcp_listen_port = 60\n"
		 "tcp_listen_queue = 5\n"
		 "tcp_max_per_addr = 1\n"
		 "##tcp_client_ports = 1024-65535\n"
		 "tcp_client_max_idle = 0\n"
		 "transport = TCP\n"
		 "krb5_principal = auditd\n"
		 "##krb5_key_file = /etc/audit/audit.key\n"
		 "distribute_network = no\n"
		 "q_depth = 2000\n"
		 "overflow_action = SYSLOG\n"
		 "max_restarts = 10\n"
		 "plugin_dir = /etc/audit/plugins.d\n"
		 "end_of_event_timeout = 2\n");
	CU_ASSERT_EQUAL(g_warns.count, 12);
	WARNING(0, 5, 1, "local_events: accepted for compatibility, has no effect");
	CU_ASSERT_STRING_EQUAL(g_conf.plugin_dir, "/etc/audit/plugins.d");
	CU_ASSERT_EQUAL(g_conf.q_depth, 2000);
	CU_ASSERT_EQUAL(g_conf.max_restarts, 10);
	CU_ASSERT_EQUAL(g_conf.overflow_action, CONF_OVF_SYSLOG);
	CU_ASSERT_EQUAL(g_conf.name_format, CONF_NAME_NONE);
	CU_ASSERT_EQUAL(g_conf.write_logs, 1);
	CU_ASSERT_EQUAL(g_conf.priority_boost, 4);
	WARNING(11, 40, 1, "end_of_event_timeout: accepted for compatibility, has no effect");
	CU_ASSERT_STRING_EQUAL(g_conf.log_file, "/var/log/audit/audit.log");
	CU_ASSERT_EQUAL(g_conf.log_format, CONF_FMT_ENRICHED);
	CU_ASSERT_EQUAL(g_conf.disk_error_action.action, CONF_DISK_SUSPEND);
	CU_ASSERT_EQUAL(g_conf.flush, CONF_FLUSH_INCREMENTAL_ASYNC);
	CU_ASSERT_EQUAL(g_conf.freq, 50);
	CU_ASSERT_EQUAL(g_conf.space_left, 75);
}

static void test_dispatcher_keys(void)
{
	conf_defaults(&g_conf);
	CU_ASSERT_EQUAL(g_conf.q_depth, 2000);
	CU_ASSERT_EQUAL(g_conf.max_restarts, 10);
	CU_ASSERT_EQUAL(g_conf.disp_lossless, 0);
	CU_ASSERT_EQUAL(g_conf.write_logs, 1);
	CU_ASSERT_STRING_EQUAL(g_conf.plugin_dir, "");
	PARSE_OK("disp_qos = LOSSLESS\nwrite_logs = no\nq_depth = 1\noverflow_action = halt\n"
		 "name_format = user\nname = host-a.example\nplugin_dir = /p/d/\n"
		 "max_restarts = 0\n");
	CU_ASSERT_EQUAL(g_warns.count, 0);
	CU_ASSERT_EQUAL(g_conf.disp_lossless, 1);
	CU_ASSERT_EQUAL(g_conf.write_logs, 0);
	CU_ASSERT_EQUAL(g_conf.q_depth, 1);
	CU_ASSERT_EQUAL(g_conf.overflow_action, CONF_OVF_HALT);
	CU_ASSERT_EQUAL(g_conf.name_format, CONF_NAME_USER);
	CU_ASSERT_STRING_EQUAL(g_conf.name, "host-a.example");
	CU_ASSERT_STRING_EQUAL(g_conf.plugin_dir, "/p/d/");
	CU_ASSERT_EQUAL(g_conf.max_restarts, 0);
	PARSE_ERR("disp_qos = fast", 1, 12, "disp_qos: expected lossy or lossless, got 'fast'");
	PARSE_ERR("q_depth = 0", 1, 11, "q_depth: 0 is out of range 1..1000000");
	PARSE_ERR(
		"overflow_action = rotate", 1, 19,
		"overflow_action: expected IGNORE, SYSLOG, SUSPEND, SINGLE or HALT, got 'rotate'");
	PARSE_ERR("name = a=b", 1, 9, "name: unexpected character in 'a=b'");
	PARSE_ERR("plugin_dir = rel", 1, 14, "plugin_dir: expected an absolute path, got 'rel'");
	PARSE_ERR("write_logs = maybe", 1, 14, "write_logs: expected yes or no, got 'maybe'");
}

static void test_duplicates_and_stop(void)
{
	PARSE_OK("freq = 1\nfreq = 2\n");
	CU_ASSERT_EQUAL(g_conf.freq, 2);
	PARSE_OK("disk_full_action = syslog\ndisk_full_action = exec /sbin/a\n");
	CU_ASSERT_EQUAL(g_conf.disk_full_action.action, CONF_DISK_EXEC);
	CU_ASSERT_STRING_EQUAL(g_conf.disk_full_action.exec, "/sbin/a");
	PARSE_OK("log_file = /a/b\nlog_file = /c\n");
	CU_ASSERT_STRING_EQUAL(g_conf.log_file, "/c");

	/* lines before the error are stored, lines after it are not read */
	PARSE_ERR("freq = 7\nnum_logs = 1000\nargv_max = 3\nfoo = 1\n", 2, 12,
		  "num_logs: 1000 is out of range 0..999");
	CU_ASSERT_EQUAL(g_conf.freq, 7);
	CU_ASSERT_EQUAL(g_conf.num_logs, 5);
	CU_ASSERT_EQUAL(g_conf.argv_max, 32);
	CU_ASSERT_EQUAL(g_warns.count, 0);
	/* a bad value leaves the field as it was */
	PARSE_ERR("log_format = BINARY\nlog_format = XML\n", 2, 14,
		  "log_format: expected RAW, ENRICHED or BINARY, got 'XML'");
	CU_ASSERT_EQUAL(g_conf.log_format, CONF_FMT_BINARY);
	PARSE_ERR("space_left = 10\nspace_left = 101%\n", 2, 14,
		  "space_left: 101% is out of range 0..100%");
	CU_ASSERT_EQUAL(g_conf.space_left, 10);
	CU_ASSERT_EQUAL(g_conf.space_left_percent, 0);
	PARSE_ERR("disk_error_action = exec /x\ndisk_error_action = exec x\n", 2, 26,
		  "disk_error_action: expected an absolute path, got 'x'");
	CU_ASSERT_EQUAL(g_conf.disk_error_action.action, CONF_DISK_EXEC);
	CU_ASSERT_STRING_EQUAL(g_conf.disk_error_action.exec, "/x");
}

static void test_messages_are_clipped(void)
{
	char text[512];

	memcpy(text, "log_format = ", 13);
	memset(text + 13, 'A', 300);
	text[313] = '\0';
	PARSE_ERR(text, 1, 14,
		  "log_format: expected RAW, ENRICHED or BINARY, got "
		  "'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA...'");
	CU_ASSERT(strlen(g_err.message) < sizeof(g_err.message));
	PARSE_ERR("log_format = R\x01W", 1, 14,
		  "log_format: expected RAW, ENRICHED or BINARY, got 'R?W'");
	PARSE_ERR("log_format = R\x7fW", 1, 14,
		  "log_format: expected RAW, ENRICHED or BINARY, got 'R?W'");
}

static void test_bad_arguments(void)
{
	struct conf c;

	conf_defaults(&c);
	memset(&g_err, 0xa5, sizeof(g_err));
	CU_ASSERT_EQUAL(conf_parse(NULL, 5, &c, NULL, NULL, &g_err), -EINVAL);
	CU_ASSERT_EQUAL(g_err.line, 0);
	CU_ASSERT_EQUAL(g_err.column, 0);
	CU_ASSERT_STRING_EQUAL(g_err.message, "invalid argument");
	CU_ASSERT_EQUAL(conf_parse("freq = 1", 8, NULL, NULL, NULL, &g_err), -EINVAL);
	CU_ASSERT_STRING_EQUAL(g_err.message, "invalid argument");
	/* no err to fill: the return value still says it */
	CU_ASSERT_EQUAL(conf_parse("freq = x", 8, &c, NULL, NULL, NULL), -EINVAL);
	CU_ASSERT_EQUAL(conf_parse("freq = 9", 8, &c, NULL, NULL, NULL), 0);
	CU_ASSERT_EQUAL(c.freq, 9);
}

static struct tok mktok(const char *s)
{
	struct tok t = {.s = s, .len = strlen(s)};

	return t;
}

static void test_statics(void)
{
	unsigned long long v = 0;
	struct clip q;
	char list[128], small[8];
	char long_tok[CLIP_MAX + 2];

	CU_ASSERT_EQUAL(parse_decimal(mktok("0"), &v), 0);
	CU_ASSERT_EQUAL(v, 0);
	CU_ASSERT_EQUAL(parse_decimal(mktok("18446744073709551615"), &v), 0);
	CU_ASSERT_EQUAL(v, ULLONG_MAX);
	CU_ASSERT_EQUAL(parse_decimal(mktok("18446744073709551616"), &v), -ERANGE);
	CU_ASSERT_EQUAL(parse_decimal(mktok("99999999999999999999999"), &v), -ERANGE);
	CU_ASSERT_EQUAL(parse_decimal(mktok("99999999999999999999999x"), &v), -EINVAL);
	CU_ASSERT_EQUAL(parse_decimal(mktok(""), &v), -EINVAL);
	CU_ASSERT_EQUAL(parse_decimal(mktok(" 1"), &v), -EINVAL);
	CU_ASSERT_EQUAL(v, ULLONG_MAX);

	CU_ASSERT_TRUE(tok_is(mktok("raw"), "RAW"));
	CU_ASSERT_TRUE(tok_is(mktok("KeEp_LoGs"), "KEEP_LOGS"));
	CU_ASSERT_FALSE(tok_is(mktok("RA"), "RAW"));
	CU_ASSERT_FALSE(tok_is(mktok("RAWX"), "RAW"));
	CU_ASSERT_FALSE(tok_is(mktok(""), "RAW"));
	/* ASCII folding only: '@' is not '`' */
	CU_ASSERT_FALSE(tok_is(mktok("@"), "`"));

	choice_list(list, sizeof(list), disk_actions, 0);
	CU_ASSERT_STRING_EQUAL(list,
			       "IGNORE, SYSLOG, ROTATE, EMAIL, EXEC, SUSPEND, SINGLE or HALT");
	choice_list(list, sizeof(list), disk_actions,
		    ~(1u << CONF_DISK_SYSLOG | 1u << CONF_DISK_HALT));
	CU_ASSERT_STRING_EQUAL(list, "SYSLOG or HALT");
	choice_list(list, sizeof(list), yes_no, 1u << 0);
	CU_ASSERT_STRING_EQUAL(list, "yes");
	choice_list(small, sizeof(small), disk_actions, 0);
	CU_ASSERT_STRING_EQUAL(small, "IGNORE,");

	memset(long_tok, 'z', CLIP_MAX);
	long_tok[CLIP_MAX] = '\0';
	CU_ASSERT_EQUAL(strlen(clip(&q, mktok(long_tok))), CLIP_MAX);
	long_tok[CLIP_MAX] = 'z';
	long_tok[CLIP_MAX + 1] = '\0';
	CU_ASSERT_EQUAL(strlen(clip(&q, mktok(long_tok))), CLIP_MAX + 3);
	CU_ASSERT_STRING_EQUAL(q.s + CLIP_MAX, "...");
	CU_ASSERT_STRING_EQUAL(clip(&q, mktok("")), "");
	CU_ASSERT_STRING_EQUAL(clip(&q, mktok("a\tb\n")), "a?b?");

	/* every key is in the table once */
	{
		size_t i, j;

		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			for (j = i + 1; j < sizeof(keys) / sizeof(keys[0]); j++)
				CU_ASSERT(strcmp(keys[i].name, keys[j].name) != 0);
		/* 27 keys, writer_threads (consumer_threads' older name), 25 of auditd's ignored */
		CU_ASSERT_EQUAL(sizeof(keys) / sizeof(keys[0]), 27 + 1 + 25);
	}
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"defaults", test_defaults},
		{"consumer_threads and its older name writer_threads", test_consumer_threads_alias},
		{"empty and comments", test_empty_and_comments},
		{"spacing", test_spacing},
		{"crlf", test_crlf},
		{"length respected", test_length_respected},
		{"log_file", test_log_file},
		{"log_format", test_log_format},
		{"flush", test_flush},
		{"numbers", test_numbers},
		{"max_log_file_action", test_max_log_file_action},
		{"space_left", test_space_left},
		{"actions", test_actions},
		{"action exec length", test_action_exec_length},
		{"lauditd keys", test_lauditd_keys},
		{"all keys together", test_all_keys_together},
		{"syntax errors", test_syntax_errors},
		{"NUL byte", test_nul_byte},
		{"unknown keys", test_unknown_keys},
		{"ignored keys", test_ignored_keys},
		{"stock auditd.conf", test_auditd_conf},
		{"dispatcher keys", test_dispatcher_keys},
		{"duplicates and stop", test_duplicates_and_stop},
		{"messages are clipped", test_messages_are_clipped},
		{"bad arguments", test_bad_arguments},
		{"statics", test_statics},
	};

	return UNIT_RUN("conf", tests);
}
