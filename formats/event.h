/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Checks and walks a ring record (struct la_event and its items). */
#ifndef LAUDITD_FORMATS_EVENT_H
#define LAUDITD_FORMATS_EVENT_H

#include <stddef.h>

#include "ebpf/event.h"

/*
 * event_check() - whether @len bytes at @ev hold one well-formed record: a
 * known kind, a size equal to @len, and items that fit exactly.
 * Return: 0 or -EINVAL.
 */
int event_check(const struct la_event *ev, size_t len);

/*
 * event_item() - the first item of @kind after @after (NULL: from the start) in
 * a record that passed event_check().
 * Return: the item header, its payload right after it; NULL when there is none.
 */
const struct la_item *event_item(const struct la_event *ev, unsigned int kind,
				 const struct la_item *after);

/* event_payload() - the payload of @it. */
static inline const char *event_payload(const struct la_item *it)
{
	return (const char *)(it + 1);
}

#endif /* LAUDITD_FORMATS_EVENT_H */
