/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lauditd's compact binary log (log_format = BINARY), specified in formats/FORMAT.md.
 *
 * A segment (one log file) is a segment header followed by blocks.  A block holds
 * whole records, carries its own checksums and an index (time, serial and pid
 * ranges, syscalls present), and is decodable on its own: the delta and string
 * state starts afresh in every block, so a reader can skip blocks by their index
 * and recover after a damaged one.
 *
 * The encoder takes struct log_record one at a time and hands finished blocks to
 * a write callback; the decoder takes a whole segment in memory and calls back
 * for each record.  Neither does any I/O of its own.
 */
#ifndef LAUDITD_FORMATS_BINARY_H
#define LAUDITD_FORMATS_BINARY_H

#include <stddef.h>
#include <stdint.h>

#include "formats/record.h"

/* Format version written in segment headers: 3 with the hash chain, else 2. */
#define BIN_VERSION	  3
#define BIN_VERSION_PLAIN 2
/* Oldest version readers still decode (version 1: blocks without a filter). */
#define BIN_VERSION_MIN 1
/* A block is closed once it holds this many bytes of records (the default). */
#define BIN_BLOCK_SIZE (64 * 1024)
/* Largest open block: past it, bin_encode() refuses records (writes are failing). */
#define BIN_BLOCK_MAX (16 * 1024 * 1024)
/* Largest event (la_event.size) the format carries. */
#define BIN_EVENT_MAX (1024 * 1024)
/* Syscall numbers in the block index: nr 0..510 own a bit, the rest share bit 511. */
#define BIN_NR_BITS 512

struct bin_encoder;

struct bin_encoder_opts {
	/* Segment header strings, copied; NULL is written as "". */
	const char *host;
	const char *boot_id;
	const char *kernel;
	/* Close a block at this many bytes of records; 0: BIN_BLOCK_SIZE. */
	size_t block_size;
	/*
	 * Write @len bytes (a segment header, or one whole block) at the end of the
	 * current segment.  Return 0 when all of it was written, else a negative errno;
	 * the encoder then writes the same bytes (and more) again later, and readers
	 * skip whatever part of the failed write reached the file.
	 */
	int (*write)(void *arg, const void *buf, size_t len);
	void *write_arg;
};

/*
 * bin_encoder_new() - an encoder with no open block.  The first block it writes
 * is preceded by a segment header.
 * @o: options, see struct bin_encoder_opts; o->write is required.
 * Return: the encoder, or NULL with errno set (EINVAL, ENOMEM).
 */
struct bin_encoder *bin_encoder_new(const struct bin_encoder_opts *o);

/*
 * bin_encode() - append one record to the open block, writing the block once it
 * reaches the block size.
 * @r: a LOG_REC_EVENT (r->ev passing wire_check(), at most BIN_EVENT_MAX bytes)
 *     or a LOG_REC_DAEMON (r->type and r->fields not NULL).
 * Return: 0; -EINVAL for a malformed record, -ENOMEM (nothing appended either way);
 * -ENOBUFS when the open block can take no more because writes keep failing (it
 * holds BIN_BLOCK_MAX bytes or 16384 threads; nothing appended); or the write
 * callback's error, in which case the record was appended and the open block is
 * kept, to be written by the next block close or bin_flush().
 */
int bin_encode(struct bin_encoder *e, const struct log_record *r);

/*
 * bin_flush() - close the open block, if it holds records, and write it (after the
 * segment header if this segment has none yet).  Call it at each flush point and
 * before switching files.
 * Return: 0, or the write callback's error (the block stays open for a retry).
 */
int bin_flush(struct bin_encoder *e);

/*
 * bin_segment() - start a new segment: bin_flush(), then write a segment header.
 * Call it right after opening each new file (rotation); the first segment's header
 * is written without it.
 * Return: 0, or the write callback's error (a header not written is retried
 * before the next block).
 */
int bin_segment(struct bin_encoder *e);

/*
 * bin_encoder_chained() - make @e's segment headers say version 3: the writer
 * follows each unit (segment header, block) with the link of a hash chain and
 * ends each segment with a seal (logger/bin_chain.h).  Call it before the
 * first write; without it they say version 2.
 */
void bin_encoder_chained(struct bin_encoder *e);

/* bin_encoder_free() - free @e without writing anything (bin_flush() first).  Accepts NULL. */
void bin_encoder_free(struct bin_encoder *e);

/* What a segment header says. */
struct bin_segment_info {
	uint64_t offset; /* of the header in the input */
	unsigned int version;
	const char *host; /* NUL-terminated, valid during the callback */
	const char *boot_id;
	const char *kernel;
};

/*
 * What a block's filter (format version 2) holds, by kind: the substrings of at
 * least three bytes of the strings ausearch matches -k, -x and -f against, and
 * the user ids it matches -ui, -ue, -ul and -ua against.
 */
enum bin_filter_kind {
	BIN_FILTER_KEY = 1,  /* rule keys; "(null)" for events without one */
	BIN_FILTER_EXE = 2,  /* executables; "(null)" for events without one */
	BIN_FILTER_NAME = 3, /* names of PATH, CWD and SOCKADDR records, joined ones too */
	BIN_FILTER_UID = 4,  /* la_event.uid */
	BIN_FILTER_EUID = 5, /* la_event.euid */
	BIN_FILTER_AUID = 6, /* la_event.auid */
};

/* A block's index, as the filter callback sees it. */
struct bin_block_index {
	uint64_t offset;  /* of the block in the input */
	uint64_t length;  /* bytes of the whole block */
	uint32_t records; /* records of any kind */
	uint32_t events;  /* LOG_REC_EVENT records; records - events are daemon records */
	/* Stamp times (sec * 1000 + msec) and serials, over all records. */
	uint64_t time_min, time_max;
	uint64_t serial_min, serial_max;
	/* la_event.pid over the events; both 0 when there are none. */
	uint32_t pid_min, pid_max;
	uint8_t syscalls[BIN_NR_BITS / 8]; /* bit nr % 8 of byte nr / 8 */
	/* Version 2: the block's filter, valid during the callback; NULL before. */
	const uint8_t *filter;
	uint32_t filter_bits; /* 0: the block holds no value of any kind */
	uint8_t filter_k;     /* bits per value */
	uint8_t filter_flags; /* BIN_FILTER_F_* */
};

/* filter_flags: some event's strings could make ausearch read a key or an exe
 * out of another field: queries by string must not skip the block. */
#define BIN_FILTER_F_STRINGS_UNSURE 0x01

/* bin_index_has_syscall() - whether events of syscall @nr may be in the block. */
static inline int bin_index_has_syscall(const struct bin_block_index *ix, int32_t nr)
{
	unsigned int bit = nr >= 0 && nr < BIN_NR_BITS - 1 ? (unsigned int)nr : BIN_NR_BITS - 1;

	return (ix->syscalls[bit / 8] >> (bit % 8)) & 1;
}

/*
 * bin_index_may_have_id() - whether events with @v as their id of @kind
 * (BIN_FILTER_UID, _EUID, _AUID) may be in the block.
 * Return: 0 when none is (the filter says so), else 1 (the block has no filter,
 * or it may hold one).
 */
int bin_index_may_have_id(const struct bin_block_index *ix, enum bin_filter_kind kind, uint32_t v);

/*
 * bin_index_may_have_substr() - whether a string of @kind (BIN_FILTER_KEY,
 * _EXE, _NAME) holding @s (@len bytes) as a substring may be in the block.
 * Return: 0 when none is, else 1 (also for @len < 3, which the filter cannot
 * tell, and for blocks without a filter).
 */
int bin_index_may_have_substr(const struct bin_block_index *ix, enum bin_filter_kind kind,
			      const char *s, size_t len);

enum bin_problem_kind {
	/* The input ends inside a header or block, or with bytes that are no valid
	 * block: everything from the offset to the end is unreadable. */
	BIN_PROBLEM_TORN = 1,
	/* A damaged header or block: the bytes up to the next valid one are skipped. */
	BIN_PROBLEM_CORRUPT = 2,
	/* A segment of a format version this reader does not know: skipped. */
	BIN_PROBLEM_VERSION = 3,
};

struct bin_problem {
	enum bin_problem_kind kind;
	uint64_t offset;    /* where the unreadable bytes start */
	uint64_t length;    /* how many bytes are skipped */
	const char *reason; /* e.g. "block checksum mismatch"; valid during the callback */
};

struct bin_decode_ops {
	/*
	 * Required: one decoded record.  r->ev (passing wire_check()) and every
	 * string in @r are valid during the call only.  Return 0 to go on; any other
	 * value stops decoding and becomes bin_decode()'s return value.
	 */
	int (*record)(void *arg, const struct log_record *r);
	/* Optional: return nonzero to decode the block, 0 to skip it. */
	int (*filter)(void *arg, const struct bin_block_index *ix);
	/* Optional: a torn tail, damaged bytes or an unknown version. */
	void (*problem)(void *arg, const struct bin_problem *p);
	/* Optional: a segment header; return as for @record. */
	int (*segment)(void *arg, const struct bin_segment_info *s);
};

struct bin_decode_stats {
	uint64_t segments;   /* valid segment headers */
	uint64_t blocks;     /* valid blocks, decoded or skipped */
	uint64_t skipped;    /* blocks the filter skipped */
	uint64_t records;    /* records delivered */
	uint64_t corrupt;    /* CORRUPT and VERSION problems */
	uint64_t torn;	     /* 1 when the input has a torn tail */
	uint64_t bytes_lost; /* bytes in problems */
};

/*
 * bin_decode() - decode @len bytes of binary log (one segment, or several one
 * after the other, or a tail of one) and call @ops back for each segment header,
 * block index, record and problem, in input order.  Problems never stop decoding:
 * damaged bytes are skipped up to the next valid block.
 * @st: if not NULL, filled with what was found.
 * Return: 0 once the whole input was read; a callback's nonzero return; -EINVAL
 * when @buf or ops->record is NULL; -ENOMEM.
 */
int bin_decode(const void *buf, size_t len, const struct bin_decode_ops *ops, void *arg,
	       struct bin_decode_stats *st);

#endif /* LAUDITD_FORMATS_BINARY_H */
