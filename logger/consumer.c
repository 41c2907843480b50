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
	uint64_t now; /* CLOCK_MONOTONIC seconds */
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
	unsigned int ring;
	int n, full = 0, state;
	cpu_set_t cpus;

	CPU_ZERO(&cpus);
	for (ring = t->index; ring < d->nrings; ring += d->nconsumers)
		if (ring < CPU_SETSIZE)
			CPU_SET(ring, &cpus);
	priority_stage(d->conf.priority_boost, &cpus, "consumer thread");
	while (!(state = __atomic_load_n(&d->consumers_state, __ATOMIC_ACQUIRE))) {
		/* a full batch stopped the last consume: go on without waiting */
		if (full)
			n = capture_reader_consume(t->rd);
		else
			n = capture_reader_poll(t->rd, d->conf.poll_interval_ms);
		full = n == -ENOBUFS;
		if (n < 0 && !full && n != -EINTR)
			fatalx("reading the rings: %s", strerror(-n));
		t->now = daemon_clock_ns(CLOCK_MONOTONIC) / 1000000000;
		if (t->staged)
			brake_batch(d->brake, full);
		consumer_commit(t, !full);
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

void consumers_start(struct daemon *d)
{
	unsigned int i, n = consumer_count(d);
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
		t->src = writer_source_new(d->w, t->names);
		if (!t->src)
			fatal("consumer thread %u: writer", i);
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
