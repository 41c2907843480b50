/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* formats/text.c and formats/wire.c: exact auditd text for known records. */
#include <errno.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "formats/wire.h"
#include "formats/text.c"
#include "tests/unit/unit.h"

static const struct text_stamp stamp = {.sec = 1700000000, .msec = 7, .serial = 42};

/* An openat of a read-only file that returned fd 3, by root with no login. */
static void base_event(struct la_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->size = sizeof(*ev);
	ev->kind = LA_EV_SYSCALL;
	ev->nr = __NR_openat;
	ev->args[0] = 0xffffff9c;
	ev->args[1] = 0x55d0c0e1c2a0;
	ev->args[2] = 0x241;
	ev->args[3] = 0x1b6;
	ev->args[4] = 0xdeadbeef;
	ev->ret = 3;
	ev->ppid = 100;
	ev->pid = 200;
	ev->tid = 201;
	ev->auid = 4294967295u;
	ev->ses = 4294967295u;
	ev->uid = 1000;
	ev->gid = 1001;
	ev->euid = 1002;
	ev->suid = 1003;
	ev->fsuid = 1004;
	ev->egid = 1005;
	ev->sgid = 1006;
	ev->fsgid = 1007;
	strcpy(ev->comm, "cat");
	strcpy(ev->tty, "pts0");
}

static const char *encode(const struct la_event *ev, const struct text_ident *id, const char *key,
			  const struct text_opts *o)
{
	static char buf[8192];
	int n = text_encode_event(buf, sizeof(buf) - 1, ev, &stamp, id, key, o);

	CU_ASSERT_FATAL(n > 0);
	buf[n] = 0;
	return buf;
}

static void test_syscall_raw(void)
{
	struct la_event ev;
	struct text_ident id = {.exe = "/usr/bin/cat",
				.exe_len = 12,
				.title = "cat\0/etc/passwd\0",
				.title_len = 16};

	base_event(&ev);
	CU_ASSERT_STRING_EQUAL(
		encode(&ev, &id, NULL, NULL),
		"type=SYSCALL msg=audit(1700000000.007:42): arch=c000003e syscall=257 success=yes "
		"exit=3 a0=ffffff9c a1=55d0c0e1c2a0 a2=241 a3=1b6 items=0 ppid=100 pid=200 "
		"auid=4294967295 uid=1000 gid=1001 euid=1002 suid=1003 fsuid=1004 egid=1005 "
		"sgid=1006 fsgid=1007 tty=pts0 ses=4294967295 comm=\"cat\" exe=\"/usr/bin/cat\" "
		"key=(null)\n"
		"type=PROCTITLE msg=audit(1700000000.007:42): "
		"proctitle=636174002F6574632F706173737764\n");
}

static void test_failure_and_key(void)
{
	struct la_event ev;
	struct text_ident id = {.exe = "/bin/x y", .exe_len = 8, .title = "x", .title_len = 1};
	const char *s;

	base_event(&ev);
	ev.ret = -2;
	ev.tty[0] = 0;
	s = encode(&ev, &id, "passwd-read", NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, " success=no exit=-2 a0=ffffff9c "));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, " tty=(none) ses="));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, " exe=2F62696E2F782079 key=\"passwd-read\"\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "): proctitle=\"x\"\n"));
	/* -4096 is not an errno: mmap can return such addresses */
	ev.ret = -4096;
	CU_ASSERT_PTR_NOT_NULL(strstr(encode(&ev, &id, NULL, NULL), " success=yes exit=-4096 "));
	ev.ret = -4095;
	CU_ASSERT_PTR_NOT_NULL(strstr(encode(&ev, &id, NULL, NULL), " success=no exit=-4095 "));
}

/* The cache filter's totals end the SYSCALL record; merged=0 writes nothing. */
static void test_merged(void)
{
	struct {
		struct la_event ev;
		struct la_item it;
		struct la_merge m;
	} r;
	struct text_ident id = {.exe = "/bin/cat", .exe_len = 8, .title = "cat", .title_len = 3};

	base_event(&r.ev);
	r.ev.nr = 0;
	r.ev.ret = 64;
	r.ev.ts_enter = 5000000000ULL;
	r.ev.size = sizeof(r);
	r.ev.nitems = 1;
	r.it = (struct la_item){.kind = LA_IT_MERGE, .arg = LA_ARG_NONE, .len = sizeof(r.m)};
	r.m = (struct la_merge){
		.merged = 999, .last_exit = 5002500000ULL, .bytes = 63000, .failed = 2};
	CU_ASSERT_PTR_NOT_NULL(strstr(encode(&r.ev, &id, NULL, NULL),
				      " key=(null) merged=999 merged_us=2500 merged_bytes=63000"
				      " merged_failed=2\ntype=PROCTITLE "));
	r.m.closed = 1;
	CU_ASSERT_PTR_NOT_NULL(strstr(encode(&r.ev, &id, NULL, NULL),
				      " merged_failed=2 merged_close=1\ntype=PROCTITLE "));
	/* an open's record that reads joined: their class and when the first entered */
	r.ev.nr = __NR_openat;
	r.ev.ret = 3;
	r.m.flow = LA_FLOW_READ;
	r.m.flow_nr = 0;
	r.m.flow_enter = 5000300000ULL;
	CU_ASSERT_PTR_NOT_NULL(strstr(encode(&r.ev, &id, NULL, NULL),
				      " merged_failed=2 merged_close=1 merged_flow=read"
				      " merged_flow_us=300\ntype=PROCTITLE "));
	r.m.flow = LA_FLOW_WRITE;
	CU_ASSERT_PTR_NOT_NULL(strstr(encode(&r.ev, &id, NULL, NULL),
				      " merged_close=1 merged_flow=write merged_flow_us=300\n"));
	/* a log written before merged_flow: five fields */
	r.it.len = LA_MERGE_V2_LEN;
	r.ev.size = sizeof(r) - (sizeof(r.m) - LA_MERGE_V2_LEN);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(encode(&r.ev, &id, NULL, NULL), " merged_close=1\ntype=PROCTITLE "));
	/* a log written before merged_close: four fields */
	r.it.len = 32;
	r.ev.size = sizeof(r) - (sizeof(r.m) - 32);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(encode(&r.ev, &id, NULL, NULL), " merged_failed=2\ntype=PROCTITLE "));
	r.m.merged = 0;
	CU_ASSERT_PTR_NOT_NULL(
		strstr(encode(&r.ev, &id, NULL, NULL), " key=(null)\ntype=PROCTITLE "));
}

static void test_noreturn(void)
{
	struct la_event ev;

	base_event(&ev);
	ev.nr = __NR_exit_group;
	ev.flags = LA_F_NORETURN;
	ev.args[0] = 0;
	CU_ASSERT_PTR_NOT_NULL(strstr(encode(&ev, NULL, NULL, NULL),
				      "arch=c000003e syscall=231 a0=0 a1=55d0c0e1c2a0 "));
	CU_ASSERT_PTR_NOT_NULL(strstr(encode(&ev, NULL, NULL, NULL),
				      " exe=(null) key=(null)\ntype=PROCTITLE msg=audit("
				      "1700000000.007:42): proctitle=(null)\n"));
}

static void test_untrusted(void)
{
	char buf[64];

	CU_ASSERT_EQUAL(text_encode_untrusted(buf, sizeof(buf), "abc", 3), 5);
	CU_ASSERT_NSTRING_EQUAL(buf, "\"abc\"", 5);
	/* a quote, a space, a newline, a byte above 0x7e: uppercase hex */
	CU_ASSERT_EQUAL(text_encode_untrusted(buf, sizeof(buf), "a\"b", 3), 6);
	CU_ASSERT_NSTRING_EQUAL(buf, "612262", 6);
	CU_ASSERT_EQUAL(text_encode_untrusted(buf, sizeof(buf), "a b", 3), 6);
	CU_ASSERT_NSTRING_EQUAL(buf, "612062", 6);
	CU_ASSERT_EQUAL(text_encode_untrusted(buf, sizeof(buf), "a\nb", 3), 6);
	CU_ASSERT_NSTRING_EQUAL(buf, "610A62", 6);
	CU_ASSERT_EQUAL(text_encode_untrusted(buf, sizeof(buf), "\xc3\xa9", 2), 4);
	CU_ASSERT_NSTRING_EQUAL(buf, "C3A9", 4);
	CU_ASSERT_EQUAL(text_encode_untrusted(buf, sizeof(buf), "~!", 2), 4);
	CU_ASSERT_NSTRING_EQUAL(buf, "\"~!\"", 4);
	CU_ASSERT_EQUAL(text_encode_untrusted(buf, sizeof(buf), "\x7f", 1), 2);
	CU_ASSERT_NSTRING_EQUAL(buf, "7F", 2);
	CU_ASSERT_EQUAL(text_encode_untrusted(buf, 3, "abc", 3), -ENOSPC);
	CU_ASSERT_EQUAL(text_encode_untrusted(buf, 5, "a b", 3), -ENOSPC);
}

static void test_proctitle(void)
{
	char title[200], buf[512];
	int i, n;

	/* trailing NULs trimmed: one plain argument stays quoted */
	n = text_encode_proctitle(buf, sizeof(buf), "bash\0\0", 6);
	CU_ASSERT_EQUAL(n, 6);
	CU_ASSERT_NSTRING_EQUAL(buf, "\"bash\"", 6);
	/* cut at 128 bytes */
	for (i = 0; i < 200; i++)
		title[i] = 'a' + i % 26;
	n = text_encode_proctitle(buf, sizeof(buf), title, sizeof(title));
	CU_ASSERT_EQUAL(n, 130);
	CU_ASSERT_EQUAL(buf[129], '"');
	CU_ASSERT_EQUAL(buf[128], title[127]);
	n = text_encode_proctitle(buf, sizeof(buf), NULL, 0);
	CU_ASSERT_EQUAL(n, 6);
	CU_ASSERT_NSTRING_EQUAL(buf, "(null)", 6);
}

static void test_comm_hex_and_enospc(void)
{
	struct la_event ev;
	char small[100];

	base_event(&ev);
	strcpy(ev.comm, "my prog");
	CU_ASSERT_PTR_NOT_NULL(strstr(encode(&ev, NULL, NULL, NULL), " comm=6D792070726F67 "));
	CU_ASSERT_EQUAL(text_encode_event(small, sizeof(small), &ev, &stamp, NULL, NULL, NULL),
			-ENOSPC);
	ev.kind = 99;
	CU_ASSERT_EQUAL(text_encode_event(small, sizeof(small), &ev, &stamp, NULL, NULL, NULL),
			-EINVAL);
}

static const char *names(void *arg, uint32_t id, int group)
{
	(void)arg;
	if (id == 1000 && !group)
		return "alice";
	if (id == 1001 && group)
		return "staff";
	return NULL;
}

static void test_enriched(void)
{
	struct la_event ev;
	struct text_opts o = {.enriched = 1, .id_name = names};
	const char *s;

	base_event(&ev);
	s = encode(&ev, NULL, NULL, &o);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(s, " key=(null)\x1d"
			  "ARCH=x86_64 SYSCALL=openat AUID=\"unset\" UID=\"alice\" "
			  "GID=\"staff\" EUID=\"unknown(1002)\" SUID=\"unknown(1003)\" "
			  "FSUID=\"unknown(1004)\" EGID=\"unknown(1005)\" SGID=\"unknown(1006)\" "
			  "FSGID=\"unknown(1007)\"\ntype=PROCTITLE"));
	/* PROCTITLE has nothing to interpret: no 0x1d */
	CU_ASSERT_PTR_NULL(strchr(strstr(s, "type=PROCTITLE"), 0x1d));
}

/*
 * A 32-bit syscall (LA_NR_COMPAT): i386's arch and number, as the kernel logs an
 * int 0x80 open (audit_log_exit(): arch=%x syscall=%d from the compat entry), its
 * name by libaudit's i386 table in the interpreted fields.
 */
static void test_compat(void)
{
	struct la_event ev;
	struct text_opts o = {.enriched = 1, .id_name = names};
	const char *s;

	base_event(&ev);
	ev.nr = LA_NR_COMPAT | 5;
	ev.args[0] = 0x5655a008;
	ev.args[1] = 0;
	ev.args[2] = 0;
	ev.args[3] = 0xffd0b2c8;
	ev.ret = -2;
	CU_ASSERT_STRING_EQUAL(
		encode(&ev, NULL, "b32", NULL),
		"type=SYSCALL msg=audit(1700000000.007:42): arch=40000003 syscall=5 success=no "
		"exit=-2 a0=5655a008 a1=0 a2=0 a3=ffd0b2c8 items=0 ppid=100 pid=200 "
		"auid=4294967295 uid=1000 gid=1001 euid=1002 suid=1003 fsuid=1004 egid=1005 "
		"sgid=1006 fsgid=1007 tty=pts0 ses=4294967295 comm=\"cat\" exe=(null) "
		"key=\"b32\"\n"
		"type=PROCTITLE msg=audit(1700000000.007:42): proctitle=(null)\n");
	s = encode(&ev, NULL, NULL, &o);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, " key=(null)\x1d"
					 "ARCH=i386 SYSCALL=open AUID=\"unset\" "));
	/* x86-64's 5 is fstat */
	ev.nr = 5;
	CU_ASSERT_PTR_NOT_NULL(strstr(encode(&ev, NULL, NULL, &o), " arch=c000003e syscall=5 "));
	CU_ASSERT_PTR_NOT_NULL(strstr(encode(&ev, NULL, NULL, &o), "ARCH=x86_64 SYSCALL=fstat "));
	/* a number libaudit's i386 table does not name */
	ev.nr = LA_NR_COMPAT | 511;
	CU_ASSERT_PTR_NOT_NULL(strstr(encode(&ev, NULL, NULL, &o), "ARCH=i386 SYSCALL=511 "));
}

static void test_daemon_and_node(void)
{
	struct text_opts o = {.node = "host1"};
	char buf[256];
	int n;

	n = text_encode_daemon(buf, sizeof(buf) - 1, "DAEMON_START", &stamp, "op=start res=success",
			       &o);
	CU_ASSERT_EQUAL(n, 80);
	buf[n > 0 ? n : 0] = 0;
	CU_ASSERT_STRING_EQUAL(buf, "node=host1 type=DAEMON_START msg=audit(1700000000.007:42): "
				    "op=start res=success\n");
	CU_ASSERT_EQUAL(text_encode_daemon(buf, 10, "DAEMON_END", &stamp, "x", NULL), -ENOSPC);
}

/* ENRICHED daemon records: auid and uid interpreted in the order they come, either alone */
static void test_daemon_enriched(void)
{
	struct text_opts o = {.enriched = 1, .id_name = names};
	char buf[256];
	int n;

	n = text_encode_daemon(buf, sizeof(buf) - 1, "CONFIG_CHANGE", &stamp,
			       "auid=1000 ses=3 op=add_rule key=\"k\" list=4 res=1", &o);
	buf[n > 0 ? n : 0] = 0;
	CU_ASSERT_STRING_EQUAL(buf, "type=CONFIG_CHANGE msg=audit(1700000000.007:42): auid=1000 "
				    "ses=3 op=add_rule key=\"k\" list=4 res=1\x1d"
				    "AUID=\"alice\"\n");
	n = text_encode_daemon(buf, sizeof(buf) - 1, "CONFIG_CHANGE", &stamp,
			       "pid=7 uid=1000 auid=4294967295 ses=1 op=add_rule res=0", &o);
	buf[n > 0 ? n : 0] = 0;
	CU_ASSERT_STRING_EQUAL(buf, "type=CONFIG_CHANGE msg=audit(1700000000.007:42): pid=7 "
				    "uid=1000 auid=4294967295 ses=1 op=add_rule res=0\x1d"
				    "UID=\"alice\" AUID=\"unset\"\n");
	n = text_encode_daemon(buf, sizeof(buf) - 1, "DAEMON_START", &stamp,
			       "op=start auid=1000 pid=1 uid=1000 res=success", &o);
	buf[n > 0 ? n : 0] = 0;
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "res=success\x1d"
					   "AUID=\"alice\" UID=\"alice\"\n"));
	n = text_encode_daemon(buf, sizeof(buf) - 1, "DAEMON_ERR", &stamp, "op=lost res=failed",
			       &o);
	CU_ASSERT_PTR_NULL(memchr(buf, 0x1d, (size_t)n));
}

static void test_event_check_items(void)
{
	union {
		struct la_event ev;
		char raw[512];
	} u;
	struct la_item *it;
	const struct la_item *got;

	base_event(&u.ev);
	it = (struct la_item *)(u.raw + sizeof(struct la_event));
	memset(it, 0, sizeof(*it));
	it->kind = LA_IT_PATH;
	it->len = 5;
	memcpy(it + 1, "/tmp/", 5);
	it = (struct la_item *)((char *)(it + 1) + 8);
	memset(it, 0, sizeof(*it));
	it->kind = LA_IT_PATH;
	it->arg = 3;
	it->len = 0;
	u.ev.nitems = 2;
	u.ev.size = sizeof(struct la_event) + 8 + 8 + 8;
	CU_ASSERT_EQUAL(wire_check(&u.ev, u.ev.size), 0);
	got = wire_item(&u.ev, LA_IT_PATH, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_EQUAL(got->len, 5);
	CU_ASSERT_NSTRING_EQUAL(wire_payload(got), "/tmp/", 5);
	got = wire_item(&u.ev, LA_IT_PATH, got);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_EQUAL(got->arg, 3);
	CU_ASSERT_PTR_NULL(wire_item(&u.ev, LA_IT_PATH, got));
	CU_ASSERT_PTR_NULL(wire_item(&u.ev, LA_IT_EXE, NULL));
	/* sizes that do not add up */
	CU_ASSERT_EQUAL(wire_check(&u.ev, u.ev.size - 8), -EINVAL);
	CU_ASSERT_EQUAL(wire_check(&u.ev, 100), -EINVAL);
	u.ev.nitems = 3;
	CU_ASSERT_EQUAL(wire_check(&u.ev, u.ev.size), -EINVAL);
	u.ev.nitems = 1;
	CU_ASSERT_EQUAL(wire_check(&u.ev, u.ev.size), -EINVAL);
	u.ev.nitems = 2;
	it->len = 0xfffffff0u;
	CU_ASSERT_EQUAL(wire_check(&u.ev, u.ev.size), -EINVAL);
	it->len = 0;
	u.ev.kind = 0;
	CU_ASSERT_EQUAL(wire_check(&u.ev, u.ev.size), -EINVAL);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"SYSCALL and PROCTITLE, RAW", test_syscall_raw},
		{"failure, key, errno range", test_failure_and_key},
		{"exit_group has no success/exit", test_noreturn},
		{"the cache filter's merged= fields", test_merged},
		{"untrusted strings", test_untrusted},
		{"proctitle cut and trim", test_proctitle},
		{"comm in hex, short buffer", test_comm_hex_and_enospc},
		{"ENRICHED fields", test_enriched},
		{"a 32-bit syscall: arch=40000003, i386's number and name", test_compat},
		{"ENRICHED daemon records", test_daemon_enriched},
		{"daemon records, node=", test_daemon_and_node},
		{"wire_check and wire_item", test_event_check_items},
	};

	return UNIT_RUN("text", tests);
}
