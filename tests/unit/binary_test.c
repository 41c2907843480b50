// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for formats/binary_enc.c and binary_dec.c.  Every decode runs on an exact-size heap copy
 * of the input, so that an over-read shows up under AddressSanitizer.  Records
 * that come back are compared field by field with the ones that went in, and
 * their auditd text (RAW and ENRICHED) byte for byte.
 *
 * usage: binary_test [DATADIR]           run the tests (DATADIR: tests/data/binary)
 *        binary_test --write-golden DIR  write golden.bin, golden.txt, golden.fields
 *        binary_test --write-corpus DIR  write seed inputs for tests/fuzz/binary_fuzz.c
 */
#include "formats/binary_enc.c"
#include "formats/binary_dec.c"

#include <CUnit/Basic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "formats/text.h"

static const char *g_datadir = "tests/data/binary";

/* ------------------------------------------------------------ owned records */

struct rec {
	struct log_record r;
	void *ev;
	char *exe, *title, *key, *type, *fields;
};

struct recs {
	struct rec *v;
	size_t n, cap;
};

static char *dup_mem(const char *s, size_t len)
{
	char *p;

	if (!s)
		return NULL;
	p = malloc(len + 1);
	if (!p)
		abort();
	memcpy(p, s, len);
	p[len] = 0;
	return p;
}

/* A deep copy of @r at the end of @rs. */
static void recs_add(struct recs *rs, const struct log_record *r)
{
	struct rec *c;

	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 64;
		rs->v = realloc(rs->v, rs->cap * sizeof(*rs->v));
		if (!rs->v)
			abort();
	}
	c = &rs->v[rs->n++];
	memset(c, 0, sizeof(*c));
	c->r = *r;
	if (r->kind == LOG_REC_EVENT) {
		c->ev = dup_mem((const char *)r->ev, r->ev->size);
		c->exe = dup_mem(r->ident.exe, r->ident.exe_len);
		c->title = dup_mem(r->ident.title, r->ident.title_len);
		c->key = r->key ? dup_mem(r->key, strlen(r->key)) : NULL;
		c->r.ev = c->ev;
		c->r.ident.exe = c->exe;
		c->r.ident.title = c->title;
		c->r.key = c->key;
	} else {
		c->type = dup_mem(r->type, strlen(r->type));
		c->fields = dup_mem(r->fields, strlen(r->fields));
		c->r.type = c->type;
		c->r.fields = c->fields;
	}
}

static void recs_free(struct recs *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		free(rs->v[i].ev);
		free(rs->v[i].exe);
		free(rs->v[i].title);
		free(rs->v[i].key);
		free(rs->v[i].type);
		free(rs->v[i].fields);
	}
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

/* ------------------------------------------------------------ building events */

static union {
	struct la_event ev;
	char b[256 * 1024];
} g_ev;

static struct la_event *ev_reset(uint32_t tid, int32_t nr)
{
	struct la_event *ev = &g_ev.ev;

	memset(ev, 0, sizeof(*ev));
	ev->size = sizeof(*ev);
	ev->kind = LA_EV_SYSCALL;
	ev->nr = nr;
	ev->cpu = 1;
	ev->ts_enter = 5000000000ULL + tid * 1000;
	ev->ts_exit = ev->ts_enter + 700;
	ev->args[0] = 3;
	ev->args[1] = 0x7ffd4c2a1e30;
	ev->args[2] = 64;
	ev->ret = 64;
	ev->cgroup_id = 0x2a1f;
	ev->exec_id = 1;
	ev->tid = tid;
	ev->pid = tid;
	ev->ppid = 1;
	ev->auid = 1000;
	ev->uid = ev->gid = ev->euid = ev->suid = ev->fsuid = 1000;
	ev->egid = ev->sgid = ev->fsgid = 1000;
	ev->ses = 2;
	memcpy(ev->comm, "worker", 6);
	memcpy(ev->tty, "pts1", 4);
	return ev;
}

/* Append an item; its padding (and la_item.pad) is garbage, which may come back zeroed. */
static void ev_item(unsigned int kind, unsigned int arg, unsigned int flags, const void *p,
		    size_t len)
{
	struct la_event *ev = &g_ev.ev;
	struct la_item *it = (struct la_item *)(g_ev.b + ev->size);

	if (ev->size + sizeof(*it) + LA_ALIGN(len) > sizeof(g_ev))
		abort();
	memset(it, 0xa5, sizeof(*it) + LA_ALIGN(len));
	it->kind = kind;
	it->arg = arg;
	it->flags = flags;
	it->len = len;
	memcpy(it + 1, p, len);
	ev->size += sizeof(*it) + LA_ALIGN(len);
	ev->nitems++;
}

static void ev_item_str(unsigned int kind, unsigned int arg, const char *s)
{
	ev_item(kind, arg, 0, s, strlen(s));
}

static struct log_record mk_event(uint64_t sec, uint32_t msec, uint64_t serial, const char *exe,
				  const char *title, size_t title_len, const char *key)
{
	struct log_record r = {0};

	r.kind = LOG_REC_EVENT;
	r.stamp = (struct text_stamp){sec, msec, serial};
	r.ev = &g_ev.ev;
	r.ident.exe = exe;
	r.ident.exe_len = exe ? strlen(exe) : 0;
	r.ident.title = title;
	r.ident.title_len = title_len;
	r.key = key;
	return r;
}

static void add_event(struct recs *rs, uint64_t sec, uint32_t msec, uint64_t serial,
		      const char *exe, const char *title, size_t title_len, const char *key)
{
	struct log_record r = mk_event(sec, msec, serial, exe, title, title_len, key);

	CU_ASSERT_FATAL(wire_check(&g_ev.ev, g_ev.ev.size) == 0);
	recs_add(rs, &r);
}

static void add_daemon(struct recs *rs, uint64_t sec, uint32_t msec, uint64_t serial,
		       const char *type, const char *fields)
{
	struct log_record r = {0};

	r.kind = LOG_REC_DAEMON;
	r.stamp = (struct text_stamp){sec, msec, serial};
	r.type = type;
	r.fields = fields;
	recs_add(rs, &r);
}

/* ------------------------------------------------------------ comparing */

static char g_diff[512];

static const char *diff(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static const char *diff(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(g_diff, sizeof(g_diff), fmt, ap);
	va_end(ap);
	return g_diff;
}

static int same_str(const char *a, size_t alen, const char *b, size_t blen)
{
	if (!a || !b)
		return !a && !b;
	return alen == blen && !memcmp(a, b, alen);
}

static const char *text_diff(const struct log_record *a, const struct log_record *b)
{
	static char ta[TEXT_EVENT_MAX], tb[TEXT_EVENT_MAX];
	struct text_opts en = {.enriched = 1, .node = "host1"};
	int na, nb, pass;

	for (pass = 0; pass < 2; pass++) {
		const struct text_opts *o = pass ? &en : NULL;

		if (a->kind == LOG_REC_EVENT) {
			na = text_encode_event(ta, sizeof(ta), a->ev, &a->stamp, &a->ident, a->key,
					       o);
			nb = text_encode_event(tb, sizeof(tb), b->ev, &b->stamp, &b->ident, b->key,
					       o);
		} else {
			na = text_encode_daemon(ta, sizeof(ta), a->type, &a->stamp, a->fields, o);
			nb = text_encode_daemon(tb, sizeof(tb), b->type, &b->stamp, b->fields, o);
		}
		if (na <= 0 || na != nb || memcmp(ta, tb, na))
			return diff("text differs (%d, %d bytes): %.*s | %.*s", na, nb,
				    na > 0 ? na : 0, ta, nb > 0 ? nb : 0, tb);
	}
	return NULL;
}

/* NULL when @b (decoded) carries everything @a (encoded) did, else what differs. */
static const char *rec_diff(const struct log_record *a, const struct log_record *b)
{
	const char *pa, *pb;
	uint32_t i;

	if (a->kind != b->kind)
		return diff("kind %d, got %d", a->kind, b->kind);
	if (a->stamp.sec != b->stamp.sec || a->stamp.msec != b->stamp.msec ||
	    a->stamp.serial != b->stamp.serial)
		return diff("stamp %llu.%u:%llu, got %llu.%u:%llu",
			    (unsigned long long)a->stamp.sec, a->stamp.msec,
			    (unsigned long long)a->stamp.serial, (unsigned long long)b->stamp.sec,
			    b->stamp.msec, (unsigned long long)b->stamp.serial);
	if (a->kind == LOG_REC_DAEMON) {
		if (strcmp(a->type, b->type) || strcmp(a->fields, b->fields))
			return diff("daemon %s %s, got %s %s", a->type, a->fields, b->type,
				    b->fields);
		return text_diff(a, b);
	}
	if (wire_check(b->ev, b->ev->size))
		return diff("decoded event fails wire_check()");
	if (memcmp(a->ev, b->ev, sizeof(struct la_event))) {
		const unsigned char *x = (const void *)a->ev, *y = (const void *)b->ev;

		for (i = 0; x[i] == y[i]; i++)
			;
		return diff("event header differs at byte %u: %02x, got %02x", i, x[i], y[i]);
	}
	pa = (const char *)(a->ev + 1);
	pb = (const char *)(b->ev + 1);
	for (i = 0; i < a->ev->nitems; i++) {
		const struct la_item *ia = (const void *)pa, *ib = (const void *)pb;

		if (ia->kind != ib->kind || ia->arg != ib->arg || ia->flags != ib->flags ||
		    ia->len != ib->len || memcmp(ia + 1, ib + 1, ia->len))
			return diff("item %u differs", i);
		pa += sizeof(*ia) + LA_ALIGN(ia->len);
		pb += sizeof(*ib) + LA_ALIGN(ib->len);
	}
	if (!same_str(a->ident.exe, a->ident.exe_len, b->ident.exe, b->ident.exe_len))
		return diff("exe differs");
	if (!same_str(a->ident.title, a->ident.title_len, b->ident.title, b->ident.title_len))
		return diff("title differs");
	if (!same_str(a->key, a->key ? strlen(a->key) : 0, b->key, b->key ? strlen(b->key) : 0))
		return diff("key differs");
	return text_diff(a, b);
}

/* Records @got[0..n) are @want[first..first+n). */
static void check_recs_at(const struct recs *want, size_t first, const struct recs *got, size_t n,
			  unsigned int line)
{
	char what[700];
	size_t i;

	snprintf(what, sizeof(what), "%zu records, got %zu", n, got->n);
	CU_assertImplementation(got->n == n, line, what, __FILE__, "", CU_FALSE);
	for (i = 0; i < n && i < got->n; i++) {
		const char *d = rec_diff(&want->v[first + i].r, &got->v[i].r);

		if (d) {
			snprintf(what, sizeof(what), "record %zu: %s", first + i, d);
			CU_assertImplementation(0, line, what, __FILE__, "", CU_FALSE);
			return;
		}
	}
	CU_assertImplementation(1, line, "records identical", __FILE__, "", CU_FALSE);
}

#define CHECK_RECS(want, got) check_recs_at(want, 0, got, (want)->n, __LINE__)

/* ------------------------------------------------------------ encoding */

struct sink {
	unsigned char *buf;
	size_t len, cap;
	size_t calls;
	size_t units[4096]; /* end offset of each write */
	size_t nunits;
	/* failure injection: calls numbered from 1 in [fail_from, fail_to] fail */
	size_t fail_from, fail_to;
	int fail_rc;
	int fail_short; /* a failing call writes half its bytes first */
};

static void sink_append(struct sink *s, const void *buf, size_t len)
{
	if (s->cap - s->len < len) {
		while (s->cap - s->len < len)
			s->cap = s->cap ? s->cap * 2 : 65536;
		s->buf = realloc(s->buf, s->cap);
		if (!s->buf)
			abort();
	}
	memcpy(s->buf + s->len, buf, len);
	s->len += len;
}

static int sink_write(void *arg, const void *buf, size_t len)
{
	struct sink *s = arg;

	s->calls++;
	if (s->calls >= s->fail_from && s->calls <= s->fail_to) {
		if (s->fail_short)
			sink_append(s, buf, len / 2);
		return s->fail_rc;
	}
	sink_append(s, buf, len);
	if (s->nunits < sizeof(s->units) / sizeof(s->units[0]))
		s->units[s->nunits++] = s->len;
	return 0;
}

static void sink_free(struct sink *s)
{
	free(s->buf);
	memset(s, 0, sizeof(*s));
}

static struct bin_encoder *enc_new(struct sink *s, size_t block_size)
{
	struct bin_encoder_opts o = {"host1",	       "0a1b2c3d-4e5f-6789-abcd-ef0123456789",
				     "6.18.0-lauditd", block_size,
				     sink_write,       s};
	struct bin_encoder *e = bin_encoder_new(&o);

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	return e;
}

static void encode_all(const struct recs *rs, size_t block_size, struct sink *s)
{
	struct bin_encoder *e = enc_new(s, block_size);
	size_t i;

	for (i = 0; i < rs->n; i++)
		CU_ASSERT_EQUAL(bin_encode(e, &rs->v[i].r), 0);
	CU_ASSERT_EQUAL(bin_flush(e), 0);
	bin_encoder_free(e);
}

/* ------------------------------------------------------------ decoding */

struct got {
	struct recs recs;
	struct {
		enum bin_problem_kind kind;
		uint64_t offset, length;
		char reason[256];
	} prob[64];
	size_t nprob;
	struct bin_block_index ix[1024];
	size_t nix;
	struct {
		uint64_t offset;
		char host[64], boot_id[64], kernel[64];
		unsigned int version;
	} seg[8];
	size_t nseg;
	size_t nfilters;   /* blocks with a filter */
	int skip_odd;	   /* filter: skip every other block */
	size_t stop_after; /* record callback returns 7 after this many; 0: never */
	struct bin_decode_stats st;
};

static int got_record(void *arg, const struct log_record *r)
{
	struct got *g = arg;

	recs_add(&g->recs, r);
	return g->stop_after && g->recs.n == g->stop_after ? 7 : 0;
}

static void got_problem(void *arg, const struct bin_problem *p)
{
	struct got *g = arg;

	if (g->nprob < 64) {
		g->prob[g->nprob].kind = p->kind;
		g->prob[g->nprob].offset = p->offset;
		g->prob[g->nprob].length = p->length;
		snprintf(g->prob[g->nprob].reason, sizeof(g->prob[0].reason), "%s", p->reason);
	}
	g->nprob++;
}

static int got_filter(void *arg, const struct bin_block_index *ix)
{
	struct got *g = arg;
	size_t n = g->nix;

	if (g->nix < 1024)
		g->ix[g->nix] = *ix;
	g->nix++;
	g->nfilters += ix->filter != NULL;
	return !(g->skip_odd && n % 2);
}

static int got_segment(void *arg, const struct bin_segment_info *s)
{
	struct got *g = arg;

	if (g->nseg < 8) {
		g->seg[g->nseg].offset = s->offset;
		snprintf(g->seg[g->nseg].host, 64, "%s", s->host);
		snprintf(g->seg[g->nseg].boot_id, 64, "%s", s->boot_id);
		snprintf(g->seg[g->nseg].kernel, 64, "%s", s->kernel);
		g->seg[g->nseg].version = s->version;
	}
	g->nseg++;
	return 0;
}

static const struct bin_decode_ops got_ops = {got_record, got_filter, got_problem, got_segment};

/* Decode an exact-size copy of @len bytes of @buf into @g. */
static int decode(const void *buf, size_t len, struct got *g)
{
	void *copy = malloc(len ? len : 1);
	int rc;

	if (!copy)
		abort();
	memcpy(copy, buf, len);
	rc = bin_decode(copy, len, &got_ops, g, &g->st);
	free(copy);
	return rc;
}

static void got_free(struct got *g)
{
	recs_free(&g->recs);
	memset(g, 0, sizeof(*g));
}

/* Encode @rs, decode it, and expect the same records and no problem. */
static void round_trip(const struct recs *rs, size_t block_size, unsigned int line)
{
	struct sink s = {0};
	struct got g = {0};

	encode_all(rs, block_size, &s);
	CU_assertImplementation(decode(s.buf, s.len, &g) == 0, line, "decode() == 0", __FILE__, "",
				CU_FALSE);
	CU_assertImplementation(g.nprob == 0, line, "no problem", __FILE__, "", CU_FALSE);
	CU_assertImplementation(g.nseg == 1, line, "one segment", __FILE__, "", CU_FALSE);
	check_recs_at(rs, 0, &g.recs, rs->n, line);
	got_free(&g);
	sink_free(&s);
}

/* ------------------------------------------------------------ record sets */

static const char g_title[] = "/usr/bin/python3\0-m\0http.server\0";

/* One event of each shape the eBPF side sends, and daemon records. */
static void kinds_records(struct recs *rs)
{
	static const unsigned char sin[16] = {2, 0, 0x1f, 0x90, 127, 0, 0, 1};
	static const unsigned char sun[20] = {1, 0, '/', 'r', 'u', 'n', '/', 's', 'o', 'c', 'k'};
	static const char argv[] = "ls\0-l\0/tmp";
	int32_t fds[2] = {5, 6};
	uint32_t argc = 3;
	uint64_t serial = 100;
	unsigned int f;
	struct la_event *ev;

	add_daemon(rs, 1700000000, 0, 1, "DAEMON_START",
		   "op=start ver=3.0.9 format=raw kernel=6.18.0 auid=4294967295 "
		   "pid=42 uid=0 ses=4294967295 res=success");
	/* execve: PATH, ARGV, ARGC, EXE, PROCTITLE */
	ev = ev_reset(4000, 59);
	ev->ret = 0;
	ev_item_str(LA_IT_PATH, 0, "/bin/ls");
	ev_item(LA_IT_ARGV, 1, 0, argv, sizeof(argv));
	ev_item(LA_IT_ARGC, 1, 0, &argc, sizeof(argc));
	ev_item_str(LA_IT_EXE, 0, "/usr/bin/ls");
	ev_item(LA_IT_PROCTITLE, 0, 0, argv, sizeof(argv));
	add_event(rs, 1700000000, 1, serial++, "/usr/bin/ls", argv, sizeof(argv), "exec");
	/* openat: PATH, failing */
	ev = ev_reset(4000, 257);
	ev->args[0] = (uint64_t)-100;
	ev->ret = -2;
	ev_item_str(LA_IT_PATH, 1, "/etc/shadow");
	add_event(rs, 1700000000, 1, serial++, "/usr/bin/ls", argv, sizeof(argv), "secrets");
	/* connect: SOCKADDR; accept: PEER; pipe2: FDS */
	ev = ev_reset(4001, 42);
	ev->ret = 0;
	ev_item(LA_IT_SOCKADDR, 1, 0, sin, sizeof(sin));
	add_event(rs, 1700000000, 2, serial++, "/usr/bin/python3", g_title, sizeof(g_title), NULL);
	ev = ev_reset(4001, 43);
	ev->ret = 7;
	ev_item(LA_IT_PEER, 1, 0, sun, sizeof(sun));
	add_event(rs, 1700000000, 2, serial++, "/usr/bin/python3", g_title, sizeof(g_title), NULL);
	ev = ev_reset(4001, 293);
	ev->ret = 0;
	ev_item(LA_IT_FDS, 0, 0, fds, sizeof(fds));
	add_event(rs, 1700000000, 3, serial++, "/usr/bin/python3", g_title, sizeof(g_title), NULL);
	/* an item kind this version does not know is carried as it is */
	ev = ev_reset(4001, 0);
	ev_item(200, 5, 0x80, "opaque", 6);
	add_event(rs, 1700000000, 3, serial++, "/usr/bin/python3", g_title, sizeof(g_title), NULL);
	/* every event flag and item flag; a fault leaves an empty payload */
	for (f = 0; f < 16; f++) {
		ev = ev_reset(4002, 2);
		ev->flags = f;
		ev_item(LA_IT_PATH, 0, LA_IF_TRUNC, "/very/long", 10);
		ev_item(LA_IT_PATH, 1, LA_IF_FAULT, "", 0);
		ev_item(LA_IT_PATH, 2, LA_IF_TRUNC | LA_IF_FAULT, "", 0);
		add_event(rs, 1700000001, f, serial++, "/bin/cat", "cat", 3, NULL);
	}
	/* exit_group: no return */
	ev = ev_reset(4002, 231);
	ev->flags = LA_F_NORETURN;
	ev->ret = 0x5a5a5a5a;
	ev->ts_exit = ev->ts_enter;
	add_event(rs, 1700000001, 20, serial++, "/bin/cat", "cat", 3, NULL);
	/* identity: NULL, empty, exe without title, title without exe */
	ev_reset(4003, 3);
	add_event(rs, 1700000002, 0, serial++, NULL, NULL, 0, NULL);
	add_event(rs, 1700000002, 0, serial++, "", "", 0, "");
	add_event(rs, 1700000002, 0, serial++, "/x", NULL, 0, "k");
	add_event(rs, 1700000002, 0, serial++, NULL, "t", 1, "k\001k2");
	/* comm and tty: full width, garbage after the NUL, empty */
	ev = ev_reset(4004, 3);
	memcpy(ev->comm, "0123456789abcdef", 16);
	memset(ev->tty, 0, sizeof(ev->tty));
	add_event(rs, 1700000002, 0, serial++, "/x", "x", 1, NULL);
	ev = ev_reset(4004, 3);
	memcpy(ev->comm, "ab\0garbage\0\0z\0\0\0", 16);
	memcpy(ev->tty, "\0tty-garbage", 12);
	add_event(rs, 1700000002, 0, serial++, "/x", "x", 1, NULL);
	/* extreme values */
	ev = ev_reset(0xffffffff, -1);
	ev->ret = INT64_MIN;
	ev->args[0] = UINT64_MAX;
	ev->args[5] = 0x8000000000000000ULL;
	ev->ts_enter = UINT64_MAX;
	ev->ts_exit = 0;
	ev->cgroup_id = UINT64_MAX;
	ev->exec_id = 0;
	ev->pid = 0;
	ev->ppid = 0xffffffff;
	ev->cpu = 0xffffffff;
	ev->auid = ev->ses = 0xffffffff;
	add_event(rs, UINT64_MAX, 999, UINT64_MAX, NULL, NULL, 0, NULL);
	ev = ev_reset(1, 0x7fffffff);
	ev->ret = INT64_MAX;
	add_event(rs, 0, 0, 0, "/a", "a", 1, NULL);
	ev = ev_reset(2, INT32_MIN);
	ev->ts_enter = 0;
	ev->ts_exit = UINT64_MAX;
	/* stamps that go backwards, and milliseconds the writer should never produce */
	add_event(rs, 1699999999, 5000, 3, "/a", "a", 1, NULL);
	add_event(rs, 1, 0xffffffff, 2, "/a", "a", 1, NULL);
	add_daemon(rs, 1700000003, 7, 2, "DAEMON_ERR", "op=lost syscall=0 ring_full=12 res=failed");
	add_daemon(rs, 1700000003, 8, 3, "DAEMON_ROTATE", "");
	add_daemon(rs, 1700000003, 9, 4, "DAEMON_END",
		   "op=terminate auid=0 uid=0 ses=4294967295 pid=1 res=success");
}

/* Maximum-size items, and many items on one event. */
static void max_records(struct recs *rs)
{
	/* path: LA_PATH_MAX + 1 bytes (a truncated path) and a NUL, for the exe */
	static char path[LA_PATH_MAX + 2], argv[8192], title[LA_PROCTITLE_MAX], sa[LA_SOCKADDR_MAX];
	struct la_event *ev;
	unsigned int i;

	for (i = 0; i < LA_PATH_MAX + 1; i++)
		path[i] = 'a' + i % 26;
	for (i = 0; i < sizeof(argv); i++)
		argv[i] = i % 7 ? 'x' : 0;
	for (i = 0; i < sizeof(title); i++)
		title[i] = i % 5 ? 't' : 0;
	for (i = 0; i < sizeof(sa); i++)
		sa[i] = i;
	ev = ev_reset(77, 59);
	ev->flags = LA_F_TRUNC;
	ev_item(LA_IT_PATH, 0, LA_IF_TRUNC, path, LA_PATH_MAX + 1);
	ev_item(LA_IT_ARGV, 1, LA_IF_TRUNC, argv, sizeof(argv));
	ev_item(LA_IT_EXE, 0, 0, path, LA_PATH_MAX);
	ev_item(LA_IT_PROCTITLE, 0, 0, title, sizeof(title));
	ev_item(LA_IT_SOCKADDR, 1, 0, sa, sizeof(sa));
	add_event(rs, 1700000000, 0, 1, path, title, sizeof(title), "max");
	/* the same strings again: dictionary references */
	add_event(rs, 1700000000, 0, 2, path, title, sizeof(title), "max");
	ev = ev_reset(78, 1);
	for (i = 0; i < 500; i++)
		ev_item(LA_IT_PATH, i % 6, 0, path, i);
	add_event(rs, 1700000000, 1, 3, NULL, NULL, 0, NULL);
}

static uint32_t g_rng;

static uint32_t rnd(void)
{
	g_rng = g_rng * 1103515245 + 12345;
	return g_rng >> 8;
}

/* @nthreads threads of a few processes, interleaved, @n records in all. */
static void thread_records(struct recs *rs, unsigned int nthreads, unsigned int n)
{
	static const char *exes[] = {"/usr/sbin/nginx", "/usr/bin/postgres", "/bin/sh"};
	uint64_t ts[256] = {0}, serial = 1000;
	unsigned int i;

	g_rng = 42;
	for (i = 0; i < n; i++) {
		unsigned int t = rnd() % nthreads, proc = t % 3;
		struct la_event *ev = ev_reset(10000 + t * 17, (int32_t)(rnd() % 4));

		ev->pid = 10000 + proc;
		ev->cpu = rnd() % 2;
		ev->uid = ev->euid = 100 + proc;
		ev->exec_id = proc;
		memset(ev->comm, 0, sizeof(ev->comm));
		memcpy(ev->comm, strrchr(exes[proc], '/') + 1, strlen(strrchr(exes[proc], '/')));
		ts[t] = ts[t] ? ts[t] + 1000 + rnd() % 5000 : 1000000 * (t + 1);
		ev->ts_enter = ts[t];
		ev->ts_exit = ts[t] + rnd() % 3000;
		ev->args[0] = rnd() % 3 ? 3 + t : rnd();
		ev->ret = rnd() % 8 ? 64 : -11;
		if (rnd() % 10 == 0)
			ev_item_str(LA_IT_PATH, 1, exes[rnd() % 3]);
		add_event(rs, 1700000000 + i / 1000, i % 1000, serial++, exes[proc], exes[proc],
			  strlen(exes[proc]), proc == 2 ? "shell" : NULL);
	}
}

/* ------------------------------------------------------------ tests */

static void test_varint(void)
{
	static const struct {
		uint64_t v;
		unsigned int len;
		unsigned char b[10];
	} cases[] = {
		{0, 1, {0}},
		{1, 1, {1}},
		{127, 1, {0x7f}},
		{128, 2, {0x80, 0x01}},
		{300, 2, {0xac, 0x02}},
		{16383, 2, {0xff, 0x7f}},
		{16384, 3, {0x80, 0x80, 0x01}},
		{UINT32_MAX, 5, {0xff, 0xff, 0xff, 0xff, 0x0f}},
		{UINT64_MAX, 10, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}},
	};
	static const unsigned char overlong[] = {0xff, 0xff, 0xff, 0xff, 0xff,
						 0xff, 0xff, 0xff, 0xff, 0x02};
	static const unsigned char eleven[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
					       0x80, 0x80, 0x80, 0x80, 0x00};
	unsigned char buf[16];
	struct rd r;
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned char *end = put_varint(buf, cases[i].v);

		CU_ASSERT_EQUAL(end - buf, cases[i].len);
		CU_ASSERT_EQUAL(memcmp(buf, cases[i].b, cases[i].len), 0);
		r = (struct rd){buf, end};
		CU_ASSERT_EQUAL(rd_varint(&r, &v), 0);
		CU_ASSERT_EQUAL(v, cases[i].v);
		CU_ASSERT_PTR_EQUAL(r.p, end);
		/* cut short by one byte */
		r = (struct rd){buf, end - 1};
		CU_ASSERT_EQUAL(rd_varint(&r, &v), -1);
	}
	r = (struct rd){overlong, overlong + sizeof(overlong)};
	CU_ASSERT_EQUAL(rd_varint(&r, &v), -1);
	r = (struct rd){eleven, eleven + sizeof(eleven)};
	CU_ASSERT_EQUAL(rd_varint(&r, &v), -1);
	r = (struct rd){buf, buf};
	CU_ASSERT_EQUAL(rd_varint(&r, &v), -1);

	CU_ASSERT_EQUAL(zz64(0), 0);
	CU_ASSERT_EQUAL(zz64(-1), 1);
	CU_ASSERT_EQUAL(zz64(1), 2);
	CU_ASSERT_EQUAL(zz64(INT64_MIN), UINT64_MAX);
	CU_ASSERT_EQUAL(unzz64(UINT64_MAX), INT64_MIN);
	CU_ASSERT_EQUAL(unzz64(UINT64_MAX - 1), INT64_MAX);
	CU_ASSERT_EQUAL(zz32(-2), 3);
	CU_ASSERT_EQUAL(zz32(INT32_MIN), UINT32_MAX);
	CU_ASSERT_EQUAL(unzz32(UINT32_MAX), INT32_MIN);
	CU_ASSERT_EQUAL(unzz32(4), 2);
}

static void test_round_trip_kinds(void)
{
	struct recs rs = {0};

	kinds_records(&rs);
	round_trip(&rs, 0, __LINE__);
	/* one record per block */
	round_trip(&rs, 1, __LINE__);
	recs_free(&rs);
}

static void test_round_trip_max(void)
{
	struct recs rs = {0};

	max_records(&rs);
	round_trip(&rs, 0, __LINE__);
	round_trip(&rs, 100, __LINE__);
	recs_free(&rs);
}

static void test_round_trip_threads(void)
{
	struct recs rs = {0};
	struct sink s = {0};
	struct got g = {0};

	thread_records(&rs, 200, 20000);
	round_trip(&rs, 0, __LINE__);
	round_trip(&rs, 512, __LINE__);
	/* a second block and more: the state starts afresh in each */
	encode_all(&rs, 4096, &s);
	CU_ASSERT_EQUAL(decode(s.buf, s.len, &g), 0);
	CU_ASSERT(g.st.blocks > 10);
	CU_ASSERT_EQUAL(g.st.blocks, s.nunits - 1);
	CU_ASSERT_EQUAL(g.st.records, rs.n);
	CU_ASSERT_EQUAL(g.st.segments, 1);
	CU_ASSERT_EQUAL(g.st.corrupt, 0);
	CU_ASSERT_EQUAL(g.st.torn, 0);
	CU_ASSERT_EQUAL(g.st.bytes_lost, 0);
	CHECK_RECS(&rs, &g.recs);
	got_free(&g);
	sink_free(&s);
	recs_free(&rs);
}

/* The bytes of records, as FORMAT.md's example shows them. */
static void test_record_bytes(void)
{
	static const unsigned char second[] = {0x01, 0xc8, 0x01, 0x14};
	/* op 0, slot 0, type 0, "DAEMON_END" and "op=x" new, sec 2, msec 9, serial 7 */
	static const char daemon[] = "\x00\x00\x00\x01\x0a"
				     "DAEMON_END"
				     "\x01\x04"
				     "op=x"
				     "\x02\x09\x07";
	struct sink s = {0};
	struct bin_encoder *e = enc_new(&s, 0);
	struct log_record r;
	struct la_event *ev;
	size_t before;

	ev = ev_reset(9, 0);
	ev->ts_enter = 1000;
	ev->ts_exit = 1500;
	r = mk_event(10, 5, 1, "/e", "t", 1, NULL);
	CU_ASSERT_EQUAL(bin_encode(e, &r), 0);
	before = e->len;
	/* same thread, syscall, arguments, return, context; serial + 1, same ms */
	ev->ts_enter = 1600;
	ev->ts_exit = 2110;
	r.stamp.serial = 2;
	CU_ASSERT_EQUAL(bin_encode(e, &r), 0);
	CU_ASSERT_EQUAL(e->len - before, sizeof(second));
	CU_ASSERT_EQUAL(memcmp(e->buf + before, second, sizeof(second)), 0);
	/* a daemon record: slot 0, type 0, two new strings, absolute stamp */
	before = e->len;
	memset(&r, 0, sizeof(r));
	r.kind = LOG_REC_DAEMON;
	r.type = "DAEMON_END";
	r.fields = "op=x";
	r.stamp = (struct text_stamp){2, 9, 7};
	CU_ASSERT_EQUAL(bin_encode(e, &r), 0);
	CU_ASSERT_EQUAL(e->len - before, sizeof(daemon) - 1);
	CU_ASSERT_EQUAL(memcmp(e->buf + before, daemon, sizeof(daemon) - 1), 0);
	/* the same type again is a dictionary reference: entries 0 "/e", 1 "t",
	 * 2 "worker", 3 "pts1", 4 "DAEMON_END" (ref 6), 5 "op=x" (ref 7) */
	before = e->len;
	CU_ASSERT_EQUAL(bin_encode(e, &r), 0);
	CU_ASSERT_EQUAL(e->len - before, 8);
	CU_ASSERT_EQUAL(e->buf[before + 3], 6);
	CU_ASSERT_EQUAL(e->buf[before + 4], 7);
	bin_encoder_free(e);
	sink_free(&s);
}

/* rdwr-like records cost a few bytes each. */
static void test_compact(void)
{
	struct sink s = {0};
	struct bin_encoder *e = enc_new(&s, 0);
	struct log_record r;
	struct la_event *ev;
	uint64_t ts = 1000000;
	unsigned int i;

	g_rng = 7;
	for (i = 0; i < 100000; i++) {
		ev = ev_reset(31337, i & 1);
		ev->args[0] = i & 1 ? 4 : 3;
		ev->ts_enter = ts + 300 + rnd() % 100;
		ev->ts_exit = ev->ts_enter + 600 + rnd() % 100;
		ts = ev->ts_exit;
		if (!i) {
			ev_item_str(LA_IT_EXE, 0, "/usr/bin/rdwr");
			ev_item_str(LA_IT_PROCTITLE, 0, "rdwr");
		}
		r = mk_event(1700000000 + ts / 1000000000, ts / 1000000 % 1000, i + 1,
			     "/usr/bin/rdwr", "rdwr", 4, NULL);
		CU_ASSERT_EQUAL_FATAL(bin_encode(e, &r), 0);
	}
	CU_ASSERT_EQUAL(bin_flush(e), 0);
	CU_ASSERT(s.len < 100000 * 6);
	bin_encoder_free(e);
	sink_free(&s);
}

static void test_index(void)
{
	struct recs rs = {0};
	struct sink s = {0};
	struct got g = {0};
	struct bin_block_index *ix;
	struct la_event *ev;
	const unsigned char *b;
	uint32_t dlen, ilen;
	unsigned int i, bits = 0;

	add_daemon(&rs, 1700000000, 5, 100, "DAEMON_START", "op=start");
	ev = ev_reset(1, 0);
	ev->pid = 500;
	add_event(&rs, 1700000001, 0, 1, "/a", "a", 1, NULL);
	ev = ev_reset(2, 59);
	ev->pid = 20;
	add_event(&rs, 1700000000, 999, 2, "/a", "a", 1, NULL);
	ev = ev_reset(3, -1);
	ev->pid = 70000;
	add_event(&rs, 1700000002, 1, 3, "/a", "a", 1, NULL);
	ev = ev_reset(4, 600);
	ev->pid = 7;
	add_event(&rs, 1700000002, 1, 4, "/a", "a", 1, NULL);
	ev = ev_reset(5, 510);
	ev->pid = 8;
	add_event(&rs, 1700000002, 1, 5, "/a", "a", 1, NULL);
	encode_all(&rs, 0, &s);
	CU_ASSERT_EQUAL(decode(s.buf, s.len, &g), 0);
	CU_ASSERT_EQUAL_FATAL(g.nix, 1);
	ix = &g.ix[0];
	CU_ASSERT_EQUAL(ix->offset, s.units[0]);
	CU_ASSERT_EQUAL(ix->length, s.len - s.units[0]);
	CU_ASSERT_EQUAL(ix->records, 6);
	CU_ASSERT_EQUAL(ix->events, 5);
	CU_ASSERT_EQUAL(ix->time_min, 1700000000005ULL);
	CU_ASSERT_EQUAL(ix->time_max, 1700000002001ULL);
	CU_ASSERT_EQUAL(ix->serial_min, 1);
	CU_ASSERT_EQUAL(ix->serial_max, 100);
	CU_ASSERT_EQUAL(ix->pid_min, 7);
	CU_ASSERT_EQUAL(ix->pid_max, 70000);
	for (i = 0; i < BIN_NR_BITS; i++)
		if (bin_index_has_syscall(ix, i))
			bits++;
	CU_ASSERT_EQUAL(bits, 4);
	CU_ASSERT(bin_index_has_syscall(ix, 0));
	CU_ASSERT(bin_index_has_syscall(ix, 59));
	CU_ASSERT(bin_index_has_syscall(ix, 510));
	CU_ASSERT(bin_index_has_syscall(ix, 511));
	CU_ASSERT(bin_index_has_syscall(ix, -1));
	CU_ASSERT(bin_index_has_syscall(ix, 600));
	CU_ASSERT(!bin_index_has_syscall(ix, 1));
	CU_ASSERT_EQUAL(ix->syscalls[0], 0x01);
	CU_ASSERT_EQUAL(ix->syscalls[7], 0x08);
	CU_ASSERT_EQUAL(ix->syscalls[63], 0xc0);

	/* the block as it is on disk */
	b = s.buf + s.units[0];
	ilen = get16(b + 4);
	dlen = s.len - s.units[0] - BLK_HEAD - ilen;
	CU_ASSERT_EQUAL(memcmp(b, "\xb1LBK", 4), 0);
	/* version 2: k, flags, reserved, 11 values (KEY and NAME "(null)", 3 ids) */
	CU_ASSERT_EQUAL(ilen, INDEX_LEN2 + 11);
	CU_ASSERT_EQUAL(b[BLK_HEAD + INDEX_LEN], FILTER_K);
	CU_ASSERT_EQUAL(b[BLK_HEAD + INDEX_LEN + 1], 0);
	CU_ASSERT_EQUAL(get16(b + BLK_HEAD + INDEX_LEN + 2), 0);
	CU_ASSERT_EQUAL(get16(b + 6), 0);
	CU_ASSERT_EQUAL(get32(b + 8), dlen);
	CU_ASSERT_EQUAL(get32(b + 12), crc32(0, b + BLK_HEAD + ilen, dlen));
	CU_ASSERT_EQUAL(get32(b + 16), crc32(0, b + BLK_HEAD, ilen));
	CU_ASSERT_EQUAL(get32(b + 20), crc32(0, b, 20));
	CU_ASSERT_EQUAL(get32(b + 24), 6);
	CU_ASSERT_EQUAL(get32(b + 28), 5);
	CU_ASSERT_EQUAL(get64(b + 32), 1700000000005ULL);
	CU_ASSERT_EQUAL(get64(b + 40), 1700000002001ULL);
	CU_ASSERT_EQUAL(get64(b + 48), 1);
	CU_ASSERT_EQUAL(get64(b + 56), 100);
	CU_ASSERT_EQUAL(get32(b + 64), 7);
	CU_ASSERT_EQUAL(get32(b + 68), 70000);
	got_free(&g);
	sink_free(&s);

	/* daemon records only: no pids, no syscalls */
	recs_free(&rs);
	add_daemon(&rs, 5, 1, 9, "DAEMON_END", "op=terminate");
	encode_all(&rs, 0, &s);
	CU_ASSERT_EQUAL(decode(s.buf, s.len, &g), 0);
	CU_ASSERT_EQUAL_FATAL(g.nix, 1);
	CU_ASSERT_EQUAL(g.ix[0].records, 1);
	CU_ASSERT_EQUAL(g.ix[0].events, 0);
	CU_ASSERT_EQUAL(g.ix[0].pid_min, 0);
	CU_ASSERT_EQUAL(g.ix[0].pid_max, 0);
	CU_ASSERT_EQUAL(g.ix[0].time_min, 5001);
	CU_ASSERT_EQUAL(g.ix[0].serial_max, 9);
	for (i = 0; i < BIN_NR_BITS / 8; i++)
		CU_ASSERT_EQUAL(g.ix[0].syscalls[i], 0);
	got_free(&g);
	sink_free(&s);
	recs_free(&rs);
}

static void test_segment_header(void)
{
	struct recs rs = {0};
	struct sink s = {0};
	struct got g = {0};
	struct bin_encoder *e;
	size_t i, body = 2 + 5 + 2 + 36 + 2 + 14;

	kinds_records(&rs);
	e = enc_new(&s, 0);
	/* nothing to write yet: no header either */
	CU_ASSERT_EQUAL(bin_flush(e), 0);
	CU_ASSERT_EQUAL(s.len, 0);
	for (i = 0; i < rs.n; i++) {
		CU_ASSERT_EQUAL(bin_encode(e, &rs.v[i].r), 0);
		if (i == 10) {
			/* rotation: the open block goes to the old file, then a header */
			CU_ASSERT_EQUAL(bin_segment(e), 0);
			CU_ASSERT_EQUAL(s.nunits, 3);
		}
	}
	CU_ASSERT_EQUAL(bin_flush(e), 0);
	CU_ASSERT_EQUAL(bin_flush(e), 0);
	CU_ASSERT_EQUAL(s.nunits, 4);
	bin_encoder_free(e);

	CU_ASSERT_EQUAL(s.units[0], SEG_HEAD + body);
	CU_ASSERT_EQUAL(memcmp(s.buf, "\x89LAB\r\n\x1a\n", 8), 0);
	CU_ASSERT_EQUAL(get16(s.buf + 8), 2);
	CU_ASSERT_EQUAL(get16(s.buf + 10), 0);
	CU_ASSERT_EQUAL(get32(s.buf + 12), body);
	CU_ASSERT_EQUAL(get32(s.buf + 16), crc32(0, s.buf + SEG_HEAD, body));
	CU_ASSERT_EQUAL(get32(s.buf + 20), crc32(0, s.buf, 20));
	CU_ASSERT_EQUAL(memcmp(s.buf + SEG_HEAD, "\x05\x00host1", 7), 0);
	CU_ASSERT_EQUAL(memcmp(s.buf + s.units[1], s.buf, s.units[0]), 0);

	CU_ASSERT_EQUAL(decode(s.buf, s.len, &g), 0);
	CU_ASSERT_EQUAL(g.nprob, 0);
	CU_ASSERT_EQUAL_FATAL(g.nseg, 2);
	CU_ASSERT_EQUAL(g.seg[0].offset, 0);
	CU_ASSERT_EQUAL(g.seg[1].offset, s.units[1]);
	CU_ASSERT_STRING_EQUAL(g.seg[1].host, "host1");
	CU_ASSERT_STRING_EQUAL(g.seg[1].boot_id, "0a1b2c3d-4e5f-6789-abcd-ef0123456789");
	CU_ASSERT_STRING_EQUAL(g.seg[1].kernel, "6.18.0-lauditd");
	CU_ASSERT_EQUAL(g.st.segments, 2);
	CU_ASSERT_EQUAL(g.st.blocks, 2);
	CHECK_RECS(&rs, &g.recs);
	got_free(&g);

	/* NULL strings are empty; the second segment alone decodes too */
	CU_ASSERT_EQUAL(decode(s.buf + s.units[1], s.len - s.units[1], &g), 0);
	CU_ASSERT_EQUAL(g.nprob, 0);
	check_recs_at(&rs, 11, &g.recs, rs.n - 11, __LINE__);
	got_free(&g);
	sink_free(&s);
	recs_free(&rs);
}

/* A small segment of several blocks, and where each block ends. */
static void small_segment(struct recs *rs, struct sink *s, size_t *recs_per_unit)
{
	struct got g = {0};
	size_t i;

	kinds_records(rs);
	encode_all(rs, 300, s);
	CU_ASSERT_FATAL(s->nunits >= 4);
	CU_ASSERT_EQUAL_FATAL(decode(s->buf, s->len, &g), 0);
	CU_ASSERT_EQUAL_FATAL(g.nix, s->nunits - 1);
	recs_per_unit[0] = 0;
	for (i = 0; i < g.nix; i++)
		recs_per_unit[i + 1] = g.ix[i].records;
	got_free(&g);
}

static void test_torn_tail(void)
{
	struct recs rs = {0};
	struct sink s = {0};
	size_t per[64], len, u, want, start, bad = 0;

	small_segment(&rs, &s, per);
	for (len = 0; len <= s.len; len++) {
		struct got g = {0};
		int boundary = len == 0;

		/* records of the units that end at or before @len */
		want = 0;
		start = 0;
		for (u = 0; u < s.nunits && s.units[u] <= len; u++) {
			want += per[u];
			start = s.units[u];
			boundary |= s.units[u] == len;
		}
		if (decode(s.buf, len, &g) != 0 || g.recs.n != want || g.st.records != want)
			bad++;
		else if (boundary && (g.nprob || g.st.torn))
			bad++;
		else if (!boundary &&
			 (g.nprob != 1 || g.prob[0].kind != BIN_PROBLEM_TORN ||
			  g.prob[0].offset != start || g.prob[0].length != len - start ||
			  g.st.torn != 1 || g.st.bytes_lost != len - start))
			bad++;
		else
			check_recs_at(&rs, 0, &g.recs, want, __LINE__);
		got_free(&g);
	}
	CU_ASSERT_EQUAL(bad, 0);
	sink_free(&s);
	recs_free(&rs);
}

static void test_torn_reasons(void)
{
	struct recs rs = {0};
	struct sink s = {0};
	struct got g = {0};
	size_t per[64];

	small_segment(&rs, &s, per);
	decode(s.buf, 5, &g);
	CU_ASSERT_STRING_EQUAL(g.prob[0].reason, "segment header cut short");
	got_free(&g);
	decode(s.buf, s.units[0] - 1, &g);
	CU_ASSERT_EQUAL(g.prob[0].offset, 0);
	CU_ASSERT_STRING_EQUAL(g.prob[0].reason, "segment header needs 85 bytes, 84 remain");
	got_free(&g);
	decode(s.buf, s.units[0] + 23, &g);
	CU_ASSERT_STRING_EQUAL(g.prob[0].reason, "block header cut short");
	got_free(&g);
	decode(s.buf, s.units[1] - 1, &g);
	CU_ASSERT_EQUAL(g.prob[0].offset, s.units[0]);
	CU_ASSERT_EQUAL(strncmp(g.prob[0].reason, "block needs ", 12), 0);
	got_free(&g);
	sink_free(&s);
	recs_free(&rs);
}

/* Flip each byte of a unit in turn: that unit alone is lost and reported. */
static void flip_unit(unsigned int unit, enum bin_problem_kind kind)
{
	struct recs rs = {0};
	struct sink s = {0};
	size_t per[64], first, n, off, start, end, bad = 0, skip = 0;
	unsigned int x, u;

	small_segment(&rs, &s, per);
	start = unit ? s.units[unit - 1] : 0;
	end = s.units[unit];
	for (u = 0; u < unit; u++)
		skip += per[u];
	for (off = start; off < end; off++) {
		for (x = 0; x < 2; x++) {
			unsigned char *copy = malloc(s.len);
			struct got g = {0};

			memcpy(copy, s.buf, s.len);
			copy[off] ^= x ? 0xff : 0x01;
			if (decode(copy, s.len, &g) != 0 || g.nprob != 1 ||
			    g.prob[0].kind != kind || g.prob[0].offset != start ||
			    g.prob[0].length != end - start) {
				bad++;
			} else {
				/* the records before the unit, then those after it */
				first = skip;
				n = rs.n - skip - per[unit];
				if (g.recs.n != skip + n) {
					bad++;
				} else if (skip) {
					struct recs head = {g.recs.v, skip, skip};

					check_recs_at(&rs, 0, &head, skip, __LINE__);
				}
				if (g.recs.n == skip + n && n) {
					struct recs tail = {g.recs.v + skip, n, n};

					check_recs_at(&rs, first + per[unit], &tail, n, __LINE__);
				}
			}
			got_free(&g);
			free(copy);
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
	sink_free(&s);
	recs_free(&rs);
}

static void test_flip_middle_block(void)
{
	flip_unit(2, BIN_PROBLEM_CORRUPT);
}

static void test_flip_first_block(void)
{
	flip_unit(1, BIN_PROBLEM_CORRUPT);
}

static void test_flip_segment_header(void)
{
	flip_unit(0, BIN_PROBLEM_CORRUPT);
}

static void test_flip_last_block(void)
{
	struct recs rs = {0};
	struct sink s = {0};
	struct got g = {0};
	size_t per[64], last;

	small_segment(&rs, &s, per);
	last = s.nunits - 1;
	s.buf[s.units[last] - 3] ^= 0x40;
	CU_ASSERT_EQUAL(decode(s.buf, s.len, &g), 0);
	CU_ASSERT_EQUAL_FATAL(g.nprob, 1);
	CU_ASSERT_EQUAL(g.prob[0].kind, BIN_PROBLEM_TORN);
	CU_ASSERT_EQUAL(g.prob[0].offset, s.units[last - 1]);
	CU_ASSERT_EQUAL(g.prob[0].length, s.units[last] - s.units[last - 1]);
	CU_ASSERT_STRING_EQUAL(g.prob[0].reason, "block checksum mismatch");
	check_recs_at(&rs, 0, &g.recs, rs.n - per[last], __LINE__);
	got_free(&g);
	sink_free(&s);
	recs_free(&rs);
}

/* Garbage between blocks, and blocks glued after a torn one (a restart). */
static void test_resync(void)
{
	struct recs rs = {0};
	struct sink s = {0};
	struct got g = {0};
	size_t per[64], len;
	unsigned char *b;
	char why[64];

	small_segment(&rs, &s, per);
	len = s.len + 1000;
	b = malloc(len);
	/* header, block 1, 1000 bytes of garbage, blocks 2.. */
	memcpy(b, s.buf, s.units[1]);
	memset(b + s.units[1], 0xb1, 500);
	memset(b + s.units[1] + 500, 0x89, 500);
	memcpy(b + s.units[1] + 1000, s.buf + s.units[1], s.len - s.units[1]);
	CU_ASSERT_EQUAL(decode(b, len, &g), 0);
	CU_ASSERT_EQUAL_FATAL(g.nprob, 1);
	CU_ASSERT_EQUAL(g.prob[0].kind, BIN_PROBLEM_CORRUPT);
	CU_ASSERT_EQUAL(g.prob[0].offset, s.units[1]);
	CU_ASSERT_EQUAL(g.prob[0].length, 1000);
	snprintf(why, sizeof(why), "no block header at offset %zu", s.units[1]);
	CU_ASSERT_STRING_EQUAL(g.prob[0].reason, why);
	CHECK_RECS(&rs, &g.recs);
	got_free(&g);

	/* half of block 2, then a new segment holding everything again */
	len = s.units[1] + (s.units[2] - s.units[1]) / 2;
	memcpy(b, s.buf, len);
	memcpy(b + len, s.buf, s.len);
	CU_ASSERT_EQUAL(decode(b, len + s.len, &g), 0);
	CU_ASSERT_EQUAL_FATAL(g.nprob, 1);
	CU_ASSERT_EQUAL(g.prob[0].kind, BIN_PROBLEM_CORRUPT);
	CU_ASSERT_EQUAL(g.prob[0].offset, s.units[1]);
	CU_ASSERT_EQUAL(g.prob[0].length, len - s.units[1]);
	CU_ASSERT_EQUAL(g.nseg, 2);
	{
		struct recs head = {g.recs.v, per[1], per[1]};

		check_recs_at(&rs, 0, &head, per[1], __LINE__);
	}
	{
		struct recs tail = {g.recs.v + per[1], rs.n, rs.n};

		CU_ASSERT_EQUAL(g.recs.n, per[1] + rs.n);
		check_recs_at(&rs, 0, &tail, rs.n, __LINE__);
	}
	got_free(&g);
	free(b);

	/* nothing but garbage */
	b = calloc(1, 4096);
	CU_ASSERT_EQUAL(decode(b, 4096, &g), 0);
	CU_ASSERT_EQUAL_FATAL(g.nprob, 1);
	CU_ASSERT_EQUAL(g.prob[0].kind, BIN_PROBLEM_TORN);
	CU_ASSERT_EQUAL(g.prob[0].offset, 0);
	CU_ASSERT_EQUAL(g.prob[0].length, 4096);
	CU_ASSERT_STRING_EQUAL(g.prob[0].reason, "no block header at offset 0");
	CU_ASSERT_EQUAL(g.recs.n, 0);
	got_free(&g);
	free(b);
	sink_free(&s);
	recs_free(&rs);
}

/* Fix a block's checksums after editing it. */
static void reseal_block(unsigned char *b)
{
	uint16_t ilen = get16(b + 4);
	uint32_t dlen = get32(b + 8);

	le32(b + 12, crc32(0, b + BLK_HEAD + ilen, dlen));
	le32(b + 16, crc32(0, b + BLK_HEAD, ilen));
	le32(b + 20, crc32(0, b, 20));
}

/* Where a version 1 block's records start */
#define V1_DATA_OFF (BLK_HEAD + INDEX_LEN)

/* A block holding @data as its records, with a matching checksum. */
static size_t make_block(unsigned char *b, const void *data, uint32_t len, uint32_t nrecords)
{
	memset(b, 0, V1_DATA_OFF);
	memcpy(b, blk_magic, 4);
	le16(b + 4, INDEX_LEN);
	le32(b + 8, len);
	le32(b + BLK_HEAD, nrecords);
	memcpy(b + V1_DATA_OFF, data, len);
	reseal_block(b);
	return V1_DATA_OFF + len;
}

static const char *bad_block(const void *data, uint32_t len, size_t *nrecs)
{
	static char reason[256];
	unsigned char *b = malloc(V1_DATA_OFF + len);
	struct got g = {0};
	size_t n = make_block(b, data, len, 1);

	CU_ASSERT_EQUAL(decode(b, n, &g), 0);
	snprintf(reason, sizeof(reason), "%s", g.nprob ? g.prob[0].reason : "(no problem)");
	if (g.nprob)
		CU_ASSERT_EQUAL(g.prob[0].kind, BIN_PROBLEM_CORRUPT);
	*nrecs = g.recs.n;
	got_free(&g);
	free(b);
	return reason;
}

/* Records the encoder never writes, in blocks with good checksums. */
static void test_bad_records(void)
{
	static const struct {
		const char *data;
		uint32_t len;
		const char *reason;
	} cases[] = {
		{"\x01", 1, "record 0 of the block: same thread as no previous event"},
		{"\x00", 1, "record 0 of the block: thread slot cut short"},
		{"\x00\x05", 2, "record 0 of the block: thread slot out of range"},
		{"\x02\x00\x01", 3, "record 0 of the block: reserved bits set"},
		{"\x00\x00\x01", 3, "record 0 of the block: unknown record type"},
		{"\x00\x00\x00\x05", 4, "record 0 of the block: string reference out of range"},
		{"\x00\x00\x00\x01\x09x", 6, "record 0 of the block: string cut short"},
		{"\x00\x00\x00\x00", 4, "record 0 of the block: NULL where a string is required"},
		{"\x00\x00\x00\x01\x01\x00\x02\x00\x00\x00", 10,
		 "record 0 of the block: NUL inside a string"},
		{"\x00\x00\x00\x01\x01T\x02\x00\x80\x00", 10,
		 "record 0 of the block: daemon stamp cut short or out of range"},
		/* a new thread, then an event of kind 0 (the block's state starts at zero) */
		{"\x00\x01\x00\x00\x00", 5, "record 0 of the block: unknown event kind"},
		{"\x06\x01\x00", 3, "record 0 of the block: reserved syscall number code"},
		{"\x20\x01\x00\x00\x00\x00", 6,
		 "record 0 of the block: context mask cut short or invalid"},
		{"\x20\x01\x00\x00\x00\x80\x80\x80\x02", 9,
		 "record 0 of the block: context mask cut short or invalid"},
		{"\x10\x01\x00\x00\x00\x40", 6,
		 "record 0 of the block: argument mask cut short or invalid"},
		{"\x60\x01\x00\x00\x00\x80\x80\x80\x01\x01\x00", 11,
		 "record 0 of the block: item count cut short or out of range"},
		{"\x20\x01\x00\x00\x00\x10\x01\x11"
		 "0123456789abcdefg",
		 25, "record 0 of the block: comm or tty longer than 16 bytes"},
		{"\x20\x01\x00\x00\x00\x01\xff\xff\xff\xff\x10", 11,
		 "record 0 of the block: cpu cut short or out of range"},
	};
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = bad_block(cases[i].data, cases[i].len, &n);

		if (strcmp(why, cases[i].reason))
			fprintf(stderr, "\ncase %zu: \"%s\"\n", i, why);
		CU_ASSERT_STRING_EQUAL(why, cases[i].reason);
		CU_ASSERT_EQUAL(n, 0);
	}
}

static void test_bad_index(void)
{
	static const char daemon[] = "\x00\x00\x00\x01\x01T\x01\x01"
				     "F\x01\x02\x03";
	unsigned char b[V1_DATA_OFF + 32];
	struct got g = {0};
	size_t n;

	/* the index says 2 records, the block holds 1: reported, the record is kept */
	n = make_block(b, daemon, sizeof(daemon) - 1, 2);
	CU_ASSERT_EQUAL(decode(b, n, &g), 0);
	CU_ASSERT_EQUAL(g.recs.n, 1);
	CU_ASSERT_EQUAL_FATAL(g.nprob, 1);
	CU_ASSERT_EQUAL(g.prob[0].kind, BIN_PROBLEM_CORRUPT);
	CU_ASSERT_STRING_EQUAL(g.prob[0].reason, "index says 2 records, block holds 1");
	CU_ASSERT_STRING_EQUAL(g.recs.v[0].r.type, "T");
	CU_ASSERT_STRING_EQUAL(g.recs.v[0].r.fields, "F");
	CU_ASSERT_EQUAL(g.recs.v[0].r.stamp.sec, 1);
	CU_ASSERT_EQUAL(g.recs.v[0].r.stamp.msec, 2);
	CU_ASSERT_EQUAL(g.recs.v[0].r.stamp.serial, 3);
	got_free(&g);

	/* an index shorter than version 1's */
	make_block(b, daemon, sizeof(daemon) - 1, 1);
	le16(b + 4, INDEX_LEN - 8);
	le32(b + 8, sizeof(daemon) - 1 + 8);
	reseal_block(b);
	CU_ASSERT_EQUAL(decode(b, n, &g), 0);
	CU_ASSERT_EQUAL_FATAL(g.nprob, 1);
	CU_ASSERT_EQUAL(g.prob[0].kind, BIN_PROBLEM_TORN);
	CU_ASSERT_STRING_EQUAL(g.prob[0].reason, "block index too short");
	got_free(&g);
}

static void test_version(void)
{
	struct recs rs = {0};
	struct sink s = {0};
	struct got g = {0};
	unsigned char *b;
	size_t len;

	add_daemon(&rs, 1, 2, 3, "DAEMON_START", "op=start");
	encode_all(&rs, 0, &s);
	/* a version 4 segment, then the same version 2 segment */
	len = 2 * s.len;
	b = malloc(len);
	memcpy(b, s.buf, s.len);
	memcpy(b + s.len, s.buf, s.len);
	le16(b + 8, 4);
	le32(b + 20, crc32(0, b, 20));
	CU_ASSERT_EQUAL(decode(b, len, &g), 0);
	CU_ASSERT_EQUAL_FATAL(g.nprob, 1);
	CU_ASSERT_EQUAL(g.prob[0].kind, BIN_PROBLEM_VERSION);
	CU_ASSERT_EQUAL(g.prob[0].offset, 0);
	CU_ASSERT_EQUAL(g.prob[0].length, s.len);
	CU_ASSERT_STRING_EQUAL(g.prob[0].reason,
			       "segment of format version 4 (this reader: 1 to 3)");
	CU_ASSERT_EQUAL(g.nseg, 1);
	CU_ASSERT_EQUAL(g.st.corrupt, 1);
	CU_ASSERT_EQUAL(g.st.torn, 0);
	CHECK_RECS(&rs, &g.recs);
	got_free(&g);
	/* alone: all of it skipped */
	CU_ASSERT_EQUAL(decode(b, s.len, &g), 0);
	CU_ASSERT_EQUAL_FATAL(g.nprob, 1);
	CU_ASSERT_EQUAL(g.prob[0].kind, BIN_PROBLEM_VERSION);
	CU_ASSERT_EQUAL(g.prob[0].length, s.len);
	CU_ASSERT_EQUAL(g.recs.n, 0);
	got_free(&g);
	free(b);
	sink_free(&s);
	recs_free(&rs);
}

static void test_filter(void)
{
	struct recs rs = {0};
	struct sink s = {0};
	struct got g = {0};
	size_t per[64], u, at = 0, got_at = 0;

	small_segment(&rs, &s, per);
	g.skip_odd = 1;
	CU_ASSERT_EQUAL(decode(s.buf, s.len, &g), 0);
	CU_ASSERT_EQUAL(g.nprob, 0);
	CU_ASSERT_EQUAL(g.nix, s.nunits - 1);
	CU_ASSERT_EQUAL(g.st.blocks, s.nunits - 1);
	CU_ASSERT_EQUAL(g.st.skipped, (s.nunits - 1) / 2);
	for (u = 1; u < s.nunits; u++) {
		CU_ASSERT_EQUAL(g.ix[u - 1].offset, s.units[u - 1]);
		CU_ASSERT_EQUAL(g.ix[u - 1].length, s.units[u] - s.units[u - 1]);
		if (u % 2) {
			struct recs part = {g.recs.v + got_at, per[u], per[u]};

			check_recs_at(&rs, at, &part, per[u], __LINE__);
			got_at += per[u];
		}
		at += per[u];
	}
	CU_ASSERT_EQUAL(g.recs.n, got_at);
	got_free(&g);

	/* a skipped block is not checksummed: damage in it goes unnoticed */
	s.buf[s.units[2] - 1] ^= 1;
	g.skip_odd = 1;
	CU_ASSERT_EQUAL(decode(s.buf, s.len, &g), 0);
	CU_ASSERT_EQUAL(g.nprob, 0);
	got_free(&g);
	sink_free(&s);
	recs_free(&rs);
}

/* ------------------------------------------------------------ block filter */

#define FV_EVENTS 1000
#define FV_BLOCK  50 /* events per block: bin_flush() after each 50 */

/* What one event of the filter test holds. */
struct fv_event {
	char key[32], exe[48], path[48], cwd[32], rel[16], joined[64];
	uint32_t uid, euid, auid;
};

static struct fv_event g_fv[FV_EVENTS];

struct fv_check {
	size_t block;
	size_t misses;	/* present values the filter denied: must stay 0 */
	size_t checked; /* present values asked */
	size_t fp_id;	/* absent ids the filter let through */
	size_t fp_key;	/* absent keys the filter let through */
	size_t unsure;	/* blocks flagged BIN_FILTER_F_STRINGS_UNSURE */
};

/* Every substring of @s of three bytes or more. */
static void fv_substrs(struct fv_check *c, const struct bin_block_index *ix,
		       enum bin_filter_kind kind, const char *s)
{
	size_t n = strlen(s), i, j;

	for (i = 0; i < n; i++)
		for (j = i + 3; j <= n; j++) {
			c->checked++;
			c->misses += !bin_index_may_have_substr(ix, kind, s + i, j - i);
		}
}

static int fv_filter(void *arg, const struct bin_block_index *ix)
{
	struct fv_check *c = arg;
	size_t i;
	uint32_t v;
	char absent[32];

	CU_ASSERT_PTR_NOT_NULL(ix->filter);
	CU_ASSERT_EQUAL(ix->filter_k, FILTER_K);
	c->unsure += (ix->filter_flags & BIN_FILTER_F_STRINGS_UNSURE) != 0;
	for (i = c->block * FV_BLOCK; i < (c->block + 1) * FV_BLOCK && i < FV_EVENTS; i++) {
		const struct fv_event *f = &g_fv[i];

		fv_substrs(c, ix, BIN_FILTER_KEY, f->key);
		fv_substrs(c, ix, BIN_FILTER_EXE, f->exe);
		fv_substrs(c, ix, BIN_FILTER_NAME, f->exe);
		fv_substrs(c, ix, BIN_FILTER_NAME, f->path);
		fv_substrs(c, ix, BIN_FILTER_NAME, f->cwd);
		fv_substrs(c, ix, BIN_FILTER_NAME, f->rel);
		fv_substrs(c, ix, BIN_FILTER_NAME, f->joined);
		fv_substrs(c, ix, BIN_FILTER_NAME, "(null)");
		c->checked += 3;
		c->misses += !bin_index_may_have_id(ix, BIN_FILTER_UID, f->uid);
		c->misses += !bin_index_may_have_id(ix, BIN_FILTER_EUID, f->euid);
		c->misses += !bin_index_may_have_id(ix, BIN_FILTER_AUID, f->auid);
	}
	/* values no event has: ids from 100000 up, keys of another name */
	for (v = 0; v < 100; v++) {
		c->fp_id += bin_index_may_have_id(ix, BIN_FILTER_UID, 100000 + v);
		snprintf(absent, sizeof(absent), "other-%05u", v);
		c->fp_key += bin_index_may_have_substr(ix, BIN_FILTER_KEY, absent, strlen(absent));
	}
	c->block++;
	return 0;
}

static int fv_record(void *arg, const struct log_record *r)
{
	(void)arg;
	(void)r;
	return 0;
}

/* Events of varied keys, exes, names and ids, 50 to a block. */
static void fv_encode(struct sink *s, int unsure_at)
{
	struct bin_encoder *e = enc_new(s, 0);
	struct log_record r;
	struct la_event *ev;
	size_t i;

	g_rng = 42;
	for (i = 0; i < FV_EVENTS; i++) {
		struct fv_event *f = &g_fv[i];

		snprintf(f->key, sizeof(f->key), "rule-%05u", rnd() % 100000);
		snprintf(f->exe, sizeof(f->exe), "/opt/app%u/bin/tool", rnd() % 1000);
		snprintf(f->path, sizeof(f->path), "/srv/data/%u/file%u.log", rnd() % 100,
			 rnd() % 10000);
		snprintf(f->cwd, sizeof(f->cwd), "/home/user%u", rnd() % 500);
		snprintf(f->rel, sizeof(f->rel), "%s/x%u", i & 1 ? "." : "..", rnd() % 100);
		snprintf(f->joined, sizeof(f->joined), "%s/%s", f->cwd, f->rel);
		f->uid = rnd() % 60000;
		f->euid = rnd() % 60000;
		f->auid = i % 7 ? rnd() % 60000 : 4294967295u;
		ev = ev_reset(100 + i % 5, 2);
		ev->uid = f->uid;
		ev->euid = f->euid;
		ev->auid = f->auid;
		memcpy(ev->comm, (int)i == unsure_at ? "key=x" : "tool", 6);
		ev_item_str(LA_IT_PATH, 0, f->path);
		ev_item_str(LA_IT_PATH, 1, f->rel);
		ev_item_str(LA_IT_CWD, 0, f->cwd);
		r = mk_event(1700000000 + i, 0, i + 1, f->exe, "tool", 4, f->key);
		CU_ASSERT_EQUAL_FATAL(bin_encode(e, &r), 0);
		if ((i + 1) % FV_BLOCK == 0)
			CU_ASSERT_EQUAL(bin_flush(e), 0);
	}
	CU_ASSERT_EQUAL(bin_flush(e), 0);
	bin_encoder_free(e);
}

/*
 * The block filter holds every key, exe, name (joined to the working directory
 * too) and user id of its block: no query for a value that is there skips it.
 * Values that are not there let a few blocks through (false positives).
 */
static void test_filter_values(void)
{
	struct bin_decode_ops ops = {fv_record, fv_filter, NULL, NULL};
	struct fv_check c = {0};
	struct sink s = {0};

	fv_encode(&s, -1);
	CU_ASSERT_EQUAL(bin_decode(s.buf, s.len, &ops, &c, NULL), 0);
	CU_ASSERT_EQUAL(c.block, FV_EVENTS / FV_BLOCK);
	CU_ASSERT_EQUAL(c.misses, 0);
	CU_ASSERT_EQUAL(c.checked, 885572);
	CU_ASSERT_EQUAL(c.unsure, 0);
	/* 2000 absent ids and 2000 absent keys asked */
	CU_ASSERT_EQUAL(c.fp_id, 50); /* 2.5 %: 8 bits and 5 hashes a value */
	CU_ASSERT_EQUAL(c.fp_key, 0);
	sink_free(&s);

	/* a comm holding "key=": ausearch could read a key out of it */
	memset(&c, 0, sizeof(c));
	fv_encode(&s, 60);
	CU_ASSERT_EQUAL(bin_decode(s.buf, s.len, &ops, &c, NULL), 0);
	CU_ASSERT_EQUAL(c.misses, 0);
	CU_ASSERT_EQUAL(c.unsure, 1);
	CU_ASSERT_EQUAL(c.fp_key, 100);
	sink_free(&s);
}

static char *read_file(const char *dir, const char *name, size_t *len);

/*
 * A version 2 segment's block rewritten without its filter (a 112-byte index):
 * damage under a version 2 header, a version 1 block under a version 1 header.
 */
static void test_filter_version(void)
{
	struct recs rs = {0};
	struct sink s = {0};
	struct got g = {0};
	unsigned char *b;
	uint32_t ilen, dlen;
	size_t len;

	add_daemon(&rs, 1, 2, 3, "DAEMON_START", "op=start");
	encode_all(&rs, 0, &s);
	b = s.buf + s.units[0];
	ilen = get16(b + 4);
	dlen = get32(b + 8);
	CU_ASSERT_EQUAL_FATAL(ilen, INDEX_LEN2);
	memmove(b + BLK_HEAD + INDEX_LEN, b + BLK_HEAD + ilen, dlen);
	le16(b + 4, INDEX_LEN);
	reseal_block(b);
	len = s.units[0] + BLK_HEAD + INDEX_LEN + dlen;
	CU_ASSERT_EQUAL(decode(s.buf, len, &g), 0);
	CU_ASSERT_EQUAL(g.recs.n, 0);
	CU_ASSERT_EQUAL_FATAL(g.nprob, 1);
	CU_ASSERT_STRING_EQUAL(g.prob[0].reason, "block index too short");
	got_free(&g);
	/* the same block in a version 1 segment */
	le16(s.buf + 8, 1);
	le32(s.buf + 20, crc32(0, s.buf, 20));
	CU_ASSERT_EQUAL(decode(s.buf, len, &g), 0);
	CU_ASSERT_EQUAL(g.nprob, 0);
	CU_ASSERT_EQUAL(g.recs.n, 1);
	CU_ASSERT_EQUAL(g.nfilters, 0);
	CHECK_RECS(&rs, &g.recs);
	got_free(&g);
	sink_free(&s);
	recs_free(&rs);
}

/* Blocks of version 1, and short strings, never skip. */
static void test_filter_absent(void)
{
	struct bin_block_index ix;
	size_t len = 0;
	char *bin = read_file(g_datadir, "golden-v1.bin", &len);
	struct got g = {0};

	memset(&ix, 0, sizeof(ix));
	CU_ASSERT_EQUAL(bin_index_may_have_id(&ix, BIN_FILTER_UID, 5), 1);
	CU_ASSERT_EQUAL(bin_index_may_have_substr(&ix, BIN_FILTER_KEY, "abcdef", 6), 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(bin);
	CU_ASSERT_EQUAL(decode(bin, len, &g), 0);
	CU_ASSERT_EQUAL(g.nix, 4);
	CU_ASSERT_EQUAL(g.nfilters, 0);
	got_free(&g);
	free(bin);
	/* an empty filter: nothing of any kind */
	ix.filter = (const uint8_t *)"";
	ix.filter_k = FILTER_K;
	CU_ASSERT_EQUAL(bin_index_may_have_id(&ix, BIN_FILTER_UID, 5), 0);
	CU_ASSERT_EQUAL(bin_index_may_have_substr(&ix, BIN_FILTER_KEY, "abcdef", 6), 0);
	CU_ASSERT_EQUAL(bin_index_may_have_substr(&ix, BIN_FILTER_KEY, "ab", 2), 1);
	ix.filter_flags = BIN_FILTER_F_STRINGS_UNSURE;
	CU_ASSERT_EQUAL(bin_index_may_have_substr(&ix, BIN_FILTER_KEY, "abcdef", 6), 1);
	CU_ASSERT_EQUAL(bin_index_may_have_id(&ix, BIN_FILTER_UID, 5), 0);
}

static void test_stop(void)
{
	struct recs rs = {0};
	struct sink s = {0};
	struct got g = {0};

	kinds_records(&rs);
	encode_all(&rs, 0, &s);
	g.stop_after = 3;
	CU_ASSERT_EQUAL(decode(s.buf, s.len, &g), 7);
	CU_ASSERT_EQUAL(g.recs.n, 3);
	got_free(&g);
	sink_free(&s);
	recs_free(&rs);
}

static void test_api_errors(void)
{
	struct bin_encoder_opts o = {0};
	struct bin_decode_ops ops = {0};
	struct recs rs = {0};
	struct sink s = {0};
	struct got g = {0};
	struct bin_encoder *e;
	struct log_record r;
	struct la_event *ev;
	char big[70000];

	errno = 0;
	CU_ASSERT_PTR_NULL(bin_encoder_new(NULL));
	CU_ASSERT_EQUAL(errno, EINVAL);
	errno = 0;
	CU_ASSERT_PTR_NULL(bin_encoder_new(&o));
	CU_ASSERT_EQUAL(errno, EINVAL);
	o.write = sink_write;
	o.block_size = BIN_BLOCK_MAX + 1;
	errno = 0;
	CU_ASSERT_PTR_NULL(bin_encoder_new(&o));
	CU_ASSERT_EQUAL(errno, EINVAL);
	memset(big, 'h', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	o.block_size = 0;
	o.host = big;
	errno = 0;
	CU_ASSERT_PTR_NULL(bin_encoder_new(&o));
	CU_ASSERT_EQUAL(errno, EINVAL);

	e = enc_new(&s, 0);
	CU_ASSERT_EQUAL(bin_encode(e, NULL), -EINVAL);
	ev = ev_reset(1, 0);
	r = mk_event(1, 1, 1, NULL, NULL, 0, NULL);
	r.ev = NULL;
	CU_ASSERT_EQUAL(bin_encode(e, &r), -EINVAL);
	r.ev = ev;
	ev->size = sizeof(*ev) + 8;
	CU_ASSERT_EQUAL(bin_encode(e, &r), -EINVAL);
	ev->size = sizeof(*ev);
	ev->kind = 2;
	CU_ASSERT_EQUAL(bin_encode(e, &r), -EINVAL);
	ev->kind = LA_EV_SYSCALL;
	ev->nitems = 1;
	CU_ASSERT_EQUAL(bin_encode(e, &r), -EINVAL);
	ev->nitems = 0;
	r.kind = 0;
	CU_ASSERT_EQUAL(bin_encode(e, &r), -EINVAL);
	r.kind = LOG_REC_DAEMON;
	CU_ASSERT_EQUAL(bin_encode(e, &r), -EINVAL);
	r.type = "DAEMON_START";
	CU_ASSERT_EQUAL(bin_encode(e, &r), -EINVAL);
	/* nothing was appended */
	CU_ASSERT_EQUAL(e->len, DATA_OFF);
	CU_ASSERT_EQUAL(e->ix.records, 0);
	CU_ASSERT_EQUAL(bin_flush(e), 0);
	CU_ASSERT_EQUAL(s.len, 0);
	bin_encoder_free(e);
	bin_encoder_free(NULL);

	CU_ASSERT_EQUAL(bin_decode("x", 1, NULL, NULL, NULL), -EINVAL);
	CU_ASSERT_EQUAL(bin_decode("x", 1, &ops, NULL, NULL), -EINVAL);
	CU_ASSERT_EQUAL(bin_decode(NULL, 1, &got_ops, &g, NULL), -EINVAL);
	CU_ASSERT_EQUAL(bin_decode(NULL, 0, &got_ops, &g, &g.st), 0);
	CU_ASSERT_EQUAL(g.recs.n + g.nprob + g.st.blocks, 0);
	/* only the record callback is required */
	kinds_records(&rs);
	encode_all(&rs, 0, &s);
	ops.record = got_record;
	CU_ASSERT_EQUAL(bin_decode(s.buf, s.len, &ops, &g, NULL), 0);
	CU_ASSERT_EQUAL(g.recs.n, rs.n);
	got_free(&g);
	sink_free(&s);
	recs_free(&rs);
}

/* Failing writes lose nothing: the block stays open and is written later. */
static void test_write_errors(void)
{
	struct recs rs = {0};
	struct sink s = {0};
	struct got g = {0};
	struct bin_encoder *e;
	size_t i, fails = 0;
	int rc;

	thread_records(&rs, 5, 2000);
	/* the header (call 1), then blocks 2 and 3 fail; short writes leave debris */
	s.fail_from = 1;
	s.fail_to = 4;
	s.fail_rc = -ENOSPC;
	s.fail_short = 1;
	e = enc_new(&s, 1000);
	for (i = 0; i < rs.n; i++) {
		rc = bin_encode(e, &rs.v[i].r);
		if (rc) {
			CU_ASSERT_EQUAL(rc, -ENOSPC);
			fails++;
		}
	}
	CU_ASSERT_EQUAL(fails, 4);
	CU_ASSERT_EQUAL(bin_flush(e), 0);
	bin_encoder_free(e);
	/* a half-written header, then one whole header and half a block, then blocks */
	CU_ASSERT_EQUAL(decode(s.buf, s.len, &g), 0);
	CU_ASSERT(g.nprob >= 1);
	CU_ASSERT_EQUAL(g.prob[0].kind, BIN_PROBLEM_CORRUPT);
	CU_ASSERT_EQUAL(g.prob[0].offset, 0);
	CU_ASSERT_EQUAL(g.st.torn, 0);
	CHECK_RECS(&rs, &g.recs);
	got_free(&g);
	sink_free(&s);

	/* a write callback's positive return is an error too */
	s.fail_from = 1;
	s.fail_to = 1;
	s.fail_rc = 1;
	e = enc_new(&s, 0);
	CU_ASSERT_EQUAL(bin_encode(e, &rs.v[0].r), 0);
	CU_ASSERT_EQUAL(bin_flush(e), -EIO);
	CU_ASSERT_EQUAL(bin_flush(e), 0);
	bin_encoder_free(e);
	CU_ASSERT_EQUAL(decode(s.buf, s.len, &g), 0);
	CU_ASSERT_EQUAL(g.nprob, 0);
	check_recs_at(&rs, 0, &g.recs, 1, __LINE__);
	got_free(&g);
	sink_free(&s);
	recs_free(&rs);
}

/* With writes failing for good, the open block stops growing at BIN_BLOCK_MAX. */
static void test_enobufs(void)
{
	static char payload[8192];
	struct sink s = {0};
	struct got g = {0};
	struct bin_encoder *e;
	struct log_record r;
	unsigned int i, j, taken = 0;
	int rc = 0;

	s.fail_from = 1;
	s.fail_to = (size_t)-1;
	s.fail_rc = -EIO;
	e = enc_new(&s, 0);
	for (i = 0; i < 4000 && rc != -ENOBUFS; i++) {
		for (j = 0; j < sizeof(payload); j += 4)
			memcpy(payload + j, &i, 4);
		ev_reset(1, 0);
		ev_item(LA_IT_ARGV, 1, 0, payload, sizeof(payload));
		r = mk_event(1, 0, i + 1, NULL, NULL, 0, NULL);
		rc = bin_encode(e, &r);
		if (rc == 0 || rc == -EIO)
			taken++;
	}
	CU_ASSERT_EQUAL(rc, -ENOBUFS);
	CU_ASSERT(taken >= BIN_BLOCK_MAX / (sizeof(payload) + 16));
	CU_ASSERT(taken <= BIN_BLOCK_MAX / sizeof(payload) + 1);
	CU_ASSERT_EQUAL(s.len, 0);
	s.fail_to = 0;
	CU_ASSERT_EQUAL(bin_flush(e), 0);
	bin_encoder_free(e);
	CU_ASSERT_EQUAL(decode(s.buf, s.len, &g), 0);
	CU_ASSERT_EQUAL(g.nprob, 0);
	CU_ASSERT_EQUAL(g.recs.n, taken);
	got_free(&g);
	sink_free(&s);
}

/* A block holds at most THREADS_MAX threads: the next one opens a new block. */
static void test_thread_limit(void)
{
	struct recs rs = {0};
	struct sink s = {0};
	struct got g = {0};
	struct bin_encoder *e;
	unsigned int i;
	int rc;

	for (i = 0; i < THREADS_MAX + 100; i++) {
		ev_reset(100000 + i, 0);
		add_event(&rs, 1700000000, 0, i + 1, "/a", "a", 1, NULL);
	}
	round_trip(&rs, BIN_BLOCK_MAX, __LINE__);
	encode_all(&rs, BIN_BLOCK_MAX, &s);
	CU_ASSERT_EQUAL(decode(s.buf, s.len, &g), 0);
	CU_ASSERT_EQUAL_FATAL(g.nix, 2);
	CU_ASSERT_EQUAL(g.ix[0].records, THREADS_MAX);
	CU_ASSERT_EQUAL(g.ix[1].records, 100);
	got_free(&g);
	sink_free(&s);

	/* with writes failing, the block cannot close: the record is refused */
	s.fail_from = 1;
	s.fail_to = (size_t)-1;
	s.fail_rc = -EIO;
	e = enc_new(&s, BIN_BLOCK_MAX);
	for (i = 0; i < THREADS_MAX; i++)
		CU_ASSERT_EQUAL(bin_encode(e, &rs.v[i].r), 0);
	rc = bin_encode(e, &rs.v[i].r);
	CU_ASSERT_EQUAL(rc, -ENOBUFS);
	CU_ASSERT_EQUAL(e->ix.records, THREADS_MAX);
	s.fail_to = 0;
	CU_ASSERT_EQUAL(bin_encode(e, &rs.v[i].r), 0);
	CU_ASSERT_EQUAL(bin_flush(e), 0);
	bin_encoder_free(e);
	CU_ASSERT_EQUAL(decode(s.buf, s.len, &g), 0);
	CU_ASSERT_EQUAL(g.nprob, 0);
	check_recs_at(&rs, 0, &g.recs, THREADS_MAX + 1, __LINE__);
	got_free(&g);
	sink_free(&s);
	recs_free(&rs);
}

/* ------------------------------------------------------------ golden file */

/* The golden segment's records: a little of everything, in four blocks. */
static void golden_records(struct recs *rs)
{
	static const unsigned char sin[16] = {2, 0, 0x01, 0xbb, 93, 184, 216, 34};
	static const char argv[] = "curl\0-s\0https://example.com/";
	int32_t fds[2] = {3, 4};
	uint32_t argc = 3;
	uint64_t serial = 7000;
	struct la_event *ev;
	unsigned int i;

	add_daemon(rs, 1700000000, 0, 1, "DAEMON_START",
		   "op=start ver=3.0.9 format=binary kernel=6.18.0 auid=4294967295 pid=812 "
		   "uid=0 ses=4294967295 res=success");
	ev = ev_reset(2100, 59);
	ev->ret = 0;
	ev->pid = 2100;
	ev->ppid = 2000;
	memcpy(ev->comm, "curl\0\0", 6);
	ev_item_str(LA_IT_PATH, 0, "/usr/bin/curl");
	ev_item(LA_IT_ARGV, 1, 0, argv, sizeof(argv));
	ev_item(LA_IT_ARGC, 1, 0, &argc, sizeof(argc));
	ev_item_str(LA_IT_EXE, 0, "/usr/bin/curl");
	ev_item(LA_IT_PROCTITLE, 0, 0, argv, sizeof(argv) - 1);
	add_event(rs, 1700000000, 120, serial++, "/usr/bin/curl", argv, sizeof(argv) - 1, "exec");
	ev = ev_reset(2100, 257);
	ev->pid = 2100;
	ev->ppid = 2000;
	memcpy(ev->comm, "curl\0\0", 6);
	ev->args[0] = (uint64_t)-100;
	ev->ret = 3;
	ev_item_str(LA_IT_PATH, 1, "/etc/ssl/certs/ca-certificates.crt");
	add_event(rs, 1700000000, 121, serial++, "/usr/bin/curl", argv, sizeof(argv) - 1, NULL);
	for (i = 0; i < 6; i++) {
		ev = ev_reset(2100 + i % 2, i % 2);
		ev->pid = 2100;
		ev->ppid = 2000;
		memcpy(ev->comm, "curl\0\0", 6);
		ev->ts_enter += i * 1000;
		ev->ts_exit += i * 1100;
		add_event(rs, 1700000000, 122, serial++, "/usr/bin/curl", argv, sizeof(argv) - 1,
			  NULL);
	}
	ev = ev_reset(2101, 42);
	ev->pid = 2100;
	ev->ret = -115;
	ev_item(LA_IT_SOCKADDR, 1, 0, sin, sizeof(sin));
	add_event(rs, 1700000000, 130, serial++, "/usr/bin/curl", argv, sizeof(argv) - 1, "net");
	ev = ev_reset(2200, 293);
	ev->ret = 0;
	ev_item(LA_IT_FDS, 0, 0, fds, sizeof(fds));
	add_event(rs, 1700000000, 131, serial++, NULL, NULL, 0, NULL);
	ev = ev_reset(2100, 231);
	ev->pid = 2100;
	ev->flags = LA_F_NORETURN;
	ev->ret = 0;
	add_event(rs, 1700000001, 0, serial++, "/usr/bin/curl", argv, sizeof(argv) - 1, NULL);
	add_daemon(rs, 1700000002, 500, 2, "DAEMON_END",
		   "op=terminate auid=0 uid=0 ses=4294967295 pid=1 res=success");
}

struct strbuf {
	char *p;
	size_t len, cap;
};

static void sb_add(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_add(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	while (b->cap - b->len < (size_t)n + 1) {
		b->cap = b->cap ? b->cap * 2 : 4096;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, n + 1, fmt, ap);
	va_end(ap);
	b->len += n;
}

static void sb_hex(struct strbuf *b, const void *p, size_t len)
{
	const unsigned char *u = p;
	size_t i;

	if (!p) {
		sb_add(b, "(null)");
		return;
	}
	sb_add(b, "[%zu]", len);
	for (i = 0; i < len; i++)
		sb_add(b, "%02x", u[i]);
}

/* Every field of @r, one line per record and per item. */
static void dump_fields(struct strbuf *b, const struct log_record *r)
{
	const struct la_event *ev = r->ev;
	const char *p;
	uint32_t i;

	if (r->kind == LOG_REC_DAEMON) {
		sb_add(b, "daemon %llu.%u:%llu type=%s fields=%s\n",
		       (unsigned long long)r->stamp.sec, r->stamp.msec,
		       (unsigned long long)r->stamp.serial, r->type, r->fields);
		return;
	}
	sb_add(b,
	       "event %llu.%u:%llu size=%u kind=%u flags=%u nr=%d cpu=%u ts_enter=%llu "
	       "ts_exit=%llu args=%llx,%llx,%llx,%llx,%llx,%llx ret=%lld cgroup_id=%llu "
	       "exec_id=%llu tid=%u pid=%u ppid=%u auid=%u uid=%u gid=%u euid=%u suid=%u "
	       "fsuid=%u egid=%u sgid=%u fsgid=%u ses=%u nitems=%u comm=",
	       (unsigned long long)r->stamp.sec, r->stamp.msec, (unsigned long long)r->stamp.serial,
	       ev->size, ev->kind, ev->flags, ev->nr, ev->cpu, ev->ts_enter, ev->ts_exit,
	       ev->args[0], ev->args[1], ev->args[2], ev->args[3], ev->args[4], ev->args[5],
	       ev->ret, ev->cgroup_id, ev->exec_id, ev->tid, ev->pid, ev->ppid, ev->auid, ev->uid,
	       ev->gid, ev->euid, ev->suid, ev->fsuid, ev->egid, ev->sgid, ev->fsgid, ev->ses,
	       ev->nitems);
	sb_hex(b, ev->comm, sizeof(ev->comm));
	sb_add(b, " tty=");
	sb_hex(b, ev->tty, sizeof(ev->tty));
	sb_add(b, " exe=");
	sb_hex(b, r->ident.exe, r->ident.exe_len);
	sb_add(b, " title=");
	sb_hex(b, r->ident.title, r->ident.title_len);
	sb_add(b, " key=");
	sb_hex(b, r->key, r->key ? strlen(r->key) : 0);
	sb_add(b, "\n");
	p = (const char *)(ev + 1);
	for (i = 0; i < ev->nitems; i++) {
		const struct la_item *it = (const void *)p;

		sb_add(b, "  item kind=%u arg=%u flags=%u len=%u payload=", it->kind, it->arg,
		       it->flags, it->len);
		sb_hex(b, it + 1, it->len);
		sb_add(b, "\n");
		p += sizeof(*it) + LA_ALIGN(it->len);
	}
}

/* RAW text, and the field dump, of @rs. */
static void render(const struct recs *rs, struct strbuf *text, struct strbuf *fields)
{
	static char t[TEXT_EVENT_MAX];
	size_t i;
	int n;

	for (i = 0; i < rs->n; i++) {
		const struct log_record *r = &rs->v[i].r;

		if (r->kind == LOG_REC_EVENT)
			n = text_encode_event(t, sizeof(t), r->ev, &r->stamp, &r->ident, r->key,
					      NULL);
		else
			n = text_encode_daemon(t, sizeof(t), r->type, &r->stamp, r->fields, NULL);
		if (n < 0)
			abort();
		sb_add(text, "%.*s", n, t);
		dump_fields(fields, r);
	}
}

static char *read_file(const char *dir, const char *name, size_t *len)
{
	char path[4096];
	FILE *f;
	char *p;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc(n ? n : 1);
	if (!p || fread(p, 1, n, f) != (size_t)n) {
		free(p);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = n;
	return p;
}

static int write_file(const char *dir, const char *name, const void *p, size_t len)
{
	char path[4096];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return -1;
	ok = fwrite(p, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

#define GOLDEN_BLOCK 200

/*
 * A checked-in segment of format @version decodes to the checked-in text and
 * fields: version 2 as this encoder writes it, version 1 as the previous one did.
 */
static void golden_check(const char *name, unsigned int version)
{
	struct strbuf text = {0}, fields = {0}, wtext = {0}, wfields = {0};
	size_t bin_len = 0, txt_len = 0, fld_len = 0;
	char *bin = read_file(g_datadir, name, &bin_len);
	char *txt = read_file(g_datadir, "golden.txt", &txt_len);
	char *fld = read_file(g_datadir, "golden.fields", &fld_len);
	struct recs rs = {0};
	struct got g = {0};

	CU_ASSERT_PTR_NOT_NULL_FATAL(bin);
	CU_ASSERT_PTR_NOT_NULL_FATAL(txt);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fld);
	CU_ASSERT_EQUAL(decode(bin, bin_len, &g), 0);
	CU_ASSERT_EQUAL(g.nprob, 0);
	CU_ASSERT_EQUAL(g.nseg, 1);
	CU_ASSERT_EQUAL(g.seg[0].version, version);
	CU_ASSERT_EQUAL(g.st.blocks, 4);
	CU_ASSERT_EQUAL(g.nfilters, version >= 2 ? 4 : 0);
	CU_ASSERT_STRING_EQUAL(g.seg[0].host, "host1");
	render(&g.recs, &text, &fields);
	CU_ASSERT_EQUAL(text.len, txt_len);
	CU_ASSERT(text.len == txt_len && !memcmp(text.p, txt, txt_len));
	CU_ASSERT_EQUAL(fields.len, fld_len);
	CU_ASSERT(fields.len == fld_len && !memcmp(fields.p, fld, fld_len));
	/* and the records it was made from are what it holds */
	golden_records(&rs);
	CHECK_RECS(&rs, &g.recs);
	render(&rs, &wtext, &wfields);
	CU_ASSERT(wtext.len == txt_len && !memcmp(wtext.p, txt, txt_len));
	recs_free(&rs);
	got_free(&g);
	free(text.p);
	free(fields.p);
	free(wtext.p);
	free(wfields.p);
	free(bin);
	free(txt);
	free(fld);
}

static void test_golden(void)
{
	struct recs rs = {0};
	struct sink s = {0};
	size_t len = 0;
	char *bin = read_file(g_datadir, "golden.bin", &len);

	golden_check("golden.bin", BIN_VERSION_PLAIN);
	golden_check("golden-v1.bin", 1);
	/* the encoder writes the checked-in segment byte for byte */
	golden_records(&rs);
	encode_all(&rs, GOLDEN_BLOCK, &s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(bin);
	CU_ASSERT(s.len == len && !memcmp(s.buf, bin, len));
	sink_free(&s);
	recs_free(&rs);
	free(bin);
}

static const char *g_golden_out;

/* --write-golden: run as a test, so that the helpers' assertions work. */
static void write_golden(void)
{
	const char *dir = g_golden_out;
	struct strbuf text = {0}, fields = {0};
	struct recs rs = {0};
	struct sink s = {0};

	golden_records(&rs);
	encode_all(&rs, GOLDEN_BLOCK, &s);
	render(&rs, &text, &fields);
	CU_ASSERT_EQUAL(write_file(dir, "golden.bin", s.buf, s.len), 0);
	CU_ASSERT_EQUAL(write_file(dir, "golden.txt", text.p, text.len), 0);
	CU_ASSERT_EQUAL(write_file(dir, "golden.fields", fields.p, fields.len), 0);
	printf("%s: golden.bin %zu bytes in %zu blocks, %zu records\n", dir, s.len, s.nunits - 1,
	       rs.n);
	free(text.p);
	free(fields.p);
	sink_free(&s);
	recs_free(&rs);
}

static const char *g_corpus_out;

static void write_seed(const char *name, char mode, const void *p, size_t len)
{
	char *b = malloc(len + 1);
	size_t n = 0;

	if (!b)
		abort();
	if (mode)
		b[n++] = mode;
	memcpy(b + n, p, len);
	CU_ASSERT_EQUAL(write_file(g_corpus_out, name, b, n + len), 0);
	free(b);
}

/*
 * --write-corpus: seed inputs for tests/fuzz/binary_fuzz.c: segments as they are,
 * with 'R' (checksums recomputed after mutation), and blocks' records with 'W'.
 */
static void write_corpus(void)
{
	struct recs rs = {0};
	struct sink s = {0};
	struct bin_encoder *e;
	size_t i;

	kinds_records(&rs);
	encode_all(&rs, 300, &s);
	write_seed("seg-kinds", 0, s.buf, s.len);
	write_seed("reseal-kinds", 'R', s.buf, s.len);
	/* the records of the first block, bare */
	write_seed("wrap-kinds", 'W', s.buf + s.units[0] + BLK_HEAD + get16(s.buf + s.units[0] + 4),
		   get32(s.buf + s.units[0] + 8));
	write_seed("torn-kinds", 0, s.buf, s.len - 7);
	sink_free(&s);
	recs_free(&rs);

	thread_records(&rs, 20, 300);
	encode_all(&rs, 2000, &s);
	write_seed("seg-threads", 0, s.buf, s.len);
	write_seed("reseal-threads", 'R', s.buf, s.len);
	write_seed("wrap-threads", 'W',
		   s.buf + s.units[0] + BLK_HEAD + get16(s.buf + s.units[0] + 4),
		   get32(s.buf + s.units[0] + 8));
	sink_free(&s);
	recs_free(&rs);

	golden_records(&rs);
	e = enc_new(&s, 400);
	for (i = 0; i < rs.n; i++) {
		CU_ASSERT_EQUAL(bin_encode(e, &rs.v[i].r), 0);
		if (i == 6)
			CU_ASSERT_EQUAL(bin_segment(e), 0);
	}
	CU_ASSERT_EQUAL(bin_flush(e), 0);
	bin_encoder_free(e);
	write_seed("two-segments", 0, s.buf, s.len);
	write_seed("reseal-two-segments", 'R', s.buf, s.len);
	sink_free(&s);
	recs_free(&rs);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		CU_TestFunc fn;
	} tests[] = {
		{"varint", test_varint},
		{"round trip: every record kind", test_round_trip_kinds},
		{"round trip: maximum-size items", test_round_trip_max},
		{"round trip: interleaved threads, many blocks", test_round_trip_threads},
		{"record bytes", test_record_bytes},
		{"rdwr records are compact", test_compact},
		{"block index", test_index},
		{"segment header and rotation", test_segment_header},
		{"torn tail at every offset", test_torn_tail},
		{"torn tail reasons", test_torn_reasons},
		{"flipped byte: segment header", test_flip_segment_header},
		{"flipped byte: first block", test_flip_first_block},
		{"flipped byte: middle block", test_flip_middle_block},
		{"flipped byte: last block", test_flip_last_block},
		{"resync after garbage and restarts", test_resync},
		{"undecodable records", test_bad_records},
		{"bad index", test_bad_index},
		{"unknown version", test_version},
		{"block filter", test_filter},
		{"block filter values", test_filter_values},
		{"block filter absent", test_filter_absent},
		{"block filter and version", test_filter_version},
		{"stop from the record callback", test_stop},
		{"API errors", test_api_errors},
		{"write errors lose nothing", test_write_errors},
		{"ENOBUFS when writes keep failing", test_enobufs},
		{"threads per block", test_thread_limit},
		{"golden file", test_golden},
	};
	CU_pSuite suite;
	unsigned int failed;
	size_t i;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	suite = CU_add_suite("binary", NULL, NULL);
	if (!suite)
		return 1;
	if (argc == 3 && !strcmp(argv[1], "--write-golden")) {
		g_golden_out = argv[2];
		if (!CU_add_test(suite, "write golden files", write_golden))
			return 1;
	} else if (argc == 3 && !strcmp(argv[1], "--write-corpus")) {
		g_corpus_out = argv[2];
		if (!CU_add_test(suite, "write fuzz corpus", write_corpus))
			return 1;
	} else {
		if (argc == 2)
			g_datadir = argv[1];
		for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
			if (!CU_add_test(suite, tests[i].name, tests[i].fn))
				return 1;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
