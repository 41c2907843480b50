/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The binary log's hash chain (formats/FORMAT.md, "Hash chain"): the writer's
 * links and seals, where a log's chain stands, and its verification.
 *
 * Unit n's hash is SHA-256(hash of unit n-1, n as a little-endian u64, the
 * unit's bytes); a chain starts from 32 zero bytes.  Links and seals carry a
 * CRC of their own, so that damage to them reads as damage, not as tampering.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "logger/bin_chain.h"
#include "formats/binary_int.h"

_Static_assert(BIN_CHAIN_HASH == CHAIN_HASH, "one hash length");
_Static_assert(BIN_CHAIN_SEAL == SEAL_LEN, "one seal length");
_Static_assert(BIN_CHAIN_LINK_MAX == LINK_START_LEN, "the longest link");

struct bin_chain {
	uint8_t head[CHAIN_HASH]; /* hash of the last unit */
	uint64_t seq;		  /* the next unit's number */
	EVP_MD_CTX *md;		  /* the unit being taken */
	EVP_PKEY *key;		  /* signs the seals, or NULL */
	uint8_t hdr[BLK_HEAD];	  /* the unit's fixed header, as it comes */
	uint32_t hdr_have;
	uint64_t left; /* the unit's bytes still to come, once its header is in */
	int in_unit;
	int seg;  /* the unit is a segment header */
	int open; /* units since the last seal */
};

/* Start unit @seq after @head: SHA-256(head, le64(seq), ...). */
static int unit_begin(EVP_MD_CTX *md, const uint8_t *head, uint64_t seq)
{
	uint8_t n[8];

	le64(n, seq);
	return EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
			       EVP_DigestUpdate(md, head, CHAIN_HASH) == 1 &&
			       EVP_DigestUpdate(md, n, 8) == 1
		       ? 0
		       : -EIO;
}

/* The hash of the unit @p (@len bytes) numbered @seq after @head. */
static int unit_hash(EVP_MD_CTX *md, const uint8_t *head, uint64_t seq, const void *p, size_t len,
		     uint8_t *out)
{
	if (unit_begin(md, head, seq) || EVP_DigestUpdate(md, p, len) != 1 ||
	    EVP_DigestFinal_ex(md, out, NULL) != 1)
		return -EIO;
	return 0;
}

/* A unit's length from its fixed header (a segment header or a block); 0: neither. */
static uint64_t unit_len(const uint8_t *h)
{
	if (!memcmp(h, seg_magic, sizeof(seg_magic)))
		return (uint64_t)SEG_HEAD + get32(h + 12);
	if (!memcmp(h, blk_magic, sizeof(blk_magic)))
		return (uint64_t)BLK_HEAD + get16(h + 4) + get32(h + 8);
	return 0;
}

static void link_put(uint8_t *l, int start, uint64_t seq, const uint8_t *hash, const uint8_t *prev)
{
	size_t n = start ? LINK_START_LEN : LINK_LEN;

	memcpy(l, start ? lnp_magic : lnk_magic, 4);
	le64(l + 8, seq);
	memcpy(l + 16, hash, CHAIN_HASH);
	if (start)
		memcpy(l + 48, prev, CHAIN_HASH);
	le32(l + 4, crc(l + 8, n - 8));
}

struct bin_chain *bin_chain_new(const uint8_t *head, uint64_t seq, const uint8_t *key)
{
	struct bin_chain *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	if (head)
		memcpy(c->head, head, CHAIN_HASH);
	c->seq = seq;
	c->md = EVP_MD_CTX_new();
	if (!c->md) {
		free(c);
		errno = ENOMEM;
		return NULL;
	}
	if (key) {
		c->key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, key, BIN_CHAIN_KEY);
		if (!c->key) {
			bin_chain_free(c);
			errno = EINVAL;
			return NULL;
		}
	}
	return c;
}

void bin_chain_free(struct bin_chain *c)
{
	if (!c)
		return;
	EVP_MD_CTX_free(c->md);
	EVP_PKEY_free(c->key);
	free(c);
}

size_t bin_chain_feed(struct bin_chain *c, const void *buf, size_t len, uint8_t *link,
		      size_t *link_len)
{
	const uint8_t *p = buf;
	uint8_t prev[CHAIN_HASH];
	size_t done = 0, n;

	*link_len = 0;
	if (!len)
		return 0;
	if (!c->in_unit) {
		unit_begin(c->md, c->head, c->seq);
		c->in_unit = 1;
		c->hdr_have = 0;
		c->left = 0;
	}
	while (done < len) {
		if (c->hdr_have < BLK_HEAD) {
			n = BLK_HEAD - c->hdr_have;
			n = n < len - done ? n : len - done;
			memcpy(c->hdr + c->hdr_have, p + done, n);
			c->hdr_have += n;
			if (c->hdr_have == BLK_HEAD) {
				uint64_t total = unit_len(c->hdr);

				/* not a unit (cannot come from the encoder): 24 bytes */
				c->left = total > BLK_HEAD ? total - BLK_HEAD : 0;
				c->seg = !memcmp(c->hdr, seg_magic, sizeof(seg_magic));
			}
		} else {
			n = c->left < len - done ? c->left : len - done;
			c->left -= n;
		}
		EVP_DigestUpdate(c->md, p + done, n);
		done += n;
		if (c->hdr_have == BLK_HEAD && !c->left)
			break;
	}
	if (c->hdr_have < BLK_HEAD || c->left)
		return done;
	memcpy(prev, c->head, CHAIN_HASH);
	EVP_DigestFinal_ex(c->md, c->head, NULL);
	link_put(link, c->seg, c->seq, c->head, prev);
	*link_len = c->seg ? LINK_START_LEN : LINK_LEN;
	c->seq++;
	c->in_unit = 0;
	c->open = 1;
	return done;
}

/* Sign bytes 8..63 of the seal @s with @key into its bytes 64..127. */
static int seal_sign(EVP_PKEY *key, uint8_t *s)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t n = SEAL_LEN - SEAL_SIGNED;
	int rc = -EIO;

	if (ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) == 1 &&
	    EVP_DigestSign(ctx, s + SEAL_SIGNED, &n, s + 8, SEAL_SIGNED - 8) == 1 &&
	    n == SEAL_LEN - SEAL_SIGNED)
		rc = 0;
	EVP_MD_CTX_free(ctx);
	return rc;
}

int bin_chain_seal(struct bin_chain *c, uint64_t time_ns, uint8_t *s)
{
	if (c->in_unit)
		return -EBUSY;
	if (!c->open)
		return -ENODATA;
	memset(s, 0, SEAL_LEN);
	memcpy(s, seal_magic, 4);
	le64(s + 8, c->seq);
	memcpy(s + 16, c->head, CHAIN_HASH);
	le64(s + 48, time_ns);
	le32(s + 56, c->key ? SEAL_F_SIGNED : 0);
	if (c->key && seal_sign(c->key, s))
		return -EIO;
	le32(s + 4, crc(s + 8, SEAL_LEN - 8));
	if (unit_hash(c->md, c->head, c->seq, s + 16, SEAL_SIGNED - 16, c->head))
		return -EIO;
	c->seq++;
	c->open = 0;
	return 0;
}

int bin_chain_resume(const void *buf, size_t len, uint8_t *head, uint64_t *seq)
{
	const uint8_t *base = buf;
	EVP_MD_CTX *md = NULL;
	size_t off = 0, n;
	int found = 0;

	while (off < len) {
		const uint8_t *p = base + off;
		size_t rem = len - off;
		uint64_t u;

		n = chain_unit_len(p, rem);
		if (n == SEAL_LEN) {
			if (!md)
				md = EVP_MD_CTX_new();
			*seq = get64(p + 8);
			if (!md || unit_hash(md, p + 16, *seq, p + 16, SEAL_SIGNED - 16, head))
				break;
			*seq += 1;
			found = 1;
		} else if (n) {
			*seq = get64(p + 8) + 1;
			memcpy(head, p + 16, CHAIN_HASH);
			found = 1;
		} else if (rem >= BLK_HEAD && get32(p + 20) == crc(p, 20) && (u = unit_len(p)) &&
			   u <= rem) {
			n = u;
		} else {
			n = 1; /* damage: look for the next unit */
		}
		off += n;
	}
	EVP_MD_CTX_free(md);
	return found;
}

/* ----------------------------------------------------------------- verification */

enum seg_state {
	SEG_NONE,      /* before any segment header */
	SEG_UNCHAINED, /* in a segment of version 1 or 2 */
	SEG_OPEN,      /* in a chained segment, not sealed yet */
	SEG_SEALED,    /* after a chained segment's seal */
};

struct bin_verify {
	EVP_MD_CTX *md;
	EVP_PKEY *key;
	uint8_t head[CHAIN_HASH]; /* hash of the last unit */
	uint64_t seq;		  /* the number the next unit must have */
	int known;		  /* head and seq are known (a unit was read) */
	enum seg_state seg;
	unsigned int file;	/* the file being read */
	unsigned int nfiles;	/* files given */
	unsigned int open_file; /* where the open segment ends so far */
	uint64_t open_end;
	int failed;
	struct bin_verify_result r;
};

struct bin_verify *bin_verify_new(const uint8_t *key)
{
	struct bin_verify *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	v->md = EVP_MD_CTX_new();
	if (!v->md) {
		free(v);
		errno = ENOMEM;
		return NULL;
	}
	if (key) {
		v->key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, key, BIN_CHAIN_KEY);
		if (!v->key) {
			bin_verify_free(v);
			errno = EINVAL;
			return NULL;
		}
	}
	return v;
}

void bin_verify_free(struct bin_verify *v)
{
	if (!v)
		return;
	EVP_MD_CTX_free(v->md);
	EVP_PKEY_free(v->key);
	free(v);
}

static int fail_at(struct bin_verify *v, unsigned int file, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The first problem: where, and what. */
static int fail_at(struct bin_verify *v, unsigned int file, uint64_t off, const char *fmt, ...)
{
	va_list ap;

	v->failed = 1;
	v->r.file = file;
	v->r.offset = off;
	va_start(ap, fmt);
	vsnprintf(v->r.what, sizeof(v->r.what), fmt, ap);
	va_end(ap);
	return 1;
}

#define fail(v, off, ...) fail_at(v, (v)->file, off, __VA_ARGS__)

/* A segment ended, or another begins: the chained one before must have been sealed. */
static int check_sealed(struct bin_verify *v)
{
	if (v->seg != SEG_OPEN)
		return 0;
	return fail_at(v, v->open_file, v->open_end,
		       "the segment ends without its seal: cut short after unit %llu",
		       (unsigned long long)v->seq - 1);
}

/* The number of a unit read where @want was due: whether it is, and what is wrong if not. */
static int check_seq(struct bin_verify *v, uint64_t off, const char *what, uint64_t seq)
{
	uint64_t want = v->seq;

	if (seq == want)
		return 0;
	if (seq > want)
		return fail(
			v, off,
			"the %s is unit %llu of the chain, %llu was due: %llu unit%s removed or "
			"moved before it",
			what, (unsigned long long)seq, (unsigned long long)want,
			(unsigned long long)(seq - want), seq - want == 1 ? "" : "s");
	return fail(
		v, off,
		"the %s is unit %llu of the chain, %llu was due: moved from earlier in the chain",
		what, (unsigned long long)seq, (unsigned long long)want);
}

/*
 * The unit at @off (a segment header when @start, else a block), @len bytes,
 * and the link after it.  Return: its length with the link's, 0 on a problem.
 */
static size_t verify_unit(struct bin_verify *v, const uint8_t *base, size_t total, size_t off,
			  size_t len, int start)
{
	const char *what = start ? "segment header" : "block";
	const uint8_t *l = base + off + len, *prev;
	size_t rem = total - off - len, n = start ? LINK_START_LEN : LINK_LEN;
	uint8_t hash[CHAIN_HASH];
	uint64_t seq;

	if (!rem)
		return fail(v, off, "the %s has no link: the segment was cut short after it", what),
		       0;
	if (rem < n && !memcmp(l, start ? lnp_magic : lnk_magic, rem < 4 ? rem : 4))
		return fail(v, off, "the %s's link is cut short: the segment was cut short", what),
		       0;
	if (rem < n || memcmp(l, start ? lnp_magic : lnk_magic, 4))
		return fail(v, off, "the %s is not followed by its link", what), 0;
	if (chain_unit_len(l, rem) != n)
		return fail(v, off + len, "the %s's link is damaged (checksum mismatch)", what), 0;
	seq = get64(l + 8);
	prev = start ? l + 48 : v->head;
	if (start && !v->known) {
		v->r.first_seq = seq;
	} else if (start && seq > v->seq) {
		return fail(v, off,
			    "the segment starts at unit %llu of the chain, %llu was due: %llu "
			    "unit%s missing before it (a segment deleted?)",
			    (unsigned long long)seq, (unsigned long long)v->seq,
			    (unsigned long long)(seq - v->seq), seq - v->seq == 1 ? "" : "s"),
		       0;
	} else if (check_seq(v, off, what, seq)) {
		return 0;
	} else if (start && memcmp(prev, v->head, CHAIN_HASH)) {
		return fail(v, off,
			    "the segment does not continue the chain: unit %llu before it "
			    "was replaced",
			    (unsigned long long)seq - 1),
		       0;
	}
	if (unit_hash(v->md, prev, seq, base + off, len, hash))
		return fail(v, off, "cannot compute SHA-256"), 0;
	if (memcmp(hash, l + 16, CHAIN_HASH))
		return fail(v, off, "the %s does not match its hash: altered", what), 0;
	memcpy(v->head, hash, CHAIN_HASH);
	v->seq = seq + 1;
	v->known = 1;
	v->r.units++;
	return len + n;
}

static int seal_verify(EVP_PKEY *key, const uint8_t *s)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1 &&
		 EVP_DigestVerify(ctx, s + SEAL_SIGNED, SEAL_LEN - SEAL_SIGNED, s + 8,
				  SEAL_SIGNED - 8) == 1;

	EVP_MD_CTX_free(ctx);
	return ok;
}

/* The seal at @off: return its length, 0 on a problem. */
static size_t verify_seal(struct bin_verify *v, const uint8_t *s, size_t rem, size_t off)
{
	uint64_t seq;

	if (v->seg != SEG_OPEN)
		return fail(v, off, "a seal where no segment is open"), 0;
	if (rem < SEAL_LEN)
		return fail(v, off, "the seal is cut short: the segment was cut short"), 0;
	if (chain_unit_len(s, rem) != SEAL_LEN)
		return fail(v, off, "the seal is damaged (checksum mismatch)"), 0;
	seq = get64(s + 8);
	if (check_seq(v, off, "seal", seq))
		return 0;
	if (memcmp(s + 16, v->head, CHAIN_HASH))
		return fail(v, off, "the seal does not name the chain's head: altered"), 0;
	if (v->key && !(get32(s + 56) & SEAL_F_SIGNED))
		return fail(v, off, "the seal is not signed"), 0;
	if (v->key && !seal_verify(v->key, s))
		return fail(v, off,
			    "the seal's signature does not verify with the key: the chain "
			    "was rewritten"),
		       0;
	if (unit_hash(v->md, v->head, seq, s + 16, SEAL_SIGNED - 16, v->head))
		return fail(v, off, "cannot compute SHA-256"), 0;
	v->seq = seq + 1;
	v->r.seals++;
	v->r.units++;
	if (v->key)
		v->r.signatures++;
	v->seg = SEG_SEALED;
	return SEAL_LEN;
}

/* The next valid segment header from @off, or @len. */
static size_t next_segment(const uint8_t *base, size_t len, size_t off)
{
	for (; off + SEG_HEAD <= len; off++)
		if (!memcmp(base + off, seg_magic, sizeof(seg_magic)) &&
		    get32(base + off + 20) == crc(base + off, 20))
			return off;
	return len;
}

/* The segment header at @off: return its length with its link's, 0 on a problem. */
static size_t verify_segment(struct bin_verify *v, const uint8_t *base, size_t len, size_t off)
{
	const uint8_t *p = base + off;
	size_t rem = len - off;
	uint32_t body;
	unsigned int version;

	if (check_sealed(v))
		return 0;
	if (rem < SEG_HEAD)
		return fail(v, off, "the segment header is cut short"), 0;
	if (get32(p + 20) != crc(p, 20))
		return fail(v, off, "the segment header is damaged (checksum mismatch)"), 0;
	body = get32(p + 12);
	if (body > rem - SEG_HEAD)
		return fail(v, off, "the segment header is cut short"), 0;
	if (get32(p + 16) != crc(p + SEG_HEAD, body))
		return fail(v, off, "the segment header is damaged (checksum mismatch)"), 0;
	version = get16(p + 8);
	if (version < BIN_VERSION) {
		if (v->r.segments)
			return fail(v, off,
				    "a segment of format version %u, without a chain, after "
				    "chained ones",
				    version),
			       0;
		v->r.unchained++;
		v->seg = SEG_UNCHAINED;
		return next_segment(base, len, off + 1) - off;
	}
	v->r.segments++;
	v->seg = SEG_OPEN;
	return verify_unit(v, base, len, off, SEG_HEAD + body, 1);
}

/* The block at @off: return its length with its link's, 0 on a problem. */
static size_t verify_block(struct bin_verify *v, const uint8_t *base, size_t len, size_t off)
{
	const uint8_t *p = base + off;
	size_t rem = len - off;
	uint64_t total;

	if (v->seg == SEG_SEALED)
		return fail(v, off, "a block after the segment's seal"), 0;
	if (rem < BLK_HEAD)
		return fail(v, off, "the block is cut short: its header needs %d bytes, %zu remain",
			    BLK_HEAD, rem),
		       0;
	if (get32(p + 20) != crc(p, 20))
		return fail(v, off, "the block header is damaged (checksum mismatch)"), 0;
	total = unit_len(p);
	if (total > rem)
		return fail(v, off, "the block is cut short: it needs %llu bytes, %zu remain",
			    (unsigned long long)total, rem),
		       0;
	v->r.blocks++;
	return verify_unit(v, base, len, off, total, 0);
}

int bin_verify_file(struct bin_verify *v, const void *buf, size_t len)
{
	const uint8_t *base = buf;
	size_t off = 0, n;

	if (v->failed)
		return 1;
	v->file = v->nfiles++;
	if (!len)
		return 0;
	/* a file starts with a segment header (v3) */
	while (off < len) {
		const uint8_t *p = base + off;
		size_t rem = len - off;

		if (!memcmp(p, seg_magic, rem < 8 ? rem : 8)) {
			n = verify_segment(v, base, len, off);
		} else if (v->seg == SEG_NONE) {
			/* whatever it was, nothing can tell it was not altered */
			n = (fail(v, off, "no segment header where the log starts"), 0);
		} else if (v->seg == SEG_UNCHAINED) {
			/* the rest of a version 1 or 2 segment */
			n = next_segment(base, len, off) - off;
		} else if (!memcmp(p, blk_magic, rem < 4 ? rem : 4)) {
			n = verify_block(v, base, len, off);
		} else if (!memcmp(p, seal_magic, rem < 4 ? rem : 4)) {
			n = verify_seal(v, p, rem, off);
		} else {
			n = (fail(v, off, "%zu bytes that are no block, link or seal", rem), 0);
		}
		if (!n)
			return 1;
		off += n;
	}
	v->open_file = v->file;
	v->open_end = len;
	return 0;
}

void bin_verify_end(struct bin_verify *v, struct bin_verify_result *r)
{
	if (!v->failed && !v->r.segments)
		fail_at(v, 0, 0, "no chain: %s",
			v->r.unchained ? "the log's format version is older "
					 "than 3"
				       : "the log is empty");
	v->r.intact = !v->failed;
	v->r.open = v->seg == SEG_OPEN;
	*r = v->r;
}
