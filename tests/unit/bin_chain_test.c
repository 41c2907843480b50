// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for logger/bin_chain.c: a log of three segments written as the
 * daemon writes it (the encoder's blocks, cut in odd pieces, through the chain,
 * each segment sealed and signed), then altered as an attacker would, and each
 * alteration found where it was made, with the exact message.
 *
 * usage: bin_chain_test                       run the tests
 *        bin_chain_test --write-corpus DIR    write seeds for tests/fuzz/chain_fuzz.c
 */
#include "logger/bin_chain.c"

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>

#include <openssl/evp.h>

#include "tests/unit/unit.h"

#define NSEG 3
#define NREC 40 /* records per segment */

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static void buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static int enc_out(void *arg, const void *p, size_t n)
{
	buf_add(arg, p, n);
	return 0;
}

/* Outside the tests (main() makes the log): a failure aborts. */
#define CHECK(x)                                                                       \
	do {                                                                           \
		if (!(x)) {                                                            \
			fprintf(stderr, "%s:%d: %s failed\n", __FILE__, __LINE__, #x); \
			abort();                                                       \
		}                                                                      \
	} while (0)

static const uint8_t priv[BIN_CHAIN_KEY] = {1,	2,  3,	4,  5,	6,  7,	8,  9,	10, 11,
					    12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
					    23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
static const uint8_t other[BIN_CHAIN_KEY] = {9};
static uint8_t pub[BIN_CHAIN_KEY];

static void public_key(void)
{
	EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv, sizeof(priv));
	size_t n = sizeof(pub);

	if (!k || EVP_PKEY_get_raw_public_key(k, pub, &n) != 1)
		abort();
	EVP_PKEY_free(k);
}

/*
 * @files[0..NSEG-1]: a chained log, one segment a file, each sealed with @key
 * (NULL: unsigned) but the last (being written) unless @seal_last.  @tamper:
 * record @tamper of the second segment says "op=forged" (0: none).
 */
static void make_log(struct buf *files, const uint8_t *key, int seal_last, int tamper)
{
	struct bin_chain *c = bin_chain_new(NULL, 0, key);
	uint8_t link[BIN_CHAIN_LINK_MAX], seal[BIN_CHAIN_SEAL];
	int s, i;

	CHECK(c != NULL);
	for (s = 0; s < NSEG; s++) {
		struct buf raw = {0};
		struct bin_encoder_opts o = {.host = "h",
					     .boot_id = "b",
					     .kernel = "k",
					     .block_size = 200,
					     .write = enc_out,
					     .write_arg = &raw};
		struct bin_encoder *e = bin_encoder_new(&o);
		size_t off = 0, n, l, piece = 7;

		bin_encoder_chained(e);
		memset(&files[s], 0, sizeof(files[s]));
		for (i = 0; i < NREC; i++) {
			char fields[64];
			struct log_record r = {.kind = LOG_REC_DAEMON, .type = "DAEMON_START"};

			snprintf(fields, sizeof(fields), "op=%s seg=%d rec=%d",
				 s == 1 && i == tamper && tamper ? "forged" : "start", s, i);
			r.fields = fields;
			r.stamp.sec = 1700000000 + s * 100 + i;
			r.stamp.serial = s * 100 + i + 1;
			CHECK(bin_encode(e, &r) == 0);
		}
		CHECK(bin_flush(e) == 0);
		bin_encoder_free(e);
		/* the writer takes the bytes in chunks that cut units anywhere */
		while (off < raw.len) {
			n = bin_chain_feed(c, raw.p + off,
					   raw.len - off < piece ? raw.len - off : piece, link, &l);
			CHECK(n > 0);
			buf_add(&files[s], raw.p + off, n);
			if (l)
				buf_add(&files[s], link, l);
			off += n;
			piece = piece * 3 % 101 + 1;
		}
		free(raw.p);
		if (s < NSEG - 1 || seal_last) {
			CHECK(bin_chain_seal(c, 1700000000000000000ULL + s, seal) == 0);
			buf_add(&files[s], seal, sizeof(seal));
			CHECK(bin_chain_seal(c, 0, seal) == -ENODATA);
		}
	}
	bin_chain_free(c);
}

static void free_log(struct buf *files)
{
	int s;

	for (s = 0; s < NSEG; s++)
		free(files[s].p);
}

/* The offset of the @k-th block of @b (0 first), its length in *@len (link included). */
static size_t block_at(const struct buf *b, int k, size_t *len)
{
	size_t off = 0, n;

	while (off < b->len) {
		const uint8_t *p = b->p + off;

		n = chain_unit_len(p, b->len - off);
		if (!n)
			n = unit_len(p);
		if (!memcmp(p, blk_magic, 4)) {
			n += LINK_LEN;
			if (!k--) {
				*len = n;
				return off;
			}
		}
		off += n;
	}
	CU_FAIL_FATAL("no such block");
	return 0;
}

/* Verify @n files of @files (@key: check signatures); the result in @r. */
static void verify(struct buf *const *files, int n, const uint8_t *key, struct bin_verify_result *r)
{
	struct bin_verify *v = bin_verify_new(key);
	int i;

	CU_ASSERT_FATAL(v != NULL);
	for (i = 0; i < n; i++)
		bin_verify_file(v, files[i]->p, files[i]->len);
	bin_verify_end(v, r);
	bin_verify_free(v);
}

static struct buf g_log[NSEG];

static void verify_log(const uint8_t *key, struct bin_verify_result *r)
{
	struct buf *f[NSEG] = {&g_log[0], &g_log[1], &g_log[2]};

	verify(f, NSEG, key, r);
}

static void test_intact(void)
{
	struct bin_verify_result r;

	verify_log(pub, &r);
	CU_ASSERT(r.intact);
	CU_ASSERT_STRING_EQUAL(r.what, "");
	CU_ASSERT_EQUAL(r.segments, 3);
	CU_ASSERT_EQUAL(r.unchained, 0);
	CU_ASSERT_EQUAL(r.blocks, 21);
	CU_ASSERT_EQUAL(r.seals, 2);
	CU_ASSERT_EQUAL(r.signatures, 2);
	CU_ASSERT_EQUAL(r.first_seq, 0);
	CU_ASSERT_EQUAL(r.units, 3 + 21 + 2);
	CU_ASSERT(r.open);
	/* without the key, the same */
	verify_log(NULL, &r);
	CU_ASSERT(r.intact);
	CU_ASSERT_EQUAL(r.signatures, 0);
}

static int on_record(void *arg, const struct log_record *r)
{
	(void)arg;
	(void)r;
	return 0;
}

static void test_decode_skips_chain(void)
{
	struct bin_decode_ops ops = {.record = on_record};
	struct bin_decode_stats st;
	int s;

	for (s = 0; s < NSEG; s++) {
		CU_ASSERT_EQUAL(bin_decode(g_log[s].p, g_log[s].len, &ops, NULL, &st), 0);
		CU_ASSERT_EQUAL(st.records, NREC);
		CU_ASSERT_EQUAL(st.segments, 1);
		CU_ASSERT_EQUAL(st.blocks, 7);
		CU_ASSERT_EQUAL(st.corrupt, 0);
		CU_ASSERT_EQUAL(st.torn, 0);
	}
}

static void test_flipped_byte(void)
{
	struct buf f1 = g_log[1], *f[NSEG] = {&g_log[0], &f1, &g_log[2]};
	struct bin_verify_result r;
	size_t len, off = block_at(&g_log[1], 4, &len);

	f1.p = malloc(f1.len);
	memcpy(f1.p, g_log[1].p, f1.len);
	f1.p[off + len - LINK_LEN - 3] ^= 0x20; /* in the block's records */
	verify(f, NSEG, NULL, &r);
	CU_ASSERT(!r.intact);
	CU_ASSERT_EQUAL(r.file, 1);
	CU_ASSERT_EQUAL(r.offset, off);
	CU_ASSERT_EQUAL(r.offset, 1723);
	CU_ASSERT_STRING_EQUAL(r.what, "the block does not match its hash: altered");
	free(f1.p);
}

/* g_log[1] with @len bytes at @off cut out (and @ins, @ilen inserted there). */
static void splice(struct buf *out, size_t off, size_t len, const uint8_t *ins, size_t ilen)
{
	memset(out, 0, sizeof(*out));
	buf_add(out, g_log[1].p, off);
	if (ilen)
		buf_add(out, ins, ilen);
	buf_add(out, g_log[1].p + off + len, g_log[1].len - off - len);
}

static void test_removed_block(void)
{
	struct buf f1, *f[NSEG] = {&g_log[0], &f1, &g_log[2]};
	struct bin_verify_result r;
	size_t len, off = block_at(&g_log[1], 3, &len);

	splice(&f1, off, len, NULL, 0);
	verify(f, NSEG, NULL, &r);
	CU_ASSERT(!r.intact);
	CU_ASSERT_EQUAL(r.file, 1);
	CU_ASSERT_EQUAL(r.offset, off);
	CU_ASSERT_STRING_EQUAL(r.what, "the block is unit 14 of the chain, 13 was due: 1 unit "
				       "removed or moved before it");
	free(f1.p);
}

static void test_swapped_blocks(void)
{
	struct buf f1, *f[NSEG] = {&g_log[0], &f1, &g_log[2]};
	struct bin_verify_result r;
	size_t la, lb, a = block_at(&g_log[1], 2, &la), b = block_at(&g_log[1], 3, &lb);
	uint8_t *sw = malloc(la + lb);

	memcpy(sw, g_log[1].p + b, lb);
	memcpy(sw + lb, g_log[1].p + a, la);
	splice(&f1, a, la + lb, sw, la + lb);
	verify(f, NSEG, NULL, &r);
	CU_ASSERT(!r.intact);
	CU_ASSERT_EQUAL(r.file, 1);
	CU_ASSERT_EQUAL(r.offset, a);
	CU_ASSERT_STRING_EQUAL(r.what, "the block is unit 13 of the chain, 12 was due: 1 unit "
				       "removed or moved before it");
	free(sw);
	free(f1.p);
}

static void test_truncated_segment(void)
{
	struct buf f1 = g_log[1], *f[NSEG] = {&g_log[0], &f1, &g_log[2]};
	struct bin_verify_result r;
	size_t len, off = block_at(&g_log[1], 5, &len);

	/* cut inside a block */
	f1.len = off + 100;
	verify(f, NSEG, NULL, &r);
	CU_ASSERT(!r.intact);
	CU_ASSERT_EQUAL(r.file, 1);
	CU_ASSERT_EQUAL(r.offset, off);
	CU_ASSERT_STRING_EQUAL(r.what, "the block is cut short: it needs 363 bytes, 100 remain");
	/* cut where a block ends: the segment's seal is missing */
	f1.len = off;
	verify(f, NSEG, NULL, &r);
	CU_ASSERT(!r.intact);
	CU_ASSERT_EQUAL(r.file, 1);
	CU_ASSERT_EQUAL(r.offset, off);
	CU_ASSERT_STRING_EQUAL(r.what,
			       "the segment ends without its seal: cut short after unit 14");
	/* the seal alone removed */
	f1.len = g_log[1].len - BIN_CHAIN_SEAL;
	verify(f, NSEG, NULL, &r);
	CU_ASSERT(!r.intact);
	CU_ASSERT_EQUAL(r.offset, f1.len);
	CU_ASSERT_STRING_EQUAL(r.what,
			       "the segment ends without its seal: cut short after unit 16");
	/* a block cut from the end, the seal kept */
	block_at(&g_log[1], 6, &len);
	splice(&f1, g_log[1].len - BIN_CHAIN_SEAL - len, len, NULL, 0);
	verify(f, NSEG, NULL, &r);
	CU_ASSERT(!r.intact);
	CU_ASSERT_EQUAL(r.offset, f1.len - BIN_CHAIN_SEAL);
	CU_ASSERT_STRING_EQUAL(r.what, "the seal is unit 17 of the chain, 16 was due: 1 unit "
				       "removed or moved before it");
	free(f1.p);
}

static void test_deleted_segment(void)
{
	struct buf *f[2] = {&g_log[0], &g_log[2]};
	struct bin_verify_result r;

	verify(f, 2, NULL, &r);
	CU_ASSERT(!r.intact);
	CU_ASSERT_EQUAL(r.file, 1);
	CU_ASSERT_EQUAL(r.offset, 0);
	CU_ASSERT_STRING_EQUAL(r.what, "the segment starts at unit 18 of the chain, 9 was due: "
				       "9 units missing before it (a segment deleted?)");
}

static void test_rewritten_chain(void)
{
	struct buf forged[NSEG], unsigned_log[NSEG];
	struct buf *f[NSEG] = {&forged[0], &forged[1], &forged[2]};
	struct buf *u[NSEG] = {&unsigned_log[0], &unsigned_log[1], &unsigned_log[2]};
	struct bin_verify_result r;

	/* record 5 of segment 1 changed, every hash after it recomputed, signed with another key */
	make_log(forged, other, 0, 5);
	verify(f, NSEG, NULL, &r);
	CU_ASSERT(r.intact); /* without the key, a rewritten chain holds */
	verify(f, NSEG, pub, &r);
	CU_ASSERT(!r.intact);
	CU_ASSERT_EQUAL(r.file, 0);
	CU_ASSERT_EQUAL(r.offset, forged[0].len - BIN_CHAIN_SEAL);
	CU_ASSERT_STRING_EQUAL(r.what, "the seal's signature does not verify with the key: the "
				       "chain was rewritten");
	/* the same, not signed at all */
	make_log(unsigned_log, NULL, 0, 5);
	verify(u, NSEG, pub, &r);
	CU_ASSERT(!r.intact);
	CU_ASSERT_EQUAL(r.file, 0);
	CU_ASSERT_EQUAL(r.offset, unsigned_log[0].len - BIN_CHAIN_SEAL);
	CU_ASSERT_STRING_EQUAL(r.what, "the seal is not signed");
	free_log(forged);
	free_log(unsigned_log);
}

/* Every byte of every file, flipped alone, is found, at or before its offset. */
static void test_every_byte(void)
{
	struct bin_verify_result r;
	size_t i, missed = 0, late = 0;
	int s;

	for (s = 0; s < NSEG; s++) {
		struct buf f = g_log[s], *f3[NSEG] = {&g_log[0], &g_log[1], &g_log[2]};

		f.p = malloc(f.len);
		memcpy(f.p, g_log[s].p, f.len);
		f3[s] = &f;
		for (i = 0; i < f.len; i++) {
			f.p[i] ^= 0x01;
			verify(f3, NSEG, NULL, &r);
			/* a seal's change shows where the next segment starts */
			if (r.intact)
				missed++;
			else if ((int)r.file == s && r.offset > i)
				late++;
			f.p[i] ^= 0x01;
		}
		free(f.p);
	}
	CU_ASSERT_EQUAL(missed, 0);
	CU_ASSERT_EQUAL(late, 0);
}

static void test_resume(void)
{
	uint8_t head[BIN_CHAIN_HASH];
	uint64_t seq = 99;

	/* the second file's start names the hash after the first one's seal */
	CU_ASSERT_EQUAL(bin_chain_resume(g_log[0].p, g_log[0].len, head, &seq), 1);
	CU_ASSERT_EQUAL(seq, 9);
	CU_ASSERT(!memcmp(g_log[1].p + block_at(&g_log[1], 0, &(size_t){0}) - LINK_START_LEN + 48,
			  head, BIN_CHAIN_HASH));
	/* an open segment: its last link */
	CU_ASSERT_EQUAL(bin_chain_resume(g_log[2].p, g_log[2].len - 5, head, &seq), 1);
	CU_ASSERT_EQUAL(seq, 25);
	CU_ASSERT_EQUAL(bin_chain_resume(g_log[2].p, 50, head, &seq), 0);
}

static void test_unchained(void)
{
	struct buf raw = {0}, *f[1] = {&raw};
	struct bin_encoder_opts o = {.write = enc_out, .write_arg = &raw};
	struct bin_encoder *e = bin_encoder_new(&o);
	struct log_record rec = {.kind = LOG_REC_DAEMON, .type = "DAEMON_START", .fields = "x"};
	struct bin_verify_result r;

	CU_ASSERT(bin_encode(e, &rec) == 0);
	CU_ASSERT(bin_flush(e) == 0);
	bin_encoder_free(e);
	CU_ASSERT_EQUAL(get16(raw.p + 8), 2);
	verify(f, 1, NULL, &r);
	CU_ASSERT(!r.intact);
	CU_ASSERT_EQUAL(r.unchained, 1);
	CU_ASSERT_STRING_EQUAL(r.what, "no chain: the log's format version is older than 3");
	/* an unchained segment after chained ones: a downgrade */
	{
		struct buf *g[2] = {&g_log[0], &raw};

		verify(g, 2, NULL, &r);
		CU_ASSERT(!r.intact);
		CU_ASSERT_EQUAL(r.file, 1);
		CU_ASSERT_EQUAL(r.offset, 0);
		CU_ASSERT_STRING_EQUAL(r.what, "a segment of format version 2, without a chain, "
					       "after chained ones");
	}
	free(raw.p);
}

/* Seeds for tests/fuzz/chain_fuzz.c: a byte choosing where the second file starts, then the log. */
static int write_corpus(const char *dir)
{
	static const struct {
		const char *name;
		int first, last;
	} seeds[] = {{"sealed", 0, 0}, {"open", 2, 2}, {"two", 1, 2}};
	char path[4096];
	size_t i;
	int s;

	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		uint8_t cut = seeds[i].first == seeds[i].last ? 0 : 128;
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, seeds[i].name);
		f = fopen(path, "wb");
		if (!f)
			return 1;
		fwrite(&cut, 1, 1, f);
		for (s = seeds[i].first; s <= seeds[i].last; s++)
			fwrite(g_log[s].p, 1, g_log[s].len, f);
		if (fclose(f))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct unit_test tests[] = {
		{"intact chain, signed", test_intact},
		{"the decoder skips links and seals", test_decode_skips_chain},
		{"flipped byte", test_flipped_byte},
		{"removed block", test_removed_block},
		{"swapped blocks", test_swapped_blocks},
		{"truncated segment", test_truncated_segment},
		{"deleted middle segment", test_deleted_segment},
		{"rewritten and rehashed chain", test_rewritten_chain},
		{"every byte flipped is found", test_every_byte},
		{"resume from a log's end", test_resume},
		{"logs without a chain", test_unchained},
	};
	int rc;

	public_key();
	make_log(g_log, priv, 0, 0);
	if (argc == 3 && !strcmp(argv[1], "--write-corpus")) {
		rc = write_corpus(argv[2]);
		free_log(g_log);
		return rc;
	}
	rc = unit_run("bin_chain", tests, sizeof(tests) / sizeof(tests[0]));
	free_log(g_log);
	return rc;
}
