/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "logger/reorder.h"

/* A queued record: its header, then the record padded to 8 bytes. */
struct reorder_rec {
	uint64_t key; /* when it was made, or the ring's previous record's key if later */
	uint32_t size;
	uint32_t pad;
};

/* One ring's records, in the ring's order, in a growing buffer. */
struct reorder_ring {
	char *buf;
	size_t head; /* the first queued record */
	size_t tail; /* where the next goes */
	size_t cap;
	uint64_t last; /* the key of the last pushed */
};

struct reorder {
	unsigned int nrings;
	size_t count;
	struct reorder_ring rings[];
};

#define REORDER_ALIGN(n) (((n) + 7) & ~(size_t)7)

struct reorder *reorder_new(unsigned int nrings)
{
	struct reorder *q;

	if (!nrings) {
		errno = EINVAL;
		return NULL;
	}
	q = calloc(1, sizeof(*q) + nrings * sizeof(q->rings[0]));
	if (!q)
		return NULL;
	q->nrings = nrings;
	return q;
}

/* Room for @need more bytes at the tail: move the queue to the front, or grow. */
static int reorder_room(struct reorder_ring *r, size_t need)
{
	size_t cap;
	char *p;

	if (r->cap - r->tail >= need)
		return 0;
	if (r->head) {
		memmove(r->buf, r->buf + r->head, r->tail - r->head);
		r->tail -= r->head;
		r->head = 0;
		if (r->cap - r->tail >= need)
			return 0;
	}
	cap = r->cap ? r->cap : 64 * 1024;
	while (cap - r->tail < need)
		cap *= 2;
	p = realloc(r->buf, cap);
	if (!p)
		return -ENOMEM;
	r->buf = p;
	r->cap = cap;
	return 0;
}

int reorder_push(struct reorder *q, unsigned int ring, uint64_t key, const void *rec, size_t size)
{
	struct reorder_ring *r;
	struct reorder_rec *h;
	size_t need = sizeof(*h) + REORDER_ALIGN(size);

	if (ring >= q->nrings || size > UINT32_MAX)
		return -EINVAL;
	r = &q->rings[ring];
	if (reorder_room(r, need))
		return -ENOMEM;
	/* a ring's order stands: a record never goes before one read ahead of it */
	if (key < r->last)
		key = r->last;
	r->last = key;
	h = (void *)(r->buf + r->tail);
	h->key = key;
	h->size = size;
	h->pad = 0;
	memcpy(h + 1, rec, size);
	r->tail += need;
	q->count++;
	return 0;
}

int reorder_pop(struct reorder *q, uint64_t until, reorder_fn fn, void *arg)
{
	int n = 0, err;

	for (;;) {
		struct reorder_ring *best = NULL;
		struct reorder_rec *h, *bh = NULL;
		unsigned int i, bi = 0;

		for (i = 0; i < q->nrings; i++) {
			struct reorder_ring *r = &q->rings[i];

			if (r->head == r->tail)
				continue;
			h = (void *)(r->buf + r->head);
			if (h->key <= until && (!bh || h->key < bh->key)) {
				best = r;
				bh = h;
				bi = i;
			}
		}
		if (!best)
			return n;
		err = fn(arg, bi, bh + 1, bh->size);
		if (err > 0)
			return n;
		/*
		 * taken, even when the callback stops here (as libbpf's ring buffer
		 * does); its bytes stay until a push reuses them
		 */
		best->head += sizeof(*bh) + REORDER_ALIGN(bh->size);
		if (best->head == best->tail)
			best->head = best->tail = 0;
		q->count--;
		if (err < 0)
			return err;
		if (n < INT32_MAX)
			n++;
	}
}

size_t reorder_bytes(const struct reorder *q, unsigned int ring)
{
	return ring < q->nrings ? q->rings[ring].tail - q->rings[ring].head : 0;
}

size_t reorder_count(const struct reorder *q)
{
	return q->count;
}

void reorder_free(struct reorder *q)
{
	unsigned int i;

	if (!q)
		return;
	for (i = 0; i < q->nrings; i++)
		free(q->rings[i].buf);
	free(q);
}
