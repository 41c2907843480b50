/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The rules of a configuration directory, read as auditd reads its own: the files
 * DIR/rules.d/NAME.rules joined as augenrules joins them, or DIR/audit.rules when rules.d holds no rule file.
 */
#ifndef LAUDITD_LOGGER_RULES_LOAD_H
#define LAUDITD_LOGGER_RULES_LOAD_H

#include <stddef.h>

#include "conf/rules.h"

/*
 * rules_load_env() - this machine as the rules see it: stat(2) for watched paths,
 * getpwnam(3) and getgrnam(3) for user and group names.
 */
const struct rules_env *rules_load_env(void);

/*
 * rules_load_check_file() - refuse a configuration file that is not a regular file owned
 * by root, or that group or others can write (as auditd refuses them).
 * @fd: the file, open.
 * @path: its name, for @msg.
 * @msg, @size: filled with the reason when the file is refused.
 *
 * Return: 0, -EPERM (refused), or the negative errno of fstat.
 */
int rules_load_check_file(int fd, const char *path, char *msg, size_t size);

/*
 * rules_load() - read the rules of @dir into @s (which holds rules_set_init's empty set).
 * The files of DIR/rules.d whose name ends in ".rules" are read in the order of
 * `ls -v` (versionsort), as augenrules does, and joined its way: comments and blank lines
 * dropped, the last "-D" first, then the last -b and -f, the other lines in order, the
 * last -e at the end. Without such files, DIR/audit.rules is read as it is. Neither: no
 * rules.
 * @report: called with each refused line, each warning, and a refused or unreadable file
 * (line 0); may be NULL.
 * @arg: passed to @report.
 *
 * Return: 0; -EINVAL if a line was refused (see rules_verdict for what auditctl would do);
 * -EPERM if a file was refused; -ENOMEM or the negative errno of reading a file.
 */
int rules_load(const char *dir, struct rules_set *s,
	       void (*report)(const struct rules_error *e, void *arg), void *arg);

/*
 * rules_load_print() - `lauditd -t`: load the rules of @dir, print them as `auditctl -l`
 * does to stdout, the errors and warnings to stderr ("FILE:LINE:COLUMN: message").
 *
 * Return: 0, or -1 if a file was refused or auditctl -R would fail on these rules.
 */
int rules_load_print(const char *dir);

#endif /* LAUDITD_LOGGER_RULES_LOAD_H */
