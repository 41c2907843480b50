// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * lauditctl's socket.  Requests are small and come from root's own tools, so the main
 * thread serves them between its other duties; a peer that stalls is cut off after
 * CONTROL_TIMEOUT_S, so that the loss records and signals wait no longer than that.
 */
#include "logger/control.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "logger/ctlproto.h"
#include "logger/daemon.h"
#include "logger/log.h"
#include "logger/ruleset.h"

#define CONTROL_TIMEOUT_S 2
/* Arguments a request may hold */
#define CONTROL_ARGS_MAX 256

static int listen_fd = -1;
static char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];

int control_fd(void)
{
	return listen_fd;
}

/* Whether a daemon answers on @sa: a stale socket file can be replaced */
static int answered(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), rc;

	if (fd < 0)
		return 0;
	rc = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	return rc == 0 || errno != ECONNREFUSED;
}

int control_open(struct daemon *d)
{
	const char *path = d->conf.control_socket;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct stat sb;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		log_warnx("control_socket %s: longer than %zu bytes", path,
			  sizeof(sa.sun_path) - 1);
		return -1;
	}
	strcpy(sa.sun_path, path);
	if (!lstat(path, &sb)) {
		if (!S_ISSOCK(sb.st_mode)) {
			log_warnx("control_socket %s exists and is not a socket", path);
			return -1;
		}
		if (answered(&sa)) {
			log_warnx("control_socket %s: another daemon answers on it", path);
			return -1;
		}
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		log_warn("control_socket");
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(path, 0600) || listen(fd, 16)) {
		log_warn("control_socket %s", path);
		close(fd);
		return -1;
	}
	listen_fd = fd;
	strcpy(sock_path, path);
	return 0;
}

void control_close(void)
{
	if (listen_fd < 0)
		return;
	close(listen_fd);
	listen_fd = -1;
	unlink(sock_path);
}

/* /proc/PID/NAME as a number; 4294967295 (unset) when it cannot be read */
static uint32_t proc_id(pid_t pid, const char *name)
{
	char path[64], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return UINT32_MAX;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return UINT32_MAX;
	buf[n] = 0;
	return (uint32_t)strtoul(buf, NULL, 10);
}

/* The whole request, up to the peer's shutdown: 0, or a negative errno */
static int read_request(int fd, struct ctl_buf *b)
{
	for (;;) {
		ssize_t n;

		if (b->cap - b->len < 4096) {
			size_t cap = b->cap ? b->cap * 2 : 65536;
			char *p;

			if (cap > CTLPROTO_MAX)
				return -E2BIG;
			p = realloc(b->p, cap);
			if (!p)
				return -ENOMEM;
			b->p = p;
			b->cap = cap;
		}
		n = read(fd, b->p + b->len, b->cap - b->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		b->len += (size_t)n;
	}
}

static void write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

static void serve_one(struct daemon *d, int fd)
{
	const struct timeval tv = {.tv_sec = CONTROL_TIMEOUT_S};
	struct ctl_buf req = {0}, reply = {0};
	char *argv[CONTROL_ARGS_MAX];
	struct ctl_peer peer;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int argc, rc;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) || cred.uid != 0) {
		log_warnx("control_socket: refused a request from uid %d, pid %d",
			  len == sizeof(cred) ? (int)cred.uid : -1,
			  len == sizeof(cred) ? (int)cred.pid : -1);
		rc = ctlproto_put_text(&reply, 2, "Only root may control lauditd", 29);
		goto out;
	}
	peer = (struct ctl_peer){
		.pid = cred.pid,
		.uid = cred.uid,
		.auid = proc_id(cred.pid, "loginuid"),
		.ses = proc_id(cred.pid, "sessionid"),
	};
	rc = read_request(fd, &req);
	if (rc) {
		log_warnx("control_socket: reading a request: %s", strerror(-rc));
		goto out_close;
	}
	argc = ctlproto_get_args(req.p, req.len, argv, CONTROL_ARGS_MAX);
	if (argc < 0) {
		rc = ctlproto_put_text(&reply, 2, "Malformed request", 17);
		goto out;
	}
	rc = ruleset_request(d, &peer, argc, argv, &reply);
	if (!rc) {
		write_all(fd, reply.p, reply.len);
		goto out_close;
	}
	ctl_buf_free(&reply);
	log_warnx("control_socket: answering a request: %s", strerror(-rc));
	rc = ctlproto_put_text(&reply, 2, "lauditd could not answer", 24);
out:
	if (!rc)
		rc = ctlproto_put_exit(&reply, 1);
	if (!rc)
		write_all(fd, reply.p, reply.len);
out_close:
	ctl_buf_free(&req);
	ctl_buf_free(&reply);
	close(fd);
}

void control_serve(struct daemon *d)
{
	int fd;

	if (listen_fd < 0)
		return;
	while ((fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC)) >= 0)
		serve_one(d, fd);
}
