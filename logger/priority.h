/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The daemon's scheduling: the stages that must keep up with the audited
 * processes (the consumers, the writer) run ahead of them.
 */
#ifndef LAUDITD_LOGGER_PRIORITY_H
#define LAUDITD_LOGGER_PRIORITY_H

#include <sched.h>

/*
 * priority_boost() - priority_boost as auditd applies it: the calling thread's
 * nice lowered by @boost (to -20 at most), before any other thread starts, so
 * that every thread inherits it.  0 leaves it as started.
 */
void priority_boost(unsigned int boost);

/*
 * priority_stage() - with @boost > 0, make the calling thread a stage that
 * preempts the audited processes: SCHED_FIFO at the lowest real-time priority
 * (its children start as ordinary processes), on the CPUs of @cpus when given
 * (the CPUs whose rings it reads: the programs filling them wait while it runs
 * there).  The kernel's real-time throttling (sched_rt_runtime_us) bounds what
 * it can take from the other processes.  A failure is reported and the thread
 * goes on with its nice.
 */
void priority_stage(unsigned int boost, const cpu_set_t *cpus, const char *what);

#endif
