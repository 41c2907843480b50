/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the binary log's encoder (binary_enc.c) and decoder (binary_dec.c) share:
 * the layout constants of formats/FORMAT.md, the per-thread state both sides
 * predict the next event from, and byte order, zigzag and checksum helpers.
 * Private to formats/.
 */
#ifndef LAUDITD_FORMATS_BINARY_INT_H
#define LAUDITD_FORMATS_BINARY_INT_H

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "formats/binary.h"

static const uint8_t seg_magic[8] = {0x89, 'L', 'A', 'B', '\r', '\n', 0x1a, '\n'};
static const uint8_t blk_magic[4] = {0xb1, 'L', 'B', 'K'};
/* Version 3's hash chain (logger/bin_chain.c): links after units, a seal ending a segment */
static const uint8_t lnk_magic[4] = {0xb1, 'L', 'N', 'K'};
static const uint8_t lnp_magic[4] = {0xb1, 'L', 'N', 'P'};
static const uint8_t seal_magic[4] = {0xb1, 'L', 'S', 'L'};

#define SEG_HEAD  24  /* fixed part of a segment header */
#define BLK_HEAD  24  /* fixed part of a block header */
#define INDEX_LEN 112 /* block index, version 1 */
/* Version 2: k, flags, reserved, then the filter's bytes */
#define FILTER_HEAD	 4
#define INDEX_LEN2	 (INDEX_LEN + FILTER_HEAD)
#define FILTER_MAX_BYTES 32768 /* a block's filter is at most this long */
#define FILTER_K	 5     /* bits set per value */
#define FILTER_BITS_PER	 8     /* filter bits per distinct value */
/* The encoder keeps room for the longest header and index before the records. */
#define DATA_OFF    (BLK_HEAD + INDEX_LEN2 + FILTER_MAX_BYTES)
#define THREADS_MAX 16384 /* threads per block */
/* A link: magic, CRC, seq, hash; after a segment header also the hash before it. */
#define LINK_LEN       48
#define LINK_START_LEN 80
/* A seal: magic, CRC, seq, head, time, flags, reserved, then the signature. */
#define SEAL_LEN      128
#define SEAL_SIGNED   64 /* bytes 8..63 are signed, 16..63 hashed into the chain */
#define SEAL_F_SIGNED 0x01
#define CHAIN_HASH    32

/* The first byte of a record */
#define OP_SAME_THREAD 0x01
#define OP_NR_SHIFT    1 /* 2 bits: NR_* */
#define OP_RET	       0x08
#define OP_ARGS	       0x10
#define OP_CTX	       0x20
#define OP_ITEMS       0x40
#define OP_STAMP       0x80

enum { NR_SAME = 0, NR_PREV = 1, NR_EXPLICIT = 2 };

/* Record types after thread slot 0 */
enum { REC_DAEMON = 0 };

/* Context bits: the fields that usually repeat, in the order they are written. */
enum {
	CTX_CPU,
	CTX_FLAGS,
	CTX_PID,
	CTX_PPID,
	CTX_COMM,
	CTX_EXE,
	CTX_TITLE,
	CTX_KEY,
	CTX_EXEC_ID,
	CTX_CGROUP,
	CTX_AUID,
	CTX_UID,
	CTX_GID,
	CTX_EUID,
	CTX_SUID,
	CTX_FSUID,
	CTX_EGID,
	CTX_SGID,
	CTX_FSGID,
	CTX_SES,
	CTX_TTY,
	CTX_KIND,
	CTX_NBITS
};

/* The __u32 fields coded as 32-bit differences, by context bit (0: not one). */
static const uint16_t ctx_u32[CTX_NBITS] = {
	[CTX_PID] = offsetof(struct la_event, pid),
	[CTX_PPID] = offsetof(struct la_event, ppid),
	[CTX_AUID] = offsetof(struct la_event, auid),
	[CTX_UID] = offsetof(struct la_event, uid),
	[CTX_GID] = offsetof(struct la_event, gid),
	[CTX_EUID] = offsetof(struct la_event, euid),
	[CTX_SUID] = offsetof(struct la_event, suid),
	[CTX_FSUID] = offsetof(struct la_event, fsuid),
	[CTX_EGID] = offsetof(struct la_event, egid),
	[CTX_SGID] = offsetof(struct la_event, sgid),
	[CTX_FSGID] = offsetof(struct la_event, fsgid),
	[CTX_SES] = offsetof(struct la_event, ses),
};

static inline uint32_t *ev_u32(struct la_event *ev, unsigned int bit)
{
	return (uint32_t *)((char *)ev + ctx_u32[bit]);
}

static inline uint32_t ev_u32c(const struct la_event *ev, unsigned int bit)
{
	return *(const uint32_t *)((const char *)ev + ctx_u32[bit]);
}

/* What predicts a syscall's arguments, return and duration: its last call by the thread. */
struct sc_cache {
	uint32_t valid;
	int32_t nr;
	uint64_t args[LA_NARGS];
	int64_t ret;
	uint64_t dur;
};

/* Per thread and block: the previous event, which the next one is coded against. */
struct thread {
	struct la_event h;	 /* header of the thread's last event */
	int32_t nr2;		 /* syscall of the event before that */
	int32_t exe, title, key; /* dictionary entries; -1: NULL */
	struct sc_cache sc[4];	 /* by nr & 3 */
};

struct stamp_state {
	uint64_t sec;
	uint64_t serial;
	uint32_t msec;
};

static inline void thread_reset(struct thread *t)
{
	memset(t, 0, sizeof(*t));
	t->exe = t->title = t->key = -1;
}

/* The prediction for @nr: the thread's last call of it, else its last event. */
static inline void thread_predict(const struct thread *t, int32_t nr, const uint64_t **args,
				  int64_t *ret, uint64_t *dur)
{
	const struct sc_cache *c = &t->sc[(uint32_t)nr & 3];

	if (c->valid && c->nr == nr) {
		*args = c->args;
		*ret = c->ret;
		*dur = c->dur;
	} else {
		*args = (const uint64_t *)t->h.args;
		*ret = t->h.ret;
		*dur = t->h.ts_exit - t->h.ts_enter;
	}
}

/* After an event: the encoder and the decoder update the same way. */
static inline void thread_update(struct thread *t, const struct la_event *ev)
{
	struct sc_cache *c = &t->sc[(uint32_t)ev->nr & 3];

	t->nr2 = t->h.nr;
	memcpy(&t->h, ev, sizeof(t->h));
	c->valid = 1;
	c->nr = ev->nr;
	memcpy(c->args, ev->args, sizeof(c->args));
	c->ret = ev->ret;
	c->dur = ev->ts_exit - ev->ts_enter;
}

static inline uint64_t zz64(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t unzz64(uint64_t u)
{
	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

static inline uint32_t zz32(int32_t v)
{
	return ((uint32_t)v << 1) ^ (uint32_t)(v >> 31);
}

static inline int32_t unzz32(uint32_t u)
{
	return (int32_t)(u >> 1) ^ -(int32_t)(u & 1);
}

static inline void le16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static inline void le32(uint8_t *p, uint32_t v)
{
	le16(p, v);
	le16(p + 2, v >> 16);
}

static inline void le64(uint8_t *p, uint64_t v)
{
	le32(p, v);
	le32(p + 4, v >> 32);
}

static inline uint16_t get16(const uint8_t *p)
{
	return p[0] | (uint16_t)p[1] << 8;
}

static inline uint32_t get32(const uint8_t *p)
{
	return get16(p) | (uint32_t)get16(p + 2) << 16;
}

static inline uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static inline uint32_t crc(const uint8_t *p, size_t len)
{
	uLong c = crc32(0, Z_NULL, 0);

	/* zlib's length is a uInt: feed large buffers in pieces */
	while (len > 0x40000000) {
		c = crc32(c, p, 0x40000000);
		p += 0x40000000;
		len -= 0x40000000;
	}
	return crc32(c, p, len);
}

/*
 * The length of the link or seal at @p when its magic and CRC hold; 0 when it
 * is none, or is damaged or cut short.
 */
static inline size_t chain_unit_len(const uint8_t *p, size_t rem)
{
	size_t n;

	if (rem < 8)
		return 0;
	if (!memcmp(p, lnk_magic, 4))
		n = LINK_LEN;
	else if (!memcmp(p, lnp_magic, 4))
		n = LINK_START_LEN;
	else if (!memcmp(p, seal_magic, 4))
		n = SEAL_LEN;
	else
		return 0;
	return n <= rem && get32(p + 4) == crc(p + 8, n - 8) ? n : 0;
}

static inline int grow(void **p, uint32_t *cap, uint32_t want, size_t size)
{
	uint32_t n = *cap ? *cap : 16;
	void *q;

	if (want <= *cap)
		return 0;
	if (want > UINT32_MAX / 2)
		return -ENOMEM;
	while (n < want)
		n *= 2;
	q = realloc(*p, (size_t)n * size);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

/*
 * A value of the block filter: its kind over the id, or over three bytes of a
 * string (b0 | b1 << 8 | b2 << 16), hashed with MurmurHash3's 64-bit finalizer.
 */
static inline uint64_t filter_hash(unsigned int kind, uint32_t v)
{
	uint64_t h = (uint64_t)kind << 32 | v;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static inline uint32_t filter_tri(const uint8_t *s)
{
	return s[0] | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16;
}

/* The @i-th bit of value hash @h in a filter of @m bits (double hashing). */
static inline uint32_t filter_bit(uint64_t h, unsigned int i, uint32_t m)
{
	uint32_t g = (uint32_t)h + i * ((uint32_t)(h >> 32) | 1);

	return (uint32_t)(((uint64_t)g * m) >> 32);
}

static inline void set_stamp(struct stamp_state *s, const struct text_stamp *st)
{
	s->sec = st->sec;
	s->msec = st->msec;
	s->serial = st->serial;
}

/* The block filter's distinct values (their hashes), kept until the block closes. */
struct filter_set {
	uint64_t *v;
	uint32_t *slot; /* of v[i] in tab */
	uint32_t n, cap, slot_cap;
	uint64_t *tab; /* open addressing; 0: free */
	uint32_t mask;
	int full;	    /* out of memory: the filter says "maybe" to everything */
	uint8_t flags;	    /* BIN_FILTER_F_* */
	uint8_t null_kinds; /* "(null)" added for these kinds (bit BIN_FILTER_*) */
};

/* formats/binary_filter.c: the encoder's block filter */
void filter_reset(struct filter_set *fs);
/* Add value @v of @kind to the block filter, once. */
void filter_add(struct filter_set *fs, unsigned int kind, uint32_t v);
/* Every three-byte substring of @s. */
void filter_str(struct filter_set *fs, unsigned int kind, const uint8_t *s, size_t len);
/* The substrings across ausearch's join of "./x" and "../x" to the directory @cwd. */
void filter_join(struct filter_set *fs, const uint8_t *cwd, size_t len);
/* "(null)" as @kind, once a block. */
void filter_null(struct filter_set *fs, unsigned int kind);
/* The filter's length in bytes. */
uint32_t filter_bytes(const struct filter_set *fs);
/* The index's version 2 part: k, flags, reserved, then @bytes of filter. */
void filter_put(uint8_t *p, const struct filter_set *fs, uint32_t bytes);

#endif /* LAUDITD_FORMATS_BINARY_INT_H */
