/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * binary_size: bytes per event of the binary log for the rdwr workload, before and
 * after lz4, and the encoder's rate.
 *
 * Synthesises what lauditd's writer hands the encoder for bench/rdwr.c: one process
 * alternating read(3, buf, 64) and write(4, buf, 64), records about 1 us apart with
 * jitter, exe and proctitle items on the first record only (as the eBPF side sends
 * them), identity resolved on every record.  Encodes them into one segment, then
 * compresses the segment with LZ4F_compressFrame() and default preferences, as
 * rotation does.  Decodes the segment back to check it, and counts the bytes of
 * the blocks' filters (keys, exes, names, user ids), part of the segment's.
 * Then the segment goes through the hash chain as the writer thread lays it out
 * (a link after each unit, a signed seal at the end: format version 3), and is
 * verified: the chain's bytes per event and both rates.
 *
 * usage: binary_size [events]     (default 1000000)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lz4frame.h>

#include "formats/binary.h"
#include "logger/bin_chain.h"

struct sink {
	unsigned char *buf;
	size_t len, cap;
};

static int sink_write(void *arg, const void *buf, size_t len)
{
	struct sink *s = arg;

	if (s->cap - s->len < len) {
		size_t cap = s->cap ? s->cap : 1 << 20;
		unsigned char *p;

		while (cap - s->len < len)
			cap *= 2;
		p = realloc(s->buf, cap);
		if (!p)
			return -ENOMEM;
		s->buf = p;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, buf, len);
	s->len += len;
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char exe[] = "/usr/local/bin/rdwr";
static const char title[] = "rdwr\0"
			    "1000000\0"
			    "1";

/* Append an item to the record at @ev. */
static void add_item(struct la_event *ev, unsigned int kind, const char *s, size_t len)
{
	struct la_item *it = (struct la_item *)((char *)ev + ev->size);

	memset(it, 0, sizeof(*it) + LA_ALIGN(len));
	it->kind = kind;
	it->len = len;
	memcpy(it + 1, s, len);
	ev->size += sizeof(*it) + LA_ALIGN(len);
	ev->nitems++;
}

struct gen {
	union {
		struct la_event ev;
		char buf[1024];
	} u;
	uint64_t ts;
	uint64_t serial;
	long i;
	uint32_t rng;
};

/* A small LCG: the same records on every run. */
static uint32_t jitter(struct gen *g, uint32_t span)
{
	g->rng = g->rng * 1103515245 + 12345;
	return (g->rng >> 16) % span;
}

/* The next rdwr record, as the writer would hand it to the encoder. */
static void gen_next(struct gen *g, struct log_record *r)
{
	struct la_event *ev = &g->u.ev;
	uint64_t wall;

	memset(ev, 0, sizeof(*ev));
	ev->size = sizeof(*ev);
	ev->kind = LA_EV_SYSCALL;
	ev->nr = g->i & 1; /* read, write */
	ev->cpu = 1;
	/* about 1 us per syscall: ~350 ns in user space, ~650 ns in the kernel */
	ev->ts_enter = g->ts + 300 + jitter(g, 100);
	ev->ts_exit = ev->ts_enter + 600 + jitter(g, 100);
	g->ts = ev->ts_exit;
	ev->args[0] = ev->nr ? 4 : 3;
	ev->args[1] = 0x7ffd4c2a1e30;
	ev->args[2] = 64;
	ev->args[3] = 0x7ffd4c2a1f90;
	ev->ret = 64;
	ev->cgroup_id = 0x2a1f;
	ev->exec_id = 3;
	ev->tid = ev->pid = 31337;
	ev->ppid = 31000;
	ev->auid = ev->uid = ev->gid = ev->euid = ev->suid = ev->fsuid = 1000;
	ev->egid = ev->sgid = ev->fsgid = 1000;
	ev->ses = 4;
	memcpy(ev->comm, "rdwr", 4);
	memcpy(ev->tty, "pts0", 4);
	if (g->i == 0) {
		add_item(ev, LA_IT_EXE, exe, sizeof(exe) - 1);
		add_item(ev, LA_IT_PROCTITLE, title, sizeof(title));
	}
	memset(r, 0, sizeof(*r));
	r->kind = LOG_REC_EVENT;
	r->ev = ev;
	/* the writer's wall clock: boot time plus CLOCK_BOOTTIME */
	wall = 1700000000000000000ULL + ev->ts_exit;
	r->stamp.sec = wall / 1000000000;
	r->stamp.msec = wall / 1000000 % 1000;
	r->stamp.serial = ++g->serial;
	r->ident.exe = exe;
	r->ident.exe_len = sizeof(exe) - 1;
	r->ident.title = title;
	r->ident.title_len = sizeof(title);
	g->i++;
}

/* The records, made before the clock starts: the encoder alone is timed. */
struct input {
	struct la_event *ev; /* events after the first: header only */
	struct text_stamp *st;
	char first[1024]; /* the first event, with its items */
	long n;
};

static struct input *input_new(long n)
{
	struct input *in = calloc(1, sizeof(*in));
	struct gen *g = calloc(1, sizeof(*g));
	struct log_record r;
	long i;

	if (!in || !g)
		return NULL;
	in->ev = malloc(n * sizeof(*in->ev));
	in->st = malloc(n * sizeof(*in->st));
	if (!in->ev || !in->st)
		return NULL;
	in->n = n;
	for (i = 0; i < n; i++) {
		gen_next(g, &r);
		if (i == 0)
			memcpy(in->first, r.ev, r.ev->size);
		memcpy(&in->ev[i], r.ev, sizeof(*r.ev));
		in->st[i] = r.stamp;
	}
	free(g);
	return in;
}

static void input_record(const struct input *in, long i, struct log_record *r)
{
	memset(r, 0, sizeof(*r));
	r->kind = LOG_REC_EVENT;
	r->ev = i ? &in->ev[i] : (const struct la_event *)in->first;
	r->stamp = in->st[i];
	r->ident.exe = exe;
	r->ident.exe_len = sizeof(exe) - 1;
	r->ident.title = title;
	r->ident.title_len = sizeof(title);
}

struct check {
	const struct input *in;
	long n;
	long bad;
	size_t blocks, filter_bytes;
};

static int count_filter(void *arg, const struct bin_block_index *ix)
{
	struct check *c = arg;

	c->blocks++;
	/* k, flags, reserved, then the bits */
	if (ix->filter)
		c->filter_bytes += 4 + ix->filter_bits / 8;
	return 1;
}

static int check_record(void *arg, const struct log_record *r)
{
	struct check *c = arg;
	struct log_record want;

	if (c->n >= c->in->n) {
		c->bad++;
		return 0;
	}
	input_record(c->in, c->n, &want);
	if (r->ev->size != want.ev->size || memcmp(r->ev, want.ev, want.ev->size) ||
	    r->stamp.sec != want.stamp.sec || r->stamp.msec != want.stamp.msec ||
	    r->stamp.serial != want.stamp.serial || r->ident.exe_len != want.ident.exe_len ||
	    memcmp(r->ident.exe, want.ident.exe, want.ident.exe_len) ||
	    r->ident.title_len != want.ident.title_len ||
	    memcmp(r->ident.title, want.ident.title, want.ident.title_len) || r->key)
		c->bad++;
	c->n++;
	return 0;
}

/* The segment @s through the hash chain, signed and verified: its cost. */
static int chain_pass(const struct sink *s, long n)
{
	static const uint8_t key[BIN_CHAIN_KEY] = {1};
	uint8_t link[BIN_CHAIN_LINK_MAX], seal[BIN_CHAIN_SEAL];
	struct bin_chain *c = bin_chain_new(NULL, 0, key);
	struct bin_verify_result vr;
	struct sink out = {0};
	struct bin_verify *v;
	size_t off = 0, k, l, zlen;
	double t0, t1, t2;
	void *z;

	if (!c)
		return 1;
	/* room for it all, touched: the rate is the chain's, not the allocator's */
	out.cap = s->len + s->len / 64 + 4096;
	out.buf = malloc(out.cap);
	if (!out.buf)
		return 1;
	memset(out.buf, 0, out.cap);
	t0 = now();
	/* in the writer's chunks of at most 1 MiB */
	while (off < s->len) {
		k = s->len - off < (1 << 20) ? s->len - off : (1 << 20);
		k = bin_chain_feed(c, s->buf + off, k, link, &l);
		sink_write(&out, s->buf + off, k);
		if (l)
			sink_write(&out, link, l);
		off += k;
	}
	if (bin_chain_seal(c, 0, seal))
		return 1;
	sink_write(&out, seal, sizeof(seal));
	t1 = now();
	bin_chain_free(c);
	v = bin_verify_new(NULL);
	if (!v)
		return 1;
	bin_verify_file(v, out.buf, out.len);
	bin_verify_end(v, &vr);
	bin_verify_free(v);
	t2 = now();
	if (!vr.intact) {
		fprintf(stderr, "chain check failed at %llu: %s\n", (unsigned long long)vr.offset,
			vr.what);
		return 1;
	}
	z = malloc(LZ4F_compressFrameBound(out.len, NULL));
	if (!z)
		return 1;
	zlen = LZ4F_compressFrame(z, LZ4F_compressFrameBound(out.len, NULL), out.buf, out.len,
				  NULL);
	printf("hash chain:         %zu bytes more (%.3f bytes/event), %zu after lz4 (%.2f "
	       "bytes/event)\n",
	       out.len - s->len, (double)(out.len - s->len) / n, zlen, (double)zlen / n);
	printf("chain rate:         %.0f MB/s linked, %.0f MB/s verified\n",
	       out.len / (t1 - t0) / 1e6, out.len / (t2 - t1) / 1e6);
	free(z);
	free(out.buf);
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000, i;
	struct bin_encoder_opts o = {"bench-host", "6c1d5a0e-2f0b-4c8e-9a57-3d2f1b0c9e11",
				     "6.18.0",	   0,
				     sink_write,   NULL};
	struct bin_decode_ops ops = {.record = check_record, .filter = count_filter};
	struct check c = {0};
	struct sink s = {0};
	struct bin_encoder *e;
	struct log_record r;
	struct input *in;
	size_t bound, zlen;
	double t0, t1, t2, t3;
	void *z;
	int rc;

	if (n <= 0)
		return 1;
	in = input_new(n);
	if (!in) {
		perror("binary_size");
		return 1;
	}
	o.write_arg = &s;
	e = bin_encoder_new(&o);
	if (!e) {
		perror("bin_encoder_new");
		return 1;
	}
	bin_encoder_chained(e);
	t0 = now();
	for (i = 0; i < n; i++) {
		input_record(in, i, &r);
		rc = bin_encode(e, &r);
		if (rc) {
			fprintf(stderr, "bin_encode: %s\n", strerror(-rc));
			return 1;
		}
	}
	rc = bin_flush(e);
	t1 = now();
	if (rc) {
		fprintf(stderr, "bin_flush: %s\n", strerror(-rc));
		return 1;
	}
	bound = LZ4F_compressFrameBound(s.len, NULL);
	z = malloc(bound);
	if (!z)
		return 1;
	zlen = LZ4F_compressFrame(z, bound, s.buf, s.len, NULL);
	if (LZ4F_isError(zlen)) {
		fprintf(stderr, "LZ4F_compressFrame: %s\n", LZ4F_getErrorName(zlen));
		return 1;
	}
	c.in = in;
	t2 = now();
	rc = bin_decode(s.buf, s.len, &ops, &c, NULL);
	t3 = now();
	if (rc || c.n != n || c.bad) {
		fprintf(stderr, "decode check failed: rc %d, %ld records, %ld differ\n", rc, c.n,
			c.bad);
		return 1;
	}
	printf("rdwr events:        %ld\n", n);
	printf("segment bytes:      %zu (%.2f bytes/event)\n", s.len, (double)s.len / n);
	printf("after lz4 (frame):  %zu (%.2f bytes/event)\n", zlen, (double)zlen / n);
	printf("block filters:      %zu in %zu blocks (%.3f bytes/event)\n", c.filter_bytes,
	       c.blocks, (double)c.filter_bytes / n);
	printf("encode rate:        %.1f M events/s (%.0f ns/event)\n", n / (t1 - t0) / 1e6,
	       (t1 - t0) * 1e9 / n);
	printf("decode rate:        %.1f M events/s (with a field-by-field check)\n",
	       n / (t3 - t2) / 1e6);
	rc = chain_pass(&s, n);
	bin_encoder_free(e);
	free(s.buf);
	free(z);
	free(in->ev);
	free(in->st);
	free(in);
	return 0;
}
