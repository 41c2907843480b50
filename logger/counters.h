/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The names of the programs' counters (enum la_counter, ebpf/wire.h), and which
 * of them count losses: read by the daemon's loss records and accounting, its
 * messages, and the tests.
 */
#ifndef LAUDITD_LOGGER_COUNTERS_H
#define LAUDITD_LOGGER_COUNTERS_H

#include <stdint.h>

#include "ebpf/wire.h"

struct counter_info {
	const char *name; /* as the loss records write it: reason=NAME */
	int loss;	  /* the record was lost (made, never delivered) */
	int filtered;	  /* the rules logged nothing for it (made, not delivered, not lost) */
};

/* counter_info[] - one entry per enum la_counter. */
extern const struct counter_info counter_info[LA_CNT__MAX];

/* counters_lost() - the records @c counts as lost: the sum of the loss counters. */
uint64_t counters_lost(const struct la_counts *c);

/* counters_filtered() - the records @c counts as filtered out by the rules. */
uint64_t counters_filtered(const struct la_counts *c);

#endif /* LAUDITD_LOGGER_COUNTERS_H */
