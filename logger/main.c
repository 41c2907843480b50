/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lauditd: capture the audited syscalls with eBPF and write them as auditd's
 * log.  Every record the programs make is either written or counted as lost,
 * and the losses are written into the log.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <libaudit.h>

#include "conf/conf.h"
#include "formats/wire.h"
#include "logger/capture.h"
#include "logger/ident.h"
#include "logger/log.h"
#include "logger/names.h"
#include "logger/rules_load.h"
#include "logger/writer.h"

#define LAUDITD_VERSION	 "0.1.0"
#define DEFAULT_CONF_DIR "/etc/lauditd"

/*
 * Ring records a consumer takes per batch: a batch gets its serials and its place
 * in the log once its records are counted (writer_begin()), so they wait in the
 * consumer's memory meanwhile.  A log rotates between batches, so a text batch
 * is kept small (128 KiB is 680 records of a read loop, 250 KiB of text); a
 * binary one ends in a block of its own, so it is kept large enough to fill one.
 */
#define CONSUMER_BATCH_TEXT   (128 * 1024)
#define CONSUMER_BATCH_BINARY (1024 * 1024)
/* Room past the batch size: the record that crosses it (a larger one grows the batch). */
#define CONSUMER_SLACK (64 * 1024)

enum consumers_state {
	CONSUMERS_RUN = 0,
	CONSUMERS_PAUSE = 1, /* commit what was taken, leave the rest in the rings */
	CONSUMERS_DRAIN = 2, /* empty the rings, then stop */
};

/* A record taken from a ring, waiting in its consumer's batch; the record follows. */
struct staged {
	uint32_t ring;
	uint32_t len;
};

/*
 * A consumer thread: it alone reads its rings (each ring's records in order,
 * each ring's identities in its own cache) and encodes their records through a
 * writer source of its own.
 */
struct consumer {
	struct daemon *d;
	unsigned int index;
	pthread_t thread;
	struct capture_reader *rd;
	struct writer_source *src;
	struct names *names; /* ENRICHED: user and group names */
	char *batch;	     /* struct staged, record, padding to 8; again */
	size_t len, cap, limit;
	unsigned int staged;
	uint64_t delivered;
	uint64_t malformed;
	uint64_t now; /* CLOCK_MONOTONIC seconds */
};

struct daemon {
	struct conf conf;
	const char *conf_dir;
	int explicit_dir;
	struct capture *cap;
	struct writer *w;
	struct writer_source *ctl;  /* the daemon's own records (this thread's) */
	struct ident_cache **ident; /* one per ring */
	unsigned int nrings;
	struct consumer *consumers;
	unsigned int nconsumers;
	int consumers_state;  /* enum consumers_state (atomic) */
	int64_t boot_to_real; /* CLOCK_REALTIME - CLOCK_BOOTTIME, ns (atomic) */
	sigset_t waitmask;    /* the signals this thread takes while it waits */
	/* totals of consumers and writers no longer running */
	uint64_t delivered;
	uint64_t malformed;
	uint64_t write_lost;
	int write_error;
	struct la_counts seen[LA_NR_MAX]; /* counters already reported */
	struct la_counts cur[LA_NR_MAX];
};

static volatile sig_atomic_t got_stop, got_rotate, got_resume, got_reload;
static volatile sig_atomic_t sig_pid;
static volatile sig_atomic_t sig_uid;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	switch (sig) {
	case SIGUSR1:
		got_rotate = 1;
		return;
	case SIGUSR2:
		got_resume = 1;
		return;
	case SIGHUP:
		got_reload = 1;
		break;
	default:
		got_stop = 1;
		break;
	}
	sig_pid = si ? si->si_pid : 0;
	sig_uid = si ? si->si_uid : 0;
}

static __attribute__((noreturn)) void usage(void)
{
	fprintf(stderr,
		"usage: lauditd [-f] [-v] [-t] [-c config_dir]\n"
		"  -f  stay in the foreground, diagnostics to stderr\n"
		"  -v  verbose diagnostics\n"
		"  -t  check the configuration and the rules, print the rules as auditctl -l\n"
		"  -c  read config_dir/lauditd.conf (default " DEFAULT_CONF_DIR ")\n");
	exit(2);
}

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A record's stamp from its CLOCK_BOOTTIME time; the writer gives the serial. */
static void stamp_of(struct daemon *d, uint64_t boot_ns, struct text_stamp *st)
{
	uint64_t real = boot_ns + __atomic_load_n(&d->boot_to_real, __ATOMIC_RELAXED);

	st->sec = real / 1000000000;
	st->msec = real % 1000000000 / 1000000;
	st->serial = 0;
}

static void conf_warning(const struct conf_error *w, void *arg)
{
	log_warnx("%s:%u:%u: %s", (const char *)arg, w->line, w->column, w->message);
}

/*
 * Read @dir/lauditd.conf into @c.  A missing default file means the built-in
 * defaults.  Return: 0, or -1 after saying what is wrong.
 */
static int load_conf_soft(struct conf *c, const char *dir, int explicit_dir)
{
	char path[CONF_PATH_MAX + 32];
	struct conf_error err;
	struct stat sb;
	char *buf = NULL;
	ssize_t n;
	int fd, rc = -1;

	conf_defaults(c);
	snprintf(path, sizeof(path), "%s/lauditd.conf", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT && !explicit_dir) {
			log_info("no %s: using the built-in defaults", path);
			return 0;
		}
		log_warn("%s", path);
		return -1;
	}
	if (fstat(fd, &sb)) {
		log_warn("%s", path);
		goto out;
	}
	if (sb.st_size > 1024 * 1024) {
		log_warnx("%s: larger than 1 MiB", path);
		goto out;
	}
	buf = malloc(sb.st_size + 1);
	if (!buf) {
		log_warn("reading %s", path);
		goto out;
	}
	n = read(fd, buf, sb.st_size);
	if (n < 0) {
		log_warn("%s", path);
		goto out;
	}
	if (conf_parse(buf, n, c, conf_warning, path, &err)) {
		log_warnx("%s:%u:%u: %s", path, err.line, err.column, err.message);
		goto out;
	}
	rc = 0;
out:
	free(buf);
	close(fd);
	return rc;
}

/* A daemon record, in a batch of its own. */
static void put_daemon(struct daemon *d, const char *type, const char *fields)
{
	struct log_record r = {.kind = LOG_REC_DAEMON, .type = type, .fields = fields};

	stamp_of(d, clock_ns(CLOCK_BOOTTIME), &r.stamp);
	if (writer_begin(d->ctl, 1) || writer_put(d->ctl, &r))
		log_warnx("could not log %s", type);
	writer_end(d->ctl, 1);
}

/*
 * A ring's record: checked, then kept in the batch until the consume in
 * progress ends (see consumer_commit()).  Stops the consume once the batch is full.
 */
static int on_record(void *arg, unsigned int ring, const struct la_event *ev, size_t len)
{
	struct consumer *t = arg;
	size_t need = sizeof(struct staged) + LA_ALIGN(len);
	struct staged *st;
	char *p;

	if (wire_check(ev, len)) {
		t->malformed++;
		return 0;
	}
	if (t->len + need > t->cap) {
		p = realloc(t->batch, t->len + need);
		if (!p) {
			/* not delivered: the accounting at exit says so */
			log_warnx("no memory for a record of %zu bytes", len);
			return 0;
		}
		t->batch = p;
		t->cap = t->len + need;
	}
	st = (struct staged *)(t->batch + t->len);
	st->ring = ring;
	st->len = len;
	memcpy(st + 1, ev, len);
	t->len += need;
	t->staged++;
	t->delivered++;
	return t->len >= t->limit ? -ENOBUFS : 0;
}

/*
 * Encode the batch's records, with the identities their rings sent, and hand
 * them on; @flush once the rings are empty (the flush setting's batch).
 */
static void consumer_commit(struct consumer *t, int flush)
{
	struct log_record r = {.kind = LOG_REC_EVENT};
	struct daemon *d = t->d;
	struct staged *st;
	size_t off;

	if (!t->staged)
		return;
	writer_begin(t->src, t->staged);
	for (off = 0; off < t->len; off += sizeof(*st) + LA_ALIGN(st->len)) {
		st = (struct staged *)(t->batch + off);
		r.ev = (const struct la_event *)(st + 1);
		ident_resolve(d->ident[st->ring], r.ev, t->now, &r.ident);
		stamp_of(d, r.ev->ts_enter, &r.stamp);
		writer_put(t->src, &r);
	}
	writer_end(t->src, flush);
	t->len = 0;
	t->staged = 0;
}

static void *consumer_run(void *arg)
{
	struct consumer *t = arg;
	struct daemon *d = t->d;
	uint64_t swept = 0;
	unsigned int ring;
	int n, full = 0, state;

	while (!(state = __atomic_load_n(&d->consumers_state, __ATOMIC_ACQUIRE))) {
		/* a full batch stopped the last consume: go on without waiting */
		if (full)
			n = capture_reader_consume(t->rd);
		else
			n = capture_reader_poll(t->rd, d->conf.poll_interval_ms);
		full = n == -ENOBUFS;
		if (n < 0 && !full && n != -EINTR)
			fatalx("reading the rings: %s", strerror(-n));
		t->now = clock_ns(CLOCK_MONOTONIC) / 1000000000;
		consumer_commit(t, !full);
		if (t->now != swept) {
			swept = t->now;
			for (ring = t->index; ring < d->nrings; ring += d->nconsumers)
				ident_sweep(d->ident[ring], t->now > 60 ? t->now - 60 : 0);
		}
	}
	/* a pause hands over what was taken off the rings; a stop empties them */
	while (state == CONSUMERS_PAUSE || state == CONSUMERS_DRAIN) {
		n = state == CONSUMERS_PAUSE ? capture_reader_flush(t->rd)
					     : capture_reader_drain(t->rd);
		full = n == -ENOBUFS;
		if (n < 0 && !full) {
			log_warnx("draining the rings: %s", strerror(-n));
			break;
		}
		consumer_commit(t, !full);
		if (!n)
			break;
	}
	return NULL;
}

/*
 * writer_threads, or the default: 1 up to 3 online CPUs, half of them from 4
 * to 7, 4 from 8; never more than there are rings.  Threads beside the first
 * help where the audited processes leave CPUs idle; on 2 CPUs a second one
 * took 5% (RAW) to 30% (BINARY) more CPU per record at a steady rate and lost
 * no less at full rate, the audited processes using both CPUs.
 */
static unsigned int consumer_count(const struct daemon *d)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int n = d->conf.writer_threads;

	if (!n)
		n = cpus >= 8 ? 4 : cpus >= 4 ? (unsigned int)cpus / 2 : 1;
	if (n > d->nrings)
		n = d->nrings;
	return n ? n : 1;
}

/* Start the consumer threads, ring i read by thread i % count. */
static void consumers_start(struct daemon *d)
{
	unsigned int i, n = consumer_count(d);
	struct consumer *t;
	int err;

	d->consumers = calloc(n, sizeof(*d->consumers));
	if (!d->consumers)
		fatal("consumer threads");
	d->nconsumers = n;
	__atomic_store_n(&d->consumers_state, CONSUMERS_RUN, __ATOMIC_RELEASE);
	for (i = 0; i < n; i++) {
		t = &d->consumers[i];
		t->d = d;
		t->index = i;
		t->now = clock_ns(CLOCK_MONOTONIC) / 1000000000;
		t->limit = d->conf.log_format == CONF_FMT_BINARY ? CONSUMER_BATCH_BINARY
								 : CONSUMER_BATCH_TEXT;
		t->cap = t->limit + CONSUMER_SLACK;
		t->batch = malloc(t->cap);
		if (!t->batch)
			fatal("consumer thread %u", i);
		if (d->conf.log_format == CONF_FMT_ENRICHED) {
			t->names = names_new();
			if (!t->names)
				fatal("consumer thread %u", i);
		}
		t->rd = capture_reader_new(d->cap, i, n, on_record, t);
		if (!t->rd)
			fatal("consumer thread %u: reading the rings", i);
		t->src = writer_source_new(d->w, t->names);
		if (!t->src)
			fatal("consumer thread %u: writer", i);
		err = pthread_create(&t->thread, NULL, consumer_run, t);
		if (err) {
			errno = err;
			fatal("consumer thread %u", i);
		}
	}
}

/* Stop the consumer threads (@how: CONSUMERS_PAUSE or CONSUMERS_DRAIN), keep their counts. */
static void consumers_stop(struct daemon *d, enum consumers_state how)
{
	struct consumer *t;
	unsigned int i;

	__atomic_store_n(&d->consumers_state, how, __ATOMIC_RELEASE);
	for (i = 0; i < d->nconsumers; i++) {
		t = &d->consumers[i];
		pthread_join(t->thread, NULL);
		d->delivered += t->delivered;
		d->malformed += t->malformed;
		capture_reader_free(t->rd);
		names_free(t->names);
		free(t->batch);
	}
	free(d->consumers);
	d->consumers = NULL;
	d->nconsumers = 0;
}

static uint64_t counts_lost(const struct la_counts *c)
{
	return c->ring_full + c->too_large + c->no_stash;
}

/* Write a record for every loss counted since the last call. */
static void report_losses(struct daemon *d)
{
	static const char *const reasons[] = {"ring_full", "too_large", "no_stash"};
	char fields[256];
	int nr, i, err;

	err = capture_counts(d->cap, d->cur);
	if (err) {
		log_warnx("reading the loss counters: %s", strerror(-err));
		return;
	}
	for (nr = 0; nr < LA_NR_MAX; nr++) {
		uint64_t now[3] = {d->cur[nr].ring_full, d->cur[nr].too_large, d->cur[nr].no_stash};
		uint64_t was[3] = {d->seen[nr].ring_full, d->seen[nr].too_large,
				   d->seen[nr].no_stash};

		for (i = 0; i < 3; i++) {
			const char *name;

			if (now[i] == was[i])
				continue;
			name = audit_syscall_to_name(nr, MACH_86_64);
			snprintf(fields, sizeof(fields),
				 "op=lost syscall=%d name=%s reason=%s lost=%" PRIu64
				 " total=%" PRIu64 " res=failed",
				 nr, name ? name : "unknown", reasons[i], now[i] - was[i], now[i]);
			put_daemon(d, "DAEMON_ERR", fields);
			log_warnx("lost %" PRIu64 " %s records (%s)", now[i] - was[i],
				  name ? name : "unknown", reasons[i]);
		}
	}
	memcpy(d->seen, d->cur, sizeof(d->seen));
}

static void read_self_id(const char *file, char *out, size_t len)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, out, len - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		snprintf(out, len, "4294967295");
	else
		out[n] = 0;
	out[strcspn(out, "\n")] = 0;
}

static const char *format_name(enum conf_log_format f)
{
	return f == CONF_FMT_ENRICHED ? "enriched" : f == CONF_FMT_BINARY ? "binary" : "raw";
}

/*
 * Open the configured log, going on from serial @serial, with the source of
 * the daemon's own records.  Return: the writer, or NULL with errno set.
 */
static struct writer *open_writer(struct daemon *d, uint64_t serial)
{
	struct text_opts to = {0};
	char fields[128];
	struct writer *w;
	int err;

	to.enriched = d->conf.log_format == CONF_FMT_ENRICHED;
	to.id_name = names_lookup;
	w = writer_open(&d->conf, &to);
	if (!w)
		return NULL;
	writer_set_serial(w, serial);
	snprintf(fields, sizeof(fields), "op=rotate-logs auid=4294967295 pid=%d res=success",
		 getpid());
	err = writer_set_rotate_record(w, fields);
	d->ctl = err ? NULL : writer_source_new(w, NULL);
	if (!d->ctl) {
		err = err ? err : -errno;
		writer_close(w);
		errno = -err;
		return NULL;
	}
	return w;
}

/* Close the writer, keeping its totals. */
static void close_writer(struct daemon *d)
{
	struct writer_stats ws;

	writer_flush(d->w);
	writer_stats(d->w, &ws);
	d->write_lost += ws.write_lost;
	if (!d->write_error)
		d->write_error = ws.error;
	writer_close(d->w);
	d->w = NULL;
	d->ctl = NULL;
}

/*
 * SIGHUP: read the configuration again; a bad one is reported and the running
 * one kept.  The consumers stop, and the writer is reopened on the new settings,
 * so the records meanwhile wait in the rings.  Ring settings need a restart.
 */
static void reload(struct daemon *d)
{
	struct writer_stats ws;
	char fields[256];
	struct conf c;

	if (load_conf_soft(&c, d->conf_dir, d->explicit_dir)) {
		log_warnx("reload: keeping the running configuration");
		return;
	}
	if (c.ring_buffer_kb != d->conf.ring_buffer_kb ||
	    c.wakeup_percent != d->conf.wakeup_percent)
		log_warnx("reload: ring_buffer_kb and wakeup_percent take effect at restart");
	consumers_stop(d, CONSUMERS_PAUSE);
	writer_stats(d->w, &ws);
	close_writer(d);
	d->conf = c;
	d->w = open_writer(d, ws.serial);
	if (!d->w)
		fatal("reload: %s", d->conf.log_file);
	snprintf(fields, sizeof(fields),
		 "op=reconfigure state=changed auid=4294967295 pid=%d uid=%d res=success",
		 (int)sig_pid, (int)sig_uid);
	put_daemon(d, "DAEMON_CONFIG", fields);
	consumers_start(d);
	log_info("configuration reloaded; logging to %s", d->conf.log_file);
}

static void put_start(struct daemon *d)
{
	char fields[512], auid[32], ses[32];
	struct utsname u;

	uname(&u);
	read_self_id("/proc/self/loginuid", auid, sizeof(auid));
	read_self_id("/proc/self/sessionid", ses, sizeof(ses));
	snprintf(fields, sizeof(fields),
		 "op=start ver=%s format=%s kernel=%s auid=%s pid=%d uid=%u ses=%s res=success",
		 LAUDITD_VERSION, format_name(d->conf.log_format), u.release, auid, getpid(),
		 getuid(), ses);
	put_daemon(d, "DAEMON_START", fields);
}

static void put_end(struct daemon *d, uint64_t lost)
{
	char fields[512];

	snprintf(fields, sizeof(fields),
		 "op=terminate auid=4294967295 pid=%d uid=%d ses=4294967295 res=success"
		 " records=%" PRIu64 " lost=%" PRIu64,
		 (int)sig_pid, (int)sig_uid, d->delivered, lost);
	put_daemon(d, "DAEMON_END", fields);
}

/*
 * The daemon's signals are blocked in every thread (the threads started later
 * inherit it); this one takes them while it waits in run(), so that a signal is
 * never missed between a check of the flags and the wait.
 */
static void install_signals(struct daemon *d)
{
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2};
	struct sigaction sa;
	sigset_t set;
	unsigned int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&set);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaction(sigs[i], &sa, NULL);
		sigaddset(&set, sigs[i]);
	}
	signal(SIGPIPE, SIG_IGN);
	pthread_sigmask(SIG_BLOCK, &set, &d->waitmask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigdelset(&d->waitmask, sigs[i]);
}

/* The daemon's thread: signals, and once a second the loss counters. */
static void run(struct daemon *d)
{
	const struct timespec second = {.tv_sec = 1};
	int64_t last_tick = -1, now;

	while (!got_stop) {
		now = clock_ns(CLOCK_MONOTONIC) / 1000000000;
		if (now != last_tick) {
			last_tick = now;
			__atomic_store_n(&d->boot_to_real,
					 clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME),
					 __ATOMIC_RELAXED);
			report_losses(d);
		}
		if (got_rotate) {
			got_rotate = 0;
			writer_rotate(d->w);
		}
		if (got_resume) {
			got_resume = 0;
			writer_resume(d->w);
		}
		if (got_reload) {
			got_reload = 0;
			reload(d);
		}
		if (!got_stop)
			ppoll(NULL, 0, &second, &d->waitmask);
	}
}

/* Stop making records, write every one still in the rings, then the totals. */
static int shutdown_capture(struct daemon *d)
{
	struct writer_stats ws;
	uint64_t made = 0, lost = 0, proc_lookups = 0, unknown = 0, p, u;
	unsigned int i;
	int nr, err, rc = 0;

	err = capture_stop(d->cap);
	if (err)
		log_warnx("stopping capture: %s", strerror(-err));
	consumers_stop(d, CONSUMERS_DRAIN);
	report_losses(d);
	for (nr = 0; nr < LA_NR_MAX; nr++) {
		made += d->cur[nr].made;
		lost += counts_lost(&d->cur[nr]);
	}
	if (made != d->delivered + lost) {
		log_warnx("accounting: %" PRIu64 " made, %" PRIu64 " delivered, %" PRIu64 " lost",
			  made, d->delivered, lost);
		rc = 1;
	}
	put_end(d, lost);
	writer_flush(d->w);
	writer_stats(d->w, &ws);
	ws.write_lost += d->write_lost;
	if (d->write_error)
		ws.error = d->write_error;
	if (ws.error) {
		log_warnx("%" PRIu64 " records could not be written: %s", ws.write_lost,
			  strerror(-ws.error));
		rc = 1;
	}
	for (i = 0; i < d->nrings; i++) {
		ident_stats(d->ident[i], &p, &u);
		proc_lookups += p;
		unknown += u;
	}
	if (d->malformed || unknown)
		log_warnx("%" PRIu64 " malformed ring records skipped; %" PRIu64
			  " processes looked up in /proc, %" PRIu64 " without an exe",
			  d->malformed, proc_lookups, unknown);
	log_info("stopped: %" PRIu64 " records, %" PRIu64 " lost", d->delivered, lost);
	return rc;
}

int main(int argc, char **argv)
{
	static struct daemon d;
	const char *dir = DEFAULT_CONF_DIR;
	struct capture_opts co;
	int foreground = 0, verbose = 0, explicit_dir = 0, test = 0, ch, err, rc;
	unsigned int i;

	while ((ch = getopt(argc, argv, "fvtc:h")) != -1) {
		switch (ch) {
		case 't':
			test = 1;
			break;
		case 'f':
			foreground = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'c':
			dir = optarg;
			explicit_dir = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	log_init(1, verbose);
	d.conf_dir = dir;
	d.explicit_dir = explicit_dir;
	if (load_conf_soft(&d.conf, dir, explicit_dir))
		exit(1);
	if (test)
		exit(rules_load_print(dir) ? 1 : 0);
	if (geteuid() != 0)
		fatalx("must run as root: loading eBPF programs needs CAP_BPF and CAP_PERFMON");
	if (!foreground) {
		/*
		 * The writer's threads would not survive the fork: the log is opened
		 * once before it only so that a bad one is reported on the terminal.
		 */
		struct conf probe = d.conf;
		struct text_opts to = {0};
		struct writer *w;

		probe.compress_logs = 0;
		w = writer_open(&probe, &to);
		if (!w)
			fatal("%s", d.conf.log_file);
		writer_close(w);
		if (daemon(0, 0))
			fatal("daemon");
		log_init(0, verbose);
	}
	install_signals(&d);
	d.w = open_writer(&d, 0);
	if (!d.w)
		fatal("%s", d.conf.log_file);
	co.ring_bytes = d.conf.ring_buffer_kb * 1024;
	co.wakeup_percent = d.conf.wakeup_percent;
	co.argv_bytes = 0; /* all of it: argv_max applies to the EXECVE records */
	d.cap = capture_open(&co, NULL, NULL);
	if (!d.cap)
		fatal("loading the eBPF programs");
	d.nrings = capture_rings(d.cap);
	d.ident = calloc(d.nrings, sizeof(*d.ident));
	if (!d.ident)
		fatal("ident cache");
	for (i = 0; i < d.nrings; i++) {
		d.ident[i] = ident_new();
		if (!d.ident[i])
			fatal("ident cache");
	}
	err = capture_attach(d.cap);
	if (err) {
		errno = -err;
		fatal("attaching the eBPF programs");
	}
	d.boot_to_real = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
	put_start(&d);
	consumers_start(&d);
	log_info("capturing; logging to %s; %u consumer threads", d.conf.log_file, d.nconsumers);
	run(&d);
	rc = shutdown_capture(&d);
	writer_close(d.w);
	for (i = 0; i < d.nrings; i++)
		ident_free(d.ident[i]);
	free(d.ident);
	capture_close(d.cap);
	return rc;
}
