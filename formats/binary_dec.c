/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The binary log's decoder: segment headers and blocks checked, damaged bytes
 * skipped up to the next valid header, records rebuilt from the per-thread
 * state and delivered through the caller's callbacks (formats/FORMAT.md).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/binary_int.h"
#include "formats/wire.h"

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
	ix->filter = NULL;
	ix->filter_bits = 0;
	ix->filter_k = 0;
	ix->filter_flags = 0;
}

/*
 * The version 2 part of an index of @ilen bytes at @p.  A filter whose k is out
 * of range is not used (the block is read as one without a filter).
 */
static void filter_get(const uint8_t *p, uint32_t ilen, struct bin_block_index *ix)
{
	if (p[INDEX_LEN] < 1 || p[INDEX_LEN] > 16)
		return;
	ix->filter_k = p[INDEX_LEN];
	ix->filter_flags = p[INDEX_LEN + 1];
	ix->filter_bits = (ilen - INDEX_LEN2) * 8;
	ix->filter = p + INDEX_LEN2;
}

static int filter_test(const struct bin_block_index *ix, uint64_t h)
{
	unsigned int i;
	uint32_t b;

	for (i = 0; i < ix->filter_k; i++) {
		b = filter_bit(h, i, ix->filter_bits);
		if (!(ix->filter[b / 8] >> (b % 8) & 1))
			return 0;
	}
	return 1;
}

int bin_index_may_have_id(const struct bin_block_index *ix, enum bin_filter_kind kind, uint32_t v)
{
	if (!ix->filter)
		return 1;
	return ix->filter_bits && filter_test(ix, filter_hash(kind, v));
}

int bin_index_may_have_substr(const struct bin_block_index *ix, enum bin_filter_kind kind,
			      const char *s, size_t len)
{
	size_t i;

	if (!ix->filter || len < 3 || (ix->filter_flags & BIN_FILTER_F_STRINGS_UNSURE))
		return 1;
	if (!ix->filter_bits)
		return 0;
	for (i = 0; i + 3 <= len; i++)
		if (!filter_test(ix, filter_hash(kind, filter_tri((const uint8_t *)s + i))))
			return 0;
	return 1;
}

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
	unsigned int version; /* of the last segment header; 0: none yet */
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

static int rd_varint_long(struct rd *r, uint64_t *v)
{
	const uint8_t *p = r->p;
	uint64_t x = 0;
	unsigned int shift;

	/* with ten bytes left no varint runs past the end: no check a byte */
	if (r->end - p >= 10) {
		for (shift = 0; shift < 63; shift += 7) {
			x |= (uint64_t)(*p & 0x7f) << shift;
			if (!(*p++ & 0x80)) {
				r->p = p;
				*v = x;
				return 0;
			}
		}
		/* the tenth byte holds bit 63 only */
		if (*p > 1)
			return -1;
		*v = x | (uint64_t)*p << 63;
		r->p = p + 1;
		return 0;
	}
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

/* Most values fit one byte: that case inline, the others in rd_varint_long(). */
static inline __attribute__((always_inline)) int rd_varint(struct rd *r, uint64_t *v)
{
	if (__builtin_expect(r->p < r->end && !(*r->p & 0x80), 1)) {
		*v = *r->p++;
		return 0;
	}
	return rd_varint_long(r, v);
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

/*
 * The syscall number, times, return and arguments of the event at d->ev, coded
 * by @op against thread @t's last event.
 */
static int dec_call(struct dec *d, struct rd *r, uint8_t op, const struct thread *t)
{
	struct la_event *ev = (struct la_event *)d->ev;
	unsigned int nrc = (op >> OP_NR_SHIFT) & 3, i;
	const uint64_t *pargs;
	uint64_t v, pdur;
	int64_t pret;
	uint8_t amask;

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
	if (!(op & OP_ARGS))
		return 0;
	if (rd_byte(r, &amask) || !amask || amask >= 1 << LA_NARGS)
		return dec_fail(d, "argument mask cut short or invalid");
	for (i = 0; i < LA_NARGS; i++) {
		if (!(amask & (1 << i)))
			continue;
		if (rd_varint(r, &v))
			return dec_fail(d, "argument cut short");
		ev->args[i] = pargs[i] + (uint64_t)unzz64(v);
	}
	return 0;
}

/*
 * The context fields of the event at d->ev that @ctx (CTX_* bits) says changed;
 * the dictionary entries of exe, title and key go to @strs[0..2].
 */
static int dec_ctx(struct dec *d, struct rd *r, uint64_t ctx, int32_t strs[3])
{
	struct la_event *ev = (struct la_event *)d->ev;
	unsigned int i;
	uint64_t v;

	/* the bits set, lowest first: few change from one event to the next */
	for (; ctx; ctx &= ctx - 1) {
		i = (unsigned int)__builtin_ctzll(ctx);
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
		case CTX_TITLE:
		case CTX_KEY: /* consecutive bits: strs[0..2] */
			if (rd_str(d, r, 1, &strs[i - CTX_EXE]))
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
	return 0;
}

static int dec_event(struct dec *d, struct rd *r, uint8_t op, int32_t slot, struct log_record *lr)
{
	struct thread *t = &d->thr[slot];
	int32_t strs[3] = {t->exe, t->title, t->key};
	struct la_event *ev;
	uint32_t off = 0;
	uint64_t ctx = 0;

	if (ev_reserve(d, sizeof(*ev)))
		return -1;
	ev = (struct la_event *)d->ev;
	memcpy(ev, &t->h, sizeof(*ev));
	ev->nitems = 0;
	ev->size = sizeof(*ev);
	if (dec_call(d, r, op, t))
		return -1;
	if ((op & OP_CTX) && (rd_varint(r, &ctx) || !ctx || ctx >= 1ULL << CTX_NBITS))
		return dec_fail(d, "context mask cut short or invalid");
	if (dec_ctx(d, r, ctx, strs))
		return -1;
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
	lr->ident.exe = strs[0] < 0 ? NULL : (const char *)d->dict[strs[0]].p;
	lr->ident.exe_len = strs[0] < 0 ? 0 : d->dict[strs[0]].len;
	lr->ident.title = strs[1] < 0 ? NULL : (const char *)d->dict[strs[1]].p;
	lr->ident.title_len = strs[1] < 0 ? 0 : d->dict[strs[1]].len;
	lr->key = NULL;
	if (strs[2] >= 0) {
		lr->key = dec_cstr(d, strs[2], &off);
		if (!lr->key)
			return -1;
	}
	t->exe = strs[0];
	t->title = strs[1];
	t->key = strs[2];
	thread_update(t, ev);
	d->last = slot;
	return 0;
}

static int dec_record(struct dec *d, struct rd *r, struct log_record *lr)
{
	int32_t slot;
	uint64_t v;
	uint8_t op;

	/* field by field: a memset of the whole record costs a rep stos an event */
	lr->ev = NULL;
	memset(&lr->ident, 0, sizeof(lr->ident));
	lr->key = NULL;
	lr->drop = 0;
	lr->type = NULL;
	lr->fields = NULL;
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
	if (si.version < BIN_VERSION_MIN || si.version > BIN_VERSION) {
		snprintf(d->why, sizeof(d->why),
			 "segment of format version %u (this reader: %u to %u)", si.version,
			 BIN_VERSION_MIN, BIN_VERSION);
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
	d->version = si.version;
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
	if (ilen < (d->version >= 2 ? INDEX_LEN2 : INDEX_LEN)) {
		dec_fail(d, "block index too short");
		return 0;
	}
	if (get32(p + 16) != crc(p + BLK_HEAD, ilen)) {
		dec_fail(d, "block index checksum mismatch");
		return 0;
	}
	index_get(p + BLK_HEAD, &ix);
	/* version 1 blocks have no filter; without a segment header, the length tells */
	if (d->version != 1 && ilen >= INDEX_LEN2)
		filter_get(p + BLK_HEAD, ilen, &ix);
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
		} else if ((n = chain_unit_len(p, rem))) {
			/* a link or seal of the hash chain: lausearch --verify reads them */
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
