// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target for the binary log decoder (formats/binary_dec.c).
 *
 * The first byte of an input picks how the rest is fed to bin_decode():
 *   'W'  the rest is one block's records: wrapped in a segment header and a block
 *        header with good checksums, so that the record decoder sees it;
 *   'R'  the rest is a segment whose block checksums are recomputed first, so
 *        that mutated segments get past them;
 *   else the whole input, as it is.
 * Whatever decodes must be a well-formed record whose text can be written, and
 * must come back identical when encoded again and decoded again.  Any other
 * outcome aborts.
 *
 * Build: clang -fsanitize=fuzzer,address,undefined (tests/fuzz/fuzz.mk); the same
 * file links with tests/fuzz/replay.c to run the corpus as an ordinary test.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "formats/binary.h"
#include "formats/wire.h"
#include "formats/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* FORMAT.md: block header and index sizes */
#define BLK_HEAD  24
#define INDEX_LEN 112

struct rec {
	struct log_record r;
	char *ev, *exe, *title, *key, *type, *fields;
};

struct recs {
	struct rec *v;
	size_t n, cap;
	size_t input_len;
};

static char *dup_mem(const void *s, size_t len)
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

static char g_text[TEXT_EVENT_MAX];

static int on_record(void *arg, const struct log_record *r)
{
	struct recs *rs = arg;
	struct rec *c;
	int n;

	if (r->kind == LOG_REC_EVENT) {
		if (!r->ev || wire_check(r->ev, r->ev->size) || r->type || r->fields)
			abort();
		n = text_encode_event(g_text, sizeof(g_text), r->ev, &r->stamp, &r->ident, r->key,
				      NULL);
	} else if (r->kind == LOG_REC_DAEMON) {
		if (!r->type || !r->fields || r->ev)
			abort();
		n = text_encode_daemon(g_text, sizeof(g_text), r->type, &r->stamp, r->fields, NULL);
	} else {
		abort();
	}
	if (n <= 0 && n != -ENOSPC)
		abort();
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 16;
		rs->v = realloc(rs->v, rs->cap * sizeof(*rs->v));
		if (!rs->v)
			abort();
	}
	c = &rs->v[rs->n++];
	memset(c, 0, sizeof(*c));
	c->r = *r;
	if (r->kind == LOG_REC_EVENT) {
		c->r.ev = (const void *)(c->ev = dup_mem(r->ev, r->ev->size));
		c->r.ident.exe = c->exe = dup_mem(r->ident.exe, r->ident.exe_len);
		c->r.ident.title = c->title = dup_mem(r->ident.title, r->ident.title_len);
		c->r.key = c->key = r->key ? dup_mem(r->key, strlen(r->key)) : NULL;
	} else {
		c->r.type = c->type = dup_mem(r->type, strlen(r->type));
		c->r.fields = c->fields = dup_mem(r->fields, strlen(r->fields));
	}
	return 0;
}

static void on_problem(void *arg, const struct bin_problem *p)
{
	const struct recs *rs = arg;

	if (!p->reason || p->offset > rs->input_len || p->length > rs->input_len - p->offset)
		abort();
}

static int on_block(void *arg, const struct bin_block_index *ix)
{
	const struct recs *rs = arg;

	if (ix->offset > rs->input_len || ix->length > rs->input_len - ix->offset)
		abort();
	/* the filter is read within the index whatever its bytes */
	if (bin_index_may_have_id(ix, BIN_FILTER_UID, 0) < 0 ||
	    bin_index_may_have_substr(ix, BIN_FILTER_NAME, "/etc/passwd", 11) < 0)
		abort();
	return 1;
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
}

static int same_mem(const char *a, size_t alen, const char *b, size_t blen)
{
	if (!a || !b)
		return !a && !b;
	return alen == blen && !memcmp(a, b, alen);
}

static int same_rec(const struct log_record *a, const struct log_record *b)
{
	if (a->kind != b->kind || a->stamp.sec != b->stamp.sec || a->stamp.msec != b->stamp.msec ||
	    a->stamp.serial != b->stamp.serial)
		return 0;
	if (a->kind == LOG_REC_DAEMON)
		return !strcmp(a->type, b->type) && !strcmp(a->fields, b->fields);
	/* decoded events have zeroed padding: all their bytes compare */
	return a->ev->size == b->ev->size && !memcmp(a->ev, b->ev, a->ev->size) &&
	       same_mem(a->ident.exe, a->ident.exe_len, b->ident.exe, b->ident.exe_len) &&
	       same_mem(a->ident.title, a->ident.title_len, b->ident.title, b->ident.title_len) &&
	       same_mem(a->key, a->key ? strlen(a->key) : 0, b->key, b->key ? strlen(b->key) : 0);
}

struct sink {
	uint8_t *buf;
	size_t len, cap;
};

static int sink_write(void *arg, const void *buf, size_t len)
{
	struct sink *s = arg;

	if (s->cap - s->len < len) {
		while (s->cap - s->len < len)
			s->cap = s->cap ? s->cap * 2 : 4096;
		s->buf = realloc(s->buf, s->cap);
		if (!s->buf)
			abort();
	}
	memcpy(s->buf + s->len, buf, len);
	s->len += len;
	return 0;
}

/* Encode @rs again, decode that, and expect the same records and no problem. */
static void round_trip(const struct recs *rs)
{
	struct bin_encoder_opts o = {"h", "b", "k", 512, sink_write, NULL};
	struct bin_decode_ops ops = {on_record, on_block, on_problem, NULL};
	struct recs again = {0};
	struct bin_decode_stats st;
	struct sink s = {0};
	struct bin_encoder *e;
	size_t i;

	o.write_arg = &s;
	e = bin_encoder_new(&o);
	if (!e)
		abort();
	for (i = 0; i < rs->n; i++)
		if (bin_encode(e, &rs->v[i].r))
			abort();
	if (bin_flush(e))
		abort();
	bin_encoder_free(e);
	again.input_len = s.len;
	if (bin_decode(s.buf, s.len, &ops, &again, &st) || st.corrupt || st.torn ||
	    again.n != rs->n)
		abort();
	for (i = 0; i < rs->n; i++)
		if (!same_rec(&rs->v[i].r, &again.v[i].r))
			abort();
	recs_free(&again);
	free(s.buf);
}

static void le16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void le32(uint8_t *p, uint32_t v)
{
	le16(p, v);
	le16(p + 2, v >> 16);
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void seal_block(uint8_t *b)
{
	uint32_t ilen = b[4] | b[5] << 8, dlen = get32(b + 8);

	le32(b + 12, crc32(0, b + BLK_HEAD + ilen, dlen));
	le32(b + 16, crc32(0, b + BLK_HEAD, ilen));
	le32(b + 20, crc32(0, b, 20));
}

/* 'W': a segment header, then @data as the records of one block. */
static uint8_t *wrap(const uint8_t *data, size_t size, size_t *len)
{
	/* magic, version 1, body of 6 bytes (three empty strings), CRCs set below */
	static const char seg[] = "\x89LAB\r\n\x1a\n\x01\x00\x00\x00\x06\x00\x00\x00"
				  "\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
	const size_t seg_len = sizeof(seg) - 1;
	uint8_t *b = calloc(1, seg_len + BLK_HEAD + INDEX_LEN + size + 1);
	uint8_t *blk = b + seg_len;

	if (!b)
		abort();
	memcpy(b, seg, seg_len);
	le32(b + 16, crc32(0, b + 24, 6));
	le32(b + 20, crc32(0, b, 20));
	memcpy(blk, "\xb1LBK", 4);
	le16(blk + 4, INDEX_LEN);
	le32(blk + 8, size);
	memcpy(blk + BLK_HEAD + INDEX_LEN, data, size);
	seal_block(blk);
	*len = seg_len + BLK_HEAD + INDEX_LEN + size;
	return b;
}

/* 'R': a copy of @data with every block that fits given good checksums. */
static uint8_t *reseal(const uint8_t *data, size_t size)
{
	uint8_t *b = malloc(size ? size : 1);
	size_t off = 0;

	if (!b)
		abort();
	memcpy(b, data, size);
	while (off + BLK_HEAD <= size) {
		uint8_t *p = b + off;
		uint64_t total;

		if (memcmp(p, "\xb1LBK", 4)) {
			off++;
			continue;
		}
		total = BLK_HEAD + (uint64_t)(p[4] | p[5] << 8) + get32(p + 8);
		if (total > size - off) {
			off++;
			continue;
		}
		seal_block(p);
		off += total;
	}
	return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bin_decode_ops ops = {on_record, on_block, on_problem, NULL};
	struct bin_decode_stats st;
	struct recs rs = {0};
	uint8_t *in;
	size_t len;

	if (size && data[0] == 'W') {
		in = wrap(data + 1, size - 1, &len);
	} else if (size && data[0] == 'R') {
		len = size - 1;
		in = reseal(data + 1, len);
	} else {
		len = size;
		in = malloc(len ? len : 1);
		if (!in)
			abort();
		memcpy(in, data, len);
	}
	rs.input_len = len;
	if (bin_decode(in, len, &ops, &rs, &st))
		abort();
	if (st.records != rs.n || st.bytes_lost > len)
		abort();
	round_trip(&rs);
	recs_free(&rs);
	free(in);
	return 0;
}
