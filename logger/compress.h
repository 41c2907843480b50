/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* lz4 frame compression of closed log segments. */
#ifndef LAUDITD_LOGGER_COMPRESS_H
#define LAUDITD_LOGGER_COMPRESS_H

/*
 * compress_file() - compress @src into @src.lz4 (lz4's frame format, so that
 * `lz4 -d` opens it), durably: written to a temporary name, synced, renamed,
 * and only then @src removed.  On failure @src stays as it was.
 * Return: 0 or a negative errno.
 */
int compress_file(const char *src);

#endif /* LAUDITD_LOGGER_COMPRESS_H */
