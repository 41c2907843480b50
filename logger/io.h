/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Whole writes for the daemon's files. */
#ifndef LAUDITD_LOGGER_IO_H
#define LAUDITD_LOGGER_IO_H

#include <sys/types.h>

/*
 * io_pwrite_all() - write all @len bytes of @p at @off, going on after short
 * writes and EINTR.
 * Return: 0, or a negative errno (-EIO for a write that wrote nothing).
 */
int io_pwrite_all(int fd, const void *p, size_t len, off_t off);

#endif /* LAUDITD_LOGGER_IO_H */
