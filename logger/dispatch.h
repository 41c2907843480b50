/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The plugin dispatcher, as auditd's: the programs of plugin_dir's files
 * (auditd-plugins(5)) get every record the log gets on their standard input,
 * as text lines (format = string, with the EOE record after each syscall event)
 * or as auditd's struct audit_dispatcher_header and message (format = binary).
 * Each plugin has a queue of q_depth events and a thread that writes it; with
 * disp_qos = lossless a full queue makes the encoding thread wait, with lossy
 * the events are counted lost for that plugin and overflow_action is carried out.
 */
#ifndef LAUDITD_LOGGER_DISPATCH_H
#define LAUDITD_LOGGER_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"
#include "formats/record.h"

struct dispatch;
struct dispatch_src;

/*
 * dispatch_open() - read the plugin files of @c's plugin_dir (DIR/plugins.d of
 * @conf_dir when not set), refusing those auditd refuses, and start the active ones.
 * Return: the dispatcher, also with no plugin active (a reload may start some).
 */
struct dispatch *dispatch_open(const struct conf *c, const char *conf_dir);

/*
 * dispatch_reload() - SIGHUP, as auditd's: take q_depth, overflow_action,
 * max_restarts and disp_qos from @c and read plugin_dir again.  A plugin whose
 * file is new or became active is started; one whose file is gone or inactive
 * gets what was queued to it, its stdin closed and SIGTERM; one whose file or
 * program changed is stopped so and started again; the others are resumed when
 * suspended and get SIGHUP.  Daemon thread, producers paused.
 */
void dispatch_reload(struct dispatch *d, const struct conf *c);

/*
 * dispatch_stopping() - the daemon stops: from now on a producer waits at most
 * 10 seconds for a full queue (lossless), then counts the events lost.
 */
void dispatch_stopping(struct dispatch *d);

/*
 * dispatch_close() - hand every queued event to its plugin (10 seconds at
 * most), close their standard input, give them 5 seconds to exit, then SIGTERM.
 * Accepts NULL.
 */
void dispatch_close(struct dispatch *d);

/* dispatch_reap() - reap the plugins that exited (SIGCHLD, daemon's thread); accepts NULL. */
void dispatch_reap(struct dispatch *d);

/*
 * dispatch_report() - call @put with the fields of a DAEMON_ERR record for each
 * plugin that lost events since the last call.  Accepts NULL.
 */
void dispatch_report(struct dispatch *d, void (*put)(void *arg, const char *fields), void *arg);

/*
 * dispatch_src_new() - a producer (one per writer source, used by one thread).
 * Return: the producer, or NULL with errno set.  @d NULL: NULL, errno 0.
 */
struct dispatch_src *dispatch_src_new(struct dispatch *d);

/* dispatch_src_free() - accepts NULL. */
void dispatch_src_free(struct dispatch_src *s);

/*
 * dispatch_put() - add a record to the producer's batch.
 * @r: the record, with its serial; @text, @len: its text as the log has it, or
 * NULL to have it encoded here with @o (a BINARY or write_logs = no log).
 * Return: 0, or a negative errno (the record is not dispatched).
 */
int dispatch_put(struct dispatch_src *s, const struct log_record *r, const char *text, size_t len,
		 const struct text_opts *o);

/*
 * dispatch_end() - queue the batch to every plugin; with lossless, waits while
 * a plugin's queue is full.
 */
void dispatch_end(struct dispatch_src *s);

/*
 * dispatch_node_name() - the node= name name_format asks for (hostname, fqd,
 * numeric, user) into @buf.  Return: 1 with a name, 0 for none, or a negative errno.
 */
int dispatch_node_name(const struct conf *c, char *buf, size_t size);

#endif /* LAUDITD_LOGGER_DISPATCH_H */
