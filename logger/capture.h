/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The eBPF side seen from the daemon: load, attach, read the rings, read the counters. */
#ifndef LAUDITD_LOGGER_CAPTURE_H
#define LAUDITD_LOGGER_CAPTURE_H

#include <stddef.h>

#include <stdint.h>
#include <sys/types.h>

#include "ebpf/wire.h"

struct capture;

struct capture_opts {
	unsigned int ring_bytes;     /* per-CPU ring size, a power of two */
	unsigned int wakeup_percent; /* wake the consumer at this fill */
	unsigned int argv_bytes;     /* bytes of execve's argv kept (at most LA_ARGV_MAX; 0: all) */
	unsigned int cache_size;     /* the cache filter's records; 0: the filter is off */
	uint64_t cache_interval_ns;  /* the most a cached record waits */
	const uint64_t *cache_exempt; /* LA_NR_MAX bits: syscalls never merged; NULL: none */
};

/* Called for every record, in each ring's order. Return 0, or <0 to stop consuming. */
typedef int (*capture_record_fn)(void *arg, const struct la_event *ev, size_t len);

/*
 * capture_open() - load the programs and create one ring per possible CPU, not yet
 * attached.  @fn gets every record capture_poll() and capture_drain() consume;
 * with @fn NULL those two are not used, and readers (capture_reader_new()) read
 * the rings instead.
 * Return: the capture, or NULL with errno set.
 */
struct capture *capture_open(const struct capture_opts *o, capture_record_fn fn, void *arg);

/* capture_cache_on() - whether the programs were loaded with the cache filter on. */
int capture_cache_on(const struct capture *c);

/*
 * capture_unimplemented() - whether syscall @nr (x86-64's) is one this kernel does not
 * implement and that has no programs or tracepoints of its own: la_exit_other_raw
 * captures it when a rule names it, at its exit alone.  1 or 0.
 */
int capture_unimplemented(const struct capture *c, int nr);

/* capture_raw_links(): which programs on the generic raw tracepoints are attached */
#define CAPTURE_RAW_ENTER 1 /* la_enter_other_raw (sys_enter) */
#define CAPTURE_RAW_EXIT  2 /* la_exit_other_raw (sys_exit) */

/*
 * capture_raw_links() - the programs attached to the generic sys_enter and sys_exit
 * raw tracepoints, which every syscall of the machine runs: CAPTURE_RAW_* bits.
 */
unsigned int capture_raw_links(const struct capture *c);

/*
 * capture_compat() - whether the kernel runs 32-bit syscalls, which the rules that name
 * them (arch=b32, or no arch) then have captured: 1 or 0 (they are never captured).
 */
int capture_compat(const struct capture *c);

/*
 * capture_cache_flush() - send every record of the cache filter whose first
 * syscall entered at or before @until (CLOCK_BOOTTIME ns; UINT64_MAX: all).
 * Return: 0 or a negative errno.
 */
int capture_cache_flush(struct capture *c, uint64_t until);

/*
 * capture_attach() - attach the programs: with rules (capture_set_rules()), those of the
 * syscalls a rule may select; without, every program.  Return: 0 or a negative errno.
 */
int capture_attach(struct capture *c);

/*
 * capture_stop() - tell the programs to make no new record, and wait until
 * those already running have finished theirs.  Return: 0 or a negative errno.
 */
int capture_stop(struct capture *c);

/* capture_detach() - detach every program (slow: seconds). */
void capture_detach(struct capture *c);

/*
 * capture_poll() - wait up to @timeout_ms for a wake-up, then consume every ring.
 * Return: records consumed, or a negative errno (-EINTR when a signal came).
 */
int capture_poll(struct capture *c, int timeout_ms);

/* capture_drain() - consume until every ring is empty.  Return: records, or -errno. */
int capture_drain(struct capture *c);

/* capture_rings() - how many rings there are (one per possible CPU), numbered from 0. */
unsigned int capture_rings(const struct capture *c);

/* capture_ring_fd() - ring @i's map (a BPF_MAP_TYPE_RINGBUF), owned by @c. */
int capture_ring_fd(const struct capture *c, unsigned int i);

/* capture_ring_bytes() - the size of each ring. */
size_t capture_ring_bytes(const struct capture *c);

struct capture_reader;

/*
 * Called for every record a reader consumes, with the number of the ring that
 * carried it, in that ring's order.  @ev stays valid until the reader's next
 * call.  Return 0; <0 stops the consume in progress after this record (which
 * counts as consumed), and the consume returns it.
 */
typedef int (*capture_ring_fn)(void *arg, unsigned int ring, const struct la_event *ev, size_t len);

/*
 * capture_reader_new() - a reader of the rings @first, @first + @step, ...: one
 * per consumer thread.  A ring must be read by one reader at a time (its records
 * are in order, and identities are sent once per ring); a new reader of a ring
 * goes on where the last one stopped.
 * Return: the reader, or NULL with errno set.
 */
struct capture_reader *capture_reader_new(struct capture *c, unsigned int first, unsigned int step,
					  capture_ring_fn fn, void *arg);

/*
 * capture_reader_poll() - wait up to @timeout_ms for a wake-up, then consume the
 * reader's rings as capture_reader_consume() does.
 * Return: records consumed, or a negative errno (or @fn's).
 */
int capture_reader_poll(struct capture_reader *r, int timeout_ms);

/*
 * capture_reader_consume() - consume the reader's rings once, without waiting,
 * and hand @fn, oldest first, the records made long enough ago that every ring
 * has delivered what came before them (each ring's own order kept); the
 * others wait for a later call, as do those after a callback that stopped.
 * Return: records handed over, or a negative errno (or @fn's).
 */
int capture_reader_consume(struct capture_reader *r);

/*
 * capture_reader_drain() - as capture_reader_consume(), handing over every
 * record queued: when the programs make no more (stopping, pausing).
 */
int capture_reader_drain(struct capture_reader *r);

/*
 * capture_reader_flush() - hand over every record already queued, leaving the
 * rings as they are (a pause: the next reader goes on from there).
 * Return: records handed over, or a negative errno (or @fn's).
 */
int capture_reader_flush(struct capture_reader *r);

/* capture_reader_free() - free the reader; the rings stay.  Accepts NULL. */
void capture_reader_free(struct capture_reader *r);

/*
 * capture_exclude() - leave the process @id out of capture, as lauditd is left
 * out, and every process it forks from now on; or, @id one of lauditd's threads,
 * the processes that thread forks until capture_include() takes it back.  The
 * entry of a process goes when it ends.
 * Return: 0, or a negative errno (the map is full: -E2BIG).
 */
int capture_exclude(struct capture *c, pid_t id);

/* capture_include() - remove @id from the processes and threads left out.  Return: 0 or -errno. */
int capture_include(struct capture *c, pid_t id);

/* capture_is_excluded() - whether @id is left out now.  Return: 1, 0, or a negative errno. */
int capture_is_excluded(struct capture *c, pid_t id);

/*
 * capture_counts() - the per-syscall counters summed over CPUs into @out, which
 * has LA_NR_MAX entries.  Return: 0 or a negative errno.
 */
int capture_counts(struct capture *c, struct la_counts *out);

struct rules_set;
struct text_ident;

/*
 * capture_set_rules() - make the exit-list rules of @s decide what the programs log, at
 * once: compiled (conf/rules_bpf.h) into the slot the programs do not use, then
 * published as a new revision.  @s NULL or without rules: every syscall is logged.  Once
 * attached, the programs of syscalls newly selected are attached too.  The cache filter's
 * records that the older rules decided are sent at once, with their keys.
 * Return: 0 or a negative errno.
 */
int capture_set_rules(struct capture *c, const struct rules_set *s);

/*
 * capture_rule_key() - the key= of record @ev: the keys of the rule that selected it,
 * joined by \x01 as the kernel joins them, or NULL.  Thread-safe.
 */
const char *capture_rule_key(struct capture *c, const struct la_event *ev);

/*
 * capture_rule_decide() - whether record @ev is logged: the programs' choice decided
 * again on the objects it reached, as conf/rules_watch.h says (watches, path, dir,
 * inode, filetype, obj_uid ...).  @id: the process's exe, or NULL.
 * @key: set to its key= or NULL; @drop: the record types (enum rules_watch_type) the
 * exclude list leaves out of it.  Thread-safe.
 * Return: 1 to log it, 0 not to.
 */
int capture_rule_decide(struct capture *c, const struct la_event *ev, const struct text_ident *id,
			const char **key, uint32_t *drop);

/* capture_close() - detach (as capture_detach() does), free.  Accepts NULL. */
void capture_close(struct capture *c);

#endif /* LAUDITD_LOGGER_CAPTURE_H */
