/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The binary log: segment header, checksummed blocks with an index, and records
 * coded as differences from the previous record of the same thread.  The layout
 * is specified in formats/FORMAT.md; the names below follow it.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "formats/binary.h"
#include "formats/wire.h"

static const uint8_t seg_magic[8] = {0x89, 'L', 'A', 'B', '\r', '\n', 0x1a, '\n'};
static const uint8_t blk_magic[4] = {0xb1, 'L', 'B', 'K'};

#define SEG_HEAD    24	/* fixed part of a segment header */
#define BLK_HEAD    24	/* fixed part of a block header */
#define INDEX_LEN   112 /* block index, version 1 */
#define DATA_OFF    (BLK_HEAD + INDEX_LEN)
#define THREADS_MAX 16384 /* threads per block */

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

static uint32_t *ev_u32(struct la_event *ev, unsigned int bit)
{
	return (uint32_t *)((char *)ev + ctx_u32[bit]);
}

static uint32_t ev_u32c(const struct la_event *ev, unsigned int bit)
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

static void thread_reset(struct thread *t)
{
	memset(t, 0, sizeof(*t));
	t->exe = t->title = t->key = -1;
}

/* The prediction for @nr: the thread's last call of it, else its last event. */
static void thread_predict(const struct thread *t, int32_t nr, const uint64_t **args, int64_t *ret,
			   uint64_t *dur)
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
static void thread_update(struct thread *t, const struct la_event *ev)
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

static uint64_t stamp_ms(uint64_t sec, uint32_t msec)
{
	if (sec > (UINT64_MAX - msec) / 1000)
		return UINT64_MAX;
	return sec * 1000 + msec;
}

static uint64_t zz64(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t unzz64(uint64_t u)
{
	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

static uint32_t zz32(int32_t v)
{
	return ((uint32_t)v << 1) ^ (uint32_t)(v >> 31);
}

static int32_t unzz32(uint32_t u)
{
	return (int32_t)(u >> 1) ^ -(int32_t)(u & 1);
}

static void le16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void le32(uint8_t *p, uint32_t v)
{
	le16(p, v);
	le16(p + 2, v >> 16);
}

static void le64(uint8_t *p, uint64_t v)
{
	le32(p, v);
	le32(p + 4, v >> 32);
}

static uint16_t get16(const uint8_t *p)
{
	return p[0] | (uint16_t)p[1] << 8;
}

static uint32_t get32(const uint8_t *p)
{
	return get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static uint32_t crc(const uint8_t *p, size_t len)
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

static void index_put(uint8_t *p, const struct bin_block_index *ix)
{
	le32(p, ix->records);
	le32(p + 4, ix->events);
	le64(p + 8, ix->time_min);
	le64(p + 16, ix->time_max);
	le64(p + 24, ix->serial_min);
	le64(p + 32, ix->serial_max);
	le32(p + 40, ix->events ? ix->pid_min : 0);
	le32(p + 44, ix->pid_max);
	memcpy(p + 48, ix->syscalls, sizeof(ix->syscalls));
}

static void index_get(const uint8_t *p, struct bin_block_index *ix)
{
	ix->records = get32(p);
	ix->events = get32(p + 4);
	ix->time_min = get64(p + 8);
	ix->time_max = get64(p + 16);
	ix->serial_min = get64(p + 24);
	ix->serial_max = get64(p + 32);
	ix->pid_min = get32(p + 40);
	ix->pid_max = get32(p + 44);
	memcpy(ix->syscalls, p + 48, sizeof(ix->syscalls));
}

static void index_reset(struct bin_block_index *ix)
{
	memset(ix, 0, sizeof(*ix));
	ix->time_min = UINT64_MAX;
	ix->serial_min = UINT64_MAX;
	ix->pid_min = UINT32_MAX;
}

static void index_add(struct bin_block_index *ix, const struct text_stamp *st,
		      const struct la_event *ev)
{
	uint64_t t = stamp_ms(st->sec, st->msec);

	ix->records++;
	if (t < ix->time_min)
		ix->time_min = t;
	if (t > ix->time_max)
		ix->time_max = t;
	if (st->serial < ix->serial_min)
		ix->serial_min = st->serial;
	if (st->serial > ix->serial_max)
		ix->serial_max = st->serial;
	if (ev) {
		unsigned int bit = ev->nr >= 0 && ev->nr < BIN_NR_BITS - 1 ? (unsigned int)ev->nr
									   : BIN_NR_BITS - 1;

		ix->events++;
		if (ev->pid < ix->pid_min)
			ix->pid_min = ev->pid;
		if (ev->pid > ix->pid_max)
			ix->pid_max = ev->pid;
		ix->syscalls[bit / 8] |= 1 << (bit % 8);
	}
}

/* ------------------------------------------------------------------ encoder */

struct dict_entry {
	uint32_t off; /* in the encoder's buffer */
	uint32_t len;
	uint32_t hash;
};

struct bin_encoder {
	int (*write)(void *arg, const void *buf, size_t len);
	void *write_arg;
	size_t block_size;
	uint8_t *seg; /* the segment header, built once */
	size_t seg_len;
	int need_header;

	/* The open block: header and index room, then records from DATA_OFF */
	uint8_t *buf;
	size_t cap, len;
	struct bin_block_index ix;
	struct stamp_state stamp;
	struct dict_entry *dict;
	uint32_t ndict, dict_cap;
	uint32_t *dhash; /* entry + 1; 0: free */
	uint32_t dhash_mask;
	struct thread *thr;
	uint32_t nthr, thr_cap;
	uint32_t *thash; /* slot + 1; 0: free */
	uint32_t thash_mask;
	int32_t last; /* slot of the last event; -1: none */
};

static uint8_t *put_varint(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)v | 0x80;
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return p;
}

static uint32_t str_hash(const uint8_t *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, v;

	while (n >= 8) {
		memcpy(&v, s, 8);
		h = (h ^ v) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
		s += 8;
		n -= 8;
	}
	v = 0;
	memcpy(&v, s, n);
	h = (h ^ v) * 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 29;
	return (uint32_t)h;
}

static void enc_block_reset(struct bin_encoder *e)
{
	e->len = DATA_OFF;
	index_reset(&e->ix);
	memset(&e->stamp, 0, sizeof(e->stamp));
	e->ndict = 0;
	memset(e->dhash, 0, (e->dhash_mask + 1) * sizeof(*e->dhash));
	e->nthr = 0;
	memset(e->thash, 0, (e->thash_mask + 1) * sizeof(*e->thash));
	e->last = -1;
}

struct bin_encoder *bin_encoder_new(const struct bin_encoder_opts *o)
{
	const char *strs[3];
	struct bin_encoder *e;
	size_t body = 0, i;
	uint8_t *p;

	if (!o || !o->write || o->block_size > BIN_BLOCK_MAX) {
		errno = EINVAL;
		return NULL;
	}
	strs[0] = o->host ? o->host : "";
	strs[1] = o->boot_id ? o->boot_id : "";
	strs[2] = o->kernel ? o->kernel : "";
	for (i = 0; i < 3; i++) {
		if (strlen(strs[i]) > UINT16_MAX) {
			errno = EINVAL;
			return NULL;
		}
		body += 2 + strlen(strs[i]);
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->write = o->write;
	e->write_arg = o->write_arg;
	e->block_size = o->block_size ? o->block_size : BIN_BLOCK_SIZE;
	e->need_header = 1;
	e->seg_len = SEG_HEAD + body;
	e->seg = malloc(e->seg_len);
	e->cap = DATA_OFF + e->block_size + 4096;
	e->buf = malloc(e->cap);
	e->dhash_mask = 255;
	e->dhash = malloc((e->dhash_mask + 1) * sizeof(*e->dhash));
	e->thash_mask = 63;
	e->thash = malloc((e->thash_mask + 1) * sizeof(*e->thash));
	if (!e->seg || !e->buf || !e->dhash || !e->thash) {
		bin_encoder_free(e);
		errno = ENOMEM;
		return NULL;
	}
	p = e->seg;
	memcpy(p, seg_magic, sizeof(seg_magic));
	le16(p + 8, BIN_VERSION);
	le16(p + 10, 0);
	le32(p + 12, body);
	p += SEG_HEAD;
	for (i = 0; i < 3; i++) {
		size_t n = strlen(strs[i]);

		le16(p, n);
		memcpy(p + 2, strs[i], n);
		p += 2 + n;
	}
	le32(e->seg + 16, crc(e->seg + SEG_HEAD, body));
	le32(e->seg + 20, crc(e->seg, 20));
	enc_block_reset(e);
	return e;
}

void bin_encoder_free(struct bin_encoder *e)
{
	if (!e)
		return;
	free(e->seg);
	free(e->buf);
	free(e->dict);
	free(e->dhash);
	free(e->thr);
	free(e->thash);
	free(e);
}

static int enc_write(struct bin_encoder *e, const void *buf, size_t len)
{
	int rc = e->write(e->write_arg, buf, len);

	return rc > 0 ? -EIO : rc;
}

int bin_flush(struct bin_encoder *e)
{
	uint8_t *h = e->buf;
	int rc;

	if (!e->ix.records)
		return 0;
	if (e->need_header) {
		rc = enc_write(e, e->seg, e->seg_len);
		if (rc)
			return rc;
		e->need_header = 0;
	}
	memcpy(h, blk_magic, sizeof(blk_magic));
	le16(h + 4, INDEX_LEN);
	le16(h + 6, 0);
	le32(h + 8, e->len - DATA_OFF);
	le32(h + 12, crc(e->buf + DATA_OFF, e->len - DATA_OFF));
	index_put(h + BLK_HEAD, &e->ix);
	le32(h + 16, crc(h + BLK_HEAD, INDEX_LEN));
	le32(h + 20, crc(h, 20));
	rc = enc_write(e, e->buf, e->len);
	if (rc)
		return rc;
	enc_block_reset(e);
	return 0;
}

int bin_segment(struct bin_encoder *e)
{
	int rc = bin_flush(e);

	if (rc)
		return rc;
	e->need_header = 1;
	rc = enc_write(e, e->seg, e->seg_len);
	if (!rc)
		e->need_header = 0;
	return rc;
}

static int grow(void **p, uint32_t *cap, uint32_t want, size_t size)
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

/* Open-addressing tables of index + 1: double @tab, placing the entries again. */
static int rehash(uint32_t **tab, uint32_t *mask, uint32_t n, uint32_t (*key)(void *, uint32_t),
		  void *arg)
{
	uint32_t m = *mask * 2 + 1, i, j, *t = calloc((size_t)m + 1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		for (j = key(arg, i) & m; t[j]; j = (j + 1) & m)
			;
		t[j] = i + 1;
	}
	free(*tab);
	*tab = t;
	*mask = m;
	return 0;
}

static uint32_t dict_key(void *arg, uint32_t i)
{
	return ((struct bin_encoder *)arg)->dict[i].hash;
}

static uint32_t tid_hash(uint32_t tid)
{
	return (tid * 0x9e3779b1u) >> 7;
}

static uint32_t thr_key(void *arg, uint32_t i)
{
	return tid_hash(((struct bin_encoder *)arg)->thr[i].h.tid);
}

static int dict_same(const struct bin_encoder *e, int32_t i, const void *s, size_t len)
{
	if (i < 0)
		return !s;
	return s && e->dict[i].len == len && !memcmp(e->buf + e->dict[i].off, s, len);
}

/*
 * Write the reference to string @s (NULL allowed) at *@pp: a dictionary entry,
 * or the string itself, which becomes one (enc_prealloc() made room for it).
 * Return: the entry, -1 for NULL.
 */
static int32_t put_str(struct bin_encoder *e, uint8_t **pp, const void *s, size_t len)
{
	uint32_t h, j;

	if (!s) {
		*(*pp)++ = 0;
		return -1;
	}
	h = str_hash(s, len);
	for (j = h & e->dhash_mask; e->dhash[j]; j = (j + 1) & e->dhash_mask) {
		const struct dict_entry *d = &e->dict[e->dhash[j] - 1];

		if (d->hash == h && d->len == len && !memcmp(e->buf + d->off, s, len)) {
			*pp = put_varint(*pp, e->dhash[j] + 1);
			return e->dhash[j] - 1;
		}
	}
	*(*pp)++ = 1;
	*pp = put_varint(*pp, len);
	memcpy(*pp, s, len);
	e->dict[e->ndict] = (struct dict_entry){*pp - e->buf, len, h};
	e->dhash[j] = ++e->ndict;
	*pp += len;
	return e->ndict - 1;
}

/*
 * Room for @nstr more dictionary entries and one more thread, so that nothing
 * fails once a record has begun to change the block's state.
 */
static int enc_prealloc(struct bin_encoder *e, uint32_t nstr)
{
	if (grow((void **)&e->dict, &e->dict_cap, e->ndict + nstr, sizeof(*e->dict)) ||
	    grow((void **)&e->thr, &e->thr_cap, e->nthr + 1, sizeof(*e->thr)))
		return -ENOMEM;
	while ((uint64_t)(e->ndict + nstr) * 2 > e->dhash_mask)
		if (rehash(&e->dhash, &e->dhash_mask, e->ndict, dict_key, e))
			return -ENOMEM;
	while ((e->nthr + 1) * 2 > e->thash_mask)
		if (rehash(&e->thash, &e->thash_mask, e->nthr, thr_key, e))
			return -ENOMEM;
	return 0;
}

/*
 * The slot of thread @tid, making one (from the last event's state, whose tid
 * goes to *@base_tid) if new.
 */
static int32_t thread_slot(struct bin_encoder *e, uint32_t tid, int *fresh, uint32_t *base_tid)
{
	struct thread *t;
	uint32_t j;

	*fresh = 0;
	if (e->last >= 0 && e->thr[e->last].h.tid == tid)
		return e->last;
	for (j = tid_hash(tid) & e->thash_mask; e->thash[j]; j = (j + 1) & e->thash_mask)
		if (e->thr[e->thash[j] - 1].h.tid == tid)
			return e->thash[j] - 1;
	t = &e->thr[e->nthr];
	if (e->last >= 0)
		*t = e->thr[e->last];
	else
		thread_reset(t);
	*base_tid = t->h.tid;
	t->h.tid = tid;
	e->thash[j] = ++e->nthr;
	*fresh = 1;
	return e->nthr - 1;
}

/* Bytes of a fixed-size char array without its trailing NULs. */
static size_t fixed_len(const char *s, size_t max)
{
	while (max && !s[max - 1])
		max--;
	return max;
}

static int enc_reserve(struct bin_encoder *e, size_t need)
{
	size_t n = e->cap;
	uint8_t *q;

	if (e->cap - e->len >= need)
		return 0;
	while (n - e->len < need)
		n *= 2;
	q = realloc(e->buf, n);
	if (!q)
		return -ENOMEM;
	e->buf = q;
	e->cap = n;
	return 0;
}

static void put_stamp(struct bin_encoder *e, uint8_t **pp, const struct text_stamp *st)
{
	*pp = put_varint(*pp, zz64((int64_t)(st->serial - e->stamp.serial - 1)));
	*pp = put_varint(*pp, zz64((int64_t)(st->sec - e->stamp.sec)));
	*pp = put_varint(*pp, zz64((int64_t)st->msec - e->stamp.msec));
}

static void set_stamp(struct stamp_state *s, const struct text_stamp *st)
{
	s->sec = st->sec;
	s->msec = st->msec;
	s->serial = st->serial;
}

static int enc_event(struct bin_encoder *e, const struct log_record *r)
{
	const struct la_event *ev = r->ev;
	const struct text_ident *id = &r->ident;
	size_t exe_len = id->exe ? id->exe_len : 0, title_len = id->title ? id->title_len : 0;
	size_t key_len = r->key ? strlen(r->key) : 0;
	const uint64_t *pargs;
	uint64_t pdur, dur, ctx = 0;
	const char *pl;
	int32_t slot, exe, title, key;
	unsigned int op = 0, amask = 0, nrc, i;
	uint32_t base_tid = 0;
	struct thread *t;
	uint8_t *p;
	int64_t pret;
	int fresh;

	if (!ev || ev->size > BIN_EVENT_MAX || wire_check(ev, ev->size))
		return -EINVAL;
	if (enc_reserve(e, 1024 + 3 * (size_t)ev->size + exe_len + title_len + key_len) ||
	    enc_prealloc(e, ev->nitems + 5))
		return -ENOMEM;
	slot = thread_slot(e, ev->tid, &fresh, &base_tid);
	t = &e->thr[slot];

	if (ev->nr == t->h.nr)
		nrc = NR_SAME;
	else if (ev->nr == t->nr2)
		nrc = NR_PREV;
	else
		nrc = NR_EXPLICIT;
	op |= nrc << OP_NR_SHIFT;
	thread_predict(t, ev->nr, &pargs, &pret, &pdur);
	dur = ev->ts_exit - ev->ts_enter;
	if (ev->ret != pret)
		op |= OP_RET;
	for (i = 0; i < LA_NARGS; i++)
		if (ev->args[i] != pargs[i])
			amask |= 1 << i;
	if (amask)
		op |= OP_ARGS;

	if (ev->cpu != t->h.cpu)
		ctx |= 1 << CTX_CPU;
	if (ev->flags != t->h.flags)
		ctx |= 1 << CTX_FLAGS;
	for (i = 0; i < CTX_NBITS; i++)
		if (ctx_u32[i] && ev_u32c(ev, i) != ev_u32c(&t->h, i))
			ctx |= 1 << i;
	if (memcmp(ev->comm, t->h.comm, sizeof(ev->comm)))
		ctx |= 1 << CTX_COMM;
	if (!dict_same(e, t->exe, id->exe, exe_len))
		ctx |= 1 << CTX_EXE;
	if (!dict_same(e, t->title, id->title, title_len))
		ctx |= 1 << CTX_TITLE;
	if (!dict_same(e, t->key, r->key, key_len))
		ctx |= 1 << CTX_KEY;
	if (ev->exec_id != t->h.exec_id)
		ctx |= 1 << CTX_EXEC_ID;
	if (ev->cgroup_id != t->h.cgroup_id)
		ctx |= 1 << CTX_CGROUP;
	if (memcmp(ev->tty, t->h.tty, sizeof(ev->tty)))
		ctx |= 1 << CTX_TTY;
	if (ev->kind != t->h.kind)
		ctx |= 1 << CTX_KIND;
	if (ctx)
		op |= OP_CTX;
	if (ev->nitems)
		op |= OP_ITEMS;
	if (r->stamp.serial != e->stamp.serial + 1 || r->stamp.sec != e->stamp.sec ||
	    r->stamp.msec != e->stamp.msec)
		op |= OP_STAMP;
	if (slot == e->last)
		op |= OP_SAME_THREAD;

	p = e->buf + e->len;
	*p++ = op;
	if (fresh) {
		p = put_varint(p, e->nthr);
		p = put_varint(p, zz32((int32_t)(ev->tid - base_tid)));
	} else if (!(op & OP_SAME_THREAD)) {
		p = put_varint(p, slot + 1);
	}
	if (nrc == NR_EXPLICIT)
		p = put_varint(p, zz32(ev->nr));
	p = put_varint(p, zz64((int64_t)(ev->ts_enter - t->h.ts_exit)));
	p = put_varint(p, zz64((int64_t)(dur - pdur)));
	if (op & OP_RET)
		p = put_varint(p, zz64((int64_t)((uint64_t)ev->ret - (uint64_t)pret)));
	if (op & OP_ARGS) {
		*p++ = amask;
		for (i = 0; i < LA_NARGS; i++)
			if (amask & (1 << i))
				p = put_varint(p, zz64((int64_t)(ev->args[i] - pargs[i])));
	}
	exe = t->exe;
	title = t->title;
	key = t->key;
	if (op & OP_CTX) {
		p = put_varint(p, ctx);
		for (i = 0; i < CTX_NBITS; i++) {
			if (!(ctx & (1ULL << i)))
				continue;
			if (ctx_u32[i]) {
				p = put_varint(p,
					       zz32((int32_t)(ev_u32c(ev, i) - ev_u32c(&t->h, i))));
				continue;
			}
			switch (i) {
			case CTX_CPU:
				p = put_varint(p, ev->cpu);
				break;
			case CTX_FLAGS:
				p = put_varint(p, ev->flags);
				break;
			case CTX_COMM:
				put_str(e, &p, ev->comm, fixed_len(ev->comm, sizeof(ev->comm)));
				break;
			case CTX_EXE:
				exe = put_str(e, &p, id->exe, exe_len);
				break;
			case CTX_TITLE:
				title = put_str(e, &p, id->title, title_len);
				break;
			case CTX_KEY:
				key = put_str(e, &p, r->key, key_len);
				break;
			case CTX_EXEC_ID:
				p = put_varint(p, zz64((int64_t)(ev->exec_id - t->h.exec_id)));
				break;
			case CTX_CGROUP:
				p = put_varint(p, zz64((int64_t)(ev->cgroup_id - t->h.cgroup_id)));
				break;
			case CTX_TTY:
				put_str(e, &p, ev->tty, fixed_len(ev->tty, sizeof(ev->tty)));
				break;
			case CTX_KIND:
				p = put_varint(p, ev->kind);
				break;
			}
		}
	}
	if (op & OP_ITEMS) {
		const struct la_item *it = NULL;

		p = put_varint(p, ev->nitems);
		pl = (const char *)(ev + 1);
		for (i = 0; i < ev->nitems; i++) {
			it = (const struct la_item *)pl;
			*p++ = it->kind;
			*p++ = it->arg;
			*p++ = it->flags;
			put_str(e, &p, wire_payload(it), it->len);
			pl += sizeof(*it) + LA_ALIGN(it->len);
		}
	}
	if (op & OP_STAMP)
		put_stamp(e, &p, &r->stamp);

	e->len = p - e->buf;
	t->exe = exe;
	t->title = title;
	t->key = key;
	thread_update(t, ev);
	e->last = slot;
	set_stamp(&e->stamp, &r->stamp);
	index_add(&e->ix, &r->stamp, ev);
	return 0;
}

static int enc_daemon(struct bin_encoder *e, const struct log_record *r)
{
	size_t tlen, flen;
	uint8_t *p;

	if (!r->type || !r->fields)
		return -EINVAL;
	tlen = strlen(r->type);
	flen = strlen(r->fields);
	if (enc_reserve(e, 64 + tlen + flen) || enc_prealloc(e, 2))
		return -ENOMEM;
	p = e->buf + e->len;
	*p++ = 0;
	*p++ = 0;
	*p++ = REC_DAEMON;
	put_str(e, &p, r->type, tlen);
	put_str(e, &p, r->fields, flen);
	p = put_varint(p, r->stamp.sec);
	p = put_varint(p, r->stamp.msec);
	p = put_varint(p, r->stamp.serial);
	e->len = p - e->buf;
	index_add(&e->ix, &r->stamp, NULL);
	return 0;
}

int bin_encode(struct bin_encoder *e, const struct log_record *r)
{
	int rc;

	if (!r)
		return -EINVAL;
	if (e->len - DATA_OFF >= BIN_BLOCK_MAX)
		return -ENOBUFS;
	/* A block holds at most THREADS_MAX threads: decoders bound their memory by it. */
	if (e->nthr >= THREADS_MAX && bin_flush(e))
		return -ENOBUFS;
	/* A record that fails (-EINVAL, -ENOMEM) does so before it changes anything. */
	if (r->kind == LOG_REC_EVENT)
		rc = enc_event(e, r);
	else if (r->kind == LOG_REC_DAEMON)
		rc = enc_daemon(e, r);
	else
		rc = -EINVAL;
	if (rc)
		return rc;
	if (e->len - DATA_OFF >= e->block_size)
		return bin_flush(e);
	return 0;
}

/* ------------------------------------------------------------------ decoder */

struct dstr {
	const uint8_t *p;
	uint32_t len;
};

struct rd {
	const uint8_t *p, *end;
};

struct dec {
	const uint8_t *base;
	size_t len;
	const struct bin_decode_ops *ops;
	void *arg;
	struct bin_decode_stats st;
	char why[160];

	/* Block state */
	struct dstr *dict;
	uint32_t ndict, dict_cap;
	struct thread *thr;
	uint32_t nthr, thr_cap;
	int32_t last;
	struct stamp_state stamp;

	/* The record being delivered */
	uint8_t *ev;
	uint32_t ev_cap;
	char *str;
	uint32_t str_cap;
};

static int rd_varint(struct rd *r, uint64_t *v)
{
	uint64_t x = 0;
	unsigned int shift;

	for (shift = 0; shift < 64; shift += 7) {
		uint8_t b;

		if (r->p >= r->end)
			return -1;
		b = *r->p++;
		/* the tenth byte holds bit 63 only */
		if (shift == 63 && b > 1)
			return -1;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			return 0;
		}
	}
	return -1;
}

static int rd_max(struct rd *r, uint64_t max, uint64_t *v)
{
	return rd_varint(r, v) || *v > max ? -1 : 0;
}

static int rd_byte(struct rd *r, uint8_t *b)
{
	if (r->p >= r->end)
		return -1;
	*b = *r->p++;
	return 0;
}

static int dec_fail(struct dec *d, const char *what)
{
	snprintf(d->why, sizeof(d->why), "%s", what);
	return -1;
}

/* A string reference: its dictionary entry in *@idx (-1: NULL, if @null_ok). */
static int rd_str(struct dec *d, struct rd *r, int null_ok, int32_t *idx)
{
	uint64_t v, len;

	if (rd_varint(r, &v))
		return dec_fail(d, "string reference cut short");
	if (v == 0) {
		*idx = -1;
		return null_ok ? 0 : dec_fail(d, "NULL where a string is required");
	}
	if (v == 1) {
		if (rd_varint(r, &len) || len > (uint64_t)(r->end - r->p))
			return dec_fail(d, "string cut short");
		if (grow((void **)&d->dict, &d->dict_cap, d->ndict + 1, sizeof(*d->dict)))
			return dec_fail(d, "out of memory");
		d->dict[d->ndict] = (struct dstr){r->p, (uint32_t)len};
		r->p += len;
		*idx = d->ndict++;
		return 0;
	}
	if (v - 2 >= d->ndict)
		return dec_fail(d, "string reference out of range");
	*idx = v - 2;
	return 0;
}

/* A C string (key, type, fields) into the string scratch at *@off, NUL-terminated. */
static const char *dec_cstr(struct dec *d, int32_t idx, uint32_t *off)
{
	const struct dstr *s;
	char *q;

	if (idx < 0)
		return NULL;
	s = &d->dict[idx];
	if (memchr(s->p, 0, s->len)) {
		dec_fail(d, "NUL inside a string");
		return NULL;
	}
	if (grow((void **)&d->str, &d->str_cap, *off + s->len + 1, 1)) {
		dec_fail(d, "out of memory");
		return NULL;
	}
	q = d->str + *off;
	memcpy(q, s->p, s->len);
	q[s->len] = 0;
	*off += s->len + 1;
	return q;
}

static int dec_fixed(struct dec *d, struct rd *r, char *dst, size_t max)
{
	int32_t idx;

	if (rd_str(d, r, 0, &idx))
		return -1;
	if (d->dict[idx].len > max)
		return dec_fail(d, "comm or tty longer than 16 bytes");
	memset(dst, 0, max);
	memcpy(dst, d->dict[idx].p, d->dict[idx].len);
	return 0;
}

static int dec_stamp(struct dec *d, struct rd *r, struct text_stamp *st)
{
	uint64_t a, b, c;
	int64_t msec;

	if (rd_varint(r, &a) || rd_varint(r, &b) || rd_varint(r, &c))
		return dec_fail(d, "stamp cut short");
	msec = (int64_t)d->stamp.msec + unzz64(c);
	if (msec < 0 || msec > UINT32_MAX)
		return dec_fail(d, "stamp milliseconds out of range");
	st->serial = d->stamp.serial + 1 + (uint64_t)unzz64(a);
	st->sec = d->stamp.sec + (uint64_t)unzz64(b);
	st->msec = msec;
	return 0;
}

static int dec_daemon(struct dec *d, struct rd *r, struct log_record *lr)
{
	uint64_t sec, msec, serial;
	uint32_t off = 0;
	int32_t type, fields;
	uint8_t kind;

	if (rd_byte(r, &kind))
		return dec_fail(d, "record cut short");
	if (kind != REC_DAEMON)
		return dec_fail(d, "unknown record type");
	if (rd_str(d, r, 0, &type) || rd_str(d, r, 0, &fields))
		return -1;
	if (rd_varint(r, &sec) || rd_max(r, UINT32_MAX, &msec) || rd_varint(r, &serial))
		return dec_fail(d, "daemon stamp cut short or out of range");
	lr->kind = LOG_REC_DAEMON;
	lr->stamp.sec = sec;
	lr->stamp.msec = msec;
	lr->stamp.serial = serial;
	/* both strings in the scratch at once: the second must not move the first */
	if (grow((void **)&d->str, &d->str_cap, d->dict[type].len + d->dict[fields].len + 2, 1))
		return dec_fail(d, "out of memory");
	lr->type = dec_cstr(d, type, &off);
	if (!lr->type)
		return -1;
	lr->fields = dec_cstr(d, fields, &off);
	if (!lr->fields)
		return -1;
	return 0;
}

/* A new thread slot, from the last event's state. */
static int dec_new_thread(struct dec *d, struct rd *r)
{
	struct thread *t;
	uint64_t v;

	if (d->nthr >= THREADS_MAX)
		return dec_fail(d, "too many threads in a block");
	if (rd_max(r, UINT32_MAX, &v))
		return dec_fail(d, "thread id cut short");
	if (grow((void **)&d->thr, &d->thr_cap, d->nthr + 1, sizeof(*d->thr)))
		return dec_fail(d, "out of memory");
	t = &d->thr[d->nthr];
	if (d->last >= 0)
		*t = d->thr[d->last];
	else
		thread_reset(t);
	t->h.tid += (uint32_t)unzz32(v);
	return d->nthr++;
}

static int ev_reserve(struct dec *d, uint64_t size)
{
	if (size > BIN_EVENT_MAX)
		return dec_fail(d, "event larger than BIN_EVENT_MAX");
	if (grow((void **)&d->ev, &d->ev_cap, size, 1))
		return dec_fail(d, "out of memory");
	return 0;
}

static int dec_items(struct dec *d, struct rd *r)
{
	struct la_event *ev;
	uint64_t n, i, size = sizeof(*ev);

	if (rd_max(r, (BIN_EVENT_MAX - sizeof(*ev)) / sizeof(struct la_item), &n) || !n)
		return dec_fail(d, "item count cut short or out of range");
	for (i = 0; i < n; i++) {
		struct la_item it = {0};
		int32_t idx;

		if (rd_byte(r, &it.kind) || rd_byte(r, &it.arg) || rd_byte(r, &it.flags))
			return dec_fail(d, "item cut short");
		if (rd_str(d, r, 0, &idx))
			return -1;
		it.len = d->dict[idx].len;
		if (ev_reserve(d, size + sizeof(it) + LA_ALIGN((uint64_t)it.len)))
			return -1;
		memcpy(d->ev + size, &it, sizeof(it));
		memcpy(d->ev + size + sizeof(it), d->dict[idx].p, it.len);
		memset(d->ev + size + sizeof(it) + it.len, 0, LA_ALIGN(it.len) - it.len);
		size += sizeof(it) + LA_ALIGN(it.len);
	}
	ev = (struct la_event *)d->ev;
	ev->nitems = n;
	ev->size = size;
	return 0;
}

static int dec_event(struct dec *d, struct rd *r, uint8_t op, int32_t slot, struct log_record *lr)
{
	struct thread *t = &d->thr[slot];
	const uint64_t *pargs;
	uint64_t v, ctx = 0, pdur;
	int32_t exe = t->exe, title = t->title, key = t->key;
	unsigned int nrc = (op >> OP_NR_SHIFT) & 3, i;
	struct la_event *ev;
	uint32_t off = 0;
	int64_t pret;
	uint8_t amask;

	if (ev_reserve(d, sizeof(*ev)))
		return -1;
	ev = (struct la_event *)d->ev;
	memcpy(ev, &t->h, sizeof(*ev));
	ev->nitems = 0;
	ev->size = sizeof(*ev);
	if (nrc == NR_PREV) {
		ev->nr = t->nr2;
	} else if (nrc == NR_EXPLICIT) {
		if (rd_max(r, UINT32_MAX, &v))
			return dec_fail(d, "syscall number cut short or out of range");
		ev->nr = unzz32(v);
	} else if (nrc != NR_SAME) {
		return dec_fail(d, "reserved syscall number code");
	}
	thread_predict(t, ev->nr, &pargs, &pret, &pdur);
	if (rd_varint(r, &v))
		return dec_fail(d, "entry time cut short");
	ev->ts_enter = t->h.ts_exit + (uint64_t)unzz64(v);
	if (rd_varint(r, &v))
		return dec_fail(d, "duration cut short");
	ev->ts_exit = ev->ts_enter + pdur + (uint64_t)unzz64(v);
	ev->ret = pret;
	if (op & OP_RET) {
		if (rd_varint(r, &v))
			return dec_fail(d, "return value cut short");
		ev->ret = (int64_t)((uint64_t)pret + (uint64_t)unzz64(v));
	}
	memcpy(ev->args, pargs, sizeof(ev->args));
	if (op & OP_ARGS) {
		if (rd_byte(r, &amask) || !amask || amask >= 1 << LA_NARGS)
			return dec_fail(d, "argument mask cut short or invalid");
		for (i = 0; i < LA_NARGS; i++) {
			if (!(amask & (1 << i)))
				continue;
			if (rd_varint(r, &v))
				return dec_fail(d, "argument cut short");
			ev->args[i] = pargs[i] + (uint64_t)unzz64(v);
		}
	}
	if ((op & OP_CTX) && (rd_varint(r, &ctx) || !ctx || ctx >= 1ULL << CTX_NBITS))
		return dec_fail(d, "context mask cut short or invalid");
	for (i = 0; i < CTX_NBITS; i++) {
		if (!(ctx & (1ULL << i)))
			continue;
		if (ctx_u32[i]) {
			if (rd_max(r, UINT32_MAX, &v))
				return dec_fail(d, "context field cut short or out of range");
			*ev_u32(ev, i) += (uint32_t)unzz32(v);
			continue;
		}
		switch (i) {
		case CTX_CPU:
			if (rd_max(r, UINT32_MAX, &v))
				return dec_fail(d, "cpu cut short or out of range");
			ev->cpu = v;
			break;
		case CTX_FLAGS:
		case CTX_KIND:
			if (rd_max(r, UINT16_MAX, &v))
				return dec_fail(d, "flags or kind cut short or out of range");
			if (i == CTX_FLAGS)
				ev->flags = v;
			else
				ev->kind = v;
			break;
		case CTX_COMM:
			if (dec_fixed(d, r, ev->comm, sizeof(ev->comm)))
				return -1;
			break;
		case CTX_TTY:
			if (dec_fixed(d, r, ev->tty, sizeof(ev->tty)))
				return -1;
			break;
		case CTX_EXE:
			if (rd_str(d, r, 1, &exe))
				return -1;
			break;
		case CTX_TITLE:
			if (rd_str(d, r, 1, &title))
				return -1;
			break;
		case CTX_KEY:
			if (rd_str(d, r, 1, &key))
				return -1;
			break;
		case CTX_EXEC_ID:
		case CTX_CGROUP:
			if (rd_varint(r, &v))
				return dec_fail(d, "exec_id or cgroup_id cut short");
			if (i == CTX_EXEC_ID)
				ev->exec_id += (uint64_t)unzz64(v);
			else
				ev->cgroup_id += (uint64_t)unzz64(v);
			break;
		}
	}
	if (ev->kind != LA_EV_SYSCALL)
		return dec_fail(d, "unknown event kind");
	if (op & OP_ITEMS) {
		if (dec_items(d, r))
			return -1;
		ev = (struct la_event *)d->ev;
	}
	lr->stamp.serial = d->stamp.serial + 1;
	lr->stamp.sec = d->stamp.sec;
	lr->stamp.msec = d->stamp.msec;
	if ((op & OP_STAMP) && dec_stamp(d, r, &lr->stamp))
		return -1;

	lr->kind = LOG_REC_EVENT;
	lr->ev = ev;
	lr->ident.exe = exe < 0 ? NULL : (const char *)d->dict[exe].p;
	lr->ident.exe_len = exe < 0 ? 0 : d->dict[exe].len;
	lr->ident.title = title < 0 ? NULL : (const char *)d->dict[title].p;
	lr->ident.title_len = title < 0 ? 0 : d->dict[title].len;
	lr->key = NULL;
	if (key >= 0) {
		lr->key = dec_cstr(d, key, &off);
		if (!lr->key)
			return -1;
	}
	t->exe = exe;
	t->title = title;
	t->key = key;
	thread_update(t, ev);
	d->last = slot;
	return 0;
}

static int dec_record(struct dec *d, struct rd *r, struct log_record *lr)
{
	int32_t slot;
	uint64_t v;
	uint8_t op;

	memset(lr, 0, sizeof(*lr));
	if (rd_byte(r, &op))
		return dec_fail(d, "record cut short");
	if (op & OP_SAME_THREAD) {
		if (d->last < 0)
			return dec_fail(d, "same thread as no previous event");
		slot = d->last;
	} else {
		if (rd_varint(r, &v))
			return dec_fail(d, "thread slot cut short");
		if (v == 0) {
			if (op)
				return dec_fail(d, "reserved bits set");
			return dec_daemon(d, r, lr);
		}
		if (v <= d->nthr) {
			slot = v - 1;
			if (slot == d->last)
				return dec_fail(d, "thread slot repeats the previous one");
		} else if (v == (uint64_t)d->nthr + 1) {
			slot = dec_new_thread(d, r);
			if (slot < 0)
				return -1;
		} else {
			return dec_fail(d, "thread slot out of range");
		}
	}
	if (dec_event(d, r, op, slot, lr))
		return -1;
	set_stamp(&d->stamp, &lr->stamp);
	return 0;
}

static void problem(struct dec *d, enum bin_problem_kind kind, uint64_t off, uint64_t len,
		    const char *reason)
{
	struct bin_problem p = {kind, off, len, reason};

	if (kind == BIN_PROBLEM_TORN)
		d->st.torn = 1;
	else
		d->st.corrupt++;
	d->st.bytes_lost += len;
	if (d->ops->problem)
		d->ops->problem(d->arg, &p);
}

/* Whether a header whose fixed part is checksummed starts at @off. */
static int header_at(const struct dec *d, size_t off, int seg_only)
{
	const uint8_t *p = d->base + off;
	size_t rem = d->len - off;

	if (rem >= SEG_HEAD && !memcmp(p, seg_magic, sizeof(seg_magic)))
		return get32(p + 20) == crc(p, 20);
	if (!seg_only && rem >= BLK_HEAD && !memcmp(p, blk_magic, sizeof(blk_magic)))
		return get32(p + 20) == crc(p, 20);
	return 0;
}

/* The next offset from @off where a header starts, or the input's length. */
static size_t resync(const struct dec *d, size_t off, int seg_only)
{
	for (; off + BLK_HEAD <= d->len; off++) {
		uint8_t c = d->base[off];

		if ((c == seg_magic[0] || c == blk_magic[0]) && header_at(d, off, seg_only))
			return off;
	}
	return d->len;
}

/* Bytes from @off cannot be read: skip to the next header, or call it a torn tail. */
static size_t skip_bad(struct dec *d, size_t off, enum bin_problem_kind kind, int seg_only)
{
	size_t next = resync(d, off + 1, seg_only);

	if (next < d->len || kind == BIN_PROBLEM_VERSION)
		problem(d, kind, off, next - off, d->why);
	else
		problem(d, BIN_PROBLEM_TORN, off, next - off, d->why);
	return next;
}

static void block_reset(struct dec *d)
{
	d->ndict = 0;
	d->nthr = 0;
	d->last = -1;
	memset(&d->stamp, 0, sizeof(d->stamp));
}

/* A segment header at @off: Return its length, 0 when damaged (d->why says how). */
static size_t dec_segment(struct dec *d, size_t off, int *rc, int *unknown)
{
	const uint8_t *p = d->base + off, *q, *end;
	size_t rem = d->len - off;
	struct bin_segment_info si = {off, 0, NULL, NULL, NULL};
	const char **out[3] = {&si.host, &si.boot_id, &si.kernel};
	uint32_t body, soff = 0;
	int32_t i;

	*unknown = 0;
	if (rem < SEG_HEAD) {
		dec_fail(d, "segment header cut short");
		return 0;
	}
	if (get32(p + 20) != crc(p, 20)) {
		dec_fail(d, "segment header checksum mismatch");
		return 0;
	}
	body = get32(p + 12);
	if (body > rem - SEG_HEAD) {
		snprintf(d->why, sizeof(d->why), "segment header needs %llu bytes, %zu remain",
			 (unsigned long long)SEG_HEAD + body, rem);
		return 0;
	}
	if (get32(p + 16) != crc(p + SEG_HEAD, body)) {
		dec_fail(d, "segment header checksum mismatch");
		return 0;
	}
	si.version = get16(p + 8);
	if (si.version != BIN_VERSION) {
		snprintf(d->why, sizeof(d->why), "segment of format version %u (this reader: %u)",
			 si.version, BIN_VERSION);
		*unknown = 1;
		return 0;
	}
	/* the three strings, NUL-terminated, fit in body + 3 bytes */
	if (grow((void **)&d->str, &d->str_cap, body + 3, 1)) {
		dec_fail(d, "out of memory");
		return 0;
	}
	q = p + SEG_HEAD;
	end = q + body;
	for (i = 0; i < 3; i++) {
		uint16_t n;

		if (end - q < 2 || (n = get16(q), end - q - 2 < n)) {
			dec_fail(d, "segment header strings malformed");
			return 0;
		}
		memcpy(d->str + soff, q + 2, n);
		d->str[soff + n] = 0;
		*out[i] = d->str + soff;
		soff += n + 1;
		q += 2 + n;
	}
	d->st.segments++;
	*rc = d->ops->segment ? d->ops->segment(d->arg, &si) : 0;
	return SEG_HEAD + body;
}

/* A block at @off: return its length, 0 when damaged (d->why says how). */
static size_t dec_block(struct dec *d, size_t off, int *rc)
{
	const uint8_t *p = d->base + off;
	size_t rem = d->len - off, total, rec_off;
	struct bin_block_index ix;
	struct log_record lr;
	uint32_t ilen, dlen, n = 0;
	struct rd r;

	if (rem < BLK_HEAD) {
		dec_fail(d, "block header cut short");
		return 0;
	}
	if (get32(p + 20) != crc(p, 20)) {
		dec_fail(d, "block header checksum mismatch");
		return 0;
	}
	ilen = get16(p + 4);
	dlen = get32(p + 8);
	total = (size_t)BLK_HEAD + ilen + dlen;
	if (total > rem) {
		snprintf(d->why, sizeof(d->why), "block needs %zu bytes, %zu remain", total, rem);
		return 0;
	}
	if (ilen < INDEX_LEN) {
		dec_fail(d, "block index too short");
		return 0;
	}
	if (get32(p + 16) != crc(p + BLK_HEAD, ilen)) {
		dec_fail(d, "block index checksum mismatch");
		return 0;
	}
	index_get(p + BLK_HEAD, &ix);
	ix.offset = off;
	ix.length = total;
	if (d->ops->filter && !d->ops->filter(d->arg, &ix)) {
		d->st.blocks++;
		d->st.skipped++;
		return total;
	}
	if (get32(p + 12) != crc(p + BLK_HEAD + ilen, dlen)) {
		dec_fail(d, "block checksum mismatch");
		return 0;
	}
	d->st.blocks++;
	block_reset(d);
	r.p = p + BLK_HEAD + ilen;
	r.end = r.p + dlen;
	while (r.p < r.end) {
		rec_off = r.p - d->base;
		if (dec_record(d, &r, &lr)) {
			char why[sizeof(d->why) + 32];

			snprintf(why, sizeof(why), "record %u of the block: %s", n, d->why);
			problem(d, BIN_PROBLEM_CORRUPT, rec_off, off + total - rec_off, why);
			return total;
		}
		n++;
		d->st.records++;
		*rc = d->ops->record(d->arg, &lr);
		if (*rc)
			return total;
	}
	if (n != ix.records) {
		snprintf(d->why, sizeof(d->why), "index says %u records, block holds %u",
			 ix.records, n);
		problem(d, BIN_PROBLEM_CORRUPT, off, 0, d->why);
	}
	return total;
}

int bin_decode(const void *buf, size_t len, const struct bin_decode_ops *ops, void *arg,
	       struct bin_decode_stats *st)
{
	struct dec d = {.base = buf, .len = len, .ops = ops, .arg = arg, .last = -1};
	size_t off = 0, n;
	int rc = 0, unknown;

	if ((!buf && len) || !ops || !ops->record)
		return -EINVAL;
	while (off < len && !rc) {
		const uint8_t *p = d.base + off;
		size_t rem = len - off;

		if (rem >= 1 && !memcmp(p, seg_magic, rem < 8 ? rem : 8)) {
			n = dec_segment(&d, off, &rc, &unknown);
			if (!n) {
				off = skip_bad(&d, off,
					       unknown ? BIN_PROBLEM_VERSION : BIN_PROBLEM_CORRUPT,
					       unknown);
				continue;
			}
		} else if (!memcmp(p, blk_magic, rem < 4 ? rem : 4)) {
			n = dec_block(&d, off, &rc);
			if (!n) {
				off = skip_bad(&d, off, BIN_PROBLEM_CORRUPT, 0);
				continue;
			}
		} else {
			snprintf(d.why, sizeof(d.why), "no block header at offset %zu", off);
			off = skip_bad(&d, off, BIN_PROBLEM_CORRUPT, 0);
			continue;
		}
		off += n;
	}
	free(d.dict);
	free(d.thr);
	free(d.ev);
	free(d.str);
	if (st)
		*st = d.st;
	return rc;
}
