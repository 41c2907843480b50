// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * lauditctl: auditctl's commands for the running lauditd, over its control socket.  The
 * daemon parses the rules and answers with what auditctl would print; lauditctl only
 * carries the arguments there (a rule file's lines with -R) and the answer back.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "logger/ctlproto.h"
#include "logger/rules_load.h"

#define DEFAULT_SOCKET "/run/lauditd.sock"
/* A rule file longer than this is refused, as the daemon refuses it at start */
#define RULE_FILE_MAX (16 * 1024 * 1024)

static void usage(FILE *f)
{
	fprintf(f, "usage: lauditctl [--socket PATH] OPTIONS\n"
		   "  -l                 list the rules, as auditctl -l\n"
		   "  -s                 status, as auditctl -s, then lauditd's counters\n"
		   "  -R FILE            read rules from FILE\n"
		   "  -a, -A, -d, -w, -W, -D, -e, -f, -b, -r ...\n"
		   "                     change the rules or the settings as auditctl does\n"
		   "  --socket PATH      lauditd's control_socket (default $LAUDITD_SOCKET or\n"
		   "                     " DEFAULT_SOCKET ")\n");
}

/* @path's lines, checked as auditctl checks a rule file; NULL after saying why */
static char *read_rules(const char *path)
{
	char msg[4200], *buf = NULL;
	size_t len = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "Error opening rules file (%s)\n", strerror(errno));
		return NULL;
	}
	if (rules_load_check_file(fd, path, msg, sizeof(msg))) {
		fprintf(stderr, "Error - %s\n", msg);
		goto fail;
	}
	buf = malloc(RULE_FILE_MAX + 1);
	if (!buf)
		goto fail;
	while ((n = read(fd, buf + len, RULE_FILE_MAX + 1 - len)) > 0)
		len += (size_t)n;
	if (n < 0 || len > RULE_FILE_MAX) {
		fprintf(stderr, "Error reading %s (%s)\n", path,
			n < 0 ? strerror(errno) : "too large");
		goto fail;
	}
	/* a NUL ends the line it is on for auditctl: the request carries no NUL */
	buf[len] = 0;
	close(fd);
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}

static void print_line(int stream, const char *line, size_t n, void *arg)
{
	FILE *f = stream == 2 ? stderr : stdout;

	(void)arg;
	fwrite(line, 1, n, f);
	fputc('\n', f);
}

/* Send @req, read the reply to the end: 0, or -1 after saying why */
static int exchange(const char *path, const struct ctl_buf *req, struct ctl_buf *reply)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t off = 0;
	ssize_t n;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "lauditctl: socket path too long: %s\n", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "lauditctl: cannot reach lauditd at %s: %s\n", path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (off < req->len) {
		/* a daemon that refuses the request closes before reading it: no SIGPIPE */
		n = send(fd, req->p + off, req->len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	shutdown(fd, SHUT_WR);
	for (;;) {
		if (reply->cap - reply->len < 4096) {
			size_t cap = reply->cap ? reply->cap * 2 : 65536;
			char *p = cap <= CTLPROTO_MAX ? realloc(reply->p, cap) : NULL;

			if (!p)
				break;
			reply->p = p;
			reply->cap = cap;
		}
		n = read(fd, reply->p + reply->len, reply->cap - reply->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		reply->len += (size_t)n;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = getenv("LAUDITD_SOCKET");
	struct ctl_buf req = {0}, reply = {0};
	char *rules = NULL;
	int i = 1, rc = 0, status;

	if (!path || !*path)
		path = DEFAULT_SOCKET;
	if (argc > 2 && !strcmp(argv[1], "--socket")) {
		path = argv[2];
		i = 3;
	}
	if (i == argc) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[i], "-R")) {
		if (argc - i != 2) {
			fprintf(stderr, "-R takes one file and no other option\n");
			return 1;
		}
		rules = read_rules(argv[i + 1]);
		if (!rules)
			return 1;
		rc = ctlproto_put_arg(&req, "-R");
		if (!rc)
			rc = ctlproto_put_arg(&req, argv[i + 1]);
		if (!rc)
			rc = ctlproto_put_arg(&req, rules);
		free(rules);
	} else {
		for (; i < argc && !rc; i++)
			rc = ctlproto_put_arg(&req, argv[i]);
	}
	if (rc) {
		fprintf(stderr, "lauditctl: the request is too large\n");
		ctl_buf_free(&req);
		return 1;
	}
	if (exchange(path, &req, &reply)) {
		ctl_buf_free(&req);
		return 1;
	}
	status = ctlproto_get_reply(reply.p, reply.len, print_line, NULL);
	if (status < 0) {
		fprintf(stderr, "lauditctl: no answer from lauditd at %s\n", path);
		status = 1;
	}
	ctl_buf_free(&req);
	ctl_buf_free(&reply);
	return status;
}
