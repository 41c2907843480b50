/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The consumer stage: threads that read the rings, take the records back in
 * the order they were made, encode them in batches through writer sources of
 * their own; and the loss records, from the programs' counters.
 */
#ifndef LAUDITD_LOGGER_CONSUMER_H
#define LAUDITD_LOGGER_CONSUMER_H

#include <stdint.h>

#include "logger/daemon.h"

enum consumers_state {
	CONSUMERS_RUN = 0,
	CONSUMERS_PAUSE = 1, /* commit what was taken, leave the rest in the rings */
	CONSUMERS_DRAIN = 2, /* empty the rings, then stop */
};

/*
 * consumers_start() - start the consumer threads (consumer_threads, or a count
 * chosen from the CPUs), ring i read by thread i % count, each through a source
 * of @d->w.  Exits the daemon on failure.
 */
void consumers_start(struct daemon *d);

/*
 * consumers_stop() - stop the consumer threads (@how: CONSUMERS_PAUSE hands over
 * what was taken off the rings, CONSUMERS_DRAIN empties them), keeping their
 * counts in @d.
 */
void consumers_stop(struct daemon *d, enum consumers_state how);

/*
 * consumers_report_losses() - a DAEMON_ERR op=lost record for every loss counted since the
 * last call (none when the rules say -f 0).  Return: the records lost since the last call.
 */
uint64_t consumers_report_losses(struct daemon *d);

/*
 * consumers_account() - once the rings are drained: report the last losses and
 * check that every record made was delivered or counted lost.
 * Return: the records lost, and *@ok set to 0 when the figures do not add up.
 */
uint64_t consumers_account(struct daemon *d, int *ok);

/*
 * consumers_merged() - the syscalls the cache filter merged into another's
 * record, as of the last consumers_report_losses() or consumers_account().
 */
uint64_t consumers_merged(const struct daemon *d);

#endif /* LAUDITD_LOGGER_CONSUMER_H */
