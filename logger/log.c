/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "logger/log.h"

static int log_to_stderr = 1;
static int log_to_syslog;
static int log_level_verbose;

/* stderr is systemd's journal stream ($JOURNAL_STREAM is its "device:inode"). */
static int stderr_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat sb;

	if (!e || sscanf(e, "%llu:%llu", &dev, &ino) != 2 || fstat(STDERR_FILENO, &sb))
		return 0;
	return sb.st_dev == dev && sb.st_ino == ino;
}

void log_init(int foreground, int verbose)
{
	int to_syslog;

	log_to_stderr = foreground;
	log_level_verbose = verbose;
	/* nobody may read a stderr that is neither a terminal nor the journal */
	to_syslog = !foreground || (!isatty(STDERR_FILENO) && !stderr_is_journal());
	if (to_syslog && !log_to_syslog)
		openlog("lauditd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	log_to_syslog = to_syslog;
}

int log_verbose(void)
{
	return log_level_verbose;
}

void vlog(int pri, const char *fmt, va_list ap)
{
	va_list copy;

	if (log_to_syslog) {
		va_copy(copy, ap);
		vsyslog(pri, fmt, copy);
		va_end(copy);
	}
	if (log_to_stderr) {
		fputs("lauditd: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		fflush(stderr);
	}
}

static void vlog_errno(int pri, int saved, const char *fmt, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (log_to_syslog)
		syslog(pri, "%s: %s", buf, strerror(saved));
	if (log_to_stderr)
		fprintf(stderr, "lauditd: %s: %s\n", buf, strerror(saved));
}

void log_warn(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vlog_errno(LOG_WARNING, saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_level_verbose)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vlog_errno(LOG_CRIT, saved, fmt, ap);
	va_end(ap);
	exit(1);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}
