/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#include <errno.h>
#include <stdint.h>

#include "formats/wire.h"

int wire_check(const struct la_event *ev, size_t len)
{
	const char *p, *end;
	uint32_t i;

	if (len < sizeof(*ev) || ev->size != len || ev->kind != LA_EV_SYSCALL)
		return -EINVAL;
	p = (const char *)(ev + 1);
	end = (const char *)ev + len;
	for (i = 0; i < ev->nitems; i++) {
		const struct la_item *it = (const void *)p;

		if ((size_t)(end - p) < sizeof(*it) ||
		    LA_ALIGN((uint64_t)it->len) > (size_t)(end - p) - sizeof(*it))
			return -EINVAL;
		p += sizeof(*it) + LA_ALIGN(it->len);
	}
	return p == end ? 0 : -EINVAL;
}

const struct la_item *wire_item(const struct la_event *ev, unsigned int kind,
				const struct la_item *after)
{
	const char *p = (const char *)(ev + 1), *end = (const char *)ev + ev->size;

	if (after)
		p = (const char *)(after + 1) + LA_ALIGN(after->len);
	while (p < end) {
		const struct la_item *it = (const void *)p;

		if (it->kind == kind)
			return it;
		p += sizeof(*it) + LA_ALIGN(it->len);
	}
	return NULL;
}
