/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The daemon's scheduling: the stages that must keep up with the audited
 * processes (the consumers, the writer) run ahead of them.
 */
#ifndef LAUDITD_LOGGER_PRIORITY_H
#define LAUDITD_LOGGER_PRIORITY_H

#include <sched.h>
#include <stdint.h>

/*
 * priority_boost() - priority_boost as auditd applies it: the calling thread's
 * nice lowered by @boost (to -20 at most), before any other thread starts, so
 * that every thread inherits it.  0 leaves it as started.
 */
void priority_boost(unsigned int boost);

/*
 * priority_stage() - with @boost > 0, make the calling thread a stage that
 * preempts the audited processes: SCHED_FIFO one above the lowest real-time
 * priority, the brake's (its children start as ordinary processes), on the CPUs of @cpus when given
 * (the CPUs whose rings it reads: the programs filling them wait while it runs
 * there).  The kernel's real-time throttling (sched_rt_runtime_us) bounds what
 * it can take from the other processes.  A failure is reported and the thread
 * goes on with its nice.
 */
void priority_stage(unsigned int boost, const cpu_set_t *cpus, const char *what);

struct brake;

/*
 * brake_start() - with @boost > 0, a brake thread per ring (ring i is CPU i's,
 * one of @n, of @ring_bytes, read through @ring_fds): SCHED_FIFO one level below the stages,
 * pinned to the ring's CPU, it holds that CPU while the ring stays more than
 * half full, so that the programs filling it wait for the consumers instead
 * of losing records (priority.c says how it is bounded).  Return: the brake,
 * or NULL (@boost 0, or it could not start: said in the log).
 */
struct brake *brake_start(unsigned int boost, const int *ring_fds, unsigned int n,
			  uint64_t ring_bytes);

/*
 * brake_batch() - a consumer took a batch off its rings (@full: a full one,
 * the rings hold more): the brake watches the rings for a while after a full
 * batch, and brakes only while batches come.  Any thread; @b may be NULL.
 */
void brake_batch(struct brake *b, int full);

/* brake_spun_ns() - the time the brake threads held their CPUs, summed. */
uint64_t brake_spun_ns(const struct brake *b);

/* brake_stop() - end the brake threads and free @b (NULL: nothing). */
void brake_stop(struct brake *b);

#endif
