/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Records from several rings put back in time order.  Each CPU's ring holds its
 * records in the order they were made; a thread that moves to another CPU goes
 * on in another ring, so reading ring after ring can write its later syscall
 * first.  The reader copies what it consumes here, ring by ring, and takes back
 * the records made before a time it knows every ring has delivered: oldest
 * first, each ring's own order kept.
 */
#ifndef LAUDITD_LOGGER_REORDER_H
#define LAUDITD_LOGGER_REORDER_H

#include <stddef.h>
#include <stdint.h>

struct reorder;

/* reorder_fn - takes one record; 0 goes on, <0 stops after it, >0 stops before it. */
typedef int (*reorder_fn)(void *arg, unsigned int ring, const void *rec, size_t size);

/*
 * reorder_new() - queues for @nrings rings.
 * Return: the queues, or NULL with errno set.
 */
struct reorder *reorder_new(unsigned int nrings);

/*
 * reorder_push() - copy record @rec of @size bytes, made at time @key, read from
 * @ring (records of one ring are pushed in the ring's order).
 * Return: 0, -EINVAL for a ring out of range, -ENOMEM.
 */
int reorder_push(struct reorder *q, unsigned int ring, uint64_t key, const void *rec, size_t size);

/*
 * reorder_pop() - hand @fn, oldest first, every record made at or before @until
 * (UINT64_MAX: all of them).  A record that came after a later one of its own
 * ring keeps its place behind it.
 * A record handed over stays in place, unchanged, until the next reorder_push()
 * (only a push moves or grows the queue), so that @fn may keep a pointer to it.
 * Return: records handed over, or the negative value @fn returned, which stops
 * after that record (it was taken, as with libbpf's ring buffer callbacks); a
 * positive one stops with the record still queued.
 */
int reorder_pop(struct reorder *q, uint64_t until, reorder_fn fn, void *arg);

/* reorder_bytes() - bytes the records of @ring take in its queue. */
size_t reorder_bytes(const struct reorder *q, unsigned int ring);

/* reorder_count() - records queued. */
size_t reorder_count(const struct reorder *q);

/* reorder_free() - free the queues and what they hold.  Accepts NULL. */
void reorder_free(struct reorder *q);

#endif /* LAUDITD_LOGGER_REORDER_H */
