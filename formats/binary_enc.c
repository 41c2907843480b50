/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The binary log's encoder: records coded against the previous event of the same
 * thread, strings kept once per block, blocks closed with their index and
 * checksums and handed to the caller's write callback (formats/FORMAT.md).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "formats/binary_int.h"
#include "formats/wire.h"

static uint64_t stamp_ms(uint64_t sec, uint32_t msec)
{
	if (sec > (UINT64_MAX - msec) / 1000)
		return UINT64_MAX;
	return sec * 1000 + msec;
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

struct dict_entry {
	uint32_t off; /* in the encoder's buffer */
	uint32_t len;
	uint32_t hash;
	uint32_t kinds; /* bit BIN_FILTER_*: its substrings are in the block filter */
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
	struct filter_set fs;
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
	filter_reset(&e->fs);
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
	le16(p + 8, BIN_VERSION_PLAIN);
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

void bin_encoder_chained(struct bin_encoder *e)
{
	le16(e->seg + 8, BIN_VERSION);
	le32(e->seg + 20, crc(e->seg, 20));
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
	free(e->fs.v);
	free(e->fs.slot);
	free(e->fs.tab);
	free(e);
}

static int enc_write(struct bin_encoder *e, const void *buf, size_t len)
{
	int rc = e->write(e->write_arg, buf, len);

	return rc > 0 ? -EIO : rc;
}

int bin_flush(struct bin_encoder *e)
{
	uint32_t fbytes = filter_bytes(&e->fs), ilen = INDEX_LEN2 + fbytes;
	/* the header and index end where the records start */
	uint8_t *h = e->buf + DATA_OFF - ilen - BLK_HEAD;
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
	le16(h + 4, ilen);
	le16(h + 6, 0);
	le32(h + 8, e->len - DATA_OFF);
	le32(h + 12, crc(e->buf + DATA_OFF, e->len - DATA_OFF));
	index_put(h + BLK_HEAD, &e->ix);
	filter_put(h + BLK_HEAD + INDEX_LEN, &e->fs, fbytes);
	le32(h + 16, crc(h + BLK_HEAD, ilen));
	le32(h + 20, crc(h, 20));
	rc = enc_write(e, h, e->buf + e->len - h);
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
	e->dict[e->ndict] = (struct dict_entry){*pp - e->buf, len, h, 0};
	e->dhash[j] = ++e->ndict;
	*pp += len;
	return e->ndict - 1;
}

/* Dictionary entry @i's substrings into the block filter as @kind, once. */
static void filter_dict(struct bin_encoder *e, int32_t i, unsigned int kind)
{
	struct dict_entry *d;

	if (i < 0) {
		filter_null(&e->fs, kind);
		return;
	}
	d = &e->dict[i];
	if (d->kinds & (1u << kind))
		return;
	d->kinds |= 1u << kind;
	filter_str(&e->fs, kind, e->buf + d->off, d->len);
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

/* How an event is coded against its thread's previous one: what enc_plan() decided. */
struct enc_plan {
	unsigned int op;       /* the record's first byte, OP_* */
	unsigned int nrc;      /* NR_*: how the syscall number is given */
	unsigned int amask;    /* arguments that differ from the prediction */
	uint64_t ctx;	       /* context fields that differ, by CTX_* bit */
	const uint64_t *pargs; /* the predicted arguments, return and duration */
	int64_t pret;
	uint64_t pdur;
	size_t exe_len, title_len, key_len;
};

/* The context fields (CTX_* bits) in which @r differs from thread @t's last event. */
static uint64_t enc_ctx_mask(const struct bin_encoder *e, const struct log_record *r,
			     const struct thread *t, const struct enc_plan *pl)
{
	const struct la_event *ev = r->ev;
	uint64_t ctx = 0;
	unsigned int i;

	if (ev->cpu != t->h.cpu)
		ctx |= 1 << CTX_CPU;
	if (ev->flags != t->h.flags)
		ctx |= 1 << CTX_FLAGS;
	for (i = 0; i < CTX_NBITS; i++)
		if (ctx_u32[i] && ev_u32c(ev, i) != ev_u32c(&t->h, i))
			ctx |= 1 << i;
	if (memcmp(ev->comm, t->h.comm, sizeof(ev->comm)))
		ctx |= 1 << CTX_COMM;
	if (!dict_same(e, t->exe, r->ident.exe, pl->exe_len))
		ctx |= 1 << CTX_EXE;
	if (!dict_same(e, t->title, r->ident.title, pl->title_len))
		ctx |= 1 << CTX_TITLE;
	if (!dict_same(e, t->key, r->key, pl->key_len))
		ctx |= 1 << CTX_KEY;
	if (ev->exec_id != t->h.exec_id)
		ctx |= 1 << CTX_EXEC_ID;
	if (ev->cgroup_id != t->h.cgroup_id)
		ctx |= 1 << CTX_CGROUP;
	if (memcmp(ev->tty, t->h.tty, sizeof(ev->tty)))
		ctx |= 1 << CTX_TTY;
	if (ev->kind != t->h.kind)
		ctx |= 1 << CTX_KIND;
	return ctx;
}

/* Decide how @r is coded against thread @t (slot @slot): fills @pl. */
static void enc_plan(const struct bin_encoder *e, const struct log_record *r,
		     const struct thread *t, int32_t slot, struct enc_plan *pl)
{
	const struct la_event *ev = r->ev;
	unsigned int i;

	if (ev->nr == t->h.nr)
		pl->nrc = NR_SAME;
	else if (ev->nr == t->nr2)
		pl->nrc = NR_PREV;
	else
		pl->nrc = NR_EXPLICIT;
	pl->op = pl->nrc << OP_NR_SHIFT;
	thread_predict(t, ev->nr, &pl->pargs, &pl->pret, &pl->pdur);
	if (ev->ret != pl->pret)
		pl->op |= OP_RET;
	pl->amask = 0;
	for (i = 0; i < LA_NARGS; i++)
		if (ev->args[i] != pl->pargs[i])
			pl->amask |= 1 << i;
	if (pl->amask)
		pl->op |= OP_ARGS;
	pl->ctx = enc_ctx_mask(e, r, t, pl);
	if (pl->ctx)
		pl->op |= OP_CTX;
	if (ev->nitems)
		pl->op |= OP_ITEMS;
	if (r->stamp.serial != e->stamp.serial + 1 || r->stamp.sec != e->stamp.sec ||
	    r->stamp.msec != e->stamp.msec)
		pl->op |= OP_STAMP;
	if (slot == e->last)
		pl->op |= OP_SAME_THREAD;
}

/*
 * Write the context fields of @pl->ctx at *@pp, as differences from thread @t's
 * last event; the dictionary entries of exe, title and key go to @strs[0..2].
 */
static void enc_put_ctx(struct bin_encoder *e, uint8_t **pp, const struct log_record *r,
			const struct thread *t, const struct enc_plan *pl, int32_t strs[3])
{
	const struct la_event *ev = r->ev;
	uint8_t *p = put_varint(*pp, pl->ctx);
	unsigned int i;

	for (i = 0; i < CTX_NBITS; i++) {
		if (!(pl->ctx & (1ULL << i)))
			continue;
		if (ctx_u32[i]) {
			p = put_varint(p, zz32((int32_t)(ev_u32c(ev, i) - ev_u32c(&t->h, i))));
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
			strs[0] = put_str(e, &p, r->ident.exe, pl->exe_len);
			break;
		case CTX_TITLE:
			strs[1] = put_str(e, &p, r->ident.title, pl->title_len);
			break;
		case CTX_KEY:
			strs[2] = put_str(e, &p, r->key, pl->key_len);
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
	*pp = p;
}

/* The items whose strings ausearch -f may match (PATH, CWD and SOCKADDR records'). */
#define FILTER_NAME_ITEMS                                                               \
	(1u << LA_IT_PATH | 1u << LA_IT_SOCKADDR | 1u << LA_IT_PEER | 1u << LA_IT_EXE | \
	 1u << LA_IT_CWD | 1u << LA_IT_BINFMT | 1u << LA_IT_INTERP)

/* Whether @len bytes at @s hold @word (ausearch would read a field out of them). */
static int holds(const void *s, size_t len, const char *word)
{
	return memmem(s, len, word, strlen(word)) != NULL;
}

/*
 * The event's keys, exe and user ids into the block filter: those that differ
 * from the thread's last event (@ctx), all of them for the block's first event.
 */
static void filter_event(struct bin_encoder *e, const struct log_record *r, uint64_t ctx, int first,
			 const int32_t strs[3])
{
	const struct la_event *ev = r->ev;
	struct filter_set *fs = &e->fs;

	if (first)
		filter_null(fs, BIN_FILTER_NAME);
	if (first || ctx & (1 << CTX_EXE)) {
		filter_dict(e, strs[0], BIN_FILTER_EXE);
		/* a script's exe names its PATH record */
		if (strs[0] >= 0) {
			filter_dict(e, strs[0], BIN_FILTER_NAME);
			if (holds(r->ident.exe, r->ident.exe_len, "key="))
				fs->flags |= BIN_FILTER_F_STRINGS_UNSURE;
		}
	}
	if (first || ctx & (1 << CTX_KEY))
		filter_dict(e, strs[2], BIN_FILTER_KEY);
	if (ctx & (1 << CTX_COMM | 1 << CTX_TTY) &&
	    (holds(ev->comm, sizeof(ev->comm), "exe=") ||
	     holds(ev->comm, sizeof(ev->comm), "key=") || holds(ev->tty, sizeof(ev->tty), "exe=") ||
	     holds(ev->tty, sizeof(ev->tty), "key=")))
		fs->flags |= BIN_FILTER_F_STRINGS_UNSURE;
	if (first || ctx & (1 << CTX_UID))
		filter_add(fs, BIN_FILTER_UID, ev->uid);
	if (first || ctx & (1 << CTX_EUID))
		filter_add(fs, BIN_FILTER_EUID, ev->euid);
	if (first || ctx & (1 << CTX_AUID))
		filter_add(fs, BIN_FILTER_AUID, ev->auid);
}

/* Write @ev's items at *@pp: count, then kind, argument, flags and payload of each. */
static void enc_put_items(struct bin_encoder *e, uint8_t **pp, const struct la_event *ev)
{
	const char *pl = (const char *)(ev + 1);
	uint8_t *p = put_varint(*pp, ev->nitems);
	unsigned int i;
	int32_t d;

	for (i = 0; i < ev->nitems; i++) {
		const struct la_item *it = (const struct la_item *)pl;

		*p++ = it->kind;
		*p++ = it->arg;
		*p++ = it->flags;
		d = put_str(e, &p, wire_payload(it), it->len);
		if (it->kind < 32 && (FILTER_NAME_ITEMS >> it->kind & 1)) {
			if (it->kind == LA_IT_CWD && !(e->dict[d].kinds & 1u << BIN_FILTER_NAME))
				filter_join(&e->fs, (const uint8_t *)wire_payload(it), it->len);
			filter_dict(e, d, BIN_FILTER_NAME);
		}
		pl += sizeof(*it) + LA_ALIGN(it->len);
	}
	*pp = p;
}

static int enc_event(struct bin_encoder *e, const struct log_record *r)
{
	const struct la_event *ev = r->ev;
	struct enc_plan pl;
	uint32_t base_tid = 0;
	int32_t slot, strs[3];
	struct thread *t;
	unsigned int i;
	uint8_t *p;
	int fresh, first = e->last < 0;

	if (!ev || ev->size > BIN_EVENT_MAX || wire_check(ev, ev->size))
		return -EINVAL;
	pl.exe_len = r->ident.exe ? r->ident.exe_len : 0;
	pl.title_len = r->ident.title ? r->ident.title_len : 0;
	pl.key_len = r->key ? strlen(r->key) : 0;
	if (enc_reserve(e, 1024 + 3 * (size_t)ev->size + pl.exe_len + pl.title_len + pl.key_len) ||
	    enc_prealloc(e, ev->nitems + 5))
		return -ENOMEM;
	slot = thread_slot(e, ev->tid, &fresh, &base_tid);
	t = &e->thr[slot];
	enc_plan(e, r, t, slot, &pl);

	p = e->buf + e->len;
	*p++ = pl.op;
	if (fresh) {
		p = put_varint(p, e->nthr);
		p = put_varint(p, zz32((int32_t)(ev->tid - base_tid)));
	} else if (!(pl.op & OP_SAME_THREAD)) {
		p = put_varint(p, slot + 1);
	}
	if (pl.nrc == NR_EXPLICIT)
		p = put_varint(p, zz32(ev->nr));
	p = put_varint(p, zz64((int64_t)(ev->ts_enter - t->h.ts_exit)));
	p = put_varint(p, zz64((int64_t)(ev->ts_exit - ev->ts_enter - pl.pdur)));
	if (pl.op & OP_RET)
		p = put_varint(p, zz64((int64_t)((uint64_t)ev->ret - (uint64_t)pl.pret)));
	if (pl.op & OP_ARGS) {
		*p++ = pl.amask;
		for (i = 0; i < LA_NARGS; i++)
			if (pl.amask & (1 << i))
				p = put_varint(p, zz64((int64_t)(ev->args[i] - pl.pargs[i])));
	}
	strs[0] = t->exe;
	strs[1] = t->title;
	strs[2] = t->key;
	if (pl.op & OP_CTX)
		enc_put_ctx(e, &p, r, t, &pl, strs);
	if (pl.op & OP_ITEMS)
		enc_put_items(e, &p, ev);
	if (pl.op & OP_STAMP)
		put_stamp(e, &p, &r->stamp);

	e->len = p - e->buf;
	t->exe = strs[0];
	t->title = strs[1];
	t->key = strs[2];
	thread_update(t, ev);
	e->last = slot;
	set_stamp(&e->stamp, &r->stamp);
	index_add(&e->ix, &r->stamp, ev);
	filter_event(e, r, pl.op & OP_CTX ? pl.ctx : 0, first, strs);
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
