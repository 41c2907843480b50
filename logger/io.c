/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#include <errno.h>
#include <unistd.h>

#include "logger/io.h"

int io_pwrite_all(int fd, const void *p, size_t len, off_t off)
{
	const char *c = p;
	ssize_t n;

	while (len) {
		n = pwrite(fd, c, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		c += n;
		len -= n;
		off += n;
	}
	return 0;
}
