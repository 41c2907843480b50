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
#include <time.h>

#include "ebpf/wire.h"
#include "formats/binary.h"

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
 * search_event_may_match() - 0 when a syscall event cannot match (its pid, ppid,
 * syscall, success or exit is not the one asked for), before its text is made;
 * 1 otherwise.
 */
int search_event_may_match(const struct search_query *q, const struct la_event *ev);

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

/* Called for each event in ausearch's order; nonzero stops the search. */
typedef int (*search_emit_fn)(void *arg, const char *text, size_t len, uint64_t sec, uint32_t msec,
			      uint64_t serial);

struct search_order;

/* search_order_new() - the order of ausearch (search_order.c); NULL with errno set. */
struct search_order *search_order_new(search_emit_fn emit, void *arg);

/*
 * search_order_add() - one event read, in the log's order.
 * @text, @len: its RAW text when it matches, to be printed in its turn; NULL when
 *              it does not (it is held for the order only).
 * @one_record: a daemon record, which ausearch deems done at once.
 * Return: 0, -ENOMEM, or the first nonzero return of @emit for the events this
 * one lets out.
 */
int search_order_add(struct search_order *o, const char *text, size_t len, uint64_t sec,
		     uint32_t msec, uint64_t serial, int one_record);

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
