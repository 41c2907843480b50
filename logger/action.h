/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The programs lauditd starts for its actions (EXEC, SINGLE, HALT), not waited
 * for, as auditd runs them: their pids are kept, and the daemon's thread reaps
 * exactly those when SIGCHLD comes, never another child of the process.
 */
#ifndef LAUDITD_LOGGER_ACTION_H
#define LAUDITD_LOGGER_ACTION_H

#include <sys/types.h>

/*
 * action_spawn() - start @argv[0] (an absolute path) with @argv, the daemon's
 * environment, no signal blocked and SIGPIPE at its default, and keep its pid
 * for action_reap().  Any thread.
 * Return: the child's pid, or a negative errno (said in the log).
 */
pid_t action_spawn(char *const argv[]);

/*
 * action_reap() - reap the kept children that have exited, logging how each
 * ended when it failed.  Called by the thread that takes SIGCHLD.
 * Return: the children still running.
 */
unsigned int action_reap(void);

#endif /* LAUDITD_LOGGER_ACTION_H */
