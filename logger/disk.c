/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The disk actions of auditd.conf: space_left and admin_space_left as free
 * space falls past them, disk_full_action and disk_error_action when a write
 * fails; SUSPEND stops writing until writer_resume() (SIGUSR2).
 */
#include <errno.h>
#include <string.h>
#include <sys/statvfs.h>

#include "logger/action.h"
#include "logger/log.h"
#include "logger/writer_impl.h"

/*
 * Carry out a disk action.  @what names the condition for the messages.
 * Return: nonzero when writing must stop (SUSPEND, and SINGLE and HALT, which
 * also take the system down as auditd does).
 */
int disk_action(struct writer *w, const struct conf_action *a, const char *what)
{
	switch (a->action) {
	case CONF_DISK_IGNORE:
		return 0;
	case CONF_DISK_SYSLOG:
		log_warnx("%s: %s", w->conf.log_file, what);
		return 0;
	case CONF_DISK_EMAIL:
		log_warnx("%s: %s (EMAIL: no mail is sent, the warning is logged)",
			  w->conf.log_file, what);
		return 0;
	case CONF_DISK_ROTATE:
		/* the writer thread switches files after the batch in hand */
		log_warnx("%s: %s, rotating", w->conf.log_file, what);
		__atomic_store_n(&w->rot.req, 1, __ATOMIC_RELEASE);
		return 0;
	case CONF_DISK_EXEC: {
		char *argv[] = {(char *)a->exec, NULL};

		log_warnx("%s: %s, running %s", w->conf.log_file, what, a->exec);
		action_spawn(argv);
		return 0;
	}
	case CONF_DISK_SUSPEND:
		log_warnx("%s: %s, writing suspended (SIGUSR2 resumes)", w->conf.log_file, what);
		return 1;
	case CONF_DISK_SINGLE: {
		char *argv[] = {"/sbin/init", "1", NULL};

		log_warnx("%s: %s, switching to single user mode", w->conf.log_file, what);
		action_spawn(argv);
		return 1;
	}
	case CONF_DISK_HALT: {
		char *argv[] = {"/sbin/init", "0", NULL};

		log_warnx("%s: %s, halting the system", w->conf.log_file, what);
		action_spawn(argv);
		return 1;
	}
	}
	return 0;
}

static uint64_t disk_threshold(unsigned int value, int percent, const struct statvfs *sv)
{
	if (percent)
		return (uint64_t)sv->f_blocks * sv->f_frsize / 100 * value;
	return (uint64_t)value * 1024 * 1024;
}

/* space_left and admin_space_left, each acted on once as free space falls past it. */
int disk_check_space(struct writer *w)
{
	struct statvfs sv;
	uint64_t avail;
	int state = 0, stop = 0;

	if (fstatvfs(w->file.fd, &sv))
		return 0;
	avail = (uint64_t)sv.f_bavail * sv.f_frsize;
	if (avail < disk_threshold(w->conf.admin_space_left, w->conf.admin_space_left_percent, &sv))
		state = 2;
	else if (avail < disk_threshold(w->conf.space_left, w->conf.space_left_percent, &sv))
		state = 1;
	if (state > w->space_state) {
		if (state == 1)
			stop = disk_action(w, &w->conf.space_left_action,
					   "free space below space_left");
		else
			stop = disk_action(w, &w->conf.admin_space_left_action,
					   "free space below admin_space_left");
	}
	w->space_state = state;
	return stop;
}

void writer_resume(struct writer *w)
{
	writer_wait_all(w, 0);
	pthread_mutex_lock(&w->lock);
	if (w->st.suspended)
		log_info("%s: writing resumed", w->conf.log_file);
	w->st.suspended = 0;
	/* what was dropped meanwhile leaves the layout to be redone */
	w->resume_req = 1;
	pthread_cond_signal(&w->wcond);
	pthread_mutex_unlock(&w->lock);
}
