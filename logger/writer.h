/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The log writer: encodes records in the configured format into a buffer and
 * writes it to the log file, with a sticky error in the manner of redis's rio.
 */
#ifndef LAUDITD_LOGGER_WRITER_H
#define LAUDITD_LOGGER_WRITER_H

#include <stdint.h>

#include "conf/conf.h"
#include "formats/record.h"

struct writer;

struct writer_stats {
	uint64_t records;    /* records written to the file */
	uint64_t write_lost; /* records that could not be written (errors, suspended) */
	uint64_t bytes;	     /* bytes written */
	uint64_t rotations;
	int error;     /* the first write error (negative errno), or 0 */
	int suspended; /* a disk or size action stopped writing */
};

/* Called right after each rotation, to write the new log's first record (DAEMON_ROTATE). */
typedef void (*writer_rotate_fn)(void *arg);

/*
 * writer_open() - open (create, append to) the configured log file, creating its
 * directory when missing, in the configured format (RAW, ENRICHED, BINARY).
 * Return: the writer, or NULL with errno set.
 */
struct writer *writer_open(const struct conf *c, const struct text_opts *o);

/*
 * writer_put() - encode @r into the buffer, writing the buffer out when full.
 * Return: 0, or a negative errno (the record is counted as lost).
 */
int writer_put(struct writer *w, const struct log_record *r);

/*
 * writer_flush() - write the buffer out and sync as the flush setting says.
 * Return: 0 or a negative errno.
 */
int writer_flush(struct writer *w);

/* writer_set_rotate_fn() - @fn is called after every rotation, with @arg. */
void writer_set_rotate_fn(struct writer *w, writer_rotate_fn fn, void *arg);

/*
 * writer_rotate() - switch to a new log now (SIGUSR1), as max_log_file does: the
 * current one becomes PATH.1 and so on, compressed in the background when
 * compress_logs is on.
 */
void writer_rotate(struct writer *w);

/* writer_resume() - write again after a SUSPEND action (SIGUSR2). */
void writer_resume(struct writer *w);

/* writer_stats() - what the writer has done so far. */
void writer_stats(const struct writer *w, struct writer_stats *out);

/* writer_close() - flush, sync, close.  Accepts NULL. */
void writer_close(struct writer *w);

#endif /* LAUDITD_LOGGER_WRITER_H */
