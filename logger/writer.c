/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The writer is a pipeline.  Each source (a consumer thread, or the daemon's own
 * records) encodes whole records into buffers of its own, one batch at a time; a
 * batch takes its place in the log and its serials when it begins, so that the
 * serials increase through the file whichever thread encoded them.  One writer
 * thread takes the buffers in batch order, lays them out in the file, writes,
 * syncs as the flush setting says, rotates, and watches disk space; another
 * compresses closed segments.  Neither encoding nor the disk waits for the
 * other, and a source waits for no one's buffers but its own.
 *
 * This file holds the sources, the order of the log and the writer thread;
 * logfile.c the file itself, rotate.c rotation and retention, disk.c the disk
 * actions (writer_impl.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf/rules_watch.h"
#include "logger/bin_chain.h"
#include "logger/log.h"
#include "logger/priority.h"
#include "logger/writer_impl.h"

/*
 * The next thing in the log's order: a rotation, or a chunk of the batch whose
 * turn it is (*@src set to its source).  @w->lock held.
 */
static int writer_next(struct writer *w, struct wmark **m, struct wchunk **b,
		       struct writer_source **src)
{
	struct writer_source *s;

	if (w->rot.marks && w->rot.marks->ticket == w->next_ticket) {
		*m = w->rot.marks;
		w->rot.marks = (*m)->next;
		if (!w->rot.marks)
			w->rot.marks_tail = &w->rot.marks;
		/* what comes next goes to the new log */
		w->layout_end = 0;
		return 1;
	}
	for (s = w->sources; s; s = s->next) {
		if (!s->queue || s->queue->ticket != w->next_ticket)
			continue;
		*b = s->queue;
		s->queue = (*b)->next;
		if (!s->queue)
			s->queue_tail = &s->queue;
		*src = s;
		return 1;
	}
	return 0;
}

static void *writer_thread(void *arg)
{
	struct writer *w = arg;
	struct writer_source *s = NULL;
	struct wmark *m;
	struct wchunk *b;
	int suspended, flush;

	/* the consumers wait for it when it falls behind: it runs as they do */
	priority_stage(w->conf.priority_boost, NULL, "writer thread");
	pthread_mutex_lock(&w->lock);
	for (;;) {
		if (w->resume_req) {
			w->resume_req = 0;
			pthread_mutex_unlock(&w->lock);
			logfile_relayout(w);
			pthread_mutex_lock(&w->lock);
			w->layout_end = (uint64_t)w->file.out_off + w->file.out_len;
			continue;
		}
		m = NULL;
		b = NULL;
		if (!writer_next(w, &m, &b, &s)) {
			/* nothing whose turn it is: write what a flush asks for */
			if ((logfile_dirty(w) && w->file.out_flush) || w->flush_req) {
				flush = w->flush_req;
				w->flush_req = 0;
				pthread_mutex_unlock(&w->lock);
				logfile_flush_out(w, flush);
				pthread_mutex_lock(&w->lock);
				continue;
			}
			w->idle = 1;
			pthread_cond_broadcast(&w->cond);
			if (w->closing)
				break;
			pthread_cond_wait(&w->wcond, &w->lock);
			w->idle = 0;
			continue;
		}
		suspended = w->st.suspended;
		pthread_mutex_unlock(&w->lock);

		if (!w->conf.write_logs)
			; /* write_logs = no: the records went to the plugins only */
		else if (m)
			rotate_do(w, m);
		else if (!suspended)
			logfile_add(w, s->ring + b->pos % WRITER_RING, b->len, b->records,
				    b->flush);
		if ((m || b->last) && w->conf.write_logs)
			rotate_check_size(w);

		pthread_mutex_lock(&w->lock);
		w->layout_end = (uint64_t)w->file.out_off + w->file.out_len;
		if (b) {
			if (suspended)
				w->st.write_lost += b->records;
			w->handed -= b->len;
			s->tail += b->release;
			b->next = s->free;
			s->free = b;
		}
		if (m || b->last)
			w->next_ticket++;
		free(m);
		pthread_cond_broadcast(&w->cond);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* A chunk descriptor of @s for its batch, starting at the ring's head.  @w->lock held. */
static struct wchunk *writer_take_chunk(struct writer_source *s)
{
	struct wchunk *c;

	while (!s->free)
		pthread_cond_wait(&s->w->cond, &s->w->lock);
	c = s->free;
	s->free = c->next;
	memset(c, 0, sizeof(*c));
	c->pos = s->head;
	c->ticket = s->ticket;
	return c;
}

/* Hand the current chunk to the writer thread; unless it ends the batch, start another. */
static void writer_hand(struct writer_source *s, int last, int flush)
{
	struct writer *w = s->w;
	struct wchunk *c = s->cur;

	c->last = last;
	c->flush = flush;
	pthread_mutex_lock(&w->lock);
	w->handed += c->len;
	/* after the last rotation waiting: the batch's ticket is larger */
	if (w->rot.marks && c->ticket > w->rot.last_mark)
		w->rot.young += c->len;
	*s->queue_tail = c;
	s->queue_tail = &c->next;
	pthread_cond_signal(&w->wcond);
	s->cur = last ? NULL : writer_take_chunk(s);
	pthread_mutex_unlock(&w->lock);
}

/*
 * Make @need contiguous free bytes (at most WRITER_ROOM) at the ring's head for
 * the current chunk: a full chunk is handed on, the head wraps to the ring's
 * start when its end is too near, and the source waits while the writer thread
 * has not yet copied out what the room needs.
 */
static void writer_room(struct writer_source *s, size_t need)
{
	struct writer *w = s->w;
	size_t contig = WRITER_RING - s->head % WRITER_RING;

	if (s->cur->len + need > WRITER_CHUNK)
		writer_hand(s, 0, 0);
	if (contig < need) {
		if (s->cur->len)
			writer_hand(s, 0, 0);
		/* the padding is freed with the chunk that follows it */
		s->head += contig;
		s->cur->pos = s->head;
		s->cur->release += contig;
	}
	if (s->head + need <= s->room_end)
		return;
	/* the writer thread can free nothing of the chunk in hand: hand it on */
	if (s->cur->len)
		writer_hand(s, 0, 0);
	pthread_mutex_lock(&w->lock);
	while (s->head + need > s->tail + WRITER_RING)
		pthread_cond_wait(&w->cond, &w->lock);
	s->room_end = s->tail + WRITER_RING;
	pthread_mutex_unlock(&w->lock);
}

/* @n bytes were written at the ring's head: they belong to the current chunk. */
static void writer_grow(struct writer_source *s, size_t n)
{
	s->head += n;
	s->cur->len += n;
	s->cur->release += n;
}

/*
 * A source's binary encoder writes blocks into the source's ring, contiguous
 * when they fit in a chunk's room.  Its segment header is dropped: the writer
 * thread starts every file with its own.
 */
static int writer_source_bin_out(void *arg, const void *buf, size_t len)
{
	struct writer_source *s = arg;
	const char *p = buf;
	size_t n, contig;

	if (s->bin_priming)
		return 0;
	while (len) {
		writer_room(s, len < WRITER_ROOM ? len : WRITER_ROOM);
		contig = WRITER_RING - s->head % WRITER_RING;
		n = s->room_end - s->head;
		n = n < contig ? n : contig;
		n = n < WRITER_CHUNK - s->cur->len ? n : WRITER_CHUNK - s->cur->len;
		n = n < len ? n : len;
		memcpy(s->ring + s->head % WRITER_RING, p, n);
		writer_grow(s, n);
		p += n;
		len -= n;
	}
	s->cur->records += s->bin_records;
	s->bin_records = 0;
	s->bin_counted = s->cur;
	return 0;
}

static void writer_source_free(struct writer_source *s)
{
	if (!s)
		return;
	bin_encoder_free(s->bin);
	dispatch_src_free(s->disp);
	free(s->ring);
	free(s);
}

struct writer_source *writer_source_new(struct writer *w, void *id_arg)
{
	struct bin_encoder_opts bo = {.write = writer_source_bin_out};
	struct writer_source *s;
	int i, err = -ENOMEM;

	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->w = w;
	s->opts = w->opts;
	if (id_arg)
		s->opts.id_arg = id_arg;
	s->queue_tail = &s->queue;
	s->ring = malloc(WRITER_RING);
	if (!s->ring)
		goto fail;
	s->room_end = WRITER_RING;
	s->disp = dispatch_src_new(w->disp);
	if (!s->disp && errno) {
		err = -errno;
		goto fail;
	}
	for (i = 0; i < WRITER_CHUNKS; i++) {
		s->chunks[i].next = s->free;
		s->free = &s->chunks[i];
	}
	if (w->file.bin) {
		bo.write_arg = s;
		s->bin = bin_encoder_new(&bo);
		if (!s->bin) {
			err = -errno;
			goto fail;
		}
		/* its segment header is written now, and dropped */
		s->bin_priming = 1;
		err = bin_segment(s->bin);
		s->bin_priming = 0;
		if (err)
			goto fail;
	}
	pthread_mutex_lock(&w->lock);
	s->next = w->sources;
	w->sources = s;
	pthread_mutex_unlock(&w->lock);
	return s;
fail:
	writer_source_free(s);
	errno = -err;
	return NULL;
}

int writer_begin(struct writer_source *s, unsigned int n)
{
	struct writer *w = s->w;

	if (s->cur)
		return -EBUSY;
	pthread_mutex_lock(&w->lock);
	/* a descriptor first: the batches after this one need not wait for it */
	s->cur = writer_take_chunk(s);
	/*
	 * The writer thread rotates only in the log's order, once it has written
	 * what was begun before; the sources run ahead of it by up to their rings,
	 * so max_log_file is checked here too, on what it has been handed.
	 */
	if (rotate_size_reached(w) && (w->conf.max_log_file_action == CONF_ROT_ROTATE ||
				       w->conf.max_log_file_action == CONF_ROT_KEEP_LOGS))
		rotate_mark(w);
	s->ticket = w->tickets++;
	s->cur->ticket = s->ticket;
	s->dseq = s->disp && !dispatch_src_daemon(s->disp) ? ++w->dseqs : 0;
	s->serial = w->serial + 1;
	w->serial += n;
	s->serial_end = w->serial + 1;
	pthread_mutex_unlock(&w->lock);
	return 0;
}

int writer_put(struct writer_source *s, const struct log_record *r)
{
	struct log_record lr = *r;
	char *p;
	int n;

	if (!s->cur || s->serial == s->serial_end) {
		n = s->cur ? -ERANGE : -EINVAL;
		goto lost;
	}
	lr.stamp.serial = s->serial++;
	if (!s->w->conf.write_logs) {
		n = s->disp ? dispatch_put(s->disp, &lr, NULL, 0, &s->opts) : 0;
		if (n)
			goto lost;
		return 0;
	}
	if (s->bin) {
		/* the plugins get text: RAW, as lausearch would print the log */
		if (s->disp)
			dispatch_put(s->disp, &lr, NULL, 0, &s->opts);
		/* counted with the block it closes, if it closes one */
		s->bin_records++;
		s->bin_counted = NULL;
		n = bin_encode(s->bin, &lr);
		if (!n)
			return 0;
		if (s->bin_counted)
			s->bin_counted->records--;
		else
			s->bin_records--;
		goto lost;
	}
	writer_room(s, WRITER_ROOM);
	p = s->ring + s->head % WRITER_RING;
	if (lr.kind == LOG_REC_EVENT)
		n = text_encode_event(p, WRITER_ROOM, lr.ev, &lr.stamp, &lr.ident, lr.key,
				      &s->opts);
	else
		n = text_encode_daemon(p, WRITER_ROOM, lr.type, &lr.stamp, lr.fields, &s->opts);
	if (n < 0)
		goto lost;
	if (lr.kind == LOG_REC_EVENT && lr.drop) {
		n = (int)rules_watch_drop_lines(p, n, lr.drop);
		if (!n)
			return 0; /* every record of it excluded */
	}
	if (s->disp)
		dispatch_put(s->disp, &lr, p, n, &s->opts);
	writer_grow(s, n);
	s->cur->records++;
	return 0;
lost:
	pthread_mutex_lock(&s->w->lock);
	s->w->st.write_lost++;
	pthread_mutex_unlock(&s->w->lock);
	return n;
}

/*
 * Hand the batch to the plugins in the log's order: the consumers' batches take
 * turns in the order they began (their tickets').  The daemon's own records do
 * not wait (the daemon thread must stay free to stop a stalled plugin); they go
 * when they are made.
 */
static void writer_dispatch(struct writer_source *s)
{
	struct writer *w = s->w;

	if (!s->dseq) {
		dispatch_end(s->disp);
		return;
	}
	pthread_mutex_lock(&w->lock);
	while (w->dnext != s->dseq)
		pthread_cond_wait(&w->dcond, &w->lock);
	pthread_mutex_unlock(&w->lock);
	dispatch_end(s->disp);
	pthread_mutex_lock(&w->lock);
	w->dnext++;
	pthread_cond_broadcast(&w->dcond);
	pthread_mutex_unlock(&w->lock);
}

void writer_end(struct writer_source *s, int flush)
{
	if (!s->cur)
		return;
	if (s->disp)
		writer_dispatch(s);
	/* the block's records belong to this batch: its writes cannot fail */
	if (s->bin)
		bin_flush(s->bin);
	writer_hand(s, 1, flush);
}

struct writer *writer_open(const struct conf *c, const struct text_opts *o)
{
	pthread_mutexattr_t ma;
	struct writer *w;
	off_t size;
	int err;

	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->file.fd = w->file.dfd = -1;
	w->conf = *c;
	w->opts = *o;
	pthread_mutex_init(&w->lock, NULL);
	/*
	 * The compression thread holds it while it compresses a segment, and the
	 * writer thread, boosted, may wait for it to rotate: the holder runs at
	 * the waiter's priority meanwhile.
	 */
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_INHERIT);
	pthread_mutex_init(&w->rot.seg_lock, &ma);
	pthread_mutexattr_destroy(&ma);
	pthread_cond_init(&w->cond, NULL);
	pthread_cond_init(&w->wcond, NULL);
	pthread_cond_init(&w->dcond, NULL);
	w->dnext = 1;
	pthread_cond_init(&w->rot.ccond, NULL);
	pthread_cond_init(&w->file.scond, NULL);
	w->rot.marks_tail = &w->rot.marks;
	if (posix_memalign((void **)&w->file.out, WRITER_ALIGN, WRITER_OUT)) {
		err = -ENOMEM;
		goto fail;
	}
	size = 0;
	err = c->write_logs ? logfile_open(w, &size) : 0;
	if (err)
		goto fail;
	if (size && c->log_format != CONF_FMT_BINARY) {
		size = logfile_cut_torn_line(w, size, 0);
		if (size < 0) {
			err = size;
			goto fail;
		}
	}
	w->file.dio = w->file.dfd >= 0;
	if (c->write_logs)
		logfile_restart(w, size);
	w->layout_end = size;
	if (c->log_format == CONF_FMT_BINARY && c->write_logs) {
		err = logfile_bin_open(w);
		if (err)
			goto fail;
		/* appended to, a file gets a segment of its own */
		w->file.need_header = 1;
	}
	err = logfile_sync_start(w);
	if (err)
		goto fail;
	err = -pthread_create(&w->thread, NULL, writer_thread, w);
	if (err)
		goto fail;
	w->started = 1;
	/* segments a previous run left uncompressed are compressed now */
	w->rot.compress_due = c->compress_logs && c->write_logs;
	err = -pthread_create(&w->rot.cthread, NULL, rotate_compress_thread, w);
	if (err)
		goto fail;
	w->rot.cstarted = 1;
	return w;
fail:
	writer_close(w);
	errno = -err;
	return NULL;
}

void writer_set_dispatch(struct writer *w, struct dispatch *d)
{
	w->disp = d;
}

void writer_set_serial(struct writer *w, uint64_t last)
{
	pthread_mutex_lock(&w->lock);
	w->serial = last;
	pthread_mutex_unlock(&w->lock);
}

/*
 * Until the writer thread has taken every batch begun so far and waits for more;
 * @flush: and has written what it holds, synced as the flush setting says.
 * Return: the first write error, or 0.
 */
int writer_wait_all(struct writer *w, int flush)
{
	uint64_t target;
	int err;

	pthread_mutex_lock(&w->lock);
	target = w->tickets;
	if (flush) {
		w->flush_req = 1;
		pthread_cond_signal(&w->wcond);
	}
	while (w->started && (w->next_ticket < target || w->flush_req || !w->idle))
		pthread_cond_wait(&w->cond, &w->lock);
	err = w->st.error;
	pthread_mutex_unlock(&w->lock);
	return err;
}

int writer_flush(struct writer *w)
{
	return writer_wait_all(w, 1);
}

void writer_stats(const struct writer *w, struct writer_stats *out)
{
	pthread_mutex_lock((pthread_mutex_t *)&w->lock);
	*out = w->st;
	out->serial = w->serial;
	pthread_mutex_unlock((pthread_mutex_t *)&w->lock);
}

void writer_close(struct writer *w)
{
	struct writer_source *s;
	struct wmark *m;

	if (!w)
		return;
	if (w->started)
		writer_wait_all(w, 1);
	pthread_mutex_lock(&w->lock);
	w->closing = 1;
	pthread_cond_signal(&w->wcond);
	pthread_cond_broadcast(&w->rot.ccond);
	pthread_mutex_unlock(&w->lock);
	if (w->started)
		pthread_join(w->thread, NULL);
	if (w->rot.cstarted)
		pthread_join(w->rot.cthread, NULL);
	/* a stopped daemon's log ends sealed */
	logfile_seal(w);
	logfile_flush_out(w, 1);
	logfile_sync_stop(w);
	logfile_close(w);
	while ((s = w->sources)) {
		w->sources = s->next;
		writer_source_free(s);
	}
	while ((m = w->rot.marks)) {
		w->rot.marks = m->next;
		free(m);
	}
	bin_encoder_free(w->file.bin);
	bin_chain_free(w->file.chain);
	free(w->file.seg_hdr);
	free(w->rot.fields);
	free(w->file.out);
	pthread_mutex_destroy(&w->lock);
	pthread_mutex_destroy(&w->rot.seg_lock);
	pthread_cond_destroy(&w->cond);
	pthread_cond_destroy(&w->wcond);
	pthread_cond_destroy(&w->dcond);
	pthread_cond_destroy(&w->rot.ccond);
	pthread_cond_destroy(&w->file.scond);
	free(w);
}
