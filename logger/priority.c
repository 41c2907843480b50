/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

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

/*
 * SCHED_FIFO at the lowest real-time priority + @above, on @cpus when given.
 * Return: 0, or -1 when the CPUs could not be set (said in the log).
 */
static int priority_fifo(int above, const cpu_set_t *cpus, const char *what)
{
	struct sched_param sp = {.sched_priority = sched_get_priority_min(SCHED_FIFO) + above};
	int err;

	if (cpus) {
		err = pthread_setaffinity_np(pthread_self(), sizeof(*cpus), cpus);
		if (err) {
			errno = err;
			log_warn("%s: CPU affinity", what);
			return -1;
		}
	}
	/* 0: the calling thread */
	if (sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp))
		log_warn("%s: SCHED_FIFO", what);
	return 0;
}

void priority_stage(unsigned int boost, const cpu_set_t *cpus, const char *what)
{
	/* above the brake threads, which they preempt */
	if (boost)
		(void)priority_fifo(1, cpus, what);
}

/*
 * The brake.  The eBPF programs cannot wait, so while a ring fills faster than
 * the consumers drain it, a thread pinned to the ring's CPU, at SCHED_FIFO one
 * level below the stages, takes that CPU from the processes filling the ring:
 * it spins from the moment the ring is half full until it is down to a
 * quarter, the stages preempt it, and the processes run again after it.  It
 * reads the ring's fill from the kernel's positions (the map's first two
 * pages, mapped read-only).
 *
 * Its bounds, so that the machine stays usable: it spins at most
 * BRAKE_SPIN_NS at a time, then rests BRAKE_REST_NS (a command started
 * meanwhile gets the CPU within that period); it brakes only while the
 * consumers make progress (a stalled pipeline, a hung disk, loses records and
 * counts them rather than hold the machine); it watches the rings only for a
 * while after the consumers last took a full batch (an idle daemon does not
 * wake up for it).  The kernel's real-time throttling (sched_rt_runtime_us)
 * bounds it too.
 */
#define BRAKE_SPIN_NS  (8 * 1000000LL)
#define BRAKE_REST_NS  (2 * 1000000LL)
#define BRAKE_CHECK_NS (1 * 1000000LL)	  /* between looks at a ring */
#define BRAKE_ARMED_NS (1000 * 1000000LL) /* watched this long after the last full batch */
#define BRAKE_STALL_NS (500 * 1000000LL)  /* no batch this long: no brake */

struct brake_ring {
	struct brake *b;
	unsigned int cpu;
	pthread_t thread;
	int started;
	void *pos;     /* the consumer's position, and a page on the producer's */
	uint64_t high; /* bytes held from which it brakes */
	uint64_t low;  /* ... down to which */
};

struct brake {
	pthread_mutex_t lock;
	pthread_cond_t cond; /* a full batch, or the stop (under lock) */
	int stop;
	int asleep;	  /* brake threads waiting on cond (under lock) */
	int64_t progress; /* CLOCK_MONOTONIC ns of the consumers' last batch (atomic) */
	int64_t full;	  /* ... of their last full batch (atomic) */
	int64_t spun;	  /* ns spent braking, all rings (atomic) */
	long page;
	unsigned int n;
	struct brake_ring rings[];
};

static int64_t brake_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void brake_sleep(int64_t ns)
{
	struct timespec ts = {.tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Bytes the ring holds: the producers' position less the consumer's. */
static uint64_t brake_fill(const struct brake_ring *r)
{
	const unsigned long *cons = r->pos;
	const unsigned long *prod = (const void *)((const char *)r->pos + r->b->page);

	return __atomic_load_n(prod, __ATOMIC_ACQUIRE) - __atomic_load_n(cons, __ATOMIC_ACQUIRE);
}

/* Whether the consumers took a batch lately: braking helps them only then. */
static int brake_moving(struct brake *b, int64_t now)
{
	return now - __atomic_load_n(&b->progress, __ATOMIC_RELAXED) < BRAKE_STALL_NS;
}

/* Hold the CPU while the ring is above its low mark, BRAKE_SPIN_NS at most. */
static void brake_spin(struct brake_ring *r)
{
	int64_t start = brake_now(), now = start;

	while (now - start < BRAKE_SPIN_NS && brake_fill(r) > r->low && brake_moving(r->b, now) &&
	       !__atomic_load_n(&r->b->stop, __ATOMIC_RELAXED)) {
		for (int i = 0; i < 64; i++)
			__builtin_ia32_pause();
		now = brake_now();
	}
	__atomic_add_fetch(&r->b->spun, now - start, __ATOMIC_RELAXED);
}

static void *brake_thread(void *arg)
{
	struct brake_ring *r = arg;
	struct brake *b = r->b;
	cpu_set_t cpus;
	int64_t now;
	int braking = 0;

	CPU_ZERO(&cpus);
	CPU_SET(r->cpu, &cpus);
	/* unpinned (an offline CPU), it would hold any CPU: none for this ring */
	if (priority_fifo(0, &cpus, "brake thread"))
		return NULL;
	for (;;) {
		now = brake_now();
		if (now - __atomic_load_n(&b->full, __ATOMIC_RELAXED) >= BRAKE_ARMED_NS) {
			/* no full batch lately: wait for one */
			pthread_mutex_lock(&b->lock);
			b->asleep++;
			while (!b->stop &&
			       brake_now() - __atomic_load_n(&b->full, __ATOMIC_RELAXED) >=
				       BRAKE_ARMED_NS)
				pthread_cond_wait(&b->cond, &b->lock);
			b->asleep--;
			pthread_mutex_unlock(&b->lock);
			braking = 0;
		}
		if (__atomic_load_n(&b->stop, __ATOMIC_RELAXED))
			break;
		if (!braking)
			braking = brake_fill(r) >= r->high;
		if (braking && brake_moving(b, brake_now())) {
			brake_spin(r);
			braking = brake_fill(r) > r->low;
			/* the duty cycle: the CPU goes to the others for a while */
			brake_sleep(braking ? BRAKE_REST_NS : BRAKE_CHECK_NS);
		} else {
			braking = 0;
			brake_sleep(BRAKE_CHECK_NS);
		}
	}
	return NULL;
}

struct brake *brake_start(unsigned int boost, const int *ring_fds, unsigned int n,
			  uint64_t ring_bytes)
{
	struct brake *b;
	struct brake_ring *r;
	unsigned int i;

	if (!boost || !n)
		return NULL;
	b = calloc(1, sizeof(*b) + n * sizeof(b->rings[0]));
	if (!b)
		return NULL;
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->cond, NULL);
	b->page = sysconf(_SC_PAGESIZE);
	b->n = n;
	for (i = 0; i < n; i++) {
		r = &b->rings[i];
		r->b = b;
		r->cpu = i;
		r->pos = MAP_FAILED;
		r->high = ring_bytes / 2;
		r->low = ring_bytes / 4;
		r->pos = mmap(NULL, 2 * b->page, PROT_READ, MAP_SHARED, ring_fds[i], 0);
		if (r->pos == MAP_FAILED)
			goto fail;
	}
	for (i = 0; i < n; i++) {
		r = &b->rings[i];
		errno = pthread_create(&r->thread, NULL, brake_thread, r);
		if (errno)
			goto fail;
		r->started = 1;
	}
	return b;
fail:
	log_warn("priority_boost: the brake threads");
	brake_stop(b);
	return NULL;
}

void brake_batch(struct brake *b, int full)
{
	int64_t now;

	if (!b)
		return;
	now = brake_now();
	__atomic_store_n(&b->progress, now, __ATOMIC_RELAXED);
	if (!full)
		return;
	__atomic_store_n(&b->full, now, __ATOMIC_RELAXED);
	if (!__atomic_load_n(&b->asleep, __ATOMIC_RELAXED))
		return;
	pthread_mutex_lock(&b->lock);
	pthread_cond_broadcast(&b->cond);
	pthread_mutex_unlock(&b->lock);
}

uint64_t brake_spun_ns(const struct brake *b)
{
	return b ? (uint64_t)__atomic_load_n(&b->spun, __ATOMIC_RELAXED) : 0;
}

void brake_stop(struct brake *b)
{
	unsigned int i;

	if (!b)
		return;
	pthread_mutex_lock(&b->lock);
	__atomic_store_n(&b->stop, 1, __ATOMIC_RELAXED);
	pthread_cond_broadcast(&b->cond);
	pthread_mutex_unlock(&b->lock);
	for (i = 0; i < b->n; i++) {
		if (b->rings[i].started)
			pthread_join(b->rings[i].thread, NULL);
		if (b->rings[i].pos && b->rings[i].pos != MAP_FAILED)
			munmap(b->rings[i].pos, 2 * b->page);
	}
	pthread_mutex_destroy(&b->lock);
	pthread_cond_destroy(&b->cond);
	free(b);
}
