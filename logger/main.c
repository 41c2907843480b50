/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lauditd: capture the audited syscalls with eBPF and write them as auditd's
 * log.  Every record the programs make is either written or counted as lost,
 * and the losses are written into the log.
 *
 * The program's entry point: options, the configuration, signals, the daemon's
 * own records, and the main thread's loop (logger/README.md draws the rest).
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

#include "conf/conf.h"
#include "logger/action.h"
#include "logger/capture.h"
#include "logger/consumer.h"
#include "logger/control.h"
#include "logger/daemon.h"
#include "logger/dispatch.h"
#include "logger/ident.h"
#include "logger/log.h"
#include "logger/names.h"
#include "logger/priority.h"
#include "logger/rules_apply.h"
#include "logger/rules_load.h"
#include "logger/ruleset.h"
#include "logger/service.h"
#include "logger/writer.h"

#define LAUDITD_VERSION	 "0.1.0"
#define DEFAULT_CONF_DIR "/etc/lauditd"

static volatile sig_atomic_t got_stop, got_rotate, got_resume, got_reload, got_child;
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
	case SIGCHLD:
		got_child = 1;
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
		"  -c  read config_dir/lauditd.conf, or its auditd.conf, and its rules\n"
		"      (default " DEFAULT_CONF_DIR ")\n");
	exit(2);
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
	char path[CONF_PATH_MAX + 32], msg[CONF_PATH_MAX + 64];
	struct conf_error err;
	struct stat sb;
	char *buf = NULL;
	ssize_t n;
	int fd, rc = -1;

	conf_defaults(c);
	/* 0 unless the file sets it: the ring's size is then the rules' -b's (ring_kb()) */
	c->ring_buffer_kb = 0;
	snprintf(path, sizeof(path), "%s/lauditd.conf", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT) {
		/* a directory of auditd's, as /etc/audit: its auditd.conf */
		snprintf(path, sizeof(path), "%s/auditd.conf", dir);
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0 && errno == ENOENT)
			snprintf(path, sizeof(path), "%s/lauditd.conf", dir);
	}
	if (fd < 0) {
		if (errno == ENOENT && !explicit_dir) {
			log_info("no %s: using the built-in defaults", path);
			return 0;
		}
		log_warn("%s", path);
		return -1;
	}
	if (rules_load_check_file(fd, path, msg, sizeof(msg))) {
		log_warnx("%s", msg);
		goto out;
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

/* The per-CPU ring's KiB: lauditd.conf's ring_buffer_kb, else what the rules' -b asks for */
static unsigned int ring_kb(const struct conf *c)
{
	struct conf dflt;

	if (c->ring_buffer_kb)
		return c->ring_buffer_kb;
	conf_defaults(&dflt);
	return ruleset_ring_kb(dflt.ring_buffer_kb);
}

void daemon_put(struct daemon *d, const char *type, const char *fields)
{
	struct log_record r = {.kind = LOG_REC_DAEMON, .type = type, .fields = fields};

	daemon_stamp(d, daemon_clock_ns(CLOCK_BOOTTIME), &r.stamp);
	if (writer_begin(d->ctl, 1) || writer_put(d->ctl, &r))
		log_warnx("could not log %s", type);
	writer_end(d->ctl, 1);
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
	to.node = d->node[0] ? d->node : NULL;
	w = writer_open(&d->conf, &to);
	if (!w)
		return NULL;
	writer_set_dispatch(w, d->disp);
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

/* name_format's node= name, for the log and the plugins */
static void set_node(struct daemon *d)
{
	if (dispatch_node_name(&d->conf, d->node, sizeof(d->node)) <= 0)
		d->node[0] = '\0';
}

/* A plugin's lost events, in the log (dispatch_report()). */
static void put_dispatch_lost(void *arg, const char *fields)
{
	daemon_put(arg, "DAEMON_ERR", fields);
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
	c.ring_buffer_kb = ring_kb(&c);
	if (c.ring_buffer_kb != d->conf.ring_buffer_kb ||
	    c.wakeup_percent != d->conf.wakeup_percent)
		log_warnx("reload: ring_buffer_kb and wakeup_percent take effect at restart");
	if (c.cache_filter != d->conf.cache_filter || c.cache_size != d->conf.cache_size ||
	    memcmp(c.cache_exempt, d->conf.cache_exempt, sizeof(c.cache_exempt)))
		log_warnx("reload: cache_filter, cache_size and cache_filter_exempt take effect at "
			  "restart");
	consumers_stop(d, CONSUMERS_PAUSE);
	writer_stats(d->w, &ws);
	close_writer(d);
	d->conf = c;
	set_node(d);
	dispatch_reload(d->disp, &c);
	d->w = open_writer(d, ws.serial);
	if (!d->w)
		fatal("reload: %s", d->conf.log_file);
	snprintf(fields, sizeof(fields),
		 "op=reconfigure state=changed auid=4294967295 pid=%d uid=%d res=success",
		 (int)sig_pid, (int)sig_uid);
	daemon_put(d, "DAEMON_CONFIG", fields);
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
	daemon_put(d, "DAEMON_START", fields);
}

static void put_end(struct daemon *d, uint64_t lost)
{
	char fields[512], merged[40] = "";

	/* the cache filter's syscalls that have no record of their own */
	if (capture_cache_on(d->cap))
		snprintf(merged, sizeof(merged), " merged=%" PRIu64, consumers_merged(d));
	snprintf(fields, sizeof(fields),
		 "op=terminate auid=4294967295 pid=%d uid=%d ses=4294967295 res=success"
		 " records=%" PRIu64 " lost=%" PRIu64 "%s",
		 (int)sig_pid, (int)sig_uid, d->delivered, lost, merged);
	daemon_put(d, "DAEMON_END", fields);
}

/*
 * The daemon's signals are blocked in every thread (the threads started later
 * inherit it); this one takes them while it waits in run(), so that a signal is
 * never missed between a check of the flags and the wait.  SIGCHLD: an action's
 * program ended (action.c), not a stop.
 */
static void install_signals(struct daemon *d)
{
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGCHLD};
	struct sigaction sa;
	sigset_t set;
	unsigned int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_NOCLDSTOP;
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

/*
 * The cache filter's records wait at most cache_flush_interval: those that no
 * syscall sent meanwhile are sent once a second, when they are older than the
 * interval less the second to the next tick.
 */
static void cache_tick(struct daemon *d)
{
	uint64_t now = daemon_clock_ns(CLOCK_BOOTTIME),
		 wait = (d->conf.cache_flush_interval - 1) * 1000000000ULL;
	int err;

	/* the programs' setting: a reload changes the filter at the next start only */
	if (!capture_cache_on(d->cap) || now < wait)
		return;
	err = capture_cache_flush(d->cap, now - wait);
	if (err)
		log_warnx("sending the cached records: %s", strerror(-err));
}

/* The daemon's thread: signals, action programs that ended, and once a second the loss counters. */
static void run(struct daemon *d)
{
	const struct timespec second = {.tv_sec = 1};
	struct pollfd ctl = {.fd = control_fd(), .events = POLLIN};
	int64_t last_tick = -1, now;

	while (!got_stop) {
		now = daemon_clock_ns(CLOCK_MONOTONIC) / 1000000000;
		if (now != last_tick) {
			last_tick = now;
			__atomic_store_n(&d->boot_to_real,
					 daemon_clock_ns(CLOCK_REALTIME) -
						 daemon_clock_ns(CLOCK_BOOTTIME),
					 __ATOMIC_RELAXED);
			cache_tick(d);
			ruleset_lost(d, consumers_report_losses(d));
			dispatch_report(d->disp, put_dispatch_lost, d);
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
		if (got_child) {
			got_child = 0;
			action_reap();
			dispatch_reap(d->disp);
		}
		if (!got_stop && ppoll(&ctl, 1, &second, &d->waitmask) > 0 && ctl.revents)
			control_serve(d);
	}
}

/* Stop making records, write every one still in the rings, then the totals. */
static int shutdown_capture(struct daemon *d)
{
	struct writer_stats ws;
	uint64_t lost, proc_lookups = 0, unknown = 0, p, u;
	unsigned int i;
	int err, ok, rc = 0;

	err = capture_stop(d->cap);
	if (err)
		log_warnx("stopping capture: %s", strerror(-err));
	err = capture_cache_flush(d->cap, UINT64_MAX);
	if (err)
		log_warnx("sending the cached records: %s", strerror(-err));
	dispatch_stopping(d->disp);
	consumers_stop(d, CONSUMERS_DRAIN);
	lost = consumers_account(d, &ok);
	if (!ok)
		rc = 1;
	dispatch_report(d->disp, put_dispatch_lost, d);
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
	{
		char why[256];

		if (service_check_bpf(why, sizeof(why)))
			fatalx("cannot load the eBPF programs: %s", why);
	}
	if (ruleset_load(&d))
		exit(1);
	d.conf.ring_buffer_kb = ring_kb(&d.conf);
	if (control_open(&d))
		exit(1);
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
	err = service_pidfile_write(SERVICE_PIDFILE);
	if (err)
		log_warnx("%s: %s", SERVICE_PIDFILE, strerror(-err));
	install_signals(&d);
	priority_boost(d.conf.priority_boost);
	set_node(&d);
	d.disp = dispatch_open(&d.conf, dir);
	d.w = open_writer(&d, 0);
	if (!d.w)
		fatal("%s", d.conf.log_file);
	co.ring_bytes = d.conf.ring_buffer_kb * 1024;
	co.wakeup_percent = d.conf.wakeup_percent;
	co.argv_bytes = 0; /* all of it: argv_max applies to the EXECVE records */
	co.cache_size = d.conf.cache_filter ? d.conf.cache_size : 0;
	co.cache_interval_ns = d.conf.cache_flush_interval * 1000000000ULL;
	co.cache_exempt = d.conf.cache_exempt;
	d.cap = capture_open(&co, NULL, NULL);
	if (!d.cap)
		fatal("loading the eBPF programs");
	dispatch_exclude(d.disp, d.cap);
	d.nrings = capture_rings(d.cap);
	d.ident = calloc(d.nrings, sizeof(*d.ident));
	if (!d.ident)
		fatal("ident cache");
	for (i = 0; i < d.nrings; i++) {
		d.ident[i] = ident_new();
		if (!d.ident[i])
			fatal("ident cache");
	}
	err = rules_apply_to(d.cap);
	if (err) {
		errno = -err;
		fatal("loading the audit rules into the eBPF maps");
	}
	err = capture_attach(d.cap);
	if (err) {
		errno = -err;
		fatal("attaching the eBPF programs");
	}
	d.boot_to_real = daemon_clock_ns(CLOCK_REALTIME) - daemon_clock_ns(CLOCK_BOOTTIME);
	put_start(&d);
	consumers_start(&d);
	log_info("capturing; logging to %s; %u consumer threads; rings of %u KiB per CPU",
		 d.conf.log_file, d.nconsumers, d.conf.ring_buffer_kb);
	service_notify("READY=1");
	run(&d);
	service_notify("STOPPING=1");
	control_close();
	rules_apply_to(NULL);
	rc = shutdown_capture(&d);
	writer_close(d.w);
	dispatch_close(d.disp);
	ruleset_free();
	/* an action's program still running is left to init when the daemon exits */
	action_reap();
	for (i = 0; i < d.nrings; i++)
		ident_free(d.ident[i]);
	free(d.ident);
	capture_close(d.cap);
	service_pidfile_remove(SERVICE_PIDFILE);
	return rc;
}
