// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* logger/reorder.c: records of several rings back in time order. */
#include <CUnit/Basic.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "logger/reorder.c"
#include "tests/unit/unit.h"

/* What reorder_pop() handed over: ring and first byte of each record. */
struct got {
	unsigned int n;
	unsigned int ring[64];
	char first[64];
	size_t size[64];
	unsigned int stop_at; /* stop (return 1) at this call, or 0 */
	int fail_at;	      /* return -EIO at this call, or 0 */
};

static int take(void *arg, unsigned int ring, const void *rec, size_t size)
{
	struct got *g = arg;

	if (g->stop_at && g->n + 1 == g->stop_at)
		return 1;
	if (g->fail_at && (int)g->n + 1 == g->fail_at)
		return -EIO;
	g->ring[g->n] = ring;
	g->first[g->n] = size ? *(const char *)rec : 0;
	g->size[g->n] = size;
	g->n++;
	return 0;
}

static void test_merge(void)
{
	struct reorder *q = reorder_new(3);
	struct got g = {0};

	CU_ASSERT_FATAL(q != NULL);
	/* ring 0: a@10 d@40; ring 1: b@20 e@50; ring 2: c@30 */
	CU_ASSERT_EQUAL(reorder_push(q, 0, 10, "a", 1), 0);
	CU_ASSERT_EQUAL(reorder_push(q, 0, 40, "d", 1), 0);
	CU_ASSERT_EQUAL(reorder_push(q, 1, 20, "b", 1), 0);
	CU_ASSERT_EQUAL(reorder_push(q, 1, 50, "e", 1), 0);
	CU_ASSERT_EQUAL(reorder_push(q, 2, 30, "cc", 2), 0);
	CU_ASSERT_EQUAL(reorder_count(q), 5);
	/* a record takes its 16-byte header and its bytes rounded up to 8 */
	CU_ASSERT_EQUAL(reorder_bytes(q, 0), 48);
	CU_ASSERT_EQUAL(reorder_bytes(q, 2), 24);
	CU_ASSERT_EQUAL(reorder_bytes(q, 3), 0);
	/* up to 35: a b c, the rest waits */
	CU_ASSERT_EQUAL(reorder_pop(q, 35, take, &g), 3);
	CU_ASSERT_EQUAL(g.n, 3);
	CU_ASSERT_EQUAL(memcmp(g.first, "abc", 3), 0);
	CU_ASSERT_EQUAL(g.ring[0], 0);
	CU_ASSERT_EQUAL(g.ring[1], 1);
	CU_ASSERT_EQUAL(g.ring[2], 2);
	CU_ASSERT_EQUAL(g.size[2], 2);
	CU_ASSERT_EQUAL(reorder_count(q), 2);
	CU_ASSERT_EQUAL(reorder_bytes(q, 0), 24);
	CU_ASSERT_EQUAL(reorder_bytes(q, 2), 0);
	/* a late record of ring 2, older than what waits */
	CU_ASSERT_EQUAL(reorder_push(q, 2, 35, "f", 1), 0);
	CU_ASSERT_EQUAL(reorder_pop(q, UINT64_MAX, take, &g), 3);
	CU_ASSERT_EQUAL(memcmp(g.first, "abcfde", 6), 0);
	CU_ASSERT_EQUAL(reorder_count(q), 0);
	CU_ASSERT_EQUAL(reorder_pop(q, UINT64_MAX, take, &g), 0);
	reorder_free(q);
}

static void test_ring_order_kept(void)
{
	struct reorder *q = reorder_new(2);
	struct got g = {0};

	CU_ASSERT_FATAL(q != NULL);
	/* ring 0's second record carries an earlier time: it stays behind the first */
	CU_ASSERT_EQUAL(reorder_push(q, 0, 100, "x", 1), 0);
	CU_ASSERT_EQUAL(reorder_push(q, 0, 50, "y", 1), 0);
	CU_ASSERT_EQUAL(reorder_push(q, 1, 60, "z", 1), 0);
	CU_ASSERT_EQUAL(reorder_push(q, 1, 100, "w", 1), 0);
	/* up to 99: only z, since y counts as made at 100 */
	CU_ASSERT_EQUAL(reorder_pop(q, 99, take, &g), 1);
	CU_ASSERT_EQUAL(g.first[0], 'z');
	/* ties go to the lower ring */
	CU_ASSERT_EQUAL(reorder_pop(q, UINT64_MAX, take, &g), 3);
	CU_ASSERT_EQUAL(memcmp(g.first, "zxyw", 4), 0);
	reorder_free(q);
}

static void test_stop_and_error(void)
{
	struct reorder *q = reorder_new(1);
	struct got g = {.stop_at = 2};

	CU_ASSERT_FATAL(q != NULL);
	CU_ASSERT_EQUAL(reorder_push(q, 0, 1, "a", 1), 0);
	CU_ASSERT_EQUAL(reorder_push(q, 0, 2, "b", 1), 0);
	CU_ASSERT_EQUAL(reorder_push(q, 0, 3, "c", 1), 0);
	/* the callback stops at the second: it stays */
	CU_ASSERT_EQUAL(reorder_pop(q, UINT64_MAX, take, &g), 1);
	CU_ASSERT_EQUAL(reorder_count(q), 2);
	g.stop_at = 0;
	g.fail_at = 2;
	/* an error stops after the record: it was taken */
	CU_ASSERT_EQUAL(reorder_pop(q, UINT64_MAX, take, &g), -EIO);
	CU_ASSERT_EQUAL(reorder_count(q), 1);
	g.fail_at = 0;
	CU_ASSERT_EQUAL(reorder_pop(q, UINT64_MAX, take, &g), 1);
	CU_ASSERT_EQUAL(g.n, 2);
	CU_ASSERT_EQUAL(memcmp(g.first, "ac", 2), 0);
	CU_ASSERT_EQUAL(reorder_push(q, 1, 1, "a", 1), -EINVAL);
	reorder_free(q);
	reorder_free(NULL);
	CU_ASSERT_PTR_NULL(reorder_new(0));
	CU_ASSERT_EQUAL(errno, EINVAL);
}

static int count_only(void *arg, unsigned int ring, const void *rec, size_t size)
{
	size_t *n = arg;
	const uint32_t *v = rec;

	(void)ring;
	/* every record whole: its size and its index, in order */
	if (size != 1000 + (*n % 7) * 4000 || v[0] != *n)
		return -EINVAL;
	(*n)++;
	return 0;
}

static void test_growth(void)
{
	static uint32_t rec[8000];
	struct reorder *q = reorder_new(1);
	size_t i, n = 0;

	CU_ASSERT_FATAL(q != NULL);
	/* pushes and pops interleaved: the buffer grows and moves its queue to the front */
	for (i = 0; i < 2000; i++) {
		rec[0] = i;
		CU_ASSERT_EQUAL_FATAL(reorder_push(q, 0, i, rec, 1000 + (i % 7) * 4000), 0);
		if (i % 3 == 2)
			CU_ASSERT_EQUAL_FATAL(reorder_pop(q, i - 1, count_only, &n) >= 0, 1);
	}
	CU_ASSERT_EQUAL(reorder_pop(q, UINT64_MAX, count_only, &n) >= 0, 1);
	CU_ASSERT_EQUAL(n, 2000);
	CU_ASSERT_EQUAL(reorder_count(q), 0);
	reorder_free(q);
}

/* Where the records were handed over, to read them after reorder_pop() returned. */
struct kept {
	unsigned int n;
	const char *rec[8];
};

static int keep(void *arg, unsigned int ring, const void *rec, size_t size)
{
	struct kept *k = arg;

	(void)ring;
	(void)size;
	k->rec[k->n++] = rec;
	return 0;
}

/* The consumer's batch points into the queue: a record popped stays in place until the next push. */
static void test_popped_stay(void)
{
	struct reorder *q = reorder_new(2);
	struct kept k = {0};

	CU_ASSERT_FATAL(q != NULL);
	CU_ASSERT_EQUAL(reorder_push(q, 0, 10, "first", 6), 0);
	CU_ASSERT_EQUAL(reorder_push(q, 1, 20, "second", 7), 0);
	CU_ASSERT_EQUAL(reorder_push(q, 0, 30, "third", 6), 0);
	CU_ASSERT_EQUAL(reorder_pop(q, 25, keep, &k), 2);
	/* the rest pops too: ring 0 empties, and its positions start again */
	CU_ASSERT_EQUAL(reorder_pop(q, UINT64_MAX, keep, &k), 1);
	CU_ASSERT_EQUAL(reorder_count(q), 0);
	CU_ASSERT_FATAL(k.n == 3);
	CU_ASSERT_STRING_EQUAL(k.rec[0], "first");
	CU_ASSERT_STRING_EQUAL(k.rec[1], "second");
	CU_ASSERT_STRING_EQUAL(k.rec[2], "third");
	reorder_free(q);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"records of three rings merged by time, up to a bound", test_merge},
		{"a ring's own order is kept", test_ring_order_kept},
		{"a callback that stops keeps its record, one that fails took it",
		 test_stop_and_error},
		{"thousands of records of up to 25 KB: whole and in order", test_growth},
		{"a record popped stays in place until the next push", test_popped_stay},
	};

	return UNIT_RUN("reorder", tests);
}
