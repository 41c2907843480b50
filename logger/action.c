/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "logger/action.h"
#include "logger/log.h"

extern char **environ;

/* A child started for an action, until it is reaped. */
struct action_child {
	pid_t pid;
	char *name;
	struct action_child *next;
};

/* The writer thread starts children, the daemon's thread reaps them. */
static pthread_mutex_t action_lock = PTHREAD_MUTEX_INITIALIZER;
static struct action_child *action_children;

pid_t action_spawn(char *const argv[])
{
	struct action_child *c;
	posix_spawnattr_t attr;
	sigset_t none, pipe;
	pid_t pid;
	int err;

	c = calloc(1, sizeof(*c));
	if (c)
		c->name = strdup(argv[0]);
	if (!c || !c->name) {
		free(c);
		log_warn("running %s", argv[0]);
		return -ENOMEM;
	}
	sigemptyset(&none);
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &pipe);
	/* held across the spawn: a reap that follows the child's SIGCHLD finds its pid */
	pthread_mutex_lock(&action_lock);
	err = posix_spawn(&pid, argv[0], NULL, &attr, argv, environ);
	if (!err) {
		c->pid = pid;
		c->next = action_children;
		action_children = c;
	}
	pthread_mutex_unlock(&action_lock);
	posix_spawnattr_destroy(&attr);
	if (err) {
		free(c->name);
		free(c);
		errno = err;
		log_warn("running %s", argv[0]);
		return -err;
	}
	return pid;
}

unsigned int action_reap(void)
{
	struct action_child **pp, *c;
	unsigned int running = 0;
	int status;
	pid_t r;

	pthread_mutex_lock(&action_lock);
	for (pp = &action_children; (c = *pp);) {
		r = waitpid(c->pid, &status, WNOHANG);
		if (r == 0 || (r < 0 && errno == EINTR)) {
			running++;
			pp = &c->next;
			continue;
		}
		if (r > 0 && WIFEXITED(status) && WEXITSTATUS(status))
			log_warnx("%s exited with status %d", c->name, WEXITSTATUS(status));
		else if (r > 0 && WIFSIGNALED(status))
			log_warnx("%s was killed by signal %d", c->name, WTERMSIG(status));
		*pp = c->next;
		free(c->name);
		free(c);
	}
	pthread_mutex_unlock(&action_lock);
	return running;
}
