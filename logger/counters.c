/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#include "logger/counters.h"

const struct counter_info counter_info[LA_CNT__MAX] = {
	[LA_CNT_MADE] = {"made", 0},
	[LA_CNT_RING_FULL] = {"ring_full", 1},
	[LA_CNT_TOO_LARGE] = {"too_large", 1},
	[LA_CNT_NO_STASH] = {"no_stash", 1},
	[LA_CNT_FAULTS] = {"faults", 0},
	[LA_CNT_TRUNCATED] = {"truncated", 0},
	[LA_CNT_MERGED] = {"merged", 0},
	[LA_CNT_CACHE_FULL] = {"cache_full", 0},
	[LA_CNT_FILTERED] = {"filtered", 0, 1},
};

uint64_t counters_lost(const struct la_counts *c)
{
	uint64_t lost = 0;
	int k;

	for (k = 0; k < LA_CNT__MAX; k++)
		if (counter_info[k].loss)
			lost += c->n[k];
	return lost;
}

uint64_t counters_filtered(const struct la_counts *c)
{
	uint64_t n = 0;
	int k;

	for (k = 0; k < LA_CNT__MAX; k++)
		if (counter_info[k].filtered)
			n += c->n[k];
	return n;
}
