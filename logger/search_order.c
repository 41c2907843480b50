/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lausearch's event order: the order in which ausearch 3.0.9 prints events.
 *
 * ausearch does not print events in the log's order.  It holds every event it
 * has read, and an event is done when it is of one record (a daemon record) or
 * when an event at least 2 s younger (by its stamp's seconds) starts after it,
 * or at the end of the input; after each record it prints, while the held event
 * with the lowest stamp (seconds, milliseconds, serial) is done, that event.  A
 * log whose stamps do not increase (several consumer threads) comes out partly
 * sorted.  The same rule is kept here with two heaps (the held events by stamp,
 * the events not done by seconds), so that the order is ausearch's, and the
 * memory is the events of about 2 s of log (only matching events keep their text).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "logger/search.h"

/* ausearch's end-of-event timeout, seconds */
#define EOE_TIMEOUT 2

struct held {
	uint64_t sec, serial;
	uint32_t msec;
	int done;
	char *text; /* NULL: held for the order only (no match) */
	size_t len;
};

struct heap {
	struct held **v;
	size_t n, cap;
	int (*less)(const struct held *a, const struct held *b);
};

struct search_order {
	struct heap by_stamp, by_sec;
	search_emit_fn emit;
	void *arg;
};

static int stamp_less(const struct held *a, const struct held *b)
{
	if (a->sec != b->sec)
		return a->sec < b->sec;
	if (a->msec != b->msec)
		return a->msec < b->msec;
	return a->serial < b->serial;
}

static int sec_less(const struct held *a, const struct held *b)
{
	return a->sec < b->sec;
}

static void swap(struct held **a, struct held **b)
{
	struct held *t = *a;

	*a = *b;
	*b = t;
}

/* Room for one more: heap_push() then cannot fail. */
static int heap_reserve(struct heap *h)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 1024;
		struct held **v = realloc(h->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		h->v = v;
		h->cap = cap;
	}
	return 0;
}

static void heap_push(struct heap *h, struct held *e)
{
	size_t i = h->n++;

	h->v[i] = e;
	while (i && h->less(h->v[i], h->v[(i - 1) / 2])) {
		swap(&h->v[i], &h->v[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
}

static struct held *heap_pop(struct heap *h)
{
	struct held *top = h->v[0];
	size_t i = 0, c;

	h->v[0] = h->v[--h->n];
	for (;;) {
		c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->less(h->v[c + 1], h->v[c]))
			c++;
		if (!h->less(h->v[c], h->v[i]))
			break;
		swap(&h->v[c], &h->v[i]);
		i = c;
	}
	return top;
}

struct search_order *search_order_new(search_emit_fn emit, void *arg)
{
	struct search_order *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->by_stamp.less = stamp_less;
	o->by_sec.less = sec_less;
	o->emit = emit;
	o->arg = arg;
	return o;
}

/* Print the done events at the top; stop at the first that is not done. */
static int drain(struct search_order *o)
{
	struct held *e;
	int rc = 0;

	while (!rc && o->by_stamp.n && o->by_stamp.v[0]->done) {
		e = heap_pop(&o->by_stamp);
		if (e->text)
			rc = o->emit(o->arg, e->text, e->len, e->sec, e->msec, e->serial);
		free(e->text);
		free(e);
	}
	return rc;
}

int search_order_add(struct search_order *o, const char *text, size_t len, uint64_t sec,
		     uint32_t msec, uint64_t serial, int one_record)
{
	struct held *e;

	if (heap_reserve(&o->by_stamp) || heap_reserve(&o->by_sec))
		return -ENOMEM;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->sec = sec;
	e->msec = msec;
	e->serial = serial;
	e->done = one_record;
	if (text) {
		e->text = malloc(len ? len : 1);
		if (!e->text) {
			free(e);
			return -ENOMEM;
		}
		memcpy(e->text, text, len);
		e->len = len;
	}
	heap_push(&o->by_stamp, e);
	if (!one_record)
		heap_push(&o->by_sec, e);
	while (o->by_sec.n && o->by_sec.v[0]->sec + EOE_TIMEOUT <= sec)
		heap_pop(&o->by_sec)->done = 1;
	return drain(o);
}

int search_order_finish(struct search_order *o)
{
	size_t i;

	for (i = 0; i < o->by_stamp.n; i++)
		o->by_stamp.v[i]->done = 1;
	o->by_sec.n = 0;
	return drain(o);
}

void search_order_free(struct search_order *o)
{
	size_t i;

	if (!o)
		return;
	for (i = 0; i < o->by_stamp.n; i++) {
		free(o->by_stamp.v[i]->text);
		free(o->by_stamp.v[i]);
	}
	free(o->by_stamp.v);
	free(o->by_sec.v);
	free(o);
}
