/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The plugin dispatcher.  A producer (each writer source: the consumer threads
 * and the daemon's own records) collects its batch's records as text, each
 * syscall event followed by the EOE record auditd sends to plugins and not to
 * the log, and queues the batch, shared and counted, to every plugin.  A thread
 * per plugin writes its queue to the plugin's pipe.
 *
 * What a plugin read is not known, but what it did not read is: the bytes
 * still in the pipe when it died (FIONREAD on the write end, which keeps the
 * pipe).  Each thread keeps the last bytes it wrote and where each event
 * ended, so a restarted plugin gets again the event that its predecessor had
 * not read whole, and all that came after it: a plugin that handles what it
 * read before it exits loses nothing when it dies.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <libaudit.h>

#include "conf/plugin.h"
#include "logger/action.h"
#include "logger/dispatch.h"
#include "logger/log.h"

/* The plugin's pipe, and the bytes kept to send again after a restart. */
#define PIPE_BYTES (256 * 1024)
#define HIST_BYTES (4 * 1024 * 1024)
#define HIST_ENDS  (1 << 16)
/* Bytes written at once: events are appended to the history up to this. */
#define SEND_BYTES (64 * 1024)
/* Room for one record line and its EOE line. */
#define EOE_MAX 512
/* A producer's batch grows by this. */
#define BATCH_GROW (256 * 1024)
/* What a stop gives a full queue and a plugin, in seconds. */
#define STOP_DRAIN_S 5
#define STOP_EXIT_S  5
#define WARN_LIMIT   5

/* A batch of text records, shared by the queues of every plugin. */
struct blob {
	int refs; /* under dispatch.lock */
	uint32_t events;
	size_t len;
	uint32_t *ends; /* each event's end in data */
	char *data;
};

struct qent {
	struct blob *b;
	struct qent *next;
};

struct plugin {
	struct dispatch *d;
	char name[256];
	struct plugin_conf pc;
	pthread_t thread;
	int started;
	/* under dispatch.lock */
	pid_t pid;
	struct qent *head, **tail;
	uint64_t queued; /* events */
	uint64_t lost, lost_reported;
	unsigned int restarts;
	int dead;      /* past max_restarts, or could not start */
	int suspended; /* overflow_action = SUSPEND */
	int warned;
	int done; /* the thread has finished */
	/* the thread's own */
	int wfd;
	int unix_fd;	 /* builtin_af_unix: the listening socket, or -1 */
	char *unix_path; /* and its path */
	int *clients;	 /* its readers */
	unsigned int nclients;
	char *hist;	  /* HIST_BYTES: the stream's bytes [sent - HIST_BYTES, sent) */
	uint64_t sent;	  /* bytes put in the history */
	uint64_t written; /* of those, bytes the running plugin was given */
	uint64_t *ends;	  /* HIST_ENDS: stream positions where events ended */
	uint64_t nends;
	char *bin; /* format = binary: one record's header and message */
	struct plugin *next;
};

struct dispatch {
	pthread_mutex_t lock;
	pthread_cond_t space; /* a queue has room */
	pthread_cond_t work;  /* a queue has events, or the dispatcher closes */
	struct plugin *plugins;
	unsigned int q_depth;
	enum conf_overflow_action overflow;
	unsigned int max_restarts;
	int lossless;
	int64_t deadline; /* CLOCK_MONOTONIC s after which nothing waits; 0: none */
	int closing;
	pid_t *old; /* plugins replaced by a restart, to reap */
	unsigned int nold;
};

struct dispatch_src {
	struct dispatch *d;
	char *data;
	size_t len, cap;
	uint32_t *ends;
	uint32_t events, ecap;
};

static int64_t now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void blob_put(struct dispatch *d, struct blob *b)
{
	int last;

	pthread_mutex_lock(&d->lock);
	last = --b->refs == 0;
	pthread_mutex_unlock(&d->lock);
	if (!last)
		return;
	free(b->ends);
	free(b->data);
	free(b);
}

/* auditd's checks: a regular file owned by root that others cannot write. */
static int check_plugin_file(int fd, const char *path)
{
	struct stat sb;

	if (fstat(fd, &sb)) {
		log_warn("%s", path);
		return -errno;
	}
	if (sb.st_uid != 0) {
		log_warnx("%s: not owned by root, skipped", path);
		return -EPERM;
	}
	if (sb.st_mode & S_IWOTH) {
		log_warnx("%s: writable by others, skipped", path);
		return -EPERM;
	}
	if (!S_ISREG(sb.st_mode)) {
		log_warnx("%s: not a regular file, skipped", path);
		return -EPERM;
	}
	return 0;
}

/* And the program's: regular, owned by root, at least rwxr-x--- (auditd's 0750 check). */
static int check_program(const char *path)
{
	const mode_t need = S_IRUSR | S_IWUSR | S_IXUSR | S_IRGRP | S_IXGRP;
	struct stat sb;

	if (stat(path, &sb)) {
		log_warn("plugin %s", path);
		return -errno;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_uid != 0 || (sb.st_mode & need) != need ||
	    (sb.st_mode & S_IWOTH)) {
		log_warnx("plugin %s: must be a regular file owned by root, mode 0750 or more, "
			  "not writable by others",
			  path);
		return -EPERM;
	}
	return 0;
}

/* Read and check one plugin file.  Return: 0 (*@pc filled), or a negative errno. */
static int load_plugin(const char *path, struct plugin_conf *pc)
{
	struct conf_error err;
	char buf[16384];
	ssize_t n;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		log_warn("%s", path);
		return -errno;
	}
	rc = check_plugin_file(fd, path);
	if (rc)
		goto out;
	n = read(fd, buf, sizeof(buf));
	if (n < 0 || n == sizeof(buf)) {
		log_warnx("%s: unreadable or larger than %zu bytes, skipped", path, sizeof(buf));
		rc = -EINVAL;
		goto out;
	}
	rc = plugin_parse(buf, (size_t)n, pc, &err);
	if (rc) {
		log_warnx("%s:%u:%u: %s; skipped", path, err.line, err.column, err.message);
		goto out;
	}
	if (pc->active && pc->type == PLUGIN_ALWAYS)
		rc = check_program(pc->path);
out:
	close(fd);
	return rc;
}

/* auditd skips hidden files and backups (names with more than one dot). */
static int plugin_name_ok(const struct dirent *e)
{
	const char *p = e->d_name;
	int dots = 0;

	if (p[0] == '.')
		return 0;
	for (; *p; p++)
		dots += *p == '.';
	return dots <= 1;
}

/* Start the plugin's program, its stdin the read end of a new pipe.  Thread or opener. */
static int plugin_spawn(struct plugin *p)
{
	char *argv[PLUGIN_ARGS_MAX + 2], *envp[] = {NULL};
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dfl;
	unsigned int i;
	int fds[2], err;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	fcntl(fds[1], F_SETPIPE_SZ, PIPE_BYTES);
	fcntl(fds[1], F_SETFL, O_NONBLOCK);
	argv[0] = p->pc.path;
	for (i = 0; i < p->pc.nargs; i++)
		argv[i + 1] = p->pc.args[i];
	argv[i + 1] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[0], 0);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	/* held across the spawn: a reap after the child's SIGCHLD finds its pid */
	pthread_mutex_lock(&p->d->lock);
	/* auditd gives its plugins an empty environment */
	err = posix_spawn(&pid, p->pc.path, &fa, &attr, argv, envp);
	if (!err)
		p->pid = pid;
	pthread_mutex_unlock(&p->d->lock);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[0]);
	if (err) {
		close(fds[1]);
		return -err;
	}
	p->wfd = fds[1];
	return 0;
}

/* The plugin's stdin is gone: keep its pid to reap, start it again unless it died too often. */
static int plugin_restart(struct plugin *p)
{
	struct dispatch *d = p->d;
	uint64_t unread = 0, pos, start, i;
	int n = 0, err;
	pid_t *old;

	/* the pipe outlives its reader: what is still in it was never read */
	if (ioctl(p->wfd, FIONREAD, &n) == 0 && n > 0)
		unread = (uint64_t)n;
	close(p->wfd);
	p->wfd = -1;
	pthread_mutex_lock(&d->lock);
	if (p->pid > 0) {
		old = realloc(d->old, (d->nold + 1) * sizeof(*d->old));
		if (old) {
			d->old = old;
			d->old[d->nold++] = p->pid;
		}
		kill(p->pid, SIGTERM);
	}
	p->pid = 0;
	p->restarts++;
	if (d->closing || p->restarts > d->max_restarts) {
		if (!d->closing)
			log_warnx("plugin %s has exceeded max_restarts", p->pc.path);
		p->dead = 1;
		pthread_mutex_unlock(&d->lock);
		return -EPIPE;
	}
	pthread_mutex_unlock(&d->lock);
	log_warnx("plugin %s terminated unexpectedly", p->pc.path);
	err = plugin_spawn(p);
	if (err) {
		errno = -err;
		log_warn("restarting plugin %s", p->pc.path);
		pthread_mutex_lock(&d->lock);
		p->dead = 1;
		pthread_mutex_unlock(&d->lock);
		return err;
	}
	log_info("plugin %s was restarted", p->pc.path);
	/* again from the start of the event the old one had not read whole */
	pos = p->written - (unread < p->written ? unread : p->written);
	start = p->sent > HIST_BYTES ? p->sent - HIST_BYTES : 0;
	if (pos < start) {
		log_warnx("plugin %s: %" PRIu64 " bytes it did not read are gone", p->pc.path,
			  start - pos);
		pos = start;
	} else {
		for (i = p->nends; i > 0 && i + HIST_ENDS > p->nends; i--)
			if (p->ends[(i - 1) % HIST_ENDS] <= pos)
				break;
		pos = i > 0 && i + HIST_ENDS > p->nends && p->ends[(i - 1) % HIST_ENDS] >= start
			      ? p->ends[(i - 1) % HIST_ENDS]
			      : start;
	}
	p->written = pos;
	return 0;
}

/*
 * Write the history's bytes from *@pos to sent to @fd (non-blocking), *@pos
 * advanced as they go.  Return: 0, -ETIMEDOUT once the stop's time is up, or
 * the negative errno of write(2).
 */
static int write_hist(struct plugin *p, int fd, uint64_t *pos)
{
	struct dispatch *d = p->d;
	struct pollfd pfd;
	size_t off, n;
	ssize_t w;
	int64_t deadline;

	while (*pos < p->sent) {
		off = *pos % HIST_BYTES;
		n = p->sent - *pos;
		if (n > HIST_BYTES - off)
			n = HIST_BYTES - off;
		w = write(fd, p->hist + off, n);
		if (w > 0) {
			*pos += (uint64_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EAGAIN)
			return -errno;
		pfd.fd = fd;
		pfd.events = POLLOUT;
		poll(&pfd, 1, 500);
		pthread_mutex_lock(&d->lock);
		deadline = d->deadline;
		pthread_mutex_unlock(&d->lock);
		if (deadline && now_s() > deadline)
			return -ETIMEDOUT;
	}
	return 0;
}

/*
 * builtin_af_unix: the history's new bytes to every reader connected to the
 * socket; a reader that fails is dropped.
 */
static void af_unix_flush(struct plugin *p)
{
	unsigned int i = 0;
	uint64_t pos;

	while (i < p->nclients) {
		pos = p->written;
		if (write_hist(p, p->clients[i], &pos)) {
			close(p->clients[i]);
			p->clients[i] = p->clients[--p->nclients];
			continue;
		}
		i++;
	}
	p->written = p->sent;
}

/* builtin_af_unix: readers that connected since the last event join now. */
static void af_unix_accept(struct plugin *p)
{
	int fd, *c;

	while ((fd = accept4(p->unix_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		c = realloc(p->clients, (p->nclients + 1) * sizeof(*c));
		if (!c) {
			close(fd);
			return;
		}
		p->clients = c;
		p->clients[p->nclients++] = fd;
	}
}

/*
 * Write the history's bytes [written, sent) to the plugin, restarting it when it
 * dies.  Return: 0, or -EPIPE once it is dead for good (or the stop's time is up).
 */
static int plugin_flush(struct plugin *p)
{
	int err;

	if (p->unix_fd >= 0) {
		af_unix_flush(p);
		return 0;
	}
	while (p->written < p->sent) {
		err = write_hist(p, p->wfd, &p->written);
		if (err == -ETIMEDOUT || (err && plugin_restart(p)))
			return -EPIPE;
	}
	return 0;
}

/* Append @len bytes to the history, writing it out as it fills. */
static int plugin_append(struct plugin *p, const char *buf, size_t len)
{
	size_t off, n;
	int err;

	while (len) {
		if (p->sent - p->written >= SEND_BYTES) {
			err = plugin_flush(p);
			if (err)
				return err;
		}
		off = p->sent % HIST_BYTES;
		n = HIST_BYTES - off;
		n = n < len ? n : len;
		memcpy(p->hist + off, buf, n);
		p->sent += n;
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * format = binary: auditd 3.0.9's dispatcher writes the header and a whole
 * MAX_AUDIT_MESSAGE_LENGTH message buffer, the record in its first hdr.size
 * bytes.  Version 0 carries "audit(...): fields" (the type in the header),
 * version 1 the formatted line (ENRICHED, or with node=).
 */
static int plugin_append_binary(struct plugin *p, const char *line, size_t len, int ver2)
{
	struct audit_dispatcher_header *h = (struct audit_dispatcher_header *)p->bin;
	char *msg = p->bin + sizeof(*h), type[64];
	const char *t = line, *body;
	size_t tl;
	int v;

	if (!strncmp(t, "node=", 5)) {
		t = memchr(t, ' ', len);
		t = t ? t + 1 : line + len;
	}
	if ((size_t)(t - line) + 5 < len && !strncmp(t, "type=", 5))
		t += 5;
	tl = strcspn(t, " ");
	snprintf(type, sizeof(type), "%.*s", (int)(tl < 63 ? tl : 63), t);
	v = audit_name_to_msg_type(type);
	body = ver2 ? line : t + tl;
	if (!ver2 && !strncmp(body, " msg=", 5))
		body += 5;
	len -= (size_t)(body - line);
	if (len > MAX_AUDIT_MESSAGE_LENGTH)
		len = MAX_AUDIT_MESSAGE_LENGTH;
	memset(h, 0, sizeof(*h) + MAX_AUDIT_MESSAGE_LENGTH);
	h->ver = ver2 ? AUDISP_PROTOCOL_VER2 : AUDISP_PROTOCOL_VER;
	h->hlen = sizeof(*h);
	h->type = v > 0 ? (uint32_t)v : 0;
	h->size = (uint32_t)len;
	memcpy(msg, body, len);
	return plugin_append(p, p->bin, sizeof(*h) + MAX_AUDIT_MESSAGE_LENGTH);
}

/* A batch to the plugin, event by event. */
static int plugin_send(struct plugin *p, const struct blob *b)
{
	const char *line, *nl, *end;
	uint32_t e, from = 0;
	int err = 0, ver2;

	if (p->unix_fd >= 0)
		af_unix_accept(p);
	ver2 = b->len && (!strncmp(b->data, "node=", 5) || memchr(b->data, 0x1d, b->len));
	for (e = 0; e < b->events && !err; e++) {
		if (p->pc.format == PLUGIN_STRING) {
			err = plugin_append(p, b->data + from, b->ends[e] - from);
		} else {
			end = b->data + b->ends[e];
			for (line = b->data + from; line < end && !err; line = nl + 1) {
				nl = memchr(line, '\n', (size_t)(end - line));
				if (!nl)
					nl = end;
				err = plugin_append_binary(p, line, (size_t)(nl - line), ver2);
			}
		}
		p->ends[p->nends++ % HIST_ENDS] = p->sent;
		from = b->ends[e];
	}
	return err ? err : plugin_flush(p);
}

static void *plugin_thread(void *arg)
{
	struct plugin *p = arg;
	struct dispatch *d = p->d;
	struct qent *q;
	int dead = 0;

	for (;;) {
		pthread_mutex_lock(&d->lock);
		while (!p->head && !d->closing)
			pthread_cond_wait(&d->work, &d->lock);
		q = p->head;
		if (!q) {
			pthread_mutex_unlock(&d->lock);
			break;
		}
		p->head = q->next;
		if (!p->head)
			p->tail = &p->head;
		p->queued -= q->b->events;
		dead = p->dead;
		pthread_cond_broadcast(&d->space);
		pthread_mutex_unlock(&d->lock);
		if (dead || plugin_send(p, q->b)) {
			pthread_mutex_lock(&d->lock);
			p->dead = 1;
			p->lost += q->b->events;
			pthread_mutex_unlock(&d->lock);
		}
		blob_put(d, q->b);
		free(q);
	}
	if (p->wfd >= 0)
		close(p->wfd);
	p->wfd = -1;
	pthread_mutex_lock(&d->lock);
	p->done = 1;
	pthread_cond_broadcast(&d->space);
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

static void plugin_free(struct plugin *p)
{
	struct qent *q;

	if (!p)
		return;
	while (p->nclients)
		close(p->clients[--p->nclients]);
	free(p->clients);
	if (p->unix_fd >= 0) {
		close(p->unix_fd);
		unlink(p->unix_path);
	}
	free(p->unix_path);
	while ((q = p->head)) {
		p->head = q->next;
		blob_put(p->d, q->b);
		free(q);
	}
	free(p->hist);
	free(p->ends);
	free(p->bin);
	free(p);
}

static struct plugin *plugin_new(struct dispatch *d, const char *name, const struct plugin_conf *pc)
{
	struct plugin *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->d = d;
	p->wfd = -1;
	p->unix_fd = -1;
	p->tail = &p->head;
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->pc = *pc;
	p->hist = malloc(HIST_BYTES);
	p->ends = calloc(HIST_ENDS, sizeof(*p->ends));
	p->bin = malloc(sizeof(struct audit_dispatcher_header) + MAX_AUDIT_MESSAGE_LENGTH);
	if (!p->hist || !p->ends || !p->bin) {
		plugin_free(p);
		return NULL;
	}
	return p;
}

/*
 * builtin_af_unix: auditd's socket for local readers, its arguments an octal
 * mode (default 0640) and an absolute path; a file left at the path is replaced.
 */
static int af_unix_open(struct plugin *p)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	const char *path = NULL;
	mode_t mode = 0640;
	unsigned int i;
	int fd, err;

	for (i = 0; i < p->pc.nargs; i++) {
		if (p->pc.args[i][0] == '/')
			path = p->pc.args[i];
		else if (strspn(p->pc.args[i], "01234567") == strlen(p->pc.args[i]))
			mode = (mode_t)strtoul(p->pc.args[i], NULL, 8);
	}
	if (!path || strlen(path) >= sizeof(sa.sun_path))
		return -EINVAL;
	memcpy(sa.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(path, mode) || listen(fd, 5)) {
		err = -errno;
		close(fd);
		return err;
	}
	p->unix_path = strdup(path);
	if (!p->unix_path) {
		close(fd);
		unlink(path);
		return -ENOMEM;
	}
	p->unix_fd = fd;
	return 0;
}

static void dispatch_take_conf(struct dispatch *d, const struct conf *c)
{
	d->q_depth = c->q_depth;
	d->overflow = c->overflow_action;
	d->max_restarts = c->max_restarts;
	d->lossless = c->disp_lossless;
}

struct dispatch *dispatch_open(const struct conf *c, const char *conf_dir)
{
	struct dirent **names = NULL;
	char dir[CONF_PATH_MAX + 16], path[2 * CONF_PATH_MAX];
	struct plugin_conf pc;
	struct dispatch *d;
	struct plugin *p, **tail;
	int i, n, err;

	if (c->plugin_dir[0])
		snprintf(dir, sizeof(dir), "%s", c->plugin_dir);
	else
		snprintf(dir, sizeof(dir), "%s/plugins.d", conf_dir);
	d = calloc(1, sizeof(*d));
	if (!d)
		fatal("dispatcher");
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->space, NULL);
	pthread_cond_init(&d->work, NULL);
	dispatch_take_conf(d, c);
	tail = &d->plugins;
	n = scandir(dir, &names, plugin_name_ok, alphasort);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		free(names[i]);
		if (load_plugin(path, &pc) || !pc.active)
			continue;
		if (pc.type == PLUGIN_BUILTIN && strcmp(pc.path, "builtin_af_unix")) {
			log_warnx("%s: %s is not supported, skipped", path, pc.path);
			continue;
		}
		p = plugin_new(d, path + strlen(dir) + 1, &pc);
		if (!p)
			fatal("plugin %s", path);
		err = pc.type == PLUGIN_BUILTIN ? af_unix_open(p) : plugin_spawn(p);
		if (err) {
			errno = -err;
			log_warn("running plugin %s, continuing without it", pc.path);
			plugin_free(p);
			continue;
		}
		err = pthread_create(&p->thread, NULL, plugin_thread, p);
		if (err) {
			errno = err;
			fatal("plugin thread");
		}
		p->started = 1;
		*tail = p;
		tail = &p->next;
		if (p->unix_fd >= 0)
			log_info("plugin builtin_af_unix listening on %s", p->unix_path);
		else
			log_info("plugin %s started (pid %d)", pc.path, (int)p->pid);
	}
	free(names);
	if (!d->plugins) {
		log_info("no active plugin in %s: not dispatching events", dir);
		dispatch_close(d);
		return NULL;
	}
	return d;
}

void dispatch_reload(struct dispatch *d, const struct conf *c)
{
	struct plugin *p;

	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	dispatch_take_conf(d, c);
	for (p = d->plugins; p; p = p->next) {
		p->suspended = 0;
		p->warned = 0;
		if (p->pid > 0)
			kill(p->pid, SIGHUP);
	}
	pthread_cond_broadcast(&d->space);
	pthread_mutex_unlock(&d->lock);
}

void dispatch_stopping(struct dispatch *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	d->deadline = now_s() + STOP_DRAIN_S;
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

void dispatch_reap(struct dispatch *d)
{
	struct plugin *p;
	pid_t one[1];

	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	d->nold = reap_pids(d->old, d->nold, NULL);
	for (p = d->plugins; p; p = p->next) {
		if (p->pid <= 0)
			continue;
		one[0] = p->pid;
		/* its thread restarts it when it next writes, as auditd does */
		if (!reap_pids(one, 1, p->pc.path))
			p->pid = 0;
	}
	pthread_mutex_unlock(&d->lock);
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

	err = src_room(s, (text ? len : TEXT_EVENT_MAX) + EOE_MAX);
	if (err)
		return err;
	p = s->data + s->len;
	if (text) {
		memcpy(p, text, len);
		n = (int)len;
	} else if (r->kind == LOG_REC_EVENT) {
		n = text_encode_event(p, TEXT_EVENT_MAX, r->ev, &r->stamp, &r->ident, r->key, o);
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

void dispatch_end(struct dispatch_src *s)
{
	struct dispatch *d = s->d;
	struct blob *b;
	struct plugin *p;
	struct qent *q;

	if (!s->events)
		return;
	b = calloc(1, sizeof(*b));
	if (!b) {
		log_warnx("no memory for %u events to the plugins", s->events);
		goto out;
	}
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
		while (!p->dead && !p->suspended && !p->done && p->queued &&
		       p->queued + b->events > d->q_depth && d->lossless &&
		       !(d->deadline && now_s() > d->deadline))
			pthread_cond_wait(&d->space, &d->lock);
		if (p->dead || p->done)
			continue;
		if (p->suspended || (p->queued && p->queued + b->events > d->q_depth)) {
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
	blob_put(d, b);
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
