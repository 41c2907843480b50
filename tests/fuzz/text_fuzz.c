// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target for the text encoder (formats/text.c, text_path.c).
 *
 * An input is a 16-byte header, the exe, proctitle and key bytes whose lengths
 * it gives, then one ring record (struct la_event and its items, ebpf/wire.h):
 *
 *   0      options: bits 0-1 node name (none or one of three), bit 2 ENRICHED
 *          knows some user and group names, bit 3 the record's size field is
 *          set to the record's length first (so that mutations keep it right)
 *   1      identity: bits 0-1 exe, bits 2-3 proctitle, each taken as
 *            0  NULL;
 *            1  the header's bytes, as they are;
 *            2  the header's bytes, encoded beforehand as logger/ident.c does;
 *            3  the record's EXE or PROCTITLE item, as logger/ident.c takes it
 *   2, 3   exe and proctitle lengths
 *   4      key length; 0: no key
 *   5      where a small buffer is cut
 *   6-7    stamp: milliseconds (modulo 1000); 8-11 seconds; 12-15 serial
 *          (little-endian)
 *
 * A record that wire_check() accepts, as the daemon checks it before encoding,
 * is encoded RAW and ENRICHED into TEXT_EVENT_MAX bytes (-ENOSPC is allowed
 * there: an input may hold more than the eBPF programs ever send), then into
 * buffers too small for its text, which must return -ENOSPC without writing past
 * their end.  The text must be whole auditd records: lines of "[node=NAME ]type=
 * TYPE msg=audit(STAMP): fields", the same stamp on all, no control byte but
 * ENRICHED's one 0x1d, single spaces (but the kernel's before a continued EXECVE
 * record's first field), none at the end, SYSCALL first, PROCTITLE last and only
 * there, items= counting the PATH records, and RAW equal to ENRICHED cut at 0x1d.
 * Any other outcome aborts.
 *
 * The corpus, tests/fuzz/corpus/text: seeds written by tests/fuzz/text_seeds.c
 * (make fuzz-text-seeds), one record per item kind, and inputs the fuzzer found
 * that reach more of the encoder (libFuzzer's -merge=1).
 *
 * Build: clang -fsanitize=fuzzer,address,undefined (tests/fuzz/fuzz.mk); the same
 * file links with tests/fuzz/replay.c to run the corpus as an ordinary test.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/wire.h"
#include "formats/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEAD_LEN 16
/* Bytes after a small buffer that must stay as they were. */
#define GUARD 64

enum {
	SRC_NULL,
	SRC_RAW,
	SRC_ENCODED,
	SRC_ITEM,
};

struct input {
	struct text_opts opts;
	struct text_stamp st;
	struct text_ident id;
	char stamp[96]; /* " msg=audit(STAMP): " */
	size_t stamp_len;
	unsigned int cut;
	char *exe, *title, *key, *exe_text, *title_text;
	struct la_event *ev;
	size_t ev_len;
};

static const char *const nodes[] = {NULL, "host", "web-1.example.org", "10.0.0.7"};

static const char *fuzz_name(void *arg, uint32_t id, int group)
{
	(void)arg;
	switch (id) {
	case 0:
		return "root";
	case 33:
		return "www-data";
	case 1000:
		return group ? "users" : "alice";
	case 65534:
		return group ? "nogroup" : "nobody";
	}
	return NULL;
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* An exact-size heap copy, so that the sanitizer sees any read past @len. */
static char *copy(const void *s, size_t len)
{
	char *p = malloc(len ? len : 1);

	if (!p)
		abort();
	memcpy(p, s, len);
	return p;
}

/* logger/ident.c's ident_encode(): both values as the text log writes them. */
static void encode_exe(struct input *in)
{
	char buf[2 * PATH_MAX + 8];
	int n;

	if (!in->id.exe)
		return;
	n = text_encode_untrusted(buf, sizeof(buf), in->id.exe, in->id.exe_len);
	if (n < 0)
		return;
	in->id.exe_text = in->exe_text = copy(buf, n);
	in->id.exe_text_len = n;
}

static void encode_title(struct input *in)
{
	char buf[2 * PATH_MAX + 8];
	int n;

	n = text_encode_proctitle(buf, sizeof(buf), in->id.title, in->id.title_len);
	if (n <= 0)
		abort();
	in->id.title_text = in->title_text = copy(buf, n);
	in->id.title_text_len = n;
}

/* The identity @src says, from the header's bytes or the record's items. */
static void ident_fill(struct input *in, unsigned int exe_src, unsigned int title_src)
{
	const struct la_item *it;

	if (exe_src == SRC_ITEM) {
		/* logger/ident.c: a faulted or empty EXE item teaches nothing */
		it = wire_item(in->ev, LA_IT_EXE, NULL);
		if (it && !(it->flags & LA_IF_FAULT) && it->len) {
			in->id.exe = wire_payload(it);
			in->id.exe_len = it->len;
		}
	} else if (exe_src != SRC_NULL) {
		in->id.exe = in->exe;
	}
	if (exe_src >= SRC_ENCODED)
		encode_exe(in);
	if (title_src == SRC_ITEM) {
		it = wire_item(in->ev, LA_IT_PROCTITLE, NULL);
		if (it && !(it->flags & LA_IF_FAULT)) {
			in->id.title = wire_payload(it);
			in->id.title_len = it->len;
		}
	} else if (title_src != SRC_NULL) {
		in->id.title = in->title;
	}
	if (title_src >= SRC_ENCODED)
		encode_title(in);
}

static void input_free(struct input *in)
{
	free(in->exe);
	free(in->title);
	free(in->key);
	free(in->exe_text);
	free(in->title_text);
	free(in->ev);
}

/* Split @data into @in.  Return: 0, or -EINVAL when it is too short. */
static int input_parse(struct input *in, const uint8_t *data, size_t size)
{
	size_t exe_len, title_len, key_len;

	memset(in, 0, sizeof(*in));
	if (size < HEAD_LEN)
		return -EINVAL;
	exe_len = data[2];
	title_len = data[3];
	key_len = data[4];
	if (size - HEAD_LEN < exe_len + title_len + key_len)
		return -EINVAL;
	in->opts.node = nodes[data[0] & 3];
	if (data[0] & 4)
		in->opts.id_name = fuzz_name;
	in->cut = data[5];
	in->st.msec = (data[6] | data[7] << 8) % 1000;
	in->st.sec = get32(data + 8);
	in->st.serial = get32(data + 12);
	in->stamp_len = snprintf(in->stamp, sizeof(in->stamp),
				 " msg=audit(%" PRIu64 ".%03u:%" PRIu64 "): ", in->st.sec,
				 in->st.msec, in->st.serial);
	data += HEAD_LEN;
	size -= HEAD_LEN;
	in->exe = copy(data, exe_len);
	in->id.exe_len = exe_len;
	in->title = copy(data + exe_len, title_len);
	in->id.title_len = title_len;
	data += exe_len + title_len;
	size -= exe_len + title_len;
	if (key_len) {
		in->key = calloc(1, key_len + 1);
		if (!in->key)
			abort();
		memcpy(in->key, data, key_len);
	}
	data += key_len;
	size -= key_len;
	in->ev = (struct la_event *)copy(data, size);
	in->ev_len = size;
	return 0;
}

static int is_type_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

struct line {
	const char *type; /* the record type, type_len bytes */
	size_t type_len;
	const char *fields; /* after "): ", up to and without '\n' */
	size_t fields_len;
	const char *sep; /* ENRICHED's 0x1d, or NULL */
};

static int line_is(const struct line *l, const char *type)
{
	return l->type_len == strlen(type) && !memcmp(l->type, type, l->type_len);
}

/* Check one line at @p (@end: its '\n') and describe it in @l. */
static void check_line(const struct input *in, int enriched, const char *p, const char *end,
		       struct line *l)
{
	const char *q;

	memset(l, 0, sizeof(*l));
	if (in->opts.node) {
		size_t nl = strlen(in->opts.node);

		if ((size_t)(end - p) < 6 + nl || memcmp(p, "node=", 5) ||
		    memcmp(p + 5, in->opts.node, nl) || p[5 + nl] != ' ')
			abort();
		p += 6 + nl;
	}
	if (end - p < 5 || memcmp(p, "type=", 5))
		abort();
	l->type = p += 5;
	while (p < end && is_type_char(*p))
		p++;
	l->type_len = p - l->type;
	if (!l->type_len || (size_t)(end - p) < in->stamp_len ||
	    memcmp(p, in->stamp, in->stamp_len))
		abort();
	l->fields = p += in->stamp_len;
	l->fields_len = end - p;
	/* something after the stamp, and nothing after the last field */
	if (p == end || end[-1] == ' ')
		abort();
	/* the kernel starts a continued EXECVE record's first field with a space */
	if (*p == ' ' && line_is(l, "EXECVE"))
		p++;
	for (q = p; q < end; q++) {
		unsigned char c = *q;

		if (c == ' ' && (q == p || q[-1] == ' '))
			abort();
		if (c >= 0x20)
			continue;
		/* ENRICHED: one 0x1d, right after a raw field, before an interpreted one */
		if (c != 0x1d || !enriched || l->sep || q == p || q[-1] == ' ' || q + 1 == end ||
		    q[1] == ' ')
			abort();
		l->sep = q;
	}
}

/* The number after " items=" in a SYSCALL record's raw fields. */
static long syscall_items(const struct line *l)
{
	size_t len = l->sep ? (size_t)(l->sep - l->fields) : l->fields_len;
	const char *p = memmem(l->fields, len, " items=", 7), *end = l->fields + len;
	long n = 0;

	if (!p)
		abort();
	p += 7;
	if (p == end || *p < '0' || *p > '9')
		abort();
	while (p < end && *p >= '0' && *p <= '9' && n < 1000000)
		n = n * 10 + (*p++ - '0');
	return n;
}

/* Check the whole event's text, @n bytes at @t. */
static void check_event(const struct input *in, int enriched, const char *t, size_t n)
{
	const char *p = t, *end = t + n, *nl;
	long paths = 0, items = -1, lines = 0;
	struct line l;

	if (!n || end[-1] != '\n')
		abort();
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		check_line(in, enriched, p, nl, &l);
		if (!lines++) {
			if (!line_is(&l, "SYSCALL"))
				abort();
			items = syscall_items(&l);
		} else if (line_is(&l, "SYSCALL")) {
			abort();
		}
		/* auparse ends an event at PROCTITLE: only the last record may be one */
		if (line_is(&l, "PROCTITLE") != (nl + 1 == end))
			abort();
		paths += line_is(&l, "PATH");
	}
	if (items != paths)
		abort();
}

/* RAW's text is ENRICHED's with each line cut at its 0x1d. */
static void check_same(const char *raw, size_t raw_len, const char *enr, size_t enr_len)
{
	const char *r = raw, *re = raw + raw_len, *e = enr, *ee = enr + enr_len;

	while (r < re && e < ee) {
		const char *rn = memchr(r, '\n', re - r), *en = memchr(e, '\n', ee - e);
		const char *sep = memchr(e, 0x1d, en - e);
		size_t len = (sep ? sep : en) - e;

		if ((size_t)(rn - r) != len || memcmp(r, e, len))
			abort();
		r = rn + 1;
		e = en + 1;
	}
	if (r != re || e != ee)
		abort();
}

static int encode(const struct input *in, char *buf, size_t cap, int enriched)
{
	struct text_opts o = in->opts;

	o.enriched = enriched;
	return text_encode_event(buf, cap, in->ev, &in->st, &in->id, in->key, &o);
}

/* Encoding into @cap bytes, too few for the text, fails and stays inside them. */
static void check_small(const struct input *in, size_t cap, int enriched)
{
	char *buf = malloc(cap + GUARD);
	size_t i;

	if (!buf)
		abort();
	memset(buf + cap, 0xa5, GUARD);
	if (encode(in, buf, cap, enriched) != -ENOSPC)
		abort();
	for (i = 0; i < GUARD; i++)
		if ((unsigned char)buf[cap + i] != 0xa5)
			abort();
	free(buf);
}

static char *g_text[2];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in;
	int n[2], e;

	if (input_parse(&in, data, size))
		return 0;
	if ((data[0] & 8) && in.ev_len >= sizeof(*in.ev))
		in.ev->size = in.ev_len;
	if (wire_check(in.ev, in.ev_len))
		goto out;
	ident_fill(&in, data[1] & 3, data[1] >> 2 & 3);
	for (e = 0; e < 2; e++) {
		if (!g_text[e])
			g_text[e] = malloc(TEXT_EVENT_MAX);
		if (!g_text[e])
			abort();
		n[e] = encode(&in, g_text[e], TEXT_EVENT_MAX, e);
		if (n[e] == -ENOSPC) {
			check_small(&in, in.cut * (size_t)TEXT_EVENT_MAX / 256, e);
			continue;
		}
		if (n[e] <= 0 || n[e] > TEXT_EVENT_MAX)
			abort();
		check_event(&in, e, g_text[e], n[e]);
		check_small(&in, n[e] - 1, e);
		check_small(&in, in.cut * (size_t)(n[e] - 1) / 256, e);
	}
	if (n[0] > 0 && n[1] > 0)
		check_same(g_text[0], n[0], g_text[1], n[1]);
out:
	input_free(&in);
	return 0;
}
