/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A capture's readers (capture_reader_new()): each reads some of the capture's
 * rings through libbpf, puts their records back in the order they were made
 * (logger/reorder.c) and hands them over; the consumer threads own one each.
 * They use the capture's rings only through capture.h.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <bpf/libbpf.h>

#include "ebpf/wire.h"
#include "logger/capture.h"
#include "logger/reorder.h"

/*
 * A reader has a libbpf ring buffer per ring, whose callback context names the
 * ring its records go to in the reorder queue; it waits on their epoll fds
 * together.
 */
struct capture_reader_ring {
	struct capture_reader *r;
	unsigned int ring;
	struct ring_buffer *rb;
	uint64_t last; /* the latest time of its records queued */
};

/*
 * Records wait this long after they were made before a reader hands them over:
 * time for every ring to deliver what was made before them (a program is
 * preemptible between taking its time and submitting its record).
 */
#define CAPTURE_HOLD_NS (50 * 1000 * 1000ULL)

struct capture_reader {
	capture_ring_fn fn;
	void *arg;
	struct reorder *rq; /* what was consumed, until its turn comes */
	size_t queue_max;   /* a ring's bytes in @rq past which it is left unread */
	unsigned int n;	    /* rings read */
	struct capture_reader_ring *rings;
	struct pollfd *pfds;
};

/* A record consumed: queued by the time it was made, to be handed over in order. */
static int capture_reader_on_record(void *ctx, void *data, size_t size)
{
	struct capture_reader_ring *rr = ctx;
	const struct la_event *ev = data;
	unsigned int i = rr - rr->r->rings;
	/* a record too short to hold its time goes first: the callback rejects it */
	uint64_t key = size >= sizeof(*ev) ? ev->ts_exit : 0;
	int err;

	err = reorder_push(rr->r->rq, i, key, data, size);
	if (err)
		return err;
	if (key > rr->last)
		rr->last = key;
	/*
	 * The queue is bounded: while the records behind it wait (for their turn,
	 * or for the writer), the ring keeps the rest, so that it fills and its
	 * wake-ups bring the consumer in before the programs.
	 */
	return reorder_bytes(rr->r->rq, i) >= rr->r->queue_max ? -ENOBUFS : 0;
}

static int capture_reader_hand_over(void *arg, unsigned int i, const void *rec, size_t size)
{
	struct capture_reader *r = arg;

	/* a positive return leaves the record queued */
	return r->fn(r->arg, r->rings[i].ring, rec, size);
}

static uint64_t capture_boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

struct capture_reader *capture_reader_new(struct capture *c, unsigned int first, unsigned int step,
					  capture_ring_fn fn, void *arg)
{
	struct capture_reader_ring *rr;
	struct capture_reader *r;
	unsigned int i, n, rings = capture_rings(c);
	int err = 0;

	if (!step || first >= rings || !fn) {
		errno = EINVAL;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->fn = fn;
	r->arg = arg;
	r->queue_max = 2 * capture_ring_bytes(c);
	n = (rings - first + step - 1) / step;
	r->rings = calloc(n, sizeof(*r->rings));
	r->pfds = calloc(n, sizeof(*r->pfds));
	r->rq = reorder_new(n);
	if (!r->rings || !r->pfds || !r->rq) {
		err = -ENOMEM;
		goto fail;
	}
	for (i = first; i < rings; i += step) {
		rr = &r->rings[r->n];
		rr->r = r;
		rr->ring = i;
		rr->rb =
			ring_buffer__new(capture_ring_fd(c, i), capture_reader_on_record, rr, NULL);
		if (!rr->rb) {
			err = -errno;
			goto fail;
		}
		r->pfds[r->n].fd = ring_buffer__epoll_fd(rr->rb);
		r->pfds[r->n].events = POLLIN;
		r->n++;
	}
	return r;
fail:
	capture_reader_free(r);
	errno = -err;
	return NULL;
}

int capture_reader_poll(struct capture_reader *r, int timeout_ms)
{
	/* a wake-up, or the interval: then every ring, woken or not */
	if (poll(r->pfds, r->n, timeout_ms) < 0)
		return -errno;
	return capture_reader_consume(r);
}

/*
 * Consume every ring into the queue, then hand over what was made up to @until.
 *
 * The queue is bounded: a ring whose records queued reach twice its size is
 * read no further (the callback says -ENOBUFS) until they are handed over, so
 * that the kernel's ring fills (and the programs count what does not fit)
 * rather than this queue grow without end.  The records still in such a ring
 * were made after those queued from it: nothing later than its last queued
 * record is handed over meanwhile, which hands over at least its own.  Stages
 * that keep up leave only the records of the last CAPTURE_HOLD_NS queued.
 */
static int capture_reader_run(struct capture_reader *r, uint64_t until)
{
	struct capture_reader_ring *rr;
	unsigned int i;
	int n;

	for (i = 0; i < r->n; i++) {
		rr = &r->rings[i];
		n = ring_buffer__consume(rr->rb);
		if (n == -ENOBUFS) {
			/* its queue is full: the rest stays in the ring */
			if (rr->last < until)
				until = rr->last;
			continue;
		}
		if (n < 0)
			return n;
	}
	return reorder_pop(r->rq, until, capture_reader_hand_over, r);
}

int capture_reader_consume(struct capture_reader *r)
{
	/* a single ring is in order already: nothing to wait for */
	return capture_reader_run(r,
				  r->n == 1 ? UINT64_MAX : capture_boottime_ns() - CAPTURE_HOLD_NS);
}

int capture_reader_drain(struct capture_reader *r)
{
	return capture_reader_run(r, UINT64_MAX);
}

int capture_reader_flush(struct capture_reader *r)
{
	return reorder_pop(r->rq, UINT64_MAX, capture_reader_hand_over, r);
}

void capture_reader_free(struct capture_reader *r)
{
	unsigned int i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++)
		ring_buffer__free(r->rings[i].rb);
	free(r->rings);
	free(r->pfds);
	reorder_free(r->rq);
	free(r);
}
