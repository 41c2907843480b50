/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The writer's inside, shared by the files that make it up and by no one else:
 * writer.c (sources, batches in the log's order, the writer thread), logfile.c
 * (the file: layout for O_DIRECT, writes, syncs, torn-tail repair), rotate.c
 * (rotation, retention, compression of closed segments) and disk.c (the
 * disk-space and disk-error actions).
 */
#ifndef LAUDITD_LOGGER_WRITER_IMPL_H
#define LAUDITD_LOGGER_WRITER_IMPL_H

#include <limits.h>
#include <pthread.h>
#include <sys/types.h>

#include "formats/binary.h"
#include "logger/dispatch.h"
#include "logger/writer.h"

#define WRITER_ALIGN 4096
/* A chunk: what the writer thread takes at once, at most this. */
#define WRITER_CHUNK (1024 * 1024)
/* The writer thread's buffer: a carried tail, a segment header and a chunk always fit. */
#define WRITER_OUT (WRITER_CHUNK + 2 * WRITER_ALIGN)
/*
 * A source's ring of encoded bytes, and of chunk descriptors.  The ring is what
 * the consumer may run ahead of the writer thread while a write waits for the
 * disk: at full speed a consumer encodes 250 MB of text a second, and a direct
 * write or a rotation can take tens of milliseconds.
 */
#define WRITER_RING   (16 * 1024 * 1024)
#define WRITER_CHUNKS 256
/* A segment's name: the log's, ".N" and ".lz4" */
#define WRITER_NAME_MAX (PATH_MAX + 32)
/* Room kept free for one record: a larger one goes to a new chunk. */
#define WRITER_ROOM TEXT_EVENT_MAX

/*
 * Whole records of one batch, contiguous in its source's ring (a binary block
 * may span two chunks).  Positions count bytes since the ring was made.
 */
struct wchunk {
	uint64_t pos;	  /* of its first byte */
	size_t len;	  /* its bytes */
	size_t release;	  /* ring bytes freed once it is written: len, and padding before it */
	uint64_t records; /* records whose last byte is in it */
	uint64_t ticket;  /* the batch's place in the log */
	int last;	  /* the batch's last chunk */
	int flush;	  /* the batch asks for a sync */
	struct wchunk *next;
};

/*
 * A source encodes into a ring of its own; the writer thread copies its chunks
 * out in their turn, which frees their bytes in the ring's order.
 */
struct writer_source {
	struct writer *w;
	struct text_opts opts;
	struct bin_encoder *bin;
	uint64_t bin_records;	    /* records in the binary encoder's open block */
	int bin_priming;	    /* the encoder's segment header is being dropped */
	struct wchunk *bin_counted; /* where the block bin_encode() closed was counted */
	struct dispatch_src *disp;  /* the plugins' copy of the batch, or NULL */
	char *ring;		    /* WRITER_RING bytes */
	uint64_t head;		    /* where the next byte goes */
	uint64_t room_end;	    /* the ring is known to be free up to here */
	struct wchunk *cur;	    /* being filled; NULL between batches */
	uint64_t ticket;
	uint64_t dseq;		     /* its turn to go to the plugins; 0: none (the daemon's) */
	uint64_t serial, serial_end; /* the next serial given, and the end of the batch's */
	struct wchunk chunks[WRITER_CHUNKS];
	/* under writer.lock */
	uint64_t tail; /* bytes before it are free */
	struct wchunk *free;
	struct wchunk *queue, **queue_tail; /* handed to the writer thread, in order */
	struct writer_source *next;
};

/* A rotation waiting for its place in the log. */
struct wmark {
	uint64_t ticket;
	uint64_t serial; /* of the DAEMON_ROTATE that opens the new log; 0: none */
	struct wmark *next;
};

/* The open log file and the bytes going to it next: the writer thread's alone (logfile.c). */
struct logfile {
	int fd;			 /* buffered: the tail, or everything without O_DIRECT */
	int dfd;		 /* O_DIRECT, or -1 */
	int dio;		 /* out is laid out for O_DIRECT */
	char *out;		 /* WRITER_ALIGN-aligned, WRITER_OUT bytes */
	size_t out_len;		 /* bytes in out */
	size_t out_carried;	 /* leading bytes already written (and counted) */
	off_t out_off;		 /* file offset of out[0] (block-aligned with O_DIRECT) */
	uint64_t out_records;	 /* records whose last byte is in out, not yet written */
	int out_flush;		 /* sync at the next write */
	size_t add_start;	 /* where the last logfile_add()'s bytes begin in out */
	uint64_t add_records;	 /* its records */
	struct bin_encoder *bin; /* log_format = BINARY: DAEMON_ROTATE's encoder */
	struct bin_chain *chain; /* BINARY: the hash chain, in file order */
	uint8_t *seg_hdr;	 /* the segment header every file starts with */
	size_t seg_hdr_len;
	int need_header;   /* BINARY: the next block starts a segment */
	off_t header_end;  /* where the latest segment header ends in the file */
	uint64_t unsynced; /* records since the last sync */
	/* flush = INCREMENTAL_ASYNC: the sync thread's (logfile.c), under writer.lock */
	pthread_t sthread;
	int sstarted;
	pthread_cond_t scond; /* a sync asked for, or done */
	int sync_req;	      /* the sync thread is to fdatasync fd */
	int syncing;	      /* it is in fdatasync */
};

/* Rotation, retention and compression of closed segments (rotate.c). */
struct rotation {
	char *fields;	     /* DAEMON_ROTATE's, or NULL: none is written (under lock) */
	struct wmark *marks; /* rotations waiting for their turn (under lock) */
	struct wmark **marks_tail;
	uint64_t young;	    /* bytes handed after the last rotation waiting (under lock) */
	uint64_t last_mark; /* the ticket of the last rotation given one (under lock) */
	int size_warned;    /* max_log_file_action SYSLOG said so (writer thread) */
	int req;	    /* a disk action asks for a rotation (atomic) */
	int compress_due;   /* closed segments wait for compression (under lock) */
	pthread_t cthread;  /* the compression thread */
	int cstarted;
	pthread_cond_t ccond;	  /* work for the compression thread */
	pthread_mutex_t seg_lock; /* held while segment files are renamed or compressed */
};

struct writer {
	struct conf conf;
	struct text_opts opts;
	struct logfile file;
	struct rotation rot;
	struct dispatch *disp; /* the plugins, or NULL (writer_set_dispatch()) */
	int space_state;       /* 0 fine, 1 below space_left, 2 below admin_space_left (disk.c) */

	/* the order of the log (writer.c) */
	pthread_t thread;
	int started;
	pthread_mutex_t lock;
	pthread_cond_t cond;  /* a free buffer, or the writer thread's progress */
	pthread_cond_t wcond; /* work for the writer thread */
	pthread_cond_t dcond; /* a batch went to the plugins */
	uint64_t dseqs;	      /* the consumers' batches given a turn to go to the plugins */
	uint64_t dnext;	      /* the turn going next */
	struct writer_source *sources;
	uint64_t tickets;     /* places in the log given so far (batches and rotations) */
	uint64_t next_ticket; /* the one the writer thread takes next */
	uint64_t serial;      /* the last serial given */
	uint64_t layout_end;  /* the writer thread's end of the log (out_off + out_len) */
	uint64_t handed;      /* bytes handed to the writer thread, not taken yet */
	int idle;	      /* the writer thread waits for work (out may hold bytes) */
	int flush_req;	      /* writer_flush() asks for a write and a sync */
	int resume_req;	      /* writer_resume(): lay out anew from the file's end */
	int closing;
	struct writer_stats st;
};

/* writer.c */

/*
 * writer_wait_all() - until the writer thread has taken every batch begun so
 * far and waits for more; @flush: and has written what it holds, synced as the
 * flush setting says.  Return: the first write error, or 0.
 */
int writer_wait_all(struct writer *w, int flush);

/* logfile.c: the writer thread's, unless said otherwise */

/* logfile_open() - open the log file (mkdir -p of its directory); its size in @size. */
int logfile_open(struct writer *w, off_t *size);

/* logfile_close() - sync as the flush setting says, and close.  Any thread. */
void logfile_close(struct writer *w);

/*
 * logfile_sync_start() - flush = INCREMENTAL_ASYNC: start the thread that
 * fdatasyncs the log every freq records, so that the writer thread does not
 * wait for it.  Return: 0 or a negative errno.
 */
int logfile_sync_start(struct writer *w);

/* logfile_sync_stop() - end the sync thread (w->closing set). */
void logfile_sync_stop(struct writer *w);

/*
 * logfile_restart() - lay out what comes next from file offset @off: with
 * O_DIRECT, from the block that holds @off, its head read back from the file.
 */
void logfile_restart(struct writer *w, off_t off);

/* logfile_dirty() - whether out holds bytes or records not written yet. */
int logfile_dirty(const struct writer *w);

/*
 * logfile_flush_out() - write what out holds (@sync: and sync as the flush
 * setting says).  Records that cannot be written are counted; a failure cuts
 * the file back and carries out the disk action.  @w->lock not held.
 */
void logfile_flush_out(struct writer *w, int sync);

/*
 * logfile_add() - append @len bytes holding @records whole records to out, after
 * the segment header when the file needs one; out is written first when they
 * do not fit.  @len is at most WRITER_CHUNK.
 */
void logfile_add(struct writer *w, const void *p, size_t len, uint64_t records, int flush);

/*
 * logfile_cut_torn_line() - cut off a text log's last record when it was never
 * completely written (@quiet: without a warning).
 * Return: the new size, or a negative errno.
 */
off_t logfile_cut_torn_line(struct writer *w, off_t size, int quiet);

/* logfile_bin_open() - the writer's own binary encoder and the segment header. */
int logfile_bin_open(struct writer *w);

/*
 * logfile_seal() - BINARY: end the segment with its seal (signed with
 * signing_key), put in out.  Nothing when no unit came since the last seal.
 */
void logfile_seal(struct writer *w);

/* logfile_relayout() - SIGUSR2: lay out anew from where the file ends. */
void logfile_relayout(struct writer *w);

/* rotate.c */

/* rotate_compress_thread() - compresses closed segments when rot.compress_due says so. */
void *rotate_compress_thread(void *arg);

/*
 * rotate_mark() - give a rotation the next place in the log (and a serial for
 * its DAEMON_ROTATE).  @w->lock held.  Return: 0 or -ENOMEM.
 */
int rotate_mark(struct writer *w);

/*
 * rotate_size_reached() - whether the log that the next batch would go to
 * reaches max_log_file, with what the writer thread has been handed for it.
 * @w->lock held.
 */
int rotate_size_reached(const struct writer *w);

/* rotate_do() - a rotation's turn: what came before to the old file, then a new one. */
void rotate_do(struct writer *w, const struct wmark *m);

/* rotate_check_size() - after a batch: past max_log_file, act as max_log_file_action says. */
void rotate_check_size(struct writer *w);

/* disk.c: the writer thread's */

/*
 * disk_action() - carry out a disk action.  @what names the condition for the
 * messages.  Return: nonzero when writing must stop (SUSPEND, and SINGLE and
 * HALT, which also take the system down as auditd does).
 */
int disk_action(struct writer *w, const struct conf_action *a, const char *what);

/*
 * disk_check_space() - space_left and admin_space_left, each acted on once as
 * free space falls past it.  Return: as disk_action().
 */
int disk_check_space(struct writer *w);

#endif /* LAUDITD_LOGGER_WRITER_IMPL_H */
