/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The protocol between lauditctl and the daemon, over a unix stream socket: one request,
 * one reply, then the connection closes.  Pure: buffers in, buffers out.
 *
 * Request: lauditctl's arguments, one a line, '\' and newline written as "\\" and "\n";
 * the client then shuts its side down, which ends the request.
 * Reply: lines "o TEXT" (for the standard output) and "e TEXT" (for the standard error),
 * then "x STATUS", the client's exit status.
 */
#ifndef LAUDITD_LOGGER_CTLPROTO_H
#define LAUDITD_LOGGER_CTLPROTO_H

#include <stddef.h>

/* A request or a reply is at most this long (a rule file, escaped, and some room) */
#define CTLPROTO_MAX (40 * 1024 * 1024)

/* A growing buffer */
struct ctl_buf {
	char *p;
	size_t len, cap;
};

/* ctl_buf_free() - free @b's bytes (@b may be NULL) and empty it. */
void ctl_buf_free(struct ctl_buf *b);

/*
 * ctlproto_put_arg() - append one argument of a request to @b.
 * Return: 0, -E2BIG past CTLPROTO_MAX, or -ENOMEM.
 */
int ctlproto_put_arg(struct ctl_buf *b, const char *arg);

/*
 * ctlproto_get_args() - decode a request in place.
 * @buf, @len: the request, as received; its bytes are rewritten.
 * @argv: filled with up to @max arguments, NUL-terminated strings inside @buf.
 *
 * Return: the number of arguments; -EINVAL for a bad escape, a NUL byte or a last line
 * without its newline; -E2BIG for more than @max arguments.
 */
int ctlproto_get_args(char *buf, size_t len, char **argv, int max);

/*
 * ctlproto_put_text() - append @text (@n bytes) to a reply, for the standard output
 * (@stream 1) or the standard error (2): one reply line per line of @text, the last one
 * ended by a newline even when @text is not.  Nothing for an empty @text.
 * Return: 0, -E2BIG, -ENOMEM.
 */
int ctlproto_put_text(struct ctl_buf *b, int stream, const char *text, size_t n);

/*
 * ctlproto_put_exit() - end a reply with the exit status @status (0..255).
 * Return: 0, -E2BIG, -ENOMEM.
 */
int ctlproto_put_exit(struct ctl_buf *b, int status);

/*
 * ctlproto_get_reply() - decode a reply.
 * @out: called with each text line (without its newline) and its stream, 1 or 2.
 *
 * Return: the exit status, or -EPROTO if the reply is malformed or has no exit status.
 */
int ctlproto_get_reply(const char *buf, size_t len,
		       void (*out)(int stream, const char *line, size_t n, void *arg), void *arg);

#endif /* LAUDITD_LOGGER_CTLPROTO_H */
