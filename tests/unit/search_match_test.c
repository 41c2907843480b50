/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * logger/search_match.c: ausearch 3.0.9's selection over an event's RAW text,
 * its quirks included (substrings, keys of (null), names joined to the cwd,
 * records that lack a field the query needs), and the block index filter.
 */
#include <string.h>

#include <CUnit/Basic.h>

#include "formats/text.h"
#include "logger/search_match.c"
#include "tests/unit/unit.h"

static const char ev[] =
	"type=SYSCALL msg=audit(1796225445.123:42): arch=c000003e syscall=257 success=no "
	"exit=-2 a0=ffffff9c a1=55d0 a2=0 a3=0 items=1 ppid=100 pid=200 auid=1000 uid=0 "
	"gid=0 euid=0 suid=0 fsuid=0 egid=5 sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"cat\" "
	"exe=\"/usr/bin/cat\" key=(null)\n"
	"type=CWD msg=audit(1796225445.123:42): cwd=\"/home/u\"\n"
	"type=PATH msg=audit(1796225445.123:42): item=0 name=\"./notes.txt\" nametype=UNKNOWN "
	"cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\n"
	"type=PROCTITLE msg=audit(1796225445.123:42): proctitle=636174006E6F7465732E747874\n";

static const char daemon_start[] =
	"type=DAEMON_START msg=audit(1796225440.000:1): op=start ver=0.1 format=binary "
	"kernel=6.1 auid=4294967295 pid=77 uid=0 ses=4294967295 res=success\n";

static int m(const struct search_query *q)
{
	return search_match(q, ev, sizeof(ev) - 1, 1796225445, 42);
}

static void test_numbers(void)
{
	struct search_query q;

	search_query_init(&q);
	CU_ASSERT_EQUAL(m(&q), 1);
	q.pid = 200;
	q.ppid = 100;
	q.syscall = 257;
	q.success = SEARCH_SUCCESS_NO;
	q.exit_set = 1;
	q.exit = -2;
	q.session = 3;
	q.loginuid = 1000;
	q.uid = 0;
	q.egid = 5;
	q.event_id = 42;
	CU_ASSERT_EQUAL(m(&q), 1);
	q.pid = 201;
	CU_ASSERT_EQUAL(m(&q), 0);
	q.pid = 200;
	q.success = SEARCH_SUCCESS_YES;
	CU_ASSERT_EQUAL(m(&q), 0);
	/* -ua: uid, euid or auid */
	search_query_init(&q);
	q.uid = q.euid = q.loginuid = 1000;
	q.any_uid = 1;
	CU_ASSERT_EQUAL(m(&q), 1);
	q.any_uid = 0;
	CU_ASSERT_EQUAL(m(&q), 0);
	search_query_init(&q);
	q.start = 1796225446;
	CU_ASSERT_EQUAL(m(&q), 0);
	q.start = 1796225445;
	q.end = 1796225445;
	CU_ASSERT_EQUAL(m(&q), 1);
}

static void test_strings(void)
{
	struct search_query q;

	search_query_init(&q);
	q.comm = "ca";
	q.exe = "bin/cat";
	q.terminal = "pts";
	CU_ASSERT_EQUAL(m(&q), 1);
	q.exact = 1;
	CU_ASSERT_EQUAL(m(&q), 0);
	q.comm = "cat";
	q.exe = "/usr/bin/cat";
	q.terminal = "pts0";
	CU_ASSERT_EQUAL(m(&q), 1);
	/* ./notes.txt is joined to the cwd, as ausearch does */
	search_query_init(&q);
	q.file = "/home/u/./notes.txt";
	CU_ASSERT_EQUAL(m(&q), 1);
	q.file = "/home/u";
	CU_ASSERT_EQUAL(m(&q), 1);
	q.file = "/etc";
	CU_ASSERT_EQUAL(m(&q), 0);
	/* key=(null) is the key "(null)" to ausearch */
	search_query_init(&q);
	q.key = "null";
	CU_ASSERT_EQUAL(m(&q), 1);
	q.key = "audit";
	CU_ASSERT_EQUAL(m(&q), 0);
	search_query_init(&q);
	q.ntypes = 1;
	q.types[0] = AUDIT_CWD;
	CU_ASSERT_EQUAL(m(&q), 1);
	q.types[0] = AUDIT_SOCKADDR;
	CU_ASSERT_EQUAL(m(&q), 0);
	search_query_init(&q);
	q.nnodes = 1;
	q.nodes[0] = "host";
	CU_ASSERT_EQUAL(m(&q), 0);
	search_query_init(&q);
	q.context = 1;
	CU_ASSERT_EQUAL(m(&q), 0);
}

static void test_daemon(void)
{
	struct search_query q;
	size_t n = sizeof(daemon_start) - 1;

	search_query_init(&q);
	q.pid = 77;
	CU_ASSERT_EQUAL(search_match(&q, daemon_start, n, 1796225440, 1), 1);
	q.success = SEARCH_SUCCESS_YES;
	CU_ASSERT_EQUAL(search_match(&q, daemon_start, n, 1796225440, 1), 1);
	/* no syscall= in a daemon record */
	q.syscall = 0;
	CU_ASSERT_EQUAL(search_match(&q, daemon_start, n, 1796225440, 1), 0);
	/* -c needs a comm= the record lacks: no match */
	search_query_init(&q);
	q.comm = "lauditd";
	CU_ASSERT_EQUAL(search_match(&q, daemon_start, n, 1796225440, 1), 0);
}

static void test_malformed(void)
{
	static const char cut[] = "type=SYSCALL msg=audit(1.000:1): arch=c000003e syscall=0\n";
	struct search_query q;

	search_query_init(&q);
	/* no a0=: ausearch drops the event */
	CU_ASSERT_EQUAL(search_match(&q, cut, sizeof(cut) - 1, 1, 1), 0);
	CU_ASSERT_EQUAL(search_match(&q, "", 0, 1, 1), 1);
}

static void test_block(void)
{
	struct bin_block_index ix = {
		.records = 10,
		.events = 10,
		.time_min = 1796225445000ULL,
		.time_max = 1796225447999ULL,
		.serial_min = 40,
		.serial_max = 49,
		.pid_min = 100,
		.pid_max = 300,
	};
	struct search_query q;

	ix.syscalls[257 / 8] |= 1 << (257 % 8);
	search_query_init(&q);
	CU_ASSERT_EQUAL(search_block(&q, &ix), 1);
	q.start = 1796225448;
	CU_ASSERT_EQUAL(search_block(&q, &ix), 0);
	q.start = 1796225447;
	CU_ASSERT_EQUAL(search_block(&q, &ix), 1);
	q.end = 1796225444;
	CU_ASSERT_EQUAL(search_block(&q, &ix), 0);
	search_query_init(&q);
	q.event_id = 50;
	CU_ASSERT_EQUAL(search_block(&q, &ix), 0);
	search_query_init(&q);
	q.pid = 301;
	CU_ASSERT_EQUAL(search_block(&q, &ix), 0);
	/* a daemon record in the block may carry any pid */
	ix.records = 11;
	CU_ASSERT_EQUAL(search_block(&q, &ix), 1);
	search_query_init(&q);
	q.syscall = 257;
	CU_ASSERT_EQUAL(search_block(&q, &ix), 1);
	q.syscall = 0;
	CU_ASSERT_EQUAL(search_block(&q, &ix), 0);
	/* --arch: x86_64's records; a 32-bit syscall's (LA_NR_COMPAT) has the last bit */
	search_query_init(&q);
	q.machine = MACH_86_64;
	CU_ASSERT_EQUAL(search_block(&q, &ix), 1);
	q.machine = MACH_X86;
	CU_ASSERT_EQUAL(search_block(&q, &ix), 0);
	q.syscall = 5;
	CU_ASSERT_EQUAL(search_block(&q, &ix), 0);
	ix.syscalls[(BIN_NR_BITS - 1) / 8] |= 1 << ((BIN_NR_BITS - 1) % 8);
	CU_ASSERT_EQUAL(search_block(&q, &ix), 1);
	q.machine = -1;
	CU_ASSERT_EQUAL(search_block(&q, &ix), 1);
	q.machine = MACH_86_64;
	CU_ASSERT_EQUAL(search_block(&q, &ix), 0);
	/* -se, -hn: no record has a context or a host name */
	search_query_init(&q);
	q.context = 1;
	CU_ASSERT_EQUAL(search_block(&q, &ix), 0);
}

static void test_arch(void)
{
	struct search_query q;

	search_query_init(&q);
	q.machine = MACH_86_64;
	CU_ASSERT_EQUAL(m(&q), 1);
	q.machine = MACH_X86;
	CU_ASSERT_EQUAL(m(&q), 0);
	/* a daemon record has no arch: no match */
	q.machine = MACH_86_64;
	CU_ASSERT_EQUAL(search_match(&q, daemon_start, sizeof(daemon_start) - 1, 1796225440, 1), 0);
}

/* The event of ev[] as lauditd captures it, in one block of a binary log. */
static size_t ev_block(unsigned char *buf, size_t cap);

struct blk_sink {
	unsigned char *buf;
	size_t len, cap;
};

static int blk_write(void *arg, const void *p, size_t len)
{
	struct blk_sink *s = arg;

	if (s->len + len > s->cap)
		return -ENOSPC;
	memcpy(s->buf + s->len, p, len);
	s->len += len;
	return 0;
}

static void put_item(struct la_event *e, unsigned int kind, unsigned int arg, const char *str)
{
	struct la_item *it = (struct la_item *)((char *)e + e->size);
	size_t len = strlen(str);

	memset(it, 0, sizeof(*it) + LA_ALIGN(len));
	it->kind = kind;
	it->arg = arg;
	it->len = len;
	memcpy(it + 1, str, len);
	e->size += sizeof(*it) + LA_ALIGN(len);
	e->nitems++;
}

static size_t ev_block(unsigned char *buf, size_t cap)
{
	static uint64_t evbuf[256];
	struct la_event *e = (struct la_event *)evbuf;
	struct blk_sink s = {buf, 0, cap};
	struct bin_encoder_opts o = {"h", "b", "k", 0, blk_write, &s};
	struct bin_encoder *enc = bin_encoder_new(&o);
	struct log_record r = {0};

	memset(evbuf, 0, sizeof(evbuf));
	e->size = sizeof(*e);
	e->kind = LA_EV_SYSCALL;
	e->nr = 257;
	e->ret = -2;
	e->args[0] = 0xffffff9c;
	e->args[1] = 0x55d0;
	e->ppid = 100;
	e->pid = e->tid = 200;
	e->auid = 1000;
	e->egid = 5;
	e->ses = 3;
	memcpy(e->comm, "cat", 3);
	memcpy(e->tty, "pts0", 4);
	put_item(e, LA_IT_PATH, 1, "./notes.txt");
	put_item(e, LA_IT_CWD, 0, "/home/u");
	r.kind = LOG_REC_EVENT;
	r.stamp = (struct text_stamp){1796225445, 123, 42};
	r.ev = e;
	r.ident.exe = "/usr/bin/cat";
	r.ident.exe_len = 12;
	CU_ASSERT_PTR_NOT_NULL_FATAL(enc);
	CU_ASSERT_EQUAL(bin_encode(enc, &r), 0);
	CU_ASSERT_EQUAL(bin_flush(enc), 0);
	bin_encoder_free(enc);
	return s.len;
}

#define NQ 18

/* Query @i of the filter test: its options set on @q. */
static void filter_query(int i, struct search_query *q)
{
	static const char *keys[] = {"null", "passwd", "ab"};
	static const char *exes[] = {"cat", "/usr/bin/cat", "bash"};
	static const char *files[] = {"/home/u/./notes.txt", "notes", "/etc/shadow", "e/u/."};

	search_query_init(q);
	if (i < 3)
		q->key = keys[i];
	else if (i < 6)
		q->exe = exes[i - 3];
	else if (i < 10)
		q->file = files[i - 6];
	else if (i == 10)
		q->uid = 0;
	else if (i == 11)
		q->uid = 1001;
	else if (i == 12)
		q->loginuid = 1000;
	else if (i == 13)
		q->loginuid = 1001;
	else if (i == 14)
		q->euid = 0;
	else if (i == 15 || i == 16)
		q->uid = q->euid = q->loginuid = i == 15 ? 1000 : 4242;
	else if (i == 17)
		q->nodes[q->nnodes++] = "h";
	q->any_uid = i == 15 || i == 16;
	q->exact = i == 4;
}

struct fq {
	int block[NQ], match[NQ];
	char text[8192];
};

static int fq_filter(void *arg, const struct bin_block_index *ix)
{
	struct fq *f = arg;
	struct search_query q;
	int i;

	CU_ASSERT_PTR_NOT_NULL(ix->filter);
	for (i = 0; i < NQ; i++) {
		filter_query(i, &q);
		f->block[i] = search_block(&q, ix);
	}
	return 1;
}

static int fq_record(void *arg, const struct log_record *r)
{
	struct fq *f = arg;
	struct search_query q;
	int i, n;

	n = text_encode_event(f->text, sizeof(f->text), r->ev, &r->stamp, &r->ident, r->key, NULL);
	CU_ASSERT_FATAL(n > 0);
	for (i = 0; i < NQ; i++) {
		filter_query(i, &q);
		f->match[i] = search_match(&q, f->text, n, r->stamp.sec, r->stamp.serial);
	}
	return 0;
}

/*
 * The block filter skips the block for the values the event lacks, and keeps it
 * for each query that matches the event's text (keys of "(null)", names joined
 * to the cwd, substrings, -w, -ua).
 */
static void test_block_filter(void)
{
	static const int block[NQ] = {1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0};
	static const int match[NQ] = {1, 0, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0};
	static unsigned char buf[4096];
	struct bin_decode_ops ops = {fq_record, fq_filter, NULL, NULL};
	static struct fq f;
	size_t len = ev_block(buf, sizeof(buf));
	int i;

	CU_ASSERT_EQUAL(bin_decode(buf, len, &ops, &f, NULL), 0);
	/* the event's text is ev[]'s, but for its proctitle */
	CU_ASSERT_EQUAL(memcmp(f.text, ev, strstr(ev, "type=PROCTITLE") - ev), 0);
	for (i = 0; i < NQ; i++) {
		if (f.block[i] != block[i] || f.match[i] != match[i])
			fprintf(stderr, "\nquery %d: block %d match %d\n", i, f.block[i],
				f.match[i]);
		CU_ASSERT_EQUAL(f.block[i], block[i]);
		CU_ASSERT_EQUAL(f.match[i], match[i]);
		CU_ASSERT(!f.match[i] || f.block[i]);
	}
}

static void test_event(void)
{
	struct la_event e = {.nr = 257, .pid = 200, .ppid = 100, .ret = -2};
	struct search_query q;

	search_query_init(&q);
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, NULL, NULL), 1);
	q.pid = 200;
	q.ppid = 100;
	q.syscall = 257;
	q.success = SEARCH_SUCCESS_NO;
	q.exit_set = 1;
	q.exit = -2;
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, NULL, NULL), 1);
	q.exit = 2;
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, NULL, NULL), 0);
	q.exit_set = 0;
	q.success = SEARCH_SUCCESS_YES;
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, NULL, NULL), 0);
	/* -4096 is no error number: success=yes */
	e.ret = -4096;
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, NULL, NULL), 1);
	/* exit_group: no success= at all */
	e.flags = LA_F_NORETURN;
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, NULL, NULL), 0);
	search_query_init(&q);
	q.syscall = 0;
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, NULL, NULL), 0);
	search_query_init(&q);
	q.pid = 201;
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, NULL, NULL), 0);
	/* a 32-bit open: syscall=5 of arch i386 (-sc open --arch b32), not x86_64's fstat */
	e.nr = LA_NR_COMPAT | 5;
	search_query_init(&q);
	q.syscall = 5;
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, NULL, NULL), 1);
	q.machine = MACH_X86;
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, NULL, NULL), 1);
	q.machine = MACH_86_64;
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, NULL, NULL), 0);
	e.nr = 5;
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, NULL, NULL), 1);
	q.machine = MACH_X86;
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, NULL, NULL), 0);
}

/* -k and -x before the text: the key and exe written, or "key="/"exe=" elsewhere */
static void test_event_strings(void)
{
	struct la_event e = {.nr = 257, .pid = 200, .comm = "cat", .tty = "pts0"};
	struct text_ident id = {.exe = "/usr/bin/cat", .exe_len = 12};
	struct search_query q;

	search_query_init(&q);
	q.key = "file";
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, &id, "file-access"), 1);
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, &id, "net"), 0);
	/* a key of several rules: \001 between them */
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, &id, "net\001file"), 1);
	/* no key: ausearch reads key=(null) */
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, &id, NULL), 0);
	q.key = "null";
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, &id, NULL), 1);
	q.key = "x";
	/* ausearch takes the first key= after a1=: in comm=, tty= or exe= */
	memcpy(e.comm, "a key=x", 8);
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, &id, NULL), 1);
	memcpy(e.comm, "cat", 4);
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, &id, NULL), 0);
	memcpy(e.tty, "key=", 5);
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, &id, NULL), 1);
	memcpy(e.tty, "pts0", 5);
	id.exe = "/tmp/key=x";
	id.exe_len = 10;
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, &id, NULL), 1);
	search_query_init(&q);
	q.exe = "bin/c";
	id.exe = "/usr/bin/cat";
	id.exe_len = 12;
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, &id, NULL), 1);
	q.exe = "/usr/bin/ls";
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, &id, NULL), 0);
	/* key= in an exe is no exe= */
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, &id, "exe=/usr/bin/ls"), 0);
	memcpy(e.comm, "exe=", 5);
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, &id, NULL), 1);
	memcpy(e.comm, "cat", 4);
	/* no exe: exe=(null) */
	q.exe = "(null)";
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, NULL, NULL), 1);
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, &id, NULL), 0);
	/* an exe already encoded is not looked into */
	id.exe_text = "\"/usr/bin/cat\"";
	id.exe_text_len = 14;
	CU_ASSERT_EQUAL(search_event_may_match(&q, &e, &id, NULL), 1);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"numbers", test_numbers}, {"strings", test_strings},
		{"daemon", test_daemon},   {"malformed", test_malformed},
		{"block", test_block},	   {"block filter", test_block_filter},
		{"event", test_event},	   {"event strings", test_event_strings},
		{"arch", test_arch},
	};

	return UNIT_RUN("search_match", tests);
}
