/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "ebpf/shared.h"
#include "logger/capture.h"
#include "logger/log.h"
#include "logger/reorder.h"
#include "lauditd.skel.h"

/*
 * Records wait this long after they were made before they are handed over:
 * time for every CPU's ring to deliver what it made before them (a program is
 * preemptible between taking its time and submitting its record).
 */
#define CAPTURE_HOLD_NS (50 * 1000 * 1000ULL)

struct capture;

struct capture_ring_arg {
	struct capture *c;
	unsigned int ring;
};

struct capture {
	struct lauditd_bpf *skel;
	capture_record_fn fn;
	void *arg;
	struct capture_ring_arg *ring_args;
	struct reorder *rq;	/* what was consumed, until its turn comes */
	struct ring_buffer *rb; /* every ring, for @fn; NULL when @fn is */
	int ncpus;
	int *ring_fds;
	struct la_counts *percpu; /* ncpus entries: one lookup of la_counters */
};

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !log_verbose())
		return 0;
	if (level == LIBBPF_INFO && !log_verbose())
		return 0;
	vlog(level == LIBBPF_WARN ? 4 : 7, fmt, ap);
	return 0;
}

/* A record consumed: queued by the time it was made, to be handed over in order. */
static int capture_on_record(void *ctx, void *data, size_t size)
{
	struct capture_ring_arg *ra = ctx;
	const struct la_event *ev = data;

	/* a record too short to hold its time goes first: the callback rejects it */
	return reorder_push(ra->c->rq, ra->ring, size >= sizeof(*ev) ? ev->ts_exit : 0, data, size);
}

static int capture_hand_over(void *arg, unsigned int ring, const void *rec, size_t size)
{
	struct capture *c = arg;

	(void)ring;
	return c->fn(c->arg, rec, size);
}

/* Hand over the records made up to @until (CLOCK_BOOTTIME ns), oldest first. */
static int capture_release(struct capture *c, uint64_t until)
{
	int n = reorder_pop(c->rq, until, capture_hand_over, c);

	return n < 0 ? n : 0;
}

static uint64_t capture_boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * libbpf finds a tracepoint's id under tracefs (or debugfs/tracing); a machine
 * that has not mounted it yet gets it mounted where the kernel expects it.
 */
static void capture_mount_tracefs(void)
{
	struct stat sb;

	if (!stat("/sys/kernel/tracing/events", &sb) ||
	    !stat("/sys/kernel/debug/tracing/events", &sb))
		return;
	if (mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL))
		log_warn("mounting tracefs on /sys/kernel/tracing");
}

struct capture *capture_open(const struct capture_opts *o, capture_record_fn fn, void *arg)
{
	struct la_config cfg = {
		.self_tgid = getpid(),
		.wakeup_bytes = (__u32)((__u64)o->ring_bytes * o->wakeup_percent / 100),
		.argv_bytes = o->argv_bytes && o->argv_bytes < 16384 ? o->argv_bytes : 16384,
	};
	struct capture *c;
	__u32 key = 0;
	int err, i;

	libbpf_set_print(libbpf_print);
	capture_mount_tracefs();
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->ncpus = libbpf_num_possible_cpus();
	if (c->ncpus <= 0) {
		err = c->ncpus ? c->ncpus : -EINVAL;
		goto fail;
	}
	c->ring_fds = calloc(c->ncpus, sizeof(int));
	c->percpu = calloc(c->ncpus, sizeof(struct la_counts));
	if (!c->ring_fds || !c->percpu) {
		err = -ENOMEM;
		goto fail;
	}
	for (i = 0; i < c->ncpus; i++)
		c->ring_fds[i] = -1;
	c->skel = lauditd_bpf__open();
	if (!c->skel) {
		err = -errno;
		goto fail;
	}
	for (i = 0; i < c->ncpus; i++) {
		c->ring_fds[i] =
			bpf_map_create(BPF_MAP_TYPE_RINGBUF, NULL, 0, 0, o->ring_bytes, NULL);
		if (c->ring_fds[i] < 0) {
			err = -errno;
			goto fail;
		}
	}
	/* The rings' size is the configuration's: the first ring is the template. */
	err = bpf_map__set_max_entries(c->skel->maps.la_rings, c->ncpus);
	if (!err)
		err = bpf_map__set_inner_map_fd(c->skel->maps.la_rings, c->ring_fds[0]);
	if (!err)
		err = lauditd_bpf__load(c->skel);
	if (err)
		goto fail;
	err = bpf_map_update_elem(bpf_map__fd(c->skel->maps.la_config), &key, &cfg, BPF_ANY);
	if (err) {
		err = -errno;
		goto fail;
	}
	c->fn = fn;
	c->arg = arg;
	if (fn) {
		c->ring_args = calloc(c->ncpus, sizeof(*c->ring_args));
		c->rq = reorder_new(c->ncpus);
		if (!c->ring_args || !c->rq) {
			err = -ENOMEM;
			goto fail;
		}
	}
	for (i = 0; i < c->ncpus; i++) {
		__u32 cpu = i;

		if (bpf_map_update_elem(bpf_map__fd(c->skel->maps.la_rings), &cpu, &c->ring_fds[i],
					BPF_ANY)) {
			err = -errno;
			goto fail;
		}
		if (!fn)
			continue;
		c->ring_args[i].c = c;
		c->ring_args[i].ring = i;
		if (!c->rb)
			c->rb = ring_buffer__new(c->ring_fds[i], capture_on_record,
						 &c->ring_args[i], NULL);
		else if (ring_buffer__add(c->rb, c->ring_fds[i], capture_on_record,
					  &c->ring_args[i]))
			c->rb = NULL;
		if (!c->rb) {
			err = -errno;
			goto fail;
		}
	}
	return c;
fail:
	capture_close(c);
	errno = -err;
	return NULL;
}

int capture_stop(struct capture *c)
{
	int fd = bpf_map__fd(c->skel->maps.la_config);
	struct la_config cfg;
	__u32 key = 0;

	if (bpf_map_lookup_elem(fd, &key, &cfg))
		return -errno;
	cfg.stopped = 1;
	if (bpf_map_update_elem(fd, &key, &cfg, BPF_ANY))
		return -errno;
	/*
	 * A program that read the flag before the update finishes its record within
	 * microseconds; no syscall waits for it, so allow it ample time.
	 */
	usleep(50 * 1000);
	return 0;
}

int capture_attach(struct capture *c)
{
	return lauditd_bpf__attach(c->skel);
}

#define CAPTURE_DETACH_THREADS 32

struct capture_detach_job {
	struct bpf_link **links[CAPTURE_DETACH_THREADS * 8];
	int n;
};

static void *capture_detach_thread(void *arg)
{
	struct capture_detach_job *job = arg;
	int i;

	for (i = 0; i < job->n; i++) {
		bpf_link__destroy(*job->links[i]);
		*job->links[i] = NULL;
	}
	return NULL;
}

/*
 * Each tracepoint detach waits for a grace period of its own (syscall
 * tracepoints are faultable since 6.14, and their probes are freed after an RCU
 * tasks-trace grace period): one after another they take seconds, side by side
 * the grace periods are shared.
 */
void capture_detach(struct capture *c)
{
	static struct capture_detach_job jobs[CAPTURE_DETACH_THREADS];
	pthread_t tids[CAPTURE_DETACH_THREADS];
	int started[CAPTURE_DETACH_THREADS] = {0};
	struct bpf_object_skeleton *s = c->skel->skeleton;
	int i, j;

	memset(jobs, 0, sizeof(jobs));
	for (i = 0; i < s->prog_cnt; i++) {
		struct capture_detach_job *job = &jobs[i % CAPTURE_DETACH_THREADS];

		if (*s->progs[i].link && job->n < (int)(sizeof(job->links) / sizeof(job->links[0])))
			job->links[job->n++] = s->progs[i].link;
	}
	for (j = 0; j < CAPTURE_DETACH_THREADS; j++)
		started[j] = jobs[j].n &&
			     !pthread_create(&tids[j], NULL, capture_detach_thread, &jobs[j]);
	for (j = 0; j < CAPTURE_DETACH_THREADS; j++) {
		if (started[j])
			pthread_join(tids[j], NULL);
		else
			capture_detach_thread(&jobs[j]);
	}
	lauditd_bpf__detach(c->skel);
}

int capture_poll(struct capture *c, int timeout_ms)
{
	int n, m, err;

	if (!c->rb)
		return -EINVAL;
	n = ring_buffer__poll(c->rb, timeout_ms);
	if (n < 0)
		return n;
	m = ring_buffer__consume(c->rb);
	if (m < 0)
		return m;
	err = capture_release(c, capture_boottime_ns() - CAPTURE_HOLD_NS);
	return err ? err : n + m;
}

int capture_drain(struct capture *c)
{
	int total = 0, n;

	if (!c->rb)
		return -EINVAL;
	do {
		n = ring_buffer__consume(c->rb);
		if (n < 0)
			return n;
		total += n;
	} while (n > 0);
	n = capture_release(c, UINT64_MAX);
	return n ? n : total;
}

struct capture_reader_ring {
	struct capture_reader *r;
	unsigned int ring;
};

struct capture_reader {
	struct ring_buffer *rb;
	capture_ring_fn fn;
	void *arg;
	struct capture_reader_ring *rings;
};

static int capture_reader_on_record(void *ctx, void *data, size_t size)
{
	struct capture_reader_ring *rr = ctx;

	return rr->r->fn(rr->r->arg, rr->ring, data, size);
}

unsigned int capture_rings(const struct capture *c)
{
	return c->ncpus;
}

struct capture_reader *capture_reader_new(struct capture *c, unsigned int first, unsigned int step,
					  capture_ring_fn fn, void *arg)
{
	struct capture_reader *r;
	unsigned int i, n = 0;
	int err;

	if (!step || first >= (unsigned int)c->ncpus || !fn) {
		errno = EINVAL;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->fn = fn;
	r->arg = arg;
	r->rings = calloc((c->ncpus - first + step - 1) / step, sizeof(*r->rings));
	if (!r->rings) {
		err = -ENOMEM;
		goto fail;
	}
	for (i = first; i < (unsigned int)c->ncpus; i += step, n++) {
		r->rings[n].r = r;
		r->rings[n].ring = i;
		if (!r->rb) {
			r->rb = ring_buffer__new(c->ring_fds[i], capture_reader_on_record,
						 &r->rings[n], NULL);
			err = r->rb ? 0 : -errno;
		} else {
			err = ring_buffer__add(r->rb, c->ring_fds[i], capture_reader_on_record,
					       &r->rings[n]);
		}
		if (err)
			goto fail;
	}
	return r;
fail:
	capture_reader_free(r);
	errno = -err;
	return NULL;
}

int capture_reader_poll(struct capture_reader *r, int timeout_ms)
{
	int n, m;

	n = ring_buffer__poll(r->rb, timeout_ms);
	if (n < 0)
		return n;
	/* the rings that passed no wake-up threshold have records too */
	m = ring_buffer__consume(r->rb);
	if (m < 0)
		return m;
	return n + m;
}

int capture_reader_consume(struct capture_reader *r)
{
	return ring_buffer__consume(r->rb);
}

void capture_reader_free(struct capture_reader *r)
{
	if (!r)
		return;
	ring_buffer__free(r->rb);
	free(r->rings);
	free(r);
}

int capture_counts(struct capture *c, struct la_counts *out)
{
	int fd = bpf_map__fd(c->skel->maps.la_counters);
	__u32 nr;
	int i;

	memset(out, 0, sizeof(*out) * LA_NR_MAX);
	for (nr = 0; nr < LA_NR_MAX; nr++) {
		if (bpf_map_lookup_elem(fd, &nr, c->percpu))
			return -errno;
		for (i = 0; i < c->ncpus; i++) {
			out[nr].made += c->percpu[i].made;
			out[nr].ring_full += c->percpu[i].ring_full;
			out[nr].too_large += c->percpu[i].too_large;
			out[nr].no_stash += c->percpu[i].no_stash;
			out[nr].faults += c->percpu[i].faults;
			out[nr].truncated += c->percpu[i].truncated;
		}
	}
	return 0;
}

void capture_close(struct capture *c)
{
	int i;

	if (!c)
		return;
	ring_buffer__free(c->rb);
	/* detach side by side first: the skeleton's destroy detaches one by one */
	if (c->skel)
		capture_detach(c);
	lauditd_bpf__destroy(c->skel);
	for (i = 0; c->ring_fds && i < c->ncpus; i++)
		if (c->ring_fds[i] >= 0)
			close(c->ring_fds[i]);
	free(c->ring_fds);
	free(c->percpu);
	free(c->ring_args);
	reorder_free(c->rq);
	free(c);
}
