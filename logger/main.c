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
#include "formats/event.h"
#include "logger/capture.h"
#include "logger/ident.h"
#include "logger/log.h"
#include "logger/names.h"
#include "logger/writer.h"

#define LAUDITD_VERSION	 "0.1.0"
#define DEFAULT_CONF_DIR "/etc/lauditd"

struct daemon {
	struct conf conf;
	const char *conf_dir;
	int explicit_dir;
	struct capture *cap;
	struct writer *w;
	struct ident_cache *ident;
	int64_t boot_to_real; /* CLOCK_REALTIME - CLOCK_BOOTTIME, ns */
	uint64_t serial;
	uint64_t delivered;
	uint64_t malformed;
	uint64_t now;			  /* CLOCK_MONOTONIC seconds */
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
	fprintf(stderr, "usage: lauditd [-f] [-v] [-c config_dir]\n"
			"  -f  stay in the foreground, diagnostics to stderr\n"
			"  -v  verbose diagnostics\n"
			"  -c  read config_dir/lauditd.conf (default " DEFAULT_CONF_DIR ")\n");
	exit(2);
}

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void stamp_of(struct daemon *d, uint64_t boot_ns, struct text_stamp *st)
{
	uint64_t real = boot_ns + d->boot_to_real;

	st->sec = real / 1000000000;
	st->msec = real % 1000000000 / 1000000;
	st->serial = ++d->serial;
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

static void put_daemon(struct daemon *d, const char *type, const char *fields)
{
	struct log_record r = {.kind = LOG_REC_DAEMON, .type = type, .fields = fields};

	stamp_of(d, clock_ns(CLOCK_BOOTTIME), &r.stamp);
	if (writer_put(d->w, &r))
		log_warnx("could not log %s", type);
}

static int on_record(void *arg, const struct la_event *ev, size_t len)
{
	struct daemon *d = arg;
	struct log_record r = {.kind = LOG_REC_EVENT, .ev = ev};

	if (event_check(ev, len)) {
		d->malformed++;
		return 0;
	}
	d->delivered++;
	ident_resolve(d->ident, ev, d->now, &r.ident);
	stamp_of(d, ev->ts_enter, &r.stamp);
	writer_put(d->w, &r);
	return 0;
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

static void on_rotated(void *arg)
{
	struct daemon *d = arg;
	char fields[128];

	snprintf(fields, sizeof(fields), "op=rotate-logs auid=4294967295 pid=%d res=success",
		 getpid());
	put_daemon(d, "DAEMON_ROTATE", fields);
}

static struct writer *open_writer(struct daemon *d)
{
	struct text_opts to = {0};
	struct writer *w;

	to.enriched = d->conf.log_format == CONF_FMT_ENRICHED;
	to.id_name = names_lookup;
	w = writer_open(&d->conf, &to);
	if (w)
		writer_set_rotate_fn(w, on_rotated, d);
	return w;
}

/*
 * SIGHUP: read the configuration again; a bad one is reported and the running
 * one kept.  The writer is reopened on the new settings between two polls, so
 * the records meanwhile wait in the rings.  Ring settings need a restart.
 */
static void reload(struct daemon *d)
{
	struct conf c;
	char fields[256];
	struct writer *w;

	if (load_conf_soft(&c, d->conf_dir, d->explicit_dir)) {
		log_warnx("reload: keeping the running configuration");
		return;
	}
	if (c.ring_buffer_kb != d->conf.ring_buffer_kb ||
	    c.wakeup_percent != d->conf.wakeup_percent)
		log_warnx("reload: ring_buffer_kb and wakeup_percent take effect at restart");
	writer_flush(d->w);
	writer_close(d->w);
	d->conf = c;
	names_clear();
	w = open_writer(d);
	if (!w)
		fatal("reload: %s", d->conf.log_file);
	d->w = w;
	snprintf(fields, sizeof(fields),
		 "op=reconfigure state=changed auid=4294967295 pid=%d uid=%d res=success",
		 (int)sig_pid, (int)sig_uid);
	put_daemon(d, "DAEMON_CONFIG", fields);
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

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO; /* no SA_RESTART: the poll returns at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void run(struct daemon *d)
{
	int64_t last_tick = 0;
	int n;

	while (!got_stop) {
		n = capture_poll(d->cap, d->conf.poll_interval_ms);
		if (n < 0 && n != -EINTR)
			fatalx("reading the rings: %s", strerror(-n));
		d->now = clock_ns(CLOCK_MONOTONIC) / 1000000000;
		if ((int64_t)d->now != last_tick) {
			last_tick = d->now;
			d->boot_to_real = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
			report_losses(d);
			ident_sweep(d->ident, d->now > 60 ? d->now - 60 : 0);
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
		writer_flush(d->w);
	}
}

/* Stop making records, write every one still in the rings, then the totals. */
static int shutdown_capture(struct daemon *d)
{
	struct writer_stats ws;
	uint64_t made = 0, lost = 0, proc_lookups, unknown;
	int nr, err, rc = 0;

	err = capture_stop(d->cap);
	if (err)
		log_warnx("stopping capture: %s", strerror(-err));
	err = capture_drain(d->cap);
	if (err < 0)
		log_warnx("draining the rings: %s", strerror(-err));
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
	if (ws.error) {
		log_warnx("%" PRIu64 " records could not be written: %s", ws.write_lost,
			  strerror(-ws.error));
		rc = 1;
	}
	ident_stats(d->ident, &proc_lookups, &unknown);
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
	int foreground = 0, verbose = 0, explicit_dir = 0, ch, err, rc;

	while ((ch = getopt(argc, argv, "fvc:h")) != -1) {
		switch (ch) {
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
	if (geteuid() != 0)
		fatalx("must run as root: loading eBPF programs needs CAP_BPF and CAP_PERFMON");
	d.w = open_writer(&d);
	if (!d.w)
		fatal("%s", d.conf.log_file);
	if (!foreground) {
		if (daemon(0, 0))
			fatal("daemon");
		log_init(0, verbose);
	}
	install_signals();
	d.ident = ident_new();
	if (!d.ident)
		fatal("ident cache");
	co.ring_bytes = d.conf.ring_buffer_kb * 1024;
	co.wakeup_percent = d.conf.wakeup_percent;
	co.argv_bytes = 0; /* all of it: argv_max applies to the EXECVE records */
	d.cap = capture_open(&co, on_record, &d);
	if (!d.cap)
		fatal("loading the eBPF programs");
	err = capture_attach(d.cap);
	if (err) {
		errno = -err;
		fatal("attaching the eBPF programs");
	}
	d.boot_to_real = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
	d.now = clock_ns(CLOCK_MONOTONIC) / 1000000000;
	put_start(&d);
	writer_flush(d.w);
	log_info("capturing; logging to %s", d.conf.log_file);
	run(&d);
	rc = shutdown_capture(&d);
	writer_close(d.w);
	ident_free(d.ident);
	capture_close(d.cap);
	return rc;
}
