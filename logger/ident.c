/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/wire.h"
#include "logger/ident.h"

#define IDENT_BUCKETS 4096

struct ident {
	struct ident *next;
	uint32_t pid;
	uint64_t exec_id;
	uint64_t used;
	char *exe; /* NULL: unknown */
	size_t exe_len;
	char *title;
	size_t title_len;
	char *exe_text; /* both as the text log writes them */
	size_t exe_text_len;
	char *title_text;
	size_t title_text_len;
};

struct ident_cache {
	struct ident *bucket[IDENT_BUCKETS];
	uint64_t proc_lookups;
	uint64_t unknown;
};

struct ident_cache *ident_new(void)
{
	return calloc(1, sizeof(struct ident_cache));
}

static unsigned int ident_hash(uint32_t pid, uint64_t exec_id)
{
	uint64_t h = (pid * 0x9e3779b97f4a7c15ULL) ^ (exec_id * 0xc2b2ae3d27d4eb4fULL);

	return (h >> 32) % IDENT_BUCKETS;
}

static void ident_set(char **dst, size_t *dst_len, const char *src, size_t len)
{
	char *p = NULL;

	if (src) {
		p = malloc(len + 1);
		if (!p)
			return; /* keep the old value: better stale than none */
		memcpy(p, src, len);
		p[len] = 0;
	}
	free(*dst);
	*dst = p;
	*dst_len = p ? len : 0;
}

/* Read what /proc says of a live process: its exe link and the head of its cmdline. */
static void ident_from_proc(struct ident *id)
{
	char path[64], buf[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/exe", id->pid);
	n = readlink(path, buf, sizeof(buf));
	if (n > 0)
		ident_set(&id->exe, &id->exe_len, buf, n);
	snprintf(path, sizeof(path), "/proc/%u/cmdline", id->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, LA_PROCTITLE_MAX);
		if (n > 0)
			ident_set(&id->title, &id->title_len, buf, n);
		close(fd);
	}
}

/* Encode exe and proctitle once for every record of the process. */
static void ident_encode(struct ident *id)
{
	char buf[2 * PATH_MAX + 8];
	int n;

	n = id->exe ? text_encode_untrusted(buf, sizeof(buf), id->exe, id->exe_len) : -1;
	ident_set(&id->exe_text, &id->exe_text_len, n >= 0 ? buf : NULL, n >= 0 ? n : 0);
	n = text_encode_proctitle(buf, sizeof(buf), id->title, id->title_len);
	ident_set(&id->title_text, &id->title_text_len, n >= 0 ? buf : NULL, n >= 0 ? n : 0);
}

static struct ident *ident_lookup(struct ident_cache *c, uint32_t pid, uint64_t exec_id)
{
	struct ident *id;

	for (id = c->bucket[ident_hash(pid, exec_id)]; id; id = id->next)
		if (id->pid == pid && id->exec_id == exec_id)
			return id;
	return NULL;
}

void ident_resolve(struct ident_cache *c, const struct la_event *ev, uint64_t now,
		   struct text_ident *out)
{
	const struct la_item *exe = wire_item(ev, LA_IT_EXE, NULL);
	const struct la_item *title = wire_item(ev, LA_IT_PROCTITLE, NULL);
	struct ident *id = ident_lookup(c, ev->pid, ev->exec_id);
	int fresh = 0;

	if (!id) {
		unsigned int h = ident_hash(ev->pid, ev->exec_id);

		id = calloc(1, sizeof(*id));
		if (!id) {
			memset(out, 0, sizeof(*out));
			return;
		}
		id->pid = ev->pid;
		id->exec_id = ev->exec_id;
		id->next = c->bucket[h];
		c->bucket[h] = id;
		fresh = 1;
	}
	id->used = now;
	if (exe && !(exe->flags & LA_IF_FAULT) && exe->len) {
		ident_set(&id->exe, &id->exe_len, wire_payload(exe), exe->len);
		fresh = 1;
	}
	if (title && !(title->flags & LA_IF_FAULT)) {
		ident_set(&id->title, &id->title_len, wire_payload(title), title->len);
		fresh = 1;
	}
	if (fresh && (!id->exe || !id->title)) {
		/* Its first record was lost or could not read its memory. */
		c->proc_lookups++;
		ident_from_proc(id);
		if (!id->exe)
			c->unknown++;
	}
	if (fresh)
		ident_encode(id);
	out->exe = id->exe;
	out->exe_len = id->exe_len;
	out->title = id->title;
	out->title_len = id->title_len;
	out->exe_text = id->exe_text;
	out->exe_text_len = id->exe_text_len;
	out->title_text = id->title_text;
	out->title_text_len = id->title_text_len;
}

void ident_sweep(struct ident_cache *c, uint64_t before)
{
	unsigned int i;

	for (i = 0; i < IDENT_BUCKETS; i++) {
		struct ident **pp = &c->bucket[i];

		while (*pp) {
			struct ident *id = *pp;

			if (id->used < before) {
				*pp = id->next;
				free(id->exe);
				free(id->title);
				free(id->exe_text);
				free(id->title_text);
				free(id);
			} else {
				pp = &id->next;
			}
		}
	}
}

void ident_stats(const struct ident_cache *c, uint64_t *proc_lookups, uint64_t *unknown)
{
	*proc_lookups = c->proc_lookups;
	*unknown = c->unknown;
}

void ident_free(struct ident_cache *c)
{
	if (!c)
		return;
	ident_sweep(c, UINT64_MAX);
	free(c);
}
