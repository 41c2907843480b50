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

/*
 * compress_fd() - compress what @in_fd holds, from its start, into a new file
 * @tmp, synced.  The caller renames it and removes the source (so that the
 * source may be renamed meanwhile: the writer's rotation does not wait for a
 * compression).  On failure @tmp is removed.
 * Return: 0 or a negative errno.
 */
int compress_fd(int in_fd, const char *tmp);

#endif /* LAUDITD_LOGGER_COMPRESS_H */
