/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * logger/search_pool.c: the golden segment's blocks decoded by 0, 1 and 3 worker
 * threads come back in the log's order, record for record as bin_decode() gives
 * them; a nonzero return of use() stops at once and is returned; a damaged block
 * is reported where bin_decode() reports it, as damage, not as a torn tail; a text
 * written at search_batch_room() is kept where it was written, and a text whose
 * buffer use() holds stays whole while later blocks are decoded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "logger/search_pool.c"
#include "tests/unit/unit.h"

#define MAX_GOT 256

struct run {
	struct search_pool *pool;
	const void *base;
	int stop;
	int stop_at; /* use() returns 7 at this entry; 0: never */
	int n;
	uint64_t serial[MAX_GOT];
	int nprob;
	struct bin_problem prob;
	int keep; /* texts: each record's serial, written in place and held */
	const char *kept[MAX_GOT];
	struct search_text *owner[MAX_GOT];
};

static unsigned char *golden(size_t *len)
{
	FILE *f = fopen("tests/data/binary/golden.bin", "rb");
	unsigned char *buf = malloc(1 << 20);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

static int ref_record(void *arg, const struct log_record *r)
{
	struct run *g = arg;

	if (g->n < MAX_GOT)
		g->serial[g->n++] = r->stamp.serial;
	return 0;
}

static void ref_problem(void *arg, const struct bin_problem *p)
{
	struct run *g = arg;

	if (!g->nprob++)
		g->prob = *p;
}

static int pool_record(void *arg, struct search_batch *b, const struct log_record *r)
{
	const struct run *g = arg;
	char *room;

	if (g->keep) {
		room = search_batch_room(b, 32);
		CU_ASSERT_PTR_NOT_NULL_FATAL(room);
		/* "x" and the serial, in 16 bytes */
		snprintf(room, 32, "x%015llu", (unsigned long long)r->stamp.serial);
		return search_batch_add(b, room, 16, &r->stamp, 0);
	}
	return search_batch_add(b, "x", 1, &r->stamp, r->kind == LOG_REC_DAEMON ? SEARCH_E_ONE : 0);
}

static int pool_use(void *arg, const struct search_entry *e, const char *text,
		    struct search_text *owner)
{
	struct run *g = arg;

	CU_ASSERT_EQUAL(e->len, g->keep ? 16 : 1);
	CU_ASSERT_PTR_NOT_NULL(text);
	CU_ASSERT_PTR_NOT_NULL(owner);
	CU_ASSERT_EQUAL(text ? text[0] : 0, 'x');
	CU_ASSERT_PTR_EQUAL(text, owner->buf + e->off);
	if (g->keep && g->n < MAX_GOT) {
		search_text_ref(owner);
		g->owner[g->n] = owner;
		g->kept[g->n] = text;
	}
	if (g->n < MAX_GOT)
		g->serial[g->n++] = e->serial;
	return g->stop_at && g->n == g->stop_at ? 7 : 0;
}

static int on_block(void *arg, const struct bin_block_index *ix)
{
	struct run *g = arg;

	if (g->stop)
		return 1;
	g->stop = search_pool_block(g->pool, g->base, ix);
	return !!g->stop;
}

static int on_stop(void *arg, const struct log_record *r)
{
	(void)r;
	return ((struct run *)arg)->stop;
}

/* The input through a pool of @workers, as lausearch reads it. */
static int pooled(const unsigned char *buf, size_t len, int workers, struct run *g)
{
	static const struct search_pool_ops pops = {pool_record, pool_use, ref_problem};
	struct bin_decode_ops ops = {on_stop, on_block, ref_problem, NULL};
	int rc, r;

	g->pool = search_pool_new(workers, &pops, g);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g->pool);
	g->base = buf;
	rc = bin_decode(buf, len, &ops, g, NULL);
	r = search_pool_drain(g->pool);
	if (g->keep)
		return rc ? rc : r; /* freed once the texts are checked */
	search_pool_free(g->pool);
	return rc ? rc : r;
}

static void test_order(void)
{
	static const int workers[] = {0, 1, 3};
	struct bin_decode_ops ops = {ref_record, NULL, NULL, NULL};
	struct run *ref = calloc(1, sizeof(*ref)), *g = calloc(1, sizeof(*g));
	unsigned char *buf;
	size_t len, i;

	buf = golden(&len);
	CU_ASSERT_EQUAL(bin_decode(buf, len, &ops, ref, NULL), 0);
	CU_ASSERT(ref->n > 10);
	for (i = 0; i < sizeof(workers) / sizeof(workers[0]); i++) {
		memset(g, 0, sizeof(*g));
		CU_ASSERT_EQUAL(pooled(buf, len, workers[i], g), 0);
		CU_ASSERT_EQUAL(g->n, ref->n);
		CU_ASSERT(!memcmp(g->serial, ref->serial, sizeof(ref->serial)));
		CU_ASSERT_EQUAL(g->nprob, 0);
	}
	free(buf);
	free(ref);
	free(g);
}

static void test_stop(void)
{
	struct run *g = calloc(1, sizeof(*g));
	unsigned char *buf;
	size_t len;
	int w;

	buf = golden(&len);
	for (w = 0; w <= 2; w += 2) {
		memset(g, 0, sizeof(*g));
		g->stop_at = 3;
		CU_ASSERT_EQUAL(pooled(buf, len, w, g), 7);
		CU_ASSERT_EQUAL(g->n, 3);
	}
	free(buf);
	free(g);
}

static void test_damaged(void)
{
	struct bin_decode_ops ops = {ref_record, NULL, ref_problem, NULL};
	struct run *ref = calloc(1, sizeof(*ref)), *g = calloc(1, sizeof(*g));
	unsigned char *buf;
	size_t len;

	buf = golden(&len);
	/* a byte of the last block's records: its data checksum fails */
	buf[len - 5] ^= 0xff;
	CU_ASSERT_EQUAL(bin_decode(buf, len, &ops, ref, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(ref->nprob, 1);
	CU_ASSERT_EQUAL(pooled(buf, len, 2, g), 0);
	CU_ASSERT_EQUAL(g->nprob, 1);
	CU_ASSERT_EQUAL(g->prob.kind, BIN_PROBLEM_CORRUPT);
	CU_ASSERT_EQUAL(g->prob.offset, ref->prob.offset);
	CU_ASSERT_EQUAL(g->prob.length, ref->prob.length);
	CU_ASSERT_EQUAL(g->n, ref->n);
	CU_ASSERT(!memcmp(g->serial, ref->serial, sizeof(ref->serial)));
	free(buf);
	free(ref);
	free(g);
}

static void test_kept(void)
{
	struct run *g = calloc(1, sizeof(*g));
	unsigned char *buf;
	char want[32];
	size_t len;
	int w, i, owners;

	buf = golden(&len);
	for (w = 0; w <= 2; w += 2) {
		memset(g, 0, sizeof(*g));
		g->keep = 1;
		CU_ASSERT_EQUAL(pooled(buf, len, w, g), 0);
		CU_ASSERT(g->n > 10);
		for (i = owners = 0; i < g->n; i++) {
			snprintf(want, sizeof(want), "x%015llu", (unsigned long long)g->serial[i]);
			CU_ASSERT(!memcmp(g->kept[i], want, 16));
			owners += !i || g->owner[i] != g->owner[i - 1];
		}
		/* one buffer a block: the golden segment has several */
		CU_ASSERT(owners > 1);
		for (i = 0; i < g->n; i++)
			search_text_unref(g->owner[i]);
		search_pool_free(g->pool);
	}
	free(buf);
	free(g);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"order", test_order},
		{"stop", test_stop},
		{"damaged", test_damaged},
		{"kept", test_kept},
	};

	return UNIT_RUN("search_pool", tests);
}
