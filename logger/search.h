/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lausearch's parts: the query (ausearch 3.0.9's selection options, combined with
 * AND), the time forms of -ts/-te, the selection of one event and its output.
 *
 * An event is selected and printed from its RAW text, the text lauditd writes in
 * log_format = RAW, so that the answer is ausearch's for the same events: the
 * fields are found in the records as ausearch finds them.  The block index of the
 * binary log first skips the blocks that cannot match (time, pid, syscall, and the
 * filter's keys, exes, names and user ids).
 */
#ifndef LAUDITD_LOGGER_SEARCH_H
#define LAUDITD_LOGGER_SEARCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ebpf/wire.h"
#include "formats/binary.h"
#include "formats/text.h"

struct search_text;

#define SEARCH_MAX_TYPES 64
#define SEARCH_MAX_NODES 16

enum search_success { SEARCH_SUCCESS_ANY = 0, SEARCH_SUCCESS_YES = 1, SEARCH_SUCCESS_NO = 2 };

enum search_format {
	SEARCH_FMT_RAW = 1,
	SEARCH_FMT_DEFAULT,
	SEARCH_FMT_INTERPRET,
	SEARCH_FMT_TEXT,
	SEARCH_FMT_CSV,
	SEARCH_FMT_JSON,
};

/* What to look for: every option given must match (ausearch's AND). */
struct search_query {
	time_t start, end;  /* -ts, -te; 0: none */
	long long event_id; /* -a; -1: any */
	int ntypes;	    /* -m; 0: any */
	int types[SEARCH_MAX_TYPES];
	int nnodes; /* -n */
	const char *nodes[SEARCH_MAX_NODES];
	long long pid, ppid; /* -p, -pp; -1: any */
	int syscall;	     /* -sc; -1: any */
	int machine;	     /* --arch (libaudit's MACH_*); -1: any */
	long long session;   /* --session; -2: any */
	int exit_set;	     /* -e */
	long long exit;
	enum search_success success; /* -sv */
	/* -ui, -ue, -ul: -1 (-2 for -ul) any; -ua sets all three and any_uid */
	long long uid, euid, loginuid;
	int any_uid;
	long long gid, egid; /* -gi, -ge; -ga sets both and any_gid */
	int any_gid;
	const char *comm, *exe, *file, *key, *terminal; /* -c -x -f -k -tm: substrings */
	int exact;					/* -w: whole strings */
	int context; /* -se, -su, -o: SELinux contexts, which lauditd's records lack */
};

/* search_query_init() - a query that matches every event. */
void search_query_init(struct search_query *q);

/*
 * search_match() - whether one event matches, as ausearch decides it.
 * @text, @len: the event's RAW text, one record a line, each ending in '\n'.
 * @sec, @serial: its stamp.
 * Return: 1 or 0.
 */
int search_match(const struct search_query *q, const char *text, size_t len, uint64_t sec,
		 uint64_t serial);

/*
 * search_query_all() - whether @q selects every event lauditd writes, whatever
 * its records (-m ALL, or -ts/-te alone, whose records the reading drops): no
 * field is read, and the text of each (its SYSCALL record always has the
 * syscall=, a0= and a1= that ausearch needs) is one search_match() takes.
 */
int search_query_all(const struct search_query *q);

/*
 * search_event_may_match() - 0 when a syscall event cannot match (its pid, ppid,
 * syscall, success or exit is not the one asked for, nor its key or exe, @key
 * and @id's, the one -k or -x asks for), before its text is made; 1 otherwise.
 */
int search_event_may_match(const struct search_query *q, const struct la_event *ev,
			   const struct text_ident *id, const char *key);

/*
 * search_block() - whether a block with index @ix may hold a match; the search
 * skips it otherwise (time range, serial, pid, syscall; -k, -x, -f, -ui, -ue, -ul,
 * -ua by the block filter; -n always, the records carrying no node name).
 */
int search_block(const struct search_query *q, const struct bin_block_index *ix);

/*
 * search_time() - one -ts or -te value as ausearch 3.0.9 reads it, in local time.
 * @date: a date in the locale's %x, or now, recent, boot, today, yesterday,
 *        this-week, week-ago, this-month, this-year; NULL: today's date.
 * @tod: a time (HH:MM or HH:MM:SS); NULL: midnight for a start, the current time
 *       for an end.
 * @end: 1 for -te (today means now, a missing time is the current time).
 * @now: the current time; @uptime: seconds since boot (for boot).
 * @out: the time.
 * Return: 0, or -EINVAL for a form ausearch refuses.
 */
int search_time(const char *date, const char *tod, int end, time_t now, long uptime, time_t *out);

/*
 * search_when() - -ts/-te at @argv[@i] and their one or two values, as ausearch
 * and aureport read them: a second value that does not start with '-' is taken;
 * the one with a ':' is the time.  @end: 1 for -te.  @out: the time.
 * Return: the number of values taken, or -EINVAL (reported on stderr).
 */
int search_when(int argc, char **argv, int i, int end, time_t *out);

/* search_time_word() - whether @s is one of the time words (now, today, ...). */
int search_time_word(const char *s);

/*
 * Called for each event in ausearch's order; nonzero stops the search.  @owner is
 * the one given to search_order_add() (NULL: the text is the order's copy, valid
 * only during the call).
 */
typedef int (*search_emit_fn)(void *arg, const char *text, size_t len, uint64_t sec, uint32_t msec,
			      uint64_t serial, struct search_text *owner);

struct search_order;

/* search_order_new() - the order of ausearch (search_order.c); NULL with errno set. */
struct search_order *search_order_new(search_emit_fn emit, void *arg);

/*
 * search_order_add() - one event read, in the log's order.
 * @text, @len: its RAW text when it matches, to be printed in its turn; NULL when
 *              it does not (it is held for the order only).
 * @owner: the text buffer that holds @text: the order keeps a reference to it (not
 *         a copy of the text) until the event is emitted; NULL: the text is copied.
 * @one_record: a daemon record, which ausearch deems done at once.
 * @type: the type of its first record (for search_order_seen()).
 * Return: 0, -ENOMEM, or the first nonzero return of @emit (or of the seen
 * callback) for the events this one lets out.
 */
int search_order_add(struct search_order *o, const char *text, size_t len,
		     struct search_text *owner, uint64_t sec, uint32_t msec, uint64_t serial,
		     int one_record, int type);

/* Called for every event in ausearch's order, after @emit for those that match. */
typedef int (*search_seen_fn)(void *arg, uint64_t sec, uint32_t msec, uint64_t serial, int type);

/* search_order_seen() - call @seen too (NULL: not). */
void search_order_seen(struct search_order *o, search_seen_fn seen);

/* search_order_finish() - the input's end: emit every event held.  Return: as above. */
int search_order_finish(struct search_order *o);

/* search_order_free() - accepts NULL. */
void search_order_free(struct search_order *o);

struct search_out;

/*
 * search_out_new() - an output of events in @fmt to @f.
 * Return: it, or NULL with errno set.
 */
struct search_out *search_out_new(enum search_format fmt, FILE *f);

/*
 * search_out_event() - print one matching event.
 * @text, @len: its RAW text; @sec, @msec, @serial: its stamp.
 * Return: 0, or -EIO on an output error.
 */
int search_out_event(struct search_out *o, const char *text, size_t len, uint64_t sec,
		     uint32_t msec, uint64_t serial);

/* ausearch's --extra-* columns of --format csv */
#define SEARCH_CSV_KEYS	  1u
#define SEARCH_CSV_LABELS 2u
#define SEARCH_CSV_OBJ2	  4u
#define SEARCH_CSV_TIME	  8u

/* search_out_csv_extra() - the SEARCH_CSV_* columns to add to csv. */
void search_out_csv_extra(struct search_out *o, unsigned int extra);

/* search_out_free() - accepts NULL. */
void search_out_free(struct search_out *o);

/*
 * search_out_json() - print one event as a JSON object on a line (search_json.c).
 * @buf, @len: its RAW text, NUL-terminated, which is changed in place.
 * Return: 0.
 */
int search_out_json(FILE *f, char *buf, size_t len, uint64_t sec, uint32_t msec, uint64_t serial);

/*
 * search_json_string() - append @s (@len bytes) to @f as a JSON string: quoted,
 * escaped, bytes that are not UTF-8 written as \u00XX.
 */
void search_json_string(FILE *f, const char *s, size_t len);

/* An input's bytes: mapped, or read into memory (pipes, decompressed lz4). */
struct search_input {
	unsigned char *buf;
	size_t len;
	int mapped;
};

/*
 * search_input_open() - @path's bytes ("-": stdin), decompressed when they are an
 * lz4 frame (a damaged or cut frame is reported, what came before it kept).
 * Return: 0, or a negative errno.
 */
int search_input_open(const char *path, struct search_input *in);

/* search_input_free() - unmap or free; accepts NULL. */
void search_input_free(struct search_input *in);

/*
 * The block pool (search_pool.c): the blocks the index lets through decoded on
 * worker threads, their entries used on the caller's thread in the log's order.
 */

/* One record kept by a worker: its stamp, and where its text is in the block's text. */
struct search_entry {
	uint64_t sec, serial;
	uint64_t off; /* of the text in the batch's text buffer */
	uint32_t msec;
	uint32_t len;
	uint32_t flags; /* SEARCH_E_* */
	uint32_t type;	/* of the first record, when the program asks for it */
};

#define SEARCH_E_TEXT 1u /* the text follows */
#define SEARCH_E_ONE  2u /* a daemon record: an event of one record */
#define SEARCH_E_USER 4u /* the program's own meaning */

/*
 * A block's texts, one after the other in the log's order: counted references,
 * taken and dropped on the caller's thread only (search_text_ref(),
 * search_text_unref()), so that a text is written from where the worker made it,
 * and the texts of a block that follow each other with one write.
 */
struct search_text {
	char *buf;
	size_t len, cap;
	int refs;
	struct search_text **home; /* its pool's free list; NULL once the pool is gone */
	struct search_text *next;
};

/* search_text_ref() - one more reference to @t (NULL: none). */
static inline void search_text_ref(struct search_text *t)
{
	if (t)
		t->refs++;
}

/* search_text_unref() - drop one; the last returns @t to its pool.  Accepts NULL. */
static inline void search_text_unref(struct search_text *t)
{
	if (!t || --t->refs)
		return;
	if (!t->home) {
		free(t->buf);
		free(t);
		return;
	}
	t->len = 0;
	t->next = *t->home;
	*t->home = t;
}

/* A block's entries and texts. */
struct search_batch {
	unsigned char *buf; /* the entries */
	size_t len, cap;
	size_t last; /* offset of the last entry */
	struct search_text *text;
};

/*
 * search_batch_room() - where the next text goes, with room for @n bytes: a worker
 * writes an event's text there and keeps it with search_batch_add(), without a
 * copy.  Return: it, or NULL (out of memory).
 */
char *search_batch_room(struct search_batch *b, size_t n);

/*
 * search_batch_add() - keep one record: its stamp, @flags, and @text (@len bytes;
 * NULL: none), copied unless it is at search_batch_room().  Return: 0 or -ENOMEM.
 */
int search_batch_add(struct search_batch *b, const char *text, size_t len,
		     const struct text_stamp *st, unsigned int flags);

/* search_batch_type() - set the type of the entry search_batch_add() last kept. */
void search_batch_type(struct search_batch *b, int type);

struct search_pool_ops {
	/*
	 * On a worker, or on the caller's thread while it waits: one record of a
	 * block; adds to @b what use() will need.
	 */
	int (*record)(void *arg, struct search_batch *b, const struct log_record *r);
	/*
	 * On the caller's thread, in the log's order; nonzero stops.  @text is in
	 * @owner, valid during the call, or longer with a search_text_ref() of it.
	 */
	int (*use)(void *arg, const struct search_entry *e, const char *text,
		   struct search_text *owner);
	/* On the caller's thread, before the block's entries; optional. */
	void (*problem)(void *arg, const struct bin_problem *p);
};

struct search_pool;

/*
 * search_pool_new() - a pool of @workers threads (0: blocks decoded by the
 * caller, each when it is queued).  Return: it, or NULL with errno set.
 */
struct search_pool *search_pool_new(int workers, const struct search_pool_ops *ops, void *arg);

/*
 * search_pool_block() - queue the block of @ix in the input at @base (which stays
 * mapped until search_pool_drain()); uses the oldest blocks when the window is
 * full.  Return: 0, or the first nonzero return of use() or record().
 */
int search_pool_block(struct search_pool *p, const void *base, const struct bin_block_index *ix);

/*
 * search_pool_drain() - use every block queued (after a nonzero return, the rest
 * are decoded but not used).  Return: as search_pool_block().
 */
int search_pool_drain(struct search_pool *p);

/*
 * search_pool_free() - drain, stop the workers, free; accepts NULL.  The
 * references to its text buffers taken with search_text_ref() are dropped before.
 */
void search_pool_free(struct search_pool *p);

/* search_pool_workers() - the workers to start: the CPUs online, or @asked (>= 0). */
int search_pool_workers(int asked);

/*
 * --checkpoint FILE and -ts checkpoint (search_checkpt.c), as ausearch 3.0.9.
 */
struct search_checkpt {
	const char *path;
	int timeonly; /* -ts checkpoint */
	/* the file read: the log and the event it names */
	int loaded;
	unsigned long long in_dev, in_ino;
	int has_node;
	char node[256];
	uint64_t sec, serial;
	uint32_t msec;
	int type;
	int can_output;
	/* what the file will say */
	unsigned long long dev, ino;
	uint64_t last_sec, last_serial;
	uint32_t last_msec;
	int last_type;
	int corrupted; /* exit 12 */
	int failed;    /* exit 11 */
};

enum { SEARCH_CK_SKIP, SEARCH_CK_PRINT, SEARCH_CK_AFTER, SEARCH_CK_CORRUPT };

/*
 * search_checkpt_load() - read @path (absent: no checkpoint yet).
 * Return: 0, or a negative errno (reported on stderr): ausearch exits 10.
 */
int search_checkpt_load(struct search_checkpt *c, const char *path);

/* search_checkpt_is_file() - whether @path is the log the checkpoint names. */
int search_checkpt_is_file(const struct search_checkpt *c, const char *path);

/*
 * search_checkpt_decide() - for a matching event: SEARCH_CK_PRINT, SEARCH_CK_SKIP
 * (before the checkpoint), SEARCH_CK_AFTER (the checkpoint's event: the next ones
 * are printed) or SEARCH_CK_CORRUPT (reported on stderr).
 */
int search_checkpt_decide(struct search_checkpt *c, uint64_t sec, uint32_t msec, uint64_t serial,
			  int type);

/* search_checkpt_seen() - an event taken out, matching or not. */
void search_checkpt_seen(struct search_checkpt *c, uint64_t sec, uint32_t msec, uint64_t serial,
			 int type);

/* search_checkpt_file() - the log last read.  Return: 0 or a negative errno. */
int search_checkpt_file(struct search_checkpt *c, const char *path);

/* search_checkpt_save() - write the file.  Return: 0 or a negative errno. */
int search_checkpt_save(struct search_checkpt *c);

/* The configuration whose log_file names the logs read without -if. */
#define SEARCH_CONF_PATH "/etc/lauditd/lauditd.conf"

/*
 * search_default_log_dir() - the directory of the configuration's log_file: the
 * logs read without -if (lausearch, laureport).
 */
void search_default_log_dir(char *dir, size_t cap);

/*
 * search_verify_main() - lausearch --verify [-if FILE|DIR ...] [--key PUB]: the
 * hash chain of the inputs checked, the first problem printed with its file and
 * offset.  Return: the exit status, 0 only for an intact chain.
 */
int search_verify_main(int argc, char **argv);

/* search_warnx() - "PROGRAM: MESSAGE" on stderr (each program defines it). */
void search_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* LAUDITD_LOGGER_SEARCH_H */
