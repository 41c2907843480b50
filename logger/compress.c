/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <lz4frame.h>

#include "logger/compress.h"
#include "logger/io.h"

#define COMPRESS_CHUNK (1024 * 1024)

int compress_fd(int in_fd, const char *tmp)
{
	LZ4F_preferences_t prefs = {.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled};
	LZ4F_cctx *cctx = NULL;
	char *in = NULL, *out = NULL;
	size_t cap, n;
	off_t off = 0, in_off = 0;
	ssize_t got;
	int out_fd = -1, err = 0;

	cap = LZ4F_compressBound(COMPRESS_CHUNK, &prefs) + LZ4F_HEADER_SIZE_MAX;
	in = malloc(COMPRESS_CHUNK);
	out = malloc(cap);
	if (!in || !out || LZ4F_isError(LZ4F_createCompressionContext(&cctx, LZ4F_VERSION))) {
		err = -ENOMEM;
		goto out;
	}
	out_fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out_fd < 0) {
		err = -errno;
		goto out;
	}
	n = LZ4F_compressBegin(cctx, out, cap, &prefs);
	if (LZ4F_isError(n)) {
		err = -EINVAL;
		goto out;
	}
	err = io_pwrite_all(out_fd, out, n, off);
	off += n;
	while (!err) {
		got = pread(in_fd, in, COMPRESS_CHUNK, in_off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err = -errno;
			break;
		}
		if (!got)
			break;
		in_off += got;
		n = LZ4F_compressUpdate(cctx, out, cap, in, got, NULL);
		if (LZ4F_isError(n)) {
			err = -EINVAL;
			break;
		}
		err = io_pwrite_all(out_fd, out, n, off);
		off += n;
	}
	if (err)
		goto out;
	n = LZ4F_compressEnd(cctx, out, cap, NULL);
	if (LZ4F_isError(n)) {
		err = -EINVAL;
		goto out;
	}
	err = io_pwrite_all(out_fd, out, n, off);
	if (!err && fsync(out_fd))
		err = -errno;
out:
	if (out_fd >= 0) {
		close(out_fd);
		if (err)
			unlink(tmp);
	}
	LZ4F_freeCompressionContext(cctx);
	free(in);
	free(out);
	return err;
}

int compress_file(const char *src)
{
	char dst[PATH_MAX], tmp[PATH_MAX];
	int in_fd, err;

	if (snprintf(dst, sizeof(dst), "%s.lz4", src) >= (int)sizeof(dst) ||
	    snprintf(tmp, sizeof(tmp), "%s.lz4.tmp", src) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	in_fd = open(src, O_RDONLY | O_CLOEXEC);
	if (in_fd < 0)
		return -errno;
	err = compress_fd(in_fd, tmp);
	close(in_fd);
	if (!err && rename(tmp, dst)) {
		err = -errno;
		unlink(tmp);
	}
	if (!err && unlink(src))
		err = -errno;
	return err;
}
