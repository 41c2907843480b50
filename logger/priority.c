/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>

#include "logger/log.h"
#include "logger/priority.h"

void priority_boost(unsigned int boost)
{
	int prio;

	if (!boost)
		return;
	errno = 0;
	prio = getpriority(PRIO_PROCESS, 0);
	if (prio == -1 && errno) {
		log_warn("priority_boost %u", boost);
		return;
	}
	prio -= boost < 40 ? (int)boost : 40;
	if (setpriority(PRIO_PROCESS, 0, prio < -20 ? -20 : prio))
		log_warn("priority_boost %u", boost);
}

void priority_stage(unsigned int boost, const cpu_set_t *cpus, const char *what)
{
	struct sched_param sp = {.sched_priority = sched_get_priority_min(SCHED_FIFO)};
	int err;

	if (!boost)
		return;
	if (cpus) {
		err = pthread_setaffinity_np(pthread_self(), sizeof(*cpus), cpus);
		if (err) {
			errno = err;
			log_warn("%s: CPU affinity", what);
		}
	}
	/* 0: the calling thread */
	if (sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp))
		log_warn("%s: SCHED_FIFO", what);
}
