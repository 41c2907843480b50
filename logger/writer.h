/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The log writer: sources (one per consumer thread, one for the daemon's own
 * records) encode records in the configured format into buffers of their own,
 * batch by batch; one writer thread writes the batches in the order they began,
 * with a sticky error in the manner of redis's rio.
 */
#ifndef LAUDITD_LOGGER_WRITER_H
#define LAUDITD_LOGGER_WRITER_H

#include <stdint.h>

#include "conf/conf.h"
#include "formats/record.h"

struct writer;
struct writer_source;

struct writer_stats {
	uint64_t records;    /* records written to the file */
	uint64_t write_lost; /* records that could not be written (errors, suspended) */
	uint64_t bytes;	     /* bytes written */
	uint64_t rotations;
	uint64_t serial; /* the last serial given */
	int error;	 /* the first write error (negative errno), or 0 */
	int suspended;	 /* a disk or size action stopped writing */
};

/*
 * writer_open() - open (create, append to) the configured log file, creating its
 * directory when missing, in the configured format (RAW, ENRICHED, BINARY), and
 * start the writer and compression threads.  @o: the text options, copied.
 * Return: the writer, or NULL with errno set.
 */
struct writer *writer_open(const struct conf *c, const struct text_opts *o);

/*
 * writer_source_new() - a source of records: one per thread that puts records;
 * a source is used by one thread at a time.  It lives until writer_close().
 * @id_arg: if not NULL, the text options' id_arg for this source's records (the
 * id_name callback is called from the source's thread with it).
 * Return: the source, or NULL with errno set.
 */
struct writer_source *writer_source_new(struct writer *w, void *id_arg);

/*
 * writer_begin() - start a batch of at most @n records: the batch takes the next
 * place in the log and the next @n serials, so that serials increase through
 * the file whatever source encoded them.  Waits while every buffer of @s is with
 * the writer thread.  The batches after it are written once it ends: put its
 * records and end it without waiting on anything else.
 * Return: 0, or -EBUSY when @s has a batch open.
 */
int writer_begin(struct writer_source *s, unsigned int n);

/*
 * writer_put() - encode @r, stamped with the batch's next serial (@r's own
 * stamp.serial is not used), into @s's buffer; a full buffer goes to the writer
 * thread.
 * Return: 0, or a negative errno (the record is counted as lost): -EINVAL with
 * no batch open, -ERANGE past the batch's @n records, or the encoder's.
 */
int writer_put(struct writer_source *s, const struct log_record *r);

/*
 * writer_end() - end the batch: its buffers go to the writer thread, which
 * writes them in their turn, then syncs as the flush setting says when @flush.
 * Serials of the batch that no record took are not used.
 */
void writer_end(struct writer_source *s, int flush);

/*
 * writer_flush() - wait until every batch ended so far is written, and synced as
 * the flush setting says.
 * Return: 0, or the first write error (a negative errno).
 */
int writer_flush(struct writer *w);

/*
 * writer_set_rotate_record() - after each rotation the new log starts with a
 * DAEMON_ROTATE record with @fields (copied; NULL: no record).  Call it before
 * the first batch.  Return: 0 or -ENOMEM.
 */
int writer_set_rotate_record(struct writer *w, const char *fields);

/*
 * writer_set_dispatch() - every record put from now on goes to @d's plugins
 * too (even with write_logs = no, which writes no file).  Call it before the
 * first writer_source_new().
 */
struct dispatch;
void writer_set_dispatch(struct writer *w, struct dispatch *d);

/*
 * writer_set_serial() - the next serial given is @last + 1 (a writer reopened on
 * a new configuration goes on from the old one's writer_stats().serial).  Call
 * it before the first batch.
 */
void writer_set_serial(struct writer *w, uint64_t last);

/*
 * writer_rotate() - switch to a new log (SIGUSR1), as max_log_file does, once
 * the batches begun so far are written: the current one becomes PATH.1 and so
 * on, compressed in the background when compress_logs is on.
 */
void writer_rotate(struct writer *w);

/* writer_resume() - write again after a SUSPEND action (SIGUSR2). */
void writer_resume(struct writer *w);

/* writer_stats() - what the writer has done so far. */
void writer_stats(const struct writer *w, struct writer_stats *out);

/*
 * writer_close() - write every batch ended so far, sync, close, free the
 * sources; no batch may be open.  Accepts NULL.
 */
void writer_close(struct writer *w);

#endif /* LAUDITD_LOGGER_WRITER_H */
