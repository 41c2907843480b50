/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* User and group names for ENRICHED logs, looked up once and kept, per thread. */
#ifndef LAUDITD_LOGGER_NAMES_H
#define LAUDITD_LOGGER_NAMES_H

#include <stdint.h>

struct names;

/* names_new() - an empty cache, for one thread.  Return: it, or NULL with errno set. */
struct names *names_new(void);

/*
 * names_lookup() - the name of user (@group 0) or group (@group 1) @id, or NULL
 * when the system has none.  Shaped as struct text_opts.id_name; @arg is the
 * calling thread's struct names, or NULL to look up without keeping anything.
 */
const char *names_lookup(void *arg, uint32_t id, int group);

/* names_free() - free the cache.  Accepts NULL. */
void names_free(struct names *n);

#endif /* LAUDITD_LOGGER_NAMES_H */
