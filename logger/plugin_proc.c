/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The plugins' side of the dispatcher: reading and checking the plugin files,
 * and a thread per plugin that writes its queue to the plugin's pipe (or to
 * builtin_af_unix's readers), starting the program again when it dies.
 *
 * What a plugin read is not known, but what it did not read is: the bytes
 * still in the pipe when it died (FIONREAD on the write end, which keeps the
 * pipe).  Each thread keeps the last bytes it wrote and where each event
 * ended, so a restarted plugin gets again the event that its predecessor had
 * not read whole, and all that came after it: a plugin that handles what it
 * read before it exits loses nothing when it dies.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <libaudit.h>

#include "logger/dispatch_impl.h"
#include "logger/log.h"

void plugin_blob_put(struct dispatch *d, struct blob *b)
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
int plugin_load(const char *path, struct plugin_conf *pc)
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
int plugin_name_ok(const struct dirent *e)
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
	sigset_t none;
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
	posix_spawnattr_init(&attr);
	/*
	 * SIGPIPE stays ignored, as lauditd has it: auditd ignores every signal
	 * before it starts its plugins, and audisp-remote, which sets no SIGPIPE
	 * handler, relies on it to see EPIPE (and queue) when its server goes away.
	 */
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	posix_spawnattr_setsigmask(&attr, &none);
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

/* Keep the plugin's process to reap, sending it @sig.  @d->lock held. */
static void plugin_let_go(struct plugin *p, int sig)
{
	struct dispatch *d = p->d;
	pid_t *old;

	if (p->pid <= 0)
		return;
	old = realloc(d->old, (d->nold + 1) * sizeof(*d->old));
	if (old) {
		d->old = old;
		d->old[d->nold++] = p->pid;
	}
	kill(p->pid, sig);
	p->pid = 0;
}

/* The plugin's stdin is gone: keep its pid to reap, start it again unless it died too often. */
static int plugin_restart(struct plugin *p)
{
	struct dispatch *d = p->d;
	uint64_t unread = 0, pos, start, i;
	int n = 0, err;

	/* the pipe outlives its reader: what is still in it was never read */
	if (ioctl(p->wfd, FIONREAD, &n) == 0 && n > 0)
		unread = (uint64_t)n;
	close(p->wfd);
	p->wfd = -1;
	pthread_mutex_lock(&d->lock);
	plugin_let_go(p, SIGTERM);
	p->restarts++;
	if (d->closing || p->retire_by || p->restarts > d->max_restarts) {
		if (!d->closing && !p->retire_by)
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
		if (p->retire_by && (!deadline || p->retire_by < deadline))
			deadline = p->retire_by;
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
		while (!p->head && !d->closing && !p->retire_by)
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
		plugin_blob_put(d, q->b);
		free(q);
	}
	if (p->wfd >= 0)
		close(p->wfd);
	p->wfd = -1;
	pthread_mutex_lock(&d->lock);
	/* stopped by a reload: its queue written, its stdin closed, as auditd stops it */
	if (p->retire_by)
		plugin_let_go(p, SIGTERM);
	p->done = 1;
	pthread_cond_broadcast(&d->space);
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

void plugin_free(struct plugin *p)
{
	struct stat sb;
	struct qent *q;

	if (!p)
		return;
	while (p->nclients)
		close(p->clients[--p->nclients]);
	free(p->clients);
	if (p->unix_fd >= 0) {
		close(p->unix_fd);
		/* not the socket of the plugin that replaced this one on a reload */
		if (!stat(p->unix_path, &sb) && sb.st_ino == p->ino)
			unlink(p->unix_path);
	}
	free(p->unix_path);
	while ((q = p->head)) {
		p->head = q->next;
		plugin_blob_put(p->d, q->b);
		free(q);
	}
	free(p->hist);
	free(p->ends);
	free(p->bin);
	free(p);
}

struct plugin *plugin_new(struct dispatch *d, const char *name, const struct plugin_conf *pc)
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

int plugin_start(struct plugin *p)
{
	struct stat sb;
	int err;

	err = p->pc.type == PLUGIN_BUILTIN ? af_unix_open(p) : plugin_spawn(p);
	if (err)
		return err;
	/* a reload restarts a plugin whose program or socket was replaced */
	if (!stat(p->pc.type == PLUGIN_BUILTIN ? p->unix_path : p->pc.path, &sb))
		p->ino = sb.st_ino;
	err = pthread_create(&p->thread, NULL, plugin_thread, p);
	if (err) {
		errno = err;
		fatal("plugin thread");
	}
	p->started = 1;
	if (p->unix_fd >= 0)
		log_info("plugin builtin_af_unix listening on %s", p->unix_path);
	else
		log_info("plugin %s started (pid %d)", p->pc.path, (int)p->pid);
	return 0;
}
