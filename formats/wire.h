/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Checks and walks a ring record (struct la_event and its items, ebpf/wire.h). */
#ifndef LAUDITD_FORMATS_WIRE_H
#define LAUDITD_FORMATS_WIRE_H

#include <stddef.h>

#include "ebpf/wire.h"

/*
 * wire_check() - whether @len bytes at @ev hold one well-formed record: a
 * known kind, a size equal to @len, and items that fit exactly.
 * Return: 0 or -EINVAL.
 */
int wire_check(const struct la_event *ev, size_t len);

/*
 * wire_item() - the first item of @kind after @after (NULL: from the start) in
 * a record that passed wire_check().
 * Return: the item header, its payload right after it; NULL when there is none.
 */
const struct la_item *wire_item(const struct la_event *ev, unsigned int kind,
				const struct la_item *after);

/* wire_payload() - the payload of @it. */
static inline const char *wire_payload(const struct la_item *it)
{
	return (const char *)(it + 1);
}

#endif /* LAUDITD_FORMATS_WIRE_H */
