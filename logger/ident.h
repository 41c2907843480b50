/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Each process's exe and proctitle, by (pid, exec_id).  The eBPF programs send
 * them once per thread, CPU and exec; records after that leave them out and
 * are resolved here.  The daemon keeps a cache per ring: what a ring's records
 * leave out, an earlier record of the same ring carried.  A cache is used by
 * one thread at a time.
 */
#ifndef LAUDITD_LOGGER_IDENT_H
#define LAUDITD_LOGGER_IDENT_H

#include <stdint.h>

#include "ebpf/wire.h"
#include "formats/text.h"

struct ident_cache;

/* ident_new() - an empty cache.  Return: it, or NULL with errno set. */
struct ident_cache *ident_new(void);

/*
 * ident_resolve() - fill @out with the identity of @ev's process, learning it
 * from @ev's EXE and PROCTITLE items when present, else from the cache, else
 * from /proc while the process lives.  @now: a coarse clock in seconds.
 * The strings stay valid until the next ident_resolve() or ident_sweep().
 */
void ident_resolve(struct ident_cache *c, const struct la_event *ev, uint64_t now,
		   struct text_ident *out);

/* ident_sweep() - forget identities unused since @before (seconds). */
void ident_sweep(struct ident_cache *c, uint64_t before);

/* ident_stats() - identities looked up in /proc, and those still unknown after it. */
void ident_stats(const struct ident_cache *c, uint64_t *proc_lookups, uint64_t *unknown);

/* ident_free() - free the cache.  Accepts NULL. */
void ident_free(struct ident_cache *c);

#endif /* LAUDITD_LOGGER_IDENT_H */
