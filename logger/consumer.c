/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A record travels from a ring to a consumer's batch with one copy: libbpf's
 * ring buffer hands it to the reader, which copies it into its reorder queue
 * (the ring's space must go back to the programs, and the record waits there
 * until every ring has delivered what came before it); the batch only points
 * at it in the queue, where it stays until the reader's next call.  The
 * batch's records are counted before they are encoded because a batch takes
 * its serials when it begins (writer_begin()).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libaudit.h>

#include "formats/wire.h"
#include "logger/capture.h"
#include "logger/consumer.h"
#include "logger/counters.h"
#include "logger/ident.h"
#include "logger/log.h"
#include "logger/names.h"
#include "logger/priority.h"
#include "logger/writer.h"

/*
 * Ring record bytes a consumer takes per batch: a batch gets its serials and
 * its place in the log once its records are counted (writer_begin()), so they
 * wait in the reader's queue meanwhile.  A log rotates between batches, so a
 * text batch is kept small (128 KiB is 680 records of a read loop, 250 KiB of
 * text); a binary one ends in a block of its own, so it is kept large enough to
 * fill one.
 */
#define CONSUMER_BATCH_TEXT   (128 * 1024)
#define CONSUMER_BATCH_BINARY (1024 * 1024)

/*
 * A batch handed to an encoder thread: the reader's queue and the identity
 * cache change once the consumer goes on, so the records, their identities and
 * keys are copied into the batch's arena (an identity or key only when it
 * differs from the previous record's); the pointers are offsets into it.
 */
struct enc_ident {
	size_t exe, title, exe_text, title_text; /* ENC_NONE: NULL */
	size_t exe_len, title_len, exe_text_len, title_text_len;
};

struct enc_rec {
	struct text_stamp stamp;
	size_t ev, key; /* key ENC_NONE: NULL */
	struct enc_ident id;
	uint32_t drop;
};

#define ENC_NONE SIZE_MAX

/* Bytes of copied records a consumer gathers at most while the next encoder is busy. */
#define ENC_BATCH_MAX (4 * CONSUMER_BATCH_TEXT)

struct enc_batch {
	struct enc_rec *rec;
	unsigned int n, cap;
	char *arena;
	size_t used, size;
	int flush;
	/* where the last identity and key were copied */
	struct enc_ident last_id;
	size_t last_key;
};

struct consumer;

/* An encoder thread: it encodes the batches its consumer hands it, in turn with the others. */
struct encoder {
	struct consumer *t;
	pthread_t thread;
	struct writer_source *src;
	struct names *names;
	struct enc_batch b;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int busy; /* b holds a batch to encode */
	int stop;
};

/* A record of the batch, where the reader's queue holds it. */
struct staged {
	const struct la_event *ev;
	uint32_t ring;
	uint32_t len;
	const char *key; /* the rules' key= */
	uint32_t drop;	 /* record types the exclude list leaves out */
	int log;	 /* 0: the rules, decided on its objects, log nothing for it */
};

/*
 * A consumer thread: it alone reads its rings (each ring's records in order,
 * each ring's identities in its own cache) and encodes their records through a
 * writer source of its own.
 */
struct consumer {
	struct daemon *d;
	unsigned int index;
	pthread_t thread;
	struct capture_reader *rd;
	struct writer_source *src;
	struct names *names;  /* ENRICHED: user and group names */
	struct staged *batch; /* the records taken since the last commit */
	unsigned int staged;  /* in batch */
	unsigned int cap;     /* batch's room, in records */
	size_t bytes, limit;  /* ring bytes staged, and the batch's size */
	uint64_t delivered;
	uint64_t filtered; /* the rules logged nothing for them, decided on their objects */
	uint64_t malformed;
	uint64_t now;	     /* CLOCK_MONOTONIC seconds */
	struct encoder *enc; /* NULL: the consumer encodes its batches itself */
	unsigned int nenc, next_enc;
	struct enc_batch fill; /* the batch being copied, swapped with an idle encoder's */
	cpu_set_t cpus;	       /* of its rings */
};

/*
 * A ring's record: checked, then kept in the batch until the consume in
 * progress ends (see consumer_commit()).  Stops the consume once the batch is full.
 */
static int on_record(void *arg, unsigned int ring, const struct la_event *ev, size_t len)
{
	struct consumer *t = arg;
	struct staged *st;
	unsigned int cap;

	if (wire_check(ev, len)) {
		t->malformed++;
		return 0;
	}
	if (t->staged == t->cap) {
		cap = t->cap ? t->cap * 2 : 1024;
		st = realloc(t->batch, cap * sizeof(*st));
		if (!st) {
			/* not delivered: the accounting at exit says so */
			log_warnx("no memory for a record of %zu bytes", len);
			return 0;
		}
		t->batch = st;
		t->cap = cap;
	}
	st = &t->batch[t->staged++];
	st->ev = ev;
	st->ring = ring;
	st->len = len;
	t->bytes += len;
	t->delivered++;
	return t->bytes >= t->limit ? -ENOBUFS : 0;
}

/* Where an offset of @b's arena points, NULL for ENC_NONE. */
static const char *enc_ptr(const struct enc_batch *b, size_t off)
{
	return off == ENC_NONE ? NULL : b->arena + off;
}

/* Whether the arena's copy at @off, @len bytes, holds @p's @plen bytes. */
static int enc_same(const struct enc_batch *b, size_t off, size_t len, const char *p, size_t plen)
{
	if (off == ENC_NONE || !p)
		return off == ENC_NONE && !p;
	return len == plen && !memcmp(b->arena + off, p, len);
}

/* Copy @len bytes of @p, NUL-terminated, 8-aligned, into room made beforehand. */
static size_t enc_copy(struct enc_batch *b, const void *p, size_t len)
{
	size_t off = b->used;

	if (!p)
		return ENC_NONE;
	memcpy(b->arena + off, p, len);
	b->arena[off + len] = 0;
	b->used += (len + 8) & ~(size_t)7;
	return off;
}

/*
 * Add a record, its identity @id and key to @b, copied.
 * Return: 0, or -ENOMEM (the record is not added).
 */
static int enc_add(struct enc_batch *b, const struct staged *st, const struct text_ident *id,
		   const struct text_stamp *stamp)
{
	const struct enc_ident *l = &b->last_id;
	int same =
		b->n && enc_same(b, l->exe, l->exe_len, id->exe, id->exe_len) &&
		enc_same(b, l->title, l->title_len, id->title, id->title_len) &&
		enc_same(b, l->exe_text, l->exe_text_len, id->exe_text, id->exe_text_len) &&
		enc_same(b, l->title_text, l->title_text_len, id->title_text, id->title_text_len);
	int same_key =
		b->n && enc_same(b, b->last_key,
				 b->last_key == ENC_NONE ? 0 : strlen(b->arena + b->last_key),
				 st->key, st->key ? strlen(st->key) : 0);
	size_t need = st->len + 8 * 6, size;
	struct enc_rec *e;
	char *a;

	if (!same)
		need += id->exe_len + id->title_len + id->exe_text_len + id->title_text_len;
	if (!same_key && st->key)
		need += strlen(st->key);
	if (b->used + need > b->size) {
		size = b->size ? b->size : 512 * 1024;
		while (size < b->used + need)
			size *= 2;
		a = realloc(b->arena, size);
		if (!a)
			return -ENOMEM;
		b->arena = a;
		b->size = size;
	}
	if (b->n == b->cap) {
		e = realloc(b->rec, (b->cap ? b->cap * 2 : 1024) * sizeof(*e));
		if (!e)
			return -ENOMEM;
		b->rec = e;
		b->cap = b->cap ? b->cap * 2 : 1024;
	}
	e = &b->rec[b->n++];
	e->stamp = *stamp;
	e->drop = st->drop;
	e->ev = enc_copy(b, st->ev, st->len);
	if (!same) {
		b->last_id = (struct enc_ident){
			.exe = enc_copy(b, id->exe, id->exe_len),
			.title = enc_copy(b, id->title, id->title_len),
			.exe_text = enc_copy(b, id->exe_text, id->exe_text_len),
			.title_text = enc_copy(b, id->title_text, id->title_text_len),
			.exe_len = id->exe_len,
			.title_len = id->title_len,
			.exe_text_len = id->exe_text_len,
			.title_text_len = id->title_text_len,
		};
	}
	if (!same_key)
		b->last_key = st->key ? enc_copy(b, st->key, strlen(st->key)) : ENC_NONE;
	e->id = b->last_id;
	e->key = b->last_key;
	return 0;
}

/* Encode the batch in hand through the encoder's source, and end it. */
static void encoder_encode(struct encoder *e)
{
	struct log_record r = {.kind = LOG_REC_EVENT};
	const struct enc_batch *b = &e->b;
	const struct enc_rec *x;

	for (x = b->rec; x < b->rec + b->n; x++) {
		r.ev = (const struct la_event *)(b->arena + x->ev);
		r.stamp = x->stamp;
		r.key = enc_ptr(b, x->key);
		r.drop = x->drop;
		r.ident.exe = enc_ptr(b, x->id.exe);
		r.ident.exe_len = x->id.exe_len;
		r.ident.title = enc_ptr(b, x->id.title);
		r.ident.title_len = x->id.title_len;
		r.ident.exe_text = enc_ptr(b, x->id.exe_text);
		r.ident.exe_text_len = x->id.exe_text_len;
		r.ident.title_text = enc_ptr(b, x->id.title_text);
		r.ident.title_text_len = x->id.title_text_len;
		writer_put(e->src, &r);
	}
	writer_end(e->src, b->flush);
}

static void *encoder_run(void *arg)
{
	struct encoder *e = arg;

	priority_stage(e->t->d->conf.priority_boost, &e->t->cpus, "encoder thread");
	pthread_mutex_lock(&e->lock);
	for (;;) {
		while (!e->busy && !e->stop)
			pthread_cond_wait(&e->cond, &e->lock);
		if (!e->busy)
			break;
		pthread_mutex_unlock(&e->lock);
		encoder_encode(e);
		pthread_mutex_lock(&e->lock);
		e->busy = 0;
		pthread_cond_broadcast(&e->cond);
	}
	pthread_mutex_unlock(&e->lock);
	return NULL;
}

/* Wait until @e has encoded the batch it holds. */
static void encoder_wait(struct encoder *e)
{
	pthread_mutex_lock(&e->lock);
	while (e->busy)
		pthread_cond_wait(&e->cond, &e->lock);
	pthread_mutex_unlock(&e->lock);
}

/*
 * Hand the records copied so far to the next encoder in turn: at once when it
 * is idle, else (unless @force) once they fill ENC_BATCH_MAX, the consumer
 * going on reading the rings meanwhile, so that the batches grow while the
 * encoders are busy and shrink again (for the flush setting) when they are
 * not.  The batch takes its place in the log here, so the batches keep the
 * order they were taken in whichever encoder ends first.
 */
static void consumer_offer(struct consumer *t, int force)
{
	struct encoder *e = &t->enc[t->next_enc];
	struct enc_batch b;
	int busy;

	if (!t->fill.n)
		return;
	pthread_mutex_lock(&e->lock);
	busy = e->busy;
	pthread_mutex_unlock(&e->lock);
	if (busy && !force && t->fill.used < ENC_BATCH_MAX)
		return;
	t->next_enc = (t->next_enc + 1) % t->nenc;
	encoder_wait(e);
	b = e->b;
	e->b = t->fill;
	t->fill = b;
	t->fill.n = 0;
	t->fill.used = 0;
	writer_begin(e->src, e->b.n);
	pthread_mutex_lock(&e->lock);
	e->busy = 1;
	pthread_cond_broadcast(&e->cond);
	pthread_mutex_unlock(&e->lock);
}

/*
 * With encoder threads: copy the batch's logged records, with their identities
 * and stamps, and offer them to the next encoder.
 */
static void consumer_copy(struct consumer *t, int flush)
{
	struct daemon *d = t->d;
	struct text_ident ident;
	struct text_stamp stamp;
	struct staged *st;

	for (st = t->batch; st < t->batch + t->staged; st++) {
		if (!st->log)
			continue;
		ident_resolve(d->ident[st->ring], st->ev, t->now, &ident);
		daemon_stamp(d, st->ev->ts_enter, &stamp);
		if (enc_add(&t->fill, st, &ident, &stamp)) {
			/* not delivered: the accounting at exit says so */
			log_warnx("no memory for a record of %u bytes", st->len);
			t->delivered--;
		}
	}
	t->fill.flush = flush;
	consumer_offer(t, 0);
	t->staged = 0;
	t->bytes = 0;
}

/*
 * Encode the batch's records, with the identities their rings sent, and hand
 * them on; @flush once the rings are empty (the flush setting's batch).  Called
 * before the reader's next call, while the records are where on_record() saw them.
 */
static void consumer_commit(struct consumer *t, int flush)
{
	struct log_record r = {.kind = LOG_REC_EVENT};
	struct daemon *d = t->d;
	struct staged *st;

	unsigned int logged = 0;

	if (!t->staged)
		return;
	/* the rules' last word, on the objects (a record's identity is learned either way) */
	for (st = t->batch; st < t->batch + t->staged; st++) {
		st->log = 1;
		st->key = NULL;
		st->drop = 0;
		if (st->ev->rules_rev) {
			ident_resolve(d->ident[st->ring], st->ev, t->now, &r.ident);
			st->log =
				capture_rule_decide(d->cap, st->ev, &r.ident, &st->key, &st->drop);
		}
		logged += st->log;
	}
	t->delivered -= t->staged - logged;
	t->filtered += t->staged - logged;
	if (!logged) {
		t->staged = 0;
		t->bytes = 0;
		return;
	}
	if (t->enc) {
		consumer_copy(t, flush);
		return;
	}
	writer_begin(t->src, logged);
	for (st = t->batch; st < t->batch + t->staged; st++) {
		if (!st->log)
			continue;
		r.ev = st->ev;
		r.key = st->key;
		r.drop = st->drop;
		ident_resolve(d->ident[st->ring], r.ev, t->now, &r.ident);
		daemon_stamp(d, r.ev->ts_enter, &r.stamp);
		writer_put(t->src, &r);
	}
	writer_end(t->src, flush);
	t->staged = 0;
	t->bytes = 0;
}

static void *consumer_run(void *arg)
{
	struct consumer *t = arg;
	struct daemon *d = t->d;
	uint64_t swept = 0;
	unsigned int ring, i;
	struct encoder *e;
	int n, full = 0, state;

	priority_stage(d->conf.priority_boost, &t->cpus, "consumer thread");
	while (!(state = __atomic_load_n(&d->consumers_state, __ATOMIC_ACQUIRE))) {
		/* a full batch stopped the last consume: go on without waiting */
		if (full)
			n = capture_reader_consume(t->rd);
		else
			/* records copied for a busy encoder: come back for it soon */
			n = capture_reader_poll(t->rd, t->fill.n ? 1 : d->conf.poll_interval_ms);
		full = n == -ENOBUFS;
		if (n < 0 && !full && n != -EINTR)
			fatalx("reading the rings: %s", strerror(-n));
		t->now = daemon_clock_ns(CLOCK_MONOTONIC) / 1000000000;
		if (t->staged)
			brake_batch(d->brake, full);
		consumer_commit(t, !full);
		if (t->enc)
			consumer_offer(t, 0);
		if (t->now != swept) {
			swept = t->now;
			for (ring = t->index; ring < d->nrings; ring += d->nconsumers)
				ident_sweep(d->ident[ring], t->now > 60 ? t->now - 60 : 0);
		}
	}
	/* a pause hands over what was taken off the rings; a stop empties them */
	while (state == CONSUMERS_PAUSE || state == CONSUMERS_DRAIN) {
		n = state == CONSUMERS_PAUSE ? capture_reader_flush(t->rd)
					     : capture_reader_drain(t->rd);
		full = n == -ENOBUFS;
		if (n < 0 && !full) {
			log_warnx("draining the rings: %s", strerror(-n));
			break;
		}
		consumer_commit(t, !full);
		if (!n)
			break;
	}
	if (t->enc)
		consumer_offer(t, 1);
	for (i = 0; i < t->nenc; i++) {
		e = &t->enc[i];
		encoder_wait(e);
		pthread_mutex_lock(&e->lock);
		e->stop = 1;
		pthread_cond_broadcast(&e->cond);
		pthread_mutex_unlock(&e->lock);
		pthread_join(e->thread, NULL);
	}
	return NULL;
}

/*
 * consumer_threads, or the default: 1 up to 3 online CPUs, half of them from 4
 * to 7, 4 from 8, never more than there are rings.  One per ring (each on its
 * ring's CPU, boosted, holding back the programs that fill it) drains faster,
 * but the consumers' batches are ordered by when they began, not by time: a
 * process that moves between CPUs would see its events out of order in the
 * log, so it is a choice (consumer_threads = the CPU count), not the default.
 */
static unsigned int consumer_count(const struct daemon *d)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int n = d->conf.consumer_threads;

	if (!n)
		n = cpus >= 8 ? 4 : cpus >= 4 ? (unsigned int)cpus / 2 : 1;
	if (n > d->nrings)
		n = d->nrings;
	return n ? n : 1;
}

/*
 * Start @t's encoder_threads, each with a writer source (and names) of its own;
 * none by default (on 2 CPUs under full load they gave the audited processes
 * no more of their rate, and less of it with one process: README.md).
 */
static void encoders_start(struct consumer *t)
{
	unsigned int i, n = t->d->conf.encoder_threads;
	struct encoder *e;
	int err;

	if (!n)
		return;
	t->enc = calloc(n, sizeof(*t->enc));
	if (!t->enc)
		fatal("encoder threads");
	t->nenc = n;
	for (i = 0; i < n; i++) {
		e = &t->enc[i];
		e->t = t;
		pthread_mutex_init(&e->lock, NULL);
		pthread_cond_init(&e->cond, NULL);
		if (t->d->conf.log_format == CONF_FMT_ENRICHED) {
			e->names = names_new();
			if (!e->names)
				fatal("encoder thread %u", i);
		}
		e->src = writer_source_new(t->d->w, e->names);
		if (!e->src)
			fatal("encoder thread %u: writer", i);
		err = pthread_create(&e->thread, NULL, encoder_run, e);
		if (err) {
			errno = err;
			fatal("encoder thread %u", i);
		}
	}
}

/* Free @t's encoders, their threads joined. */
static void encoders_free(struct consumer *t)
{
	struct encoder *e;

	for (e = t->enc; e < t->enc + t->nenc; e++) {
		names_free(e->names);
		free(e->b.rec);
		free(e->b.arena);
		pthread_mutex_destroy(&e->lock);
		pthread_cond_destroy(&e->cond);
	}
	free(t->enc);
	free(t->fill.rec);
	free(t->fill.arena);
}

void consumers_start(struct daemon *d)
{
	unsigned int i, ring, n = consumer_count(d);
	struct consumer *t;
	int err, *fds;

	d->consumers = calloc(n, sizeof(*d->consumers));
	fds = calloc(d->nrings, sizeof(*fds));
	if (!d->consumers || !fds)
		fatal("consumer threads");
	for (i = 0; i < d->nrings; i++)
		fds[i] = capture_ring_fd(d->cap, i);
	d->brake = brake_start(d->conf.priority_boost, fds, d->nrings, capture_ring_bytes(d->cap));
	free(fds);
	d->nconsumers = n;
	__atomic_store_n(&d->consumers_state, CONSUMERS_RUN, __ATOMIC_RELEASE);
	for (i = 0; i < n; i++) {
		t = &d->consumers[i];
		t->d = d;
		t->index = i;
		t->now = daemon_clock_ns(CLOCK_MONOTONIC) / 1000000000;
		t->limit = d->conf.log_format == CONF_FMT_BINARY ? CONSUMER_BATCH_BINARY
								 : CONSUMER_BATCH_TEXT;
		if (d->conf.log_format == CONF_FMT_ENRICHED) {
			t->names = names_new();
			if (!t->names)
				fatal("consumer thread %u", i);
		}
		t->rd = capture_reader_new(d->cap, i, n, on_record, t);
		if (!t->rd)
			fatal("consumer thread %u: reading the rings", i);
		CPU_ZERO(&t->cpus);
		for (ring = i; ring < d->nrings; ring += n)
			if (ring < CPU_SETSIZE)
				CPU_SET(ring, &t->cpus);
		encoders_start(t);
		if (!t->enc) {
			t->src = writer_source_new(d->w, t->names);
			if (!t->src)
				fatal("consumer thread %u: writer", i);
		}
		err = pthread_create(&t->thread, NULL, consumer_run, t);
		if (err) {
			errno = err;
			fatal("consumer thread %u", i);
		}
	}
}

void consumers_stop(struct daemon *d, enum consumers_state how)
{
	struct consumer *t;
	unsigned int i;

	/* draining, the consumers keep up: nothing more to hold back */
	if (d->brake)
		log_info("the brake held the CPUs for %.3f s", brake_spun_ns(d->brake) / 1e9);
	brake_stop(d->brake);
	d->brake = NULL;
	__atomic_store_n(&d->consumers_state, how, __ATOMIC_RELEASE);
	for (i = 0; i < d->nconsumers; i++) {
		t = &d->consumers[i];
		pthread_join(t->thread, NULL);
		d->delivered += t->delivered;
		d->filtered += t->filtered;
		d->malformed += t->malformed;
		capture_reader_free(t->rd);
		names_free(t->names);
		free(t->batch);
		encoders_free(t);
	}
	free(d->consumers);
	d->consumers = NULL;
	d->nconsumers = 0;
}

uint64_t consumers_report_losses(struct daemon *d)
{
	uint64_t now, was, lost = 0;
	const char *name;
	char fields[256];
	int nr, k, err;

	err = capture_counts(d->cap, d->cur);
	if (err) {
		log_warnx("reading the loss counters: %s", strerror(-err));
		return 0;
	}
	for (nr = 0; nr < LA_NR_MAX; nr++) {
		for (k = 0; k < LA_CNT__MAX; k++) {
			now = d->cur[nr].n[k];
			was = d->seen[nr].n[k];
			if (!counter_info[k].loss || now == was)
				continue;
			lost += now - was;
			/* -f 0: losses are silent, as the kernel's failure flag 0 */
			if (d->failure == 0)
				continue;
			name = audit_syscall_to_name(nr, MACH_86_64);
			snprintf(fields, sizeof(fields),
				 "op=lost syscall=%d name=%s reason=%s lost=%" PRIu64
				 " total=%" PRIu64 " res=failed",
				 nr, name ? name : "unknown", counter_info[k].name, now - was, now);
			daemon_put(d, "DAEMON_ERR", fields);
			log_warnx("lost %" PRIu64 " %s records (%s)", now - was,
				  name ? name : "unknown", counter_info[k].name);
		}
	}
	memcpy(d->seen, d->cur, sizeof(d->seen));
	return lost;
}

uint64_t consumers_merged(const struct daemon *d)
{
	uint64_t merged = 0;
	int nr;

	for (nr = 0; nr < LA_NR_MAX; nr++)
		merged += d->cur[nr].n[LA_CNT_MERGED];
	return merged;
}

uint64_t consumers_account(struct daemon *d, int *ok)
{
	uint64_t made = 0, lost = 0, filtered = 0;
	int nr;

	consumers_report_losses(d);
	for (nr = 0; nr < LA_NR_MAX; nr++) {
		made += d->cur[nr].n[LA_CNT_MADE];
		lost += counters_lost(&d->cur[nr]);
		filtered += counters_filtered(&d->cur[nr]);
	}
	filtered += d->filtered;
	*ok = made == d->delivered + lost + filtered;
	if (!*ok)
		log_warnx("accounting: %" PRIu64 " made, %" PRIu64 " delivered, %" PRIu64
			  " lost, %" PRIu64 " filtered",
			  made, d->delivered, lost, filtered);
	return lost;
}
