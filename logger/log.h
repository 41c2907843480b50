/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Diagnostics, in OpenBSD ntpd's shape: to stderr in the foreground, else to syslog;
 * to both when the foreground's stderr is neither a terminal nor the journal.
 */
#ifndef LAUDITD_LOGGER_LOG_H
#define LAUDITD_LOGGER_LOG_H

#include <stdarg.h>

/*
 * log_init() - @foreground: write to stderr, and to syslog as well when stderr is
 * neither a terminal nor systemd's journal; else syslog.  @verbose: also debug lines.
 */
void log_init(int foreground, int verbose);
/* log_verbose() - the verbosity log_init() set. */
int log_verbose(void);
/* log_warn() - a warning with strerror(errno) appended. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* log_warnx() - a warning as given. */
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* log_info() - an informational line. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* log_debug() - a line shown only when verbose. */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* fatal() - log with strerror(errno) appended, then exit(1). */
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* fatalx() - log as given, then exit(1). */
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* vlog() - the common path: @pri is a syslog priority. */
void vlog(int pri, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#endif /* LAUDITD_LOGGER_LOG_H */
