/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The daemon's side of lauditctl: a unix stream socket (control_socket of lauditd.conf,
 * mode 0600) served by the main thread, one request at a time, to root only (SO_PEERCRED).
 */
#ifndef LAUDITD_LOGGER_CONTROL_H
#define LAUDITD_LOGGER_CONTROL_H

struct daemon;

/*
 * control_open() - create and listen on @d->conf.control_socket.  A socket left by a
 * daemon that is gone is replaced; one that answers, or another kind of file, is not.
 * Return: 0, or -1 after saying why.
 */
int control_open(struct daemon *d);

/* control_fd() - the listening socket, for the main loop's poll; -1 when not open. */
int control_fd(void);

/*
 * control_serve() - take the connections waiting on the socket and answer each
 * (ruleset_request()); a peer that is not root is refused.  Main thread.
 */
void control_serve(struct daemon *d);

/* control_close() - close the socket and remove its file. */
void control_close(void);

#endif /* LAUDITD_LOGGER_CONTROL_H */
