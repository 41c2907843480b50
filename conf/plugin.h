/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A plugin file of plugins.d, as auditd reads it (auditd-plugins(5)): "key = value"
 * lines, keys active, direction, path, type, args and format.  Pure parser.
 */
#ifndef LAUDITD_CONF_PLUGIN_H
#define LAUDITD_CONF_PLUGIN_H

#include <stddef.h>

#include "conf/conf.h"

/* Arguments after the program's name: auditd 3.0.9 takes a value and one option. */
#define PLUGIN_ARGS_MAX 2
#define PLUGIN_ARG_LEN	256

enum plugin_type {
	PLUGIN_ALWAYS,	/* a program started with the daemon, restarted when it dies */
	PLUGIN_BUILTIN, /* builtin_af_unix, or another builtin_ name */
};

enum plugin_format {
	PLUGIN_STRING, /* each record as a text line */
	PLUGIN_BINARY, /* struct audit_dispatcher_header, then the record */
};

struct plugin_conf {
	int active;
	enum plugin_type type;
	enum plugin_format format;
	char path[CONF_PATH_MAX]; /* "" when not given */
	char args[PLUGIN_ARGS_MAX][PLUGIN_ARG_LEN];
	unsigned int nargs;
};

/*
 * plugin_parse() - parse a plugin file into @p (defaults first: inactive,
 * type always, format string, no path, no argument).
 * @buf, @len: the file's bytes.
 * @err: the first error's line, column and message.
 *
 * Lines are split on blanks as auditd splits them: "key = value [option]";
 * keys and keywords are taken in any case.  An unknown key, a bad keyword, a
 * relative path, an option to a key other than args, or an active plugin
 * without a path is an error, and auditd skips such a file.
 *
 * Return: 0, or -EINVAL.
 */
int plugin_parse(const char *buf, size_t len, struct plugin_conf *p, struct conf_error *err);

#endif /* LAUDITD_CONF_PLUGIN_H */
