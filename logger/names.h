/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* User and group names for ENRICHED logs, looked up once and kept. */
#ifndef LAUDITD_LOGGER_NAMES_H
#define LAUDITD_LOGGER_NAMES_H

#include <stdint.h>

/*
 * names_lookup() - the name of user (@group 0) or group (@group 1) @id, or NULL
 * when the system has none.  Shaped as struct text_opts.id_name; @arg is unused.
 */
const char *names_lookup(void *arg, uint32_t id, int group);

/* names_clear() - forget every name (on reload: the accounts may have changed). */
void names_clear(void);

#endif /* LAUDITD_LOGGER_NAMES_H */
