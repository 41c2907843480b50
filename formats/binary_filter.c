/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The binary log's block filter, encoder side: the distinct values (hashes) of
 * a block's keys, ids, exe and file names, gathered while the block is encoded
 * and written into its index when it closes (formats/FORMAT.md).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "formats/binary_int.h"

void filter_reset(struct filter_set *fs)
{
	uint32_t i;

	for (i = 0; i < fs->n; i++)
		fs->tab[fs->slot[i]] = 0;
	fs->n = 0;
	fs->full = 0;
	fs->flags = 0;
	fs->null_kinds = 0;
}

static void filter_place(struct filter_set *fs, uint32_t i)
{
	uint32_t j;

	for (j = (uint32_t)fs->v[i] & fs->mask; fs->tab[j]; j = (j + 1) & fs->mask)
		;
	fs->tab[j] = fs->v[i];
	fs->slot[i] = j;
}

/* Room for one more value; -ENOMEM leaves the set as it was. */
static int filter_room(struct filter_set *fs)
{
	uint64_t *t;
	uint32_t m, i;

	if (grow((void **)&fs->v, &fs->cap, fs->n + 1, sizeof(*fs->v)) ||
	    grow((void **)&fs->slot, &fs->slot_cap, fs->n + 1, sizeof(*fs->slot)))
		return -ENOMEM;
	if (fs->tab && (uint64_t)(fs->n + 1) * 2 <= fs->mask)
		return 0;
	m = fs->tab ? fs->mask * 2 + 1 : 255;
	t = calloc((size_t)m + 1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	free(fs->tab);
	fs->tab = t;
	fs->mask = m;
	for (i = 0; i < fs->n; i++)
		filter_place(fs, i);
	return 0;
}

/* Add value @v of @kind to the block filter, once. */
void filter_add(struct filter_set *fs, unsigned int kind, uint32_t v)
{
	uint64_t h = filter_hash(kind, v);
	uint32_t j;

	if (fs->full)
		return;
	for (j = (uint32_t)h & fs->mask; fs->tab && fs->tab[j]; j = (j + 1) & fs->mask)
		if (fs->tab[j] == h)
			return;
	if (filter_room(fs)) {
		fs->full = 1;
		return;
	}
	fs->v[fs->n] = h;
	filter_place(fs, fs->n++);
}

/* Every three-byte substring of @s. */
void filter_str(struct filter_set *fs, unsigned int kind, const uint8_t *s, size_t len)
{
	size_t i;

	for (i = 0; i + 3 <= len; i++)
		filter_add(fs, kind, filter_tri(s + i));
}

/*
 * ausearch joins "./x" and "../x" to the working directory @cwd: the substrings
 * across the join are the last two bytes of the directory (up to a NUL, where
 * ausearch's reading stops), "/", and "./" or "..".
 */
void filter_join(struct filter_set *fs, const uint8_t *cwd, size_t len)
{
	uint8_t b[6];
	size_t n = 0, i;

	len = strnlen((const char *)cwd, len);
	for (i = len > 2 ? len - 2 : 0; i < len; i++)
		b[n++] = cwd[i];
	memcpy(b + n, "/./", 3);
	filter_str(fs, BIN_FILTER_NAME, b, n + 3);
	b[n + 2] = '.';
	filter_str(fs, BIN_FILTER_NAME, b, n + 3);
}

void filter_null(struct filter_set *fs, unsigned int kind)
{
	if (fs->null_kinds & (1 << kind))
		return;
	fs->null_kinds |= 1 << kind;
	filter_str(fs, kind, (const uint8_t *)"(null)", 6);
}

/* The filter's length: FILTER_BITS_PER bits per value, at most FILTER_MAX_BYTES. */
uint32_t filter_bytes(const struct filter_set *fs)
{
	uint64_t n = ((uint64_t)fs->n * FILTER_BITS_PER + 7) / 8;

	if (fs->full)
		return 8;
	return n > FILTER_MAX_BYTES ? FILTER_MAX_BYTES : (uint32_t)n;
}

/* The index's version 2 part: k, flags, reserved, then @bytes of filter. */
void filter_put(uint8_t *p, const struct filter_set *fs, uint32_t bytes)
{
	uint32_t m = bytes * 8, i, b;
	unsigned int k;

	p[0] = FILTER_K;
	p[1] = fs->flags;
	le16(p + 2, 0);
	p += FILTER_HEAD;
	/* out of memory, some values are missing: every bit set says "maybe" */
	memset(p, fs->full ? 0xff : 0, bytes);
	if (fs->full)
		return;
	for (i = 0; i < fs->n; i++)
		for (k = 0; k < FILTER_K; k++) {
			b = filter_bit(fs->v[i], k, m);
			p[b / 8] |= 1 << (b % 8);
		}
}
