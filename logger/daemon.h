/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The daemon's state, shared by its entry point (main.c: options, signals, the
 * main loop) and its consumer stage (consumer.c).
 */
#ifndef LAUDITD_LOGGER_DAEMON_H
#define LAUDITD_LOGGER_DAEMON_H

#include <signal.h>
#include <stdint.h>
#include <time.h>

#include "conf/conf.h"
#include "ebpf/wire.h"
#include "formats/text.h"

struct consumer;

struct daemon {
	struct conf conf;
	const char *conf_dir;
	int explicit_dir;
	struct capture *cap;
	struct writer *w;
	struct writer_source *ctl;  /* the daemon's own records (the main thread's) */
	struct dispatch *disp;	    /* the plugins (dispatch.c), or NULL */
	char node[256];		    /* name_format's node= name; "": none */
	struct ident_cache **ident; /* one per ring, used by the ring's consumer thread */
	unsigned int nrings;
	struct consumer *consumers;
	unsigned int nconsumers;
	struct brake *brake;  /* priority_boost: holds the CPUs of rings filling up, or NULL */
	int consumers_state;  /* enum consumers_state (atomic) */
	int64_t boot_to_real; /* CLOCK_REALTIME - CLOCK_BOOTTIME, ns (atomic) */
	sigset_t waitmask;    /* the signals the main thread takes while it waits */
	int failure;	      /* the rules' -f: 0 losses silent, 1 DAEMON_ERR records, 2 halt */
	/* totals of consumers and writers no longer running */
	uint64_t delivered;
	uint64_t filtered; /* not delivered: the rules, decided on the objects, log nothing */
	uint64_t malformed;
	uint64_t write_lost;
	int write_error;
	struct la_counts seen[LA_NR_MAX]; /* counters already reported */
	struct la_counts cur[LA_NR_MAX];
};

static inline int64_t daemon_clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* daemon_stamp() - a record's stamp from its CLOCK_BOOTTIME time; the writer gives the serial. */
static inline void daemon_stamp(struct daemon *d, uint64_t boot_ns, struct text_stamp *st)
{
	uint64_t real = boot_ns + __atomic_load_n(&d->boot_to_real, __ATOMIC_RELAXED);

	st->sec = real / 1000000000;
	st->msec = real % 1000000000 / 1000000;
	st->serial = 0;
}

/* daemon_put() - a daemon record (DAEMON_ERR...), in a batch of its own.  Main thread. */
void daemon_put(struct daemon *d, const char *type, const char *fields);

#endif /* LAUDITD_LOGGER_DAEMON_H */
