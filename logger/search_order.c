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
 * While the events come in increasing stamps (one consumer thread, the common
 * case), they are held in a queue in their order instead, which is both heaps at
 * once: the oldest is the lowest stamp and the lowest seconds not done.  A text
 * given with its buffer (the block pool's) is held by a reference to the buffer,
 * not copied; the held events of that kind are recycled, not freed.
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
	int has_text; /* 0: held for the order only (no match) */
	int type;     /* of its first record */
	size_t len;
	const char *tp;		   /* the text: in owner, or in text[] */
	struct search_text *owner; /* NULL: text[] holds the copy */
	struct held *next;	   /* in the free list */
	char text[];
};

struct heap {
	struct held **v;
	size_t n, cap;
	int (*less)(const struct held *a, const struct held *b);
};

/* The events held in their order, while their stamps increase. */
struct queue {
	struct held **v;
	size_t head, n, cap;
	size_t marked; /* the first events, done by the seconds of a younger one */
};

struct search_order {
	struct heap by_stamp, by_sec;
	struct queue q;
	int heaped;	   /* the events are in the heaps (a stamp came out of order) */
	struct held *free; /* held events without a copy, to be reused */
	search_emit_fn emit;
	search_seen_fn seen;
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

/* Room for @more: heap_push() then cannot fail. */
static int heap_reserve(struct heap *h, size_t more)
{
	size_t cap = h->cap ? h->cap : 1024;
	struct held **v;

	while (cap < h->n + more)
		cap *= 2;
	if (cap != h->cap) {
		v = realloc(h->v, cap * sizeof(*v));
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

static struct held *queue_at(const struct queue *q, size_t i)
{
	return q->v[(q->head + i) & (q->cap - 1)];
}

static int queue_reserve(struct queue *q)
{
	size_t i, cap;
	struct held **v;

	if (q->n < q->cap)
		return 0;
	cap = q->cap ? q->cap * 2 : 1024;
	v = malloc(cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < q->n; i++)
		v[i] = queue_at(q, i);
	free(q->v);
	q->v = v;
	q->cap = cap;
	q->head = 0;
	return 0;
}

/* The queue's events into the heaps, for an event whose stamp is not the highest. */
static void queue_to_heaps(struct search_order *o)
{
	struct queue *q = &o->q;
	struct held *e;
	size_t i;

	for (i = 0; i < q->n; i++) {
		e = queue_at(q, i);
		heap_push(&o->by_stamp, e);
		if (!e->done)
			heap_push(&o->by_sec, e);
	}
	q->n = q->marked = 0;
	o->heaped = 1;
}

/* Done with @e: the text's reference dropped; @e reused when it holds no copy. */
static void held_free(struct search_order *o, struct held *e)
{
	if (e->has_text && !e->owner) {
		free(e);
		return;
	}
	search_text_unref(e->owner);
	e->next = o->free;
	o->free = e;
}

static int emit_free(struct search_order *o, struct held *e)
{
	int rc = 0;

	if (e->has_text)
		rc = o->emit(o->arg, e->tp, e->len, e->sec, e->msec, e->serial, e->owner);
	if (!rc && o->seen)
		rc = o->seen(o->arg, e->sec, e->msec, e->serial, e->type);
	held_free(o, e);
	return rc;
}

/* Print the done events at the top; stop at the first that is not done. */
static int drain(struct search_order *o)
{
	struct queue *q = &o->q;
	struct held *e;
	int rc = 0;

	while (!rc && o->by_stamp.n && o->by_stamp.v[0]->done)
		rc = emit_free(o, heap_pop(&o->by_stamp));
	if (o->heaped && !o->by_stamp.n) {
		o->heaped = 0;
		o->by_sec.n = 0;
	}
	while (!rc && q->n && (e = queue_at(q, 0))->done) {
		q->head = (q->head + 1) & (q->cap - 1);
		q->n--;
		if (q->marked)
			q->marked--;
		rc = emit_free(o, e);
	}
	return rc;
}

void search_order_seen(struct search_order *o, search_seen_fn seen)
{
	o->seen = seen;
}

int search_order_add(struct search_order *o, const char *text, size_t len,
		     struct search_text *owner, uint64_t sec, uint32_t msec, uint64_t serial,
		     int one_record, int type)
{
	struct queue *q = &o->q;
	struct held *e;

	if (text && !owner) {
		e = malloc(sizeof(*e) + len);
	} else if (o->free) {
		e = o->free;
		o->free = e->next;
	} else {
		e = malloc(sizeof(*e));
	}
	if (!e)
		return -ENOMEM;
	e->sec = sec;
	e->msec = msec;
	e->serial = serial;
	e->done = one_record;
	e->has_text = !!text;
	e->type = type;
	e->len = text ? len : 0;
	e->owner = text ? owner : NULL;
	e->tp = text;
	if (text && owner) {
		search_text_ref(owner);
	} else if (text) {
		memcpy(e->text, text, len);
		e->tp = e->text;
	}
	if (!o->heaped && q->n && !stamp_less(queue_at(q, q->n - 1), e)) {
		if (heap_reserve(&o->by_stamp, q->n + 1) || heap_reserve(&o->by_sec, q->n + 1))
			goto nomem;
		queue_to_heaps(o);
	}
	if (o->heaped) {
		if (heap_reserve(&o->by_stamp, 1) || heap_reserve(&o->by_sec, 1))
			goto nomem;
		heap_push(&o->by_stamp, e);
		if (!one_record)
			heap_push(&o->by_sec, e);
		while (o->by_sec.n && o->by_sec.v[0]->sec + EOE_TIMEOUT <= sec)
			heap_pop(&o->by_sec)->done = 1;
		return drain(o);
	}
	if (queue_reserve(q))
		goto nomem;
	q->v[(q->head + q->n++) & (q->cap - 1)] = e;
	for (; q->marked < q->n && queue_at(q, q->marked)->sec + EOE_TIMEOUT <= sec; q->marked++)
		queue_at(q, q->marked)->done = 1;
	return drain(o);
nomem:
	held_free(o, e);
	return -ENOMEM;
}

int search_order_finish(struct search_order *o)
{
	size_t i;

	for (i = 0; i < o->by_stamp.n; i++)
		o->by_stamp.v[i]->done = 1;
	for (i = 0; i < o->q.n; i++)
		queue_at(&o->q, i)->done = 1;
	o->by_sec.n = 0;
	return drain(o);
}

void search_order_free(struct search_order *o)
{
	size_t i;

	if (!o)
		return;
	for (i = 0; i < o->by_stamp.n; i++)
		held_free(o, o->by_stamp.v[i]);
	for (i = 0; i < o->q.n; i++)
		held_free(o, queue_at(&o->q, i));
	while (o->free) {
		struct held *e = o->free;

		o->free = e->next;
		free(e);
	}
	free(o->q.v);
	free(o->by_stamp.v);
	free(o->by_sec.v);
	free(o);
}
