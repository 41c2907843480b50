/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The plugin dispatcher.  A producer (each writer source: the consumer threads
 * and the daemon's own records) collects its batch's records as text, each
 * syscall event followed by the EOE record auditd sends to plugins and not to
 * the log, and queues the batch, shared and counted, to every plugin; the
 * plugins' threads (plugin_proc.c) write the queues out.  SIGHUP reads the
 * plugin files again and starts, stops or restarts the plugins that changed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <arpa/inet.h>

#include "conf/rules_watch.h"
#include "logger/action.h"
#include "logger/capture.h"
#include "logger/dispatch_impl.h"
#include "logger/log.h"

struct dispatch_src {
	struct dispatch *d;
	char *data;
	size_t len, cap;
	uint32_t *ends;
	uint32_t events, ecap;
};

static void dispatch_take_conf(struct dispatch *d, const struct conf *c)
{
	d->q_depth = c->q_depth;
	d->overflow = c->overflow_action;
	d->max_restarts = c->max_restarts;
	d->lossless = c->disp_lossless;
}

/* The plugin_dir that @c names, or its default under the configuration directory. */
static void plugin_dir(const struct dispatch *d, const struct conf *c, char *dir, size_t size)
{
	if (c->plugin_dir[0])
		snprintf(dir, size, "%s", c->plugin_dir);
	else
		snprintf(dir, size, "%s/plugins.d", d->conf_dir);
}

static struct plugin *find_plugin(struct plugin *list, const char *name)
{
	for (; list; list = list->next)
		if (!strcmp(list->name, name))
			return list;
	return NULL;
}

/* Still the plugin that runs: the same file's settings, the same program (auditd's inode check). */
static int plugin_unchanged(const struct plugin *p, const struct plugin_conf *pc)
{
	struct stat sb;
	unsigned int i;

	if (p->pc.active != pc->active || p->pc.type != pc->type || p->pc.format != pc->format ||
	    strcmp(p->pc.path, pc->path) || p->pc.nargs != pc->nargs)
		return 0;
	for (i = 0; i < pc->nargs; i++)
		if (strcmp(p->pc.args[i], pc->args[i]))
			return 0;
	if (pc->type == PLUGIN_BUILTIN)
		return 1;
	return !stat(pc->path, &sb) && sb.st_ino == p->ino;
}

/*
 * Read plugin_dir: the running plugins whose file is unchanged are marked seen,
 * the others that are active are started, onto *@fresh.  Daemon thread.
 */
static void scan_plugins(struct dispatch *d, const char *dir, struct plugin **fresh)
{
	struct dirent **names = NULL;
	char path[2 * CONF_PATH_MAX];
	struct plugin_conf pc;
	struct plugin *p, *old;
	int i, n, err;

	n = scandir(dir, &names, plugin_name_ok, alphasort);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (plugin_load(path, &pc) || !pc.active)
			goto next;
		if (pc.type == PLUGIN_BUILTIN && strcmp(pc.path, "builtin_af_unix")) {
			log_warnx("%s: %s is not supported, skipped", path, pc.path);
			goto next;
		}
		old = find_plugin(d->plugins, names[i]->d_name);
		if (old && plugin_unchanged(old, &pc)) {
			old->seen = 1;
			goto next;
		}
		if (old)
			log_info("restarting plugin %s: its file or program changed", old->pc.path);
		p = plugin_new(d, names[i]->d_name, &pc);
		if (!p)
			fatal("plugin %s", path);
		err = plugin_start(p);
		if (err) {
			errno = -err;
			log_warn("running plugin %s, continuing without it", pc.path);
			plugin_free(p);
			goto next;
		}
		p->next = *fresh;
		*fresh = p;
	next:
		free(names[i]);
	}
	free(names);
}

/*
 * The plugins of a scan take the place of the running ones: those seen go on
 * (SIGHUP), the others are stopped (their threads write what is queued, close
 * the pipe and send SIGTERM), the fresh ones join.
 */
static void swap_plugins(struct dispatch *d, struct plugin *fresh, int hup)
{
	struct plugin *p, *next, **tail = &d->plugins;
	unsigned int n = 0;

	pthread_mutex_lock(&d->lock);
	for (p = d->plugins; p; p = next) {
		next = p->next;
		if (!p->seen) {
			if (!p->done)
				log_info("stopping plugin %s: its file changed or is gone",
					 p->pc.path);
			p->retire_by = now_s() + STOP_DRAIN_S;
			p->next = d->retired;
			d->retired = p;
			continue;
		}
		p->seen = 0;
		p->suspended = 0;
		p->warned = 0;
		if (hup && p->pid > 0)
			kill(p->pid, SIGHUP);
		*tail = p;
		tail = &p->next;
		n++;
	}
	*tail = fresh;
	for (p = fresh; p; p = p->next)
		n++;
	__atomic_store_n(&d->nplugins, n, __ATOMIC_RELAXED);
	pthread_cond_broadcast(&d->work);
	pthread_cond_broadcast(&d->space);
	pthread_mutex_unlock(&d->lock);
}

struct dispatch *dispatch_open(const struct conf *c, const char *conf_dir)
{
	char dir[CONF_PATH_MAX + 16];
	struct plugin *fresh = NULL;
	pthread_condattr_t ca;
	struct dispatch *d;

	d = calloc(1, sizeof(*d));
	if (!d)
		fatal("dispatcher");
	pthread_mutex_init(&d->lock, NULL);
	/* its waits end on CLOCK_MONOTONIC, now_s()'s clock */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&d->space, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&d->work, NULL);
	d->daemon = pthread_self();
	snprintf(d->conf_dir, sizeof(d->conf_dir), "%s", conf_dir);
	dispatch_take_conf(d, c);
	plugin_dir(d, c, dir, sizeof(dir));
	scan_plugins(d, dir, &fresh);
	swap_plugins(d, fresh, 0);
	if (!d->plugins)
		log_info("no active plugin in %s: not dispatching events", dir);
	return d;
}

/* The parent of process @pid from /proc/PID/stat, or -1. */
static pid_t dispatch_ppid(pid_t pid)
{
	char path[32], buf[512], *close_paren;
	ssize_t n;
	int fd, ppid;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	/* "pid (comm) state ppid": comm may hold spaces and parentheses */
	close_paren = strrchr(buf, ')');
	if (!close_paren || sscanf(close_paren + 1, " %*c %d", &ppid) != 1)
		return -1;
	return ppid;
}

/*
 * Leave out of capture what the plugins forked before capture began (the fork
 * hook only sees the forks that come after a parent is left out): every
 * process whose parent is left out, until a pass over /proc finds none more.
 * A process forked while this runs is found by the next pass or, once its
 * parent is left out, by the fork hook.
 */
static void dispatch_exclude_children(struct capture *c)
{
	struct dirent *de;
	int more = 1, passes = 0;
	pid_t pid, ppid;
	DIR *dir;

	while (more && passes++ < 64) {
		more = 0;
		dir = opendir("/proc");
		if (!dir)
			return;
		while ((de = readdir(dir))) {
			pid = (pid_t)strtol(de->d_name, NULL, 10);
			if (pid <= 0 || capture_is_excluded(c, pid) != 0)
				continue;
			ppid = dispatch_ppid(pid);
			if (ppid > 0 && capture_is_excluded(c, ppid) == 1 &&
			    !capture_exclude(c, pid))
				more = 1;
		}
		closedir(dir);
	}
}

void dispatch_exclude(struct dispatch *d, struct capture *c)
{
	struct plugin *p;
	int err;

	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	__atomic_store_n(&d->cap, c, __ATOMIC_RELEASE);
	for (p = d->plugins; p; p = p->next) {
		if (p->pid <= 0)
			continue;
		err = capture_exclude(c, p->pid);
		if (err) {
			errno = -err;
			log_warn("plugin %s: leaving it out of capture", p->pc.path);
		}
	}
	dispatch_exclude_children(c);
	pthread_mutex_unlock(&d->lock);
}

void dispatch_reload(struct dispatch *d, const struct conf *c)
{
	char dir[CONF_PATH_MAX + 16];
	struct plugin *fresh = NULL;

	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	dispatch_take_conf(d, c);
	pthread_mutex_unlock(&d->lock);
	plugin_dir(d, c, dir, sizeof(dir));
	scan_plugins(d, dir, &fresh);
	swap_plugins(d, fresh, 1);
}

void dispatch_stopping(struct dispatch *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	d->deadline = now_s() + STOP_DRAIN_S;
	pthread_cond_broadcast(&d->space);
	pthread_mutex_unlock(&d->lock);
}

/* Reap what exited among @pids (@n), removing them.  @d->lock held. */
static unsigned int reap_pids(pid_t *pids, unsigned int n, const char *what)
{
	unsigned int i = 0;
	int status;

	while (i < n) {
		if (waitpid(pids[i], &status, WNOHANG) == 0) {
			i++;
			continue;
		}
		if (what && WIFSIGNALED(status))
			log_warnx("plugin %s was killed by signal %d", what, WTERMSIG(status));
		pids[i] = pids[--n];
	}
	return n;
}

/* Reap the plugins of @list that exited.  @d->lock held. */
static void reap_list(struct plugin *list)
{
	struct plugin *p;
	pid_t one[1];

	for (p = list; p; p = p->next) {
		if (p->pid <= 0)
			continue;
		one[0] = p->pid;
		/* its thread restarts it when it next writes, as auditd does */
		if (!reap_pids(one, 1, p->pc.path))
			p->pid = 0;
	}
}

/* Free the plugins stopped by a reload whose threads have ended.  Daemon thread. */
static void free_retired(struct dispatch *d)
{
	struct plugin *p, **pp = &d->retired;
	int done;

	while ((p = *pp)) {
		pthread_mutex_lock(&d->lock);
		done = p->done;
		pthread_mutex_unlock(&d->lock);
		if (!done) {
			pp = &p->next;
			continue;
		}
		*pp = p->next;
		pthread_join(p->thread, NULL);
		plugin_free(p);
	}
}

void dispatch_reap(struct dispatch *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	d->nold = reap_pids(d->old, d->nold, NULL);
	reap_list(d->plugins);
	reap_list(d->retired);
	pthread_mutex_unlock(&d->lock);
	free_retired(d);
}

void dispatch_close(struct dispatch *d)
{
	struct plugin *p, *next;
	int64_t until;
	unsigned int left;
	pid_t *pids;

	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	if (!d->deadline)
		d->deadline = now_s() + STOP_DRAIN_S;
	d->closing = 1;
	pthread_cond_broadcast(&d->work);
	pthread_cond_broadcast(&d->space);
	pthread_mutex_unlock(&d->lock);
	for (p = d->retired; p; p = next) {
		next = p->next;
		pthread_join(p->thread, NULL);
		plugin_free(p);
	}
	for (p = d->plugins; p; p = p->next) {
		if (p->started)
			pthread_join(p->thread, NULL);
		if (p->lost != p->lost_reported)
			log_warnx("plugin %s: %" PRIu64 " events lost at the stop", p->pc.path,
				  p->lost - p->lost_reported);
	}
	/* their stdin is closed: they may end by themselves, else SIGTERM */
	pids = calloc(d->nold + 64, sizeof(*pids));
	left = 0;
	for (p = d->plugins; pids && p && left < 64; p = p->next)
		if (p->pid > 0)
			pids[left++] = p->pid;
	until = now_s() + STOP_EXIT_S;
	while (left && now_s() < until) {
		left = reap_pids(pids, left, NULL);
		if (left)
			usleep(20000);
	}
	while (left) {
		kill(pids[--left], SIGTERM);
		waitpid(pids[left], NULL, WNOHANG);
	}
	free(pids);
	d->nold = reap_pids(d->old, d->nold, NULL);
	for (p = d->plugins; p; p = next) {
		next = p->next;
		plugin_free(p);
	}
	free(d->old);
	pthread_mutex_destroy(&d->lock);
	pthread_cond_destroy(&d->space);
	pthread_cond_destroy(&d->work);
	free(d);
}

void dispatch_report(struct dispatch *d, void (*put)(void *arg, const char *fields), void *arg)
{
	char fields[CONF_PATH_MAX + 128];
	struct plugin *p;
	uint64_t lost, was;

	if (!d)
		return;
	free_retired(d);
	for (p = d->plugins; p; p = p->next) {
		pthread_mutex_lock(&d->lock);
		lost = p->lost;
		was = p->lost_reported;
		p->lost_reported = lost;
		pthread_mutex_unlock(&d->lock);
		if (lost == was)
			continue;
		snprintf(fields, sizeof(fields),
			 "op=dispatch-lost plugin=%s lost=%" PRIu64 " total=%" PRIu64 " res=failed",
			 p->name, lost - was, lost);
		put(arg, fields);
		log_warnx("plugin %s: %" PRIu64 " events lost (queue full)", p->pc.path,
			  lost - was);
	}
}

struct dispatch_src *dispatch_src_new(struct dispatch *d)
{
	struct dispatch_src *s;

	errno = 0;
	if (!d)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (s)
		s->d = d;
	return s;
}

void dispatch_src_free(struct dispatch_src *s)
{
	if (!s)
		return;
	free(s->data);
	free(s->ends);
	free(s);
}

/* Room for @need more bytes and one more event. */
static int src_room(struct dispatch_src *s, size_t need)
{
	uint32_t *e;
	char *p;
	size_t cap;

	if (s->len + need > s->cap) {
		cap = s->cap + (need > BATCH_GROW ? need : BATCH_GROW);
		p = realloc(s->data, cap);
		if (!p)
			return -ENOMEM;
		s->data = p;
		s->cap = cap;
	}
	if (s->events == s->ecap) {
		e = realloc(s->ends, (s->ecap + 1024) * sizeof(*e));
		if (!e)
			return -ENOMEM;
		s->ends = e;
		s->ecap += 1024;
	}
	return 0;
}

int dispatch_put(struct dispatch_src *s, const struct log_record *r, const char *text, size_t len,
		 const struct text_opts *o)
{
	char *p;
	int n, err;

	/* none running: a reload may start some */
	if (!__atomic_load_n(&s->d->nplugins, __ATOMIC_RELAXED))
		return 0;
	err = src_room(s, (text ? len : TEXT_EVENT_MAX) + EOE_MAX);
	if (err)
		return err;
	p = s->data + s->len;
	if (text) {
		memcpy(p, text, len);
		n = (int)len;
	} else if (r->kind == LOG_REC_EVENT) {
		n = text_encode_event(p, TEXT_EVENT_MAX, r->ev, &r->stamp, &r->ident, r->key, o);
		if (n > 0 && r->drop)
			n = (int)rules_watch_drop_lines(p, n, r->drop);
	} else {
		n = text_encode_daemon(p, TEXT_EVENT_MAX, r->type, &r->stamp, r->fields, o);
	}
	if (n < 0)
		return n;
	/* the kernel ends a syscall's records with EOE; auditd sends it to plugins only */
	if (r->kind == LOG_REC_EVENT)
		n += snprintf(p + n, EOE_MAX,
			      "%s%s%stype=EOE msg=audit(%" PRIu64 ".%03u:%" PRIu64 "): \n",
			      o->node ? "node=" : "", o->node ? o->node : "", o->node ? " " : "",
			      r->stamp.sec, r->stamp.msec, r->stamp.serial);
	s->len += (size_t)n;
	s->ends[s->events++] = (uint32_t)s->len;
	return 0;
}

/* A full queue, lossy: count the events lost, and act as overflow_action says.  Lock held. */
static void overflow(struct dispatch *d, struct plugin *p, uint32_t events)
{
	static char *const single[] = {"/sbin/init", "1", NULL};
	static char *const halt[] = {"/sbin/init", "0", NULL};
	int first = !p->warned++;

	p->lost += events;
	switch (d->overflow) {
	case CONF_OVF_IGNORE:
		break;
	case CONF_OVF_SYSLOG:
		if (p->warned <= WARN_LIMIT)
			log_warnx("queue to plugin %s is full - dropping event%s", p->pc.path,
				  p->warned == WARN_LIMIT ? "; no more such messages" : "");
		break;
	case CONF_OVF_SUSPEND:
		if (first)
			log_warnx("suspending event passing to plugin %s: its queue overflowed",
				  p->pc.path);
		p->suspended = 1;
		break;
	case CONF_OVF_SINGLE:
		if (first) {
			log_warnx("changing the system to single user mode: the queue to "
				  "plugin %s overflowed",
				  p->pc.path);
			action_spawn(single);
		}
		break;
	case CONF_OVF_HALT:
		if (first) {
			log_warnx("halting the system: the queue to plugin %s overflowed",
				  p->pc.path);
			action_spawn(halt);
		}
		break;
	}
}

/*
 * Whether a producer waits for room in @p's queue before queuing @events: with
 * lossless, while the queue is not empty and would pass q_depth, until the
 * stop's time is up.  The daemon thread never waits (it serves the signals
 * that stop a plugin or the daemon): its records may pass q_depth by
 * DAEMON_EXTRA events, then they are lost as a lossy queue's.  Lock held.
 */
static int must_wait(const struct dispatch *d, const struct plugin *p, uint32_t events, int daemon)
{
	return d->lossless && !daemon && !p->dead && !p->suspended && !p->done && p->queued &&
	       p->queued + events > d->q_depth && !(d->deadline && now_s() > d->deadline);
}

/* Whether @p's queue is full for @events more (they are then lost).  Lock held. */
static int is_full(const struct dispatch *d, const struct plugin *p, uint32_t events, int daemon)
{
	uint64_t depth = (uint64_t)d->q_depth + (daemon && d->lossless ? DAEMON_EXTRA : 0);

	return p->suspended || (p->queued && p->queued + events > depth);
}

/* Wait for a queue to have room: a second at most, then look at the clock again.  Lock held. */
static void wait_space(struct dispatch *d)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec++;
	pthread_cond_timedwait(&d->space, &d->lock, &ts);
}

int dispatch_src_daemon(const struct dispatch_src *s)
{
	return pthread_equal(pthread_self(), s->d->daemon);
}

void dispatch_end(struct dispatch_src *s)
{
	struct dispatch *d = s->d;
	struct blob *b;
	struct plugin *p;
	struct qent *q;
	int daemon;

	if (!s->events)
		return;
	b = calloc(1, sizeof(*b));
	if (!b) {
		log_warnx("no memory for %u events to the plugins", s->events);
		goto out;
	}
	daemon = pthread_equal(pthread_self(), d->daemon);
	b->events = s->events;
	b->len = s->len;
	b->data = s->data;
	b->ends = s->ends;
	s->data = NULL;
	s->ends = NULL;
	s->cap = 0;
	s->ecap = 0;
	b->refs = 1;
	pthread_mutex_lock(&d->lock);
	for (p = d->plugins; p; p = p->next) {
		/* a queue takes a batch larger than q_depth when it is empty */
		while (must_wait(d, p, b->events, daemon))
			wait_space(d);
		if (p->dead || p->done)
			continue;
		if (is_full(d, p, b->events, daemon)) {
			/* overflow_action is lossy's, as auditd's (a lossless queue blocks) */
			if (d->lossless)
				p->lost += b->events;
			else
				overflow(d, p, b->events);
			continue;
		}
		q = malloc(sizeof(*q));
		if (!q) {
			p->lost += b->events;
			continue;
		}
		q->b = b;
		q->next = NULL;
		b->refs++;
		*p->tail = q;
		p->tail = &q->next;
		p->queued += b->events;
	}
	pthread_cond_broadcast(&d->work);
	pthread_mutex_unlock(&d->lock);
	plugin_blob_put(d, b);
out:
	s->len = 0;
	s->events = 0;
}

int dispatch_node_name(const struct conf *c, char *buf, size_t size)
{
	struct addrinfo hints = {0}, *ai = NULL;
	char host[256];
	const void *addr;
	int rc;

	if (c->name_format == CONF_NAME_NONE)
		return 0;
	if (c->name_format == CONF_NAME_USER) {
		snprintf(buf, size, "%s", c->name);
		return buf[0] != '\0';
	}
	if (gethostname(host, sizeof(host)))
		return -errno;
	host[sizeof(host) - 1] = '\0';
	if (c->name_format == CONF_NAME_HOSTNAME) {
		snprintf(buf, size, "%s", host);
		return 1;
	}
	hints.ai_flags = AI_CANONNAME;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, NULL, &hints, &ai);
	if (rc || !ai) {
		log_warnx("name_format: resolving %s: %s", host, gai_strerror(rc));
		return -ENOENT;
	}
	if (c->name_format == CONF_NAME_FQD) {
		snprintf(buf, size, "%s", ai->ai_canonname ? ai->ai_canonname : host);
	} else {
		addr = ai->ai_family == AF_INET
			       ? (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr
			       : (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		if (!inet_ntop(ai->ai_family, addr, buf, (socklen_t)size))
			snprintf(buf, size, "%s", host);
	}
	freeaddrinfo(ai);
	return 1;
}
