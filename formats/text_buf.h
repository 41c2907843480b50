/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The text encoder's output cursor and its writers (numbers, hex, auditd's
 * untrusted strings), without printf.  Private to formats/text*.c; inline, as
 * they are on the hot path of every captured syscall.
 */
#ifndef LAUDITD_FORMATS_TEXT_BUF_H
#define LAUDITD_FORMATS_TEXT_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* An output cursor; p becomes NULL once the buffer is exhausted. */
struct tb {
	char *p;
	char *end;
};

/* Room for @n bytes: where they go, or NULL (and the cursor spent) when there is none. */
static inline __attribute__((always_inline)) char *tb_reserve(struct tb *b, size_t n)
{
	char *p = b->p;

	if (__builtin_expect(!p || (size_t)(b->end - p) < n, 0)) {
		b->p = NULL;
		return NULL;
	}
	b->p = p + n;
	return p;
}

/*
 * @n bytes from @s to @d: up to 64 inline, with two copies of a power of two
 * that may overlap, rather than a call to memcpy() for a field's few bytes.
 */
static inline __attribute__((always_inline)) void tb_copy(char *d, const char *s, size_t n)
{
	if (n > 64) {
		memcpy(d, s, n);
	} else if (n > 32) {
		char a[32], z[32];

		memcpy(a, s, 32);
		memcpy(z, s + n - 32, 32);
		memcpy(d, a, 32);
		memcpy(d + n - 32, z, 32);
	} else if (n >= 16) {
		char a[16], z[16];

		memcpy(a, s, 16);
		memcpy(z, s + n - 16, 16);
		memcpy(d, a, 16);
		memcpy(d + n - 16, z, 16);
	} else if (n >= 8) {
		uint64_t a, z;

		memcpy(&a, s, 8);
		memcpy(&z, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &z, 8);
	} else if (n >= 4) {
		uint32_t a, z;

		memcpy(&a, s, 4);
		memcpy(&z, s + n - 4, 4);
		memcpy(d, &a, 4);
		memcpy(d + n - 4, &z, 4);
	} else if (n) {
		d[0] = s[0];
		d[n / 2] = s[n / 2];
		d[n - 1] = s[n - 1];
	}
}

static inline __attribute__((always_inline)) void tb_mem(struct tb *b, const char *s, size_t n)
{
	char *p = tb_reserve(b, n);

	if (p)
		tb_copy(p, s, n);
}

#define tb_lit(b, s) tb_mem(b, s, sizeof(s) - 1)

static inline void tb_str(struct tb *b, const char *s)
{
	tb_mem(b, s, strlen(s));
}

static const char tb_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233"
	"34353637383940414243444546474849505152535455565758596061626364656667"
	"6869707172737475767778798081828384858687888990919293949596979899";

/* the hex digits of 0x00 to 0xff, two a byte */
#define TB_HEX16(h)                                                                           \
	h "0" h "1" h "2" h "3" h "4" h "5" h "6" h "7" h "8" h "9" h "a" h "b" h "c" h "d" h \
	  "e" h "f"
static const char tb_hex_pairs[] = TB_HEX16("0") TB_HEX16("1") TB_HEX16("2") TB_HEX16("3")
	TB_HEX16("4") TB_HEX16("5") TB_HEX16("6") TB_HEX16("7") TB_HEX16("8") TB_HEX16("9")
		TB_HEX16("a") TB_HEX16("b") TB_HEX16("c") TB_HEX16("d") TB_HEX16("e") TB_HEX16("f");

static inline __attribute__((always_inline)) unsigned int tb_digits(uint64_t v)
{
	static const uint32_t pow10[] = {0,	 10,	  100,	    1000,      10000,
					 100000, 1000000, 10000000, 100000000, 1000000000};
	unsigned int n = 0, t;
	uint32_t w;

	while (v > UINT32_MAX) {
		v /= 10000;
		n += 4;
	}
	/*
	 * Below 2^32 without a branch: log10 from the bit length, one less when under
	 * the power of ten it guesses (pow10[0] is 0: 0 has one digit).
	 */
	w = (uint32_t)v;
	t = ((32 - __builtin_clz(w | 1)) * 1233) >> 12;
	return n + t + 1 - (w < pow10[t]);
}

/* @v's @n decimal digits at @q, two a step, in 32 bits (cheaper divisions). */
static inline __attribute__((always_inline)) void tb_u32_at(char *q, uint32_t v, unsigned int n)
{
	q += n;
	while (v >= 100) {
		unsigned int r = v % 100;

		v /= 100;
		q -= 2;
		memcpy(q, tb_pairs + 2 * r, 2);
	}
	if (v >= 10)
		memcpy(q - 2, tb_pairs + 2 * v, 2);
	else
		q[-1] = '0' + v;
}

/* @v (below 10^8) as eight digits at @q, leading zeros included. */
static inline __attribute__((always_inline)) void tb_u32_8(char *q, uint32_t v)
{
	int i;

	for (i = 6; i >= 0; i -= 2, v /= 100)
		memcpy(q + i, tb_pairs + 2 * (v % 100), 2);
}

/* @v's @n decimal digits at @q: above 32 bits, eight at a time from the last. */
static inline __attribute__((always_inline)) void tb_u64_at(char *q, uint64_t v, unsigned int n)
{
	while (v > UINT32_MAX) {
		tb_u32_8(q + n - 8, (uint32_t)(v % 100000000));
		v /= 100000000;
		n -= 8;
	}
	tb_u32_at(q, (uint32_t)v, n);
}

/* Decimal, written in place: no copy, no call. */
static inline __attribute__((always_inline)) void tb_u64(struct tb *b, uint64_t v)
{
	unsigned int n = tb_digits(v);
	char *q = tb_reserve(b, n);

	if (q)
		tb_u64_at(q, v, n);
}

static inline void tb_s64(struct tb *b, int64_t v)
{
	if (v < 0) {
		tb_lit(b, "-");
		tb_u64(b, -(uint64_t)v);
	} else {
		tb_u64(b, v);
	}
}

static inline char *tq_hex(char *q, uint64_t v);

static inline __attribute__((always_inline)) void tb_hex(struct tb *b, uint64_t v)
{
	char *q = tb_reserve(b, v ? (67 - __builtin_clzll(v)) / 4 : 1);

	if (q)
		tq_hex(q, v);
}

#define TB_ONES	 0x0101010101010101ULL
#define TB_HIGHS 0x8080808080808080ULL

/*
 * Whether auditd writes @s in hex: a '"', a byte below 0x21 or above 0x7e.  Eight
 * bytes a step: a byte below 0x21 borrows into its high bit, one above 0x7e
 * carries into it (or has it), a '"' is a zero byte of s ^ '"'.
 */
static inline int tb_hex_word(const unsigned char *s)
{
	uint64_t w, q;

	memcpy(&w, s, 8);
	q = w ^ (TB_ONES * '"');
	return !!((((w - TB_ONES * 0x21) & ~w) | ((w + TB_ONES * (0x7f - 0x7e)) | w) |
		   ((q - TB_ONES) & ~q)) &
		  TB_HIGHS);
}

static inline int needs_hex(const unsigned char *s, size_t len)
{
	size_t i;

	if (len >= 8) {
		for (i = 0; i + 8 <= len; i += 8)
			if (tb_hex_word(s + i))
				return 1;
		/* the last bytes: the last eight, again in part */
		return i < len && tb_hex_word(s + len - 8);
	}
	for (i = 0; i < len; i++)
		if (s[i] == '"' || s[i] < 0x21 || s[i] > 0x7e)
			return 1;
	return 0;
}

/* auditd's audit_log_n_untrustedstring(): quoted, or uppercase hex. */
static inline void tb_untrusted(struct tb *b, const char *s, size_t len)
{
	static const char digits[] = "0123456789ABCDEF";
	const unsigned char *u = (const unsigned char *)s;
	char *q;
	size_t i;

	if (!needs_hex(u, len)) {
		q = tb_reserve(b, len + 2);
		if (q) {
			q[0] = '"';
			tb_copy(q + 1, s, len);
			q[len + 1] = '"';
		}
		return;
	}
	q = tb_reserve(b, 2 * len);
	for (i = 0; q && i < len; i++) {
		*q++ = digits[u[i] >> 4];
		*q++ = digits[u[i] & 15];
	}
}

/*
 * An interpreted value from an untrusted source: a byte that could end the
 * field or the line (a space, a control byte, 0x7f and above) is written as
 * \ooo, so that nothing in it reads as a field or a record of its own.
 */
static inline void tb_printable(struct tb *b, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c > 0x20 && c < 0x7f && c != '\\') {
			tb_mem(b, s + i, 1);
		} else {
			char e[4] = {'\\', '0' + (c >> 6), '0' + ((c >> 3) & 7), '0' + (c & 7)};

			tb_mem(b, e, sizeof(e));
		}
	}
}

/*
 * The writers of a stretch whose length has a known bound: a cursor with room
 * for it, and no check a step.  tb_open() gives the cursor (in the buffer, or in
 * @tmp when the buffer has less room than @max), tb_close() ends the stretch at
 * @q (copying it from @tmp, checked).
 */
static inline __attribute__((always_inline)) char *tb_open(struct tb *b, size_t max, char *tmp)
{
	return b->p && (size_t)(b->end - b->p) >= max ? b->p : tmp;
}

static inline __attribute__((always_inline)) void tb_close(struct tb *b, char *start, char *q,
							   char *tmp)
{
	if (start == tmp)
		tb_mem(b, tmp, q - tmp);
	else
		b->p = q;
}

/* A literal at @q: where it ends. */
#define tq_lit(q, s) ((char *)memcpy(q, s, sizeof(s) - 1) + sizeof(s) - 1)

/* At most 20 bytes. */
static inline __attribute__((always_inline)) char *tq_u64(char *q, uint64_t v)
{
	unsigned int n = tb_digits(v);

	tb_u64_at(q, v, n);
	return q + n;
}

/* At most 20 bytes. */
static inline char *tq_s64(char *q, int64_t v)
{
	if (v < 0) {
		*q++ = '-';
		return tq_u64(q, -(uint64_t)v);
	}
	return tq_u64(q, v);
}

/* At most 16 bytes; two digits a step. */
static inline __attribute__((always_inline)) char *tq_hex(char *q, uint64_t v)
{
	unsigned int n = v ? (67 - __builtin_clzll(v)) / 4 : 1;
	char *end = q + n;

	q = end;
	for (; n >= 2; n -= 2, v >>= 8) {
		q -= 2;
		memcpy(q, tb_hex_pairs + 2 * (v & 0xff), 2);
	}
	if (n)
		q[-1] = tb_hex_pairs[2 * v + 1];
	return end;
}

static inline void tb_octal(struct tb *b, uint32_t v)
{
	char tmp[12];
	int n = 0;

	do {
		tmp[n++] = '0' + (v & 7);
		v >>= 3;
	} while (v);
	while (n)
		tb_mem(b, &tmp[--n], 1);
}

static inline void tb_hexbytes(struct tb *b, const unsigned char *s, size_t len)
{
	static const char digits[] = "0123456789ABCDEF";
	char *q = tb_reserve(b, 2 * len);
	size_t i;

	for (i = 0; q && i < len; i++) {
		*q++ = digits[s[i] >> 4];
		*q++ = digits[s[i] & 15];
	}
}

#endif /* LAUDITD_FORMATS_TEXT_BUF_H */
