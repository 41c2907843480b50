/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lausearch's and laureport's block pool: the blocks the index lets through are
 * decoded on worker threads, each into a batch of entries (an event's stamp and,
 * when the program keeps it, its RAW text), and the batches are handed back to the
 * caller's thread in the log's order.  A block's texts follow each other in one
 * buffer that the caller may keep (a counted reference) after the block is used:
 * the slot then takes another buffer, and the texts are written from where the
 * worker made them.
 *
 * The caller's thread reads the block indexes (bin_decode() with a filter that
 * queues each block and skips its data) and uses the finished batches; the
 * workers take the queued blocks in order.  At most a window of blocks is queued
 * or decoded at once: when it is full the caller waits for the oldest, so the
 * memory is the window's batches whatever the log's size.  While it waits the
 * caller decodes the next queued block itself rather than sleep, so that on N
 * CPUs the N workers and the caller share them with few wake-ups.  Without
 * workers the caller decodes each block itself, at once.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/text.h"
#include "logger/search.h"

/* blocks queued or decoded at once, per worker */
#define WINDOW_PER_WORKER 2
/* problems kept per block (their reasons copied) */
#define MAX_PROBLEMS 4

enum slot_state { SLOT_FREE, SLOT_QUEUED, SLOT_BUSY, SLOT_DONE };

struct slot {
	enum slot_state state;
	const unsigned char *block;
	size_t len;
	uint64_t offset; /* of the block in its input */
	struct search_batch b;
	int nprob;
	struct bin_problem prob[MAX_PROBLEMS];
	char why[MAX_PROBLEMS][160];
	int rc; /* the record callback's nonzero return */
};

struct search_pool {
	const struct search_pool_ops *ops;
	void *arg;
	int nworkers, nslots;
	pthread_t *workers;
	struct slot *slots;
	/* the window: slots[head] is the oldest block, next the next one to decode */
	int head, count, next;
	int quit;
	int rc;				/* the first nonzero return: no block is used after it */
	struct search_text *free_texts; /* text buffers no one holds */
	pthread_mutex_t lock;
	pthread_cond_t work, done;
};

/* A text buffer for a slot (on the caller's thread): a free one, or a new one. */
static struct search_text *text_get(struct search_pool *p)
{
	struct search_text *t = p->free_texts;

	if (t) {
		p->free_texts = t->next;
	} else {
		t = calloc(1, sizeof(*t));
		if (!t)
			return NULL;
		t->home = &p->free_texts;
	}
	t->refs = 1;
	t->len = 0;
	return t;
}

char *search_batch_room(struct search_batch *b, size_t n)
{
	struct search_text *t = b->text;

	/* a buffer even for no bytes: a text's place is never NULL */
	if (!t->buf || t->cap - t->len < n) {
		size_t cap = t->cap ? t->cap * 2 : 256 * 1024;
		char *p;

		while (cap - t->len < n)
			cap *= 2;
		p = realloc(t->buf, cap);
		if (!p)
			return NULL;
		t->buf = p;
		t->cap = cap;
	}
	return t->buf + t->len;
}

int search_batch_add(struct search_batch *b, const char *text, size_t len,
		     const struct text_stamp *st, unsigned int flags)
{
	size_t need = sizeof(struct search_entry);
	struct search_entry *e;
	char *room;

	if (text && text != b->text->buf + b->text->len) {
		room = search_batch_room(b, len);
		if (!room)
			return -ENOMEM;
		memcpy(room, text, len);
	}
	if (b->len + need > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256 * 1024;
		unsigned char *p;

		while (cap < b->len + need)
			cap *= 2;
		p = realloc(b->buf, cap);
		if (!p)
			return -ENOMEM;
		b->buf = p;
		b->cap = cap;
	}
	e = (struct search_entry *)(b->buf + b->len);
	e->sec = st->sec;
	e->serial = st->serial;
	e->msec = st->msec;
	e->flags = flags | (text ? SEARCH_E_TEXT : 0);
	e->type = 0;
	b->last = b->len;
	e->len = text ? len : 0;
	e->off = b->text->len;
	b->text->len += e->len;
	b->len += need;
	return 0;
}

void search_batch_type(struct search_batch *b, int type)
{
	((struct search_entry *)(b->buf + b->last))->type = (uint32_t)type;
}

struct block_ctx {
	struct search_pool *p;
	struct slot *s;
};

static int block_record(void *arg, const struct log_record *r)
{
	struct block_ctx *c = arg;

	return c->p->ops->record(c->p->arg, &c->s->b, r);
}

/*
 * A problem inside a block the index pass found whole: its offset in the input,
 * and never a torn tail (the block's end is not the input's).
 */
static void block_problem(void *arg, const struct bin_problem *pr)
{
	struct block_ctx *c = arg;
	struct slot *s = c->s;

	if (s->nprob == MAX_PROBLEMS)
		return;
	s->prob[s->nprob] = *pr;
	s->prob[s->nprob].offset += s->offset;
	if (pr->kind == BIN_PROBLEM_TORN)
		s->prob[s->nprob].kind = BIN_PROBLEM_CORRUPT;
	snprintf(s->why[s->nprob], sizeof(s->why[0]), "%s", pr->reason ? pr->reason : "");
	s->prob[s->nprob].reason = s->why[s->nprob];
	s->nprob++;
}

static void decode_slot(struct search_pool *p, struct slot *s)
{
	struct bin_decode_ops ops = {block_record, NULL, block_problem, NULL};
	struct block_ctx c = {p, s};

	s->b.len = 0;
	s->b.text->len = 0;
	s->nprob = 0;
	s->rc = bin_decode(s->block, s->len, &ops, &c, NULL);
}

/*
 * Decode the next queued block, with the lock held (it is dropped meanwhile):
 * what the workers do, and the caller's thread while it waits.
 */
static void decode_next(struct search_pool *p)
{
	struct slot *s = &p->slots[p->next];

	p->next = (p->next + 1) % p->nslots;
	s->state = SLOT_BUSY;
	pthread_mutex_unlock(&p->lock);
	decode_slot(p, s);
	pthread_mutex_lock(&p->lock);
	s->state = SLOT_DONE;
	pthread_cond_broadcast(&p->done);
}

static void *worker(void *arg)
{
	struct search_pool *p = arg;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->quit && p->slots[p->next].state != SLOT_QUEUED)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->quit)
			break;
		decode_next(p);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/*
 * Hand a decoded block's problems and entries to the caller, in order; when the
 * caller keeps the block's texts, the slot takes another buffer.
 */
static int use_slot(struct search_pool *p, struct slot *s)
{
	const struct search_entry *e = (const struct search_entry *)s->b.buf;
	const struct search_entry *end = (const struct search_entry *)(s->b.buf + s->b.len);
	struct search_text *t = s->b.text;
	int i, rc = 0;

	for (i = 0; i < s->nprob; i++)
		if (p->ops->problem)
			p->ops->problem(p->arg, &s->prob[i]);
	for (; e < end && !rc; e++)
		rc = p->ops->use(p->arg, e, e->flags & SEARCH_E_TEXT ? t->buf + e->off : NULL, t);
	if (t->refs > 1) {
		s->b.text = text_get(p);
		if (s->b.text) {
			search_text_unref(t);
		} else {
			s->b.text = t; /* the pool stops: the slot is not decoded again */
			if (!rc)
				rc = -ENOMEM;
		}
	}
	return rc ? rc : s->rc;
}

/* Wait for the oldest block of the window and use it (@use), or drop it. */
static int use_oldest(struct search_pool *p, int use)
{
	struct slot *s = &p->slots[p->head];
	int rc = 0;

	pthread_mutex_lock(&p->lock);
	/* rather than sleep, decode a queued block too (the oldest, if no worker took it) */
	while (s->state != SLOT_DONE) {
		if (p->slots[p->next].state == SLOT_QUEUED)
			decode_next(p);
		else
			pthread_cond_wait(&p->done, &p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	if (use)
		rc = use_slot(p, s);
	pthread_mutex_lock(&p->lock);
	s->state = SLOT_FREE;
	p->head = (p->head + 1) % p->nslots;
	p->count--;
	pthread_mutex_unlock(&p->lock);
	return rc;
}

struct search_pool *search_pool_new(int workers, const struct search_pool_ops *ops, void *arg)
{
	struct search_pool *p = calloc(1, sizeof(*p));
	int i;

	if (!p)
		return NULL;
	p->ops = ops;
	p->arg = arg;
	p->nslots = workers > 0 ? workers * WINDOW_PER_WORKER : 1;
	p->slots = calloc(p->nslots, sizeof(*p->slots));
	p->workers = calloc(workers > 0 ? workers : 1, sizeof(*p->workers));
	if (!p->slots || !p->workers)
		goto fail;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	for (i = 0; i < workers; i++) {
		errno = pthread_create(&p->workers[i], NULL, worker, p);
		if (errno)
			break;
		p->nworkers++;
	}
	/* fewer threads than asked still work; none decodes on the caller's thread */
	if (!p->nworkers)
		p->nslots = 1;
	for (i = 0; i < p->nslots; i++) {
		p->slots[i].b.text = text_get(p);
		if (!p->slots[i].b.text) {
			search_pool_free(p);
			errno = ENOMEM;
			return NULL;
		}
	}
	return p;
fail:
	free(p->slots);
	free(p->workers);
	free(p);
	errno = ENOMEM;
	return NULL;
}

int search_pool_block(struct search_pool *p, const void *base, const struct bin_block_index *ix)
{
	struct slot *s;

	if (p->rc)
		return p->rc;
	if (!p->nworkers) {
		s = &p->slots[0];
		s->block = (const unsigned char *)base + ix->offset;
		s->len = ix->length;
		s->offset = ix->offset;
		decode_slot(p, s);
		p->rc = use_slot(p, s);
		return p->rc;
	}
	if (p->count == p->nslots)
		p->rc = use_oldest(p, 1);
	if (p->rc)
		return p->rc;
	pthread_mutex_lock(&p->lock);
	s = &p->slots[(p->head + p->count) % p->nslots];
	s->block = (const unsigned char *)base + ix->offset;
	s->len = ix->length;
	s->offset = ix->offset;
	s->state = SLOT_QUEUED;
	p->count++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

int search_pool_drain(struct search_pool *p)
{
	int rc;

	/* after a stop, the blocks in flight are waited for but not used */
	while (p->count) {
		rc = use_oldest(p, !p->rc);
		if (!p->rc)
			p->rc = rc;
	}
	return p->rc;
}

void search_pool_free(struct search_pool *p)
{
	int i;

	if (!p)
		return;
	if (p->slots)
		search_pool_drain(p);
	pthread_mutex_lock(&p->lock);
	p->quit = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->nworkers; i++)
		pthread_join(p->workers[i], NULL);
	for (i = 0; p->slots && i < p->nslots; i++) {
		free(p->slots[i].b.buf);
		if (p->slots[i].b.text)
			p->slots[i].b.text->home = NULL; /* freed by its last holder */
		search_text_unref(p->slots[i].b.text);
	}
	while (p->free_texts) {
		struct search_text *t = p->free_texts;

		p->free_texts = t->next;
		free(t->buf);
		free(t);
	}
	if (p->slots) {
		pthread_mutex_destroy(&p->lock);
		pthread_cond_destroy(&p->work);
		pthread_cond_destroy(&p->done);
	}
	free(p->slots);
	free(p->workers);
	free(p);
}

int search_pool_workers(int asked)
{
	long n;

	if (asked >= 0)
		return asked;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	/* one CPU: decoding on the caller's thread costs no hand-over */
	return n > 1 ? (int)(n < 64 ? n : 64) : 0;
}
