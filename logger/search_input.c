/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lausearch's inputs: a binary log file mapped, or read into memory (a pipe), and
 * decompressed when it is an lz4 frame (a closed segment the daemon compressed).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libgen.h>
#include <lz4frame.h>

#include "conf/conf.h"
#include "logger/search.h"

#define DEFAULT_LOG_DIR "/var/log/lauditd"

/* An input's bytes: mapped, or read into memory (pipes, decompressed lz4). */
void search_input_free(struct search_input *in)
{
	if (in->mapped && in->len)
		munmap(in->buf, in->len);
	else
		free(in->buf);
	memset(in, 0, sizeof(*in));
}

static int read_all(int fd, struct search_input *in)
{
	size_t cap = 1 << 20;
	ssize_t n;

	in->buf = malloc(cap);
	if (!in->buf)
		return -ENOMEM;
	for (;;) {
		if (in->len == cap) {
			unsigned char *p = realloc(in->buf, cap * 2);

			if (!p)
				return -ENOMEM;
			in->buf = p;
			cap *= 2;
		}
		n = read(fd, in->buf + in->len, cap - in->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return 0;
		in->len += n;
	}
}

static int is_lz4(const struct search_input *in)
{
	return in->len >= 4 && in->buf[0] == 0x04 && in->buf[1] == 0x22 && in->buf[2] == 0x4d &&
	       in->buf[3] == 0x18;
}

/*
 * Decompress the lz4 frames in @in with the lz4frame API.  A frame cut short (a
 * compressed segment is written whole, but the disk may say otherwise) or damaged
 * is reported; what came out of it before is kept.
 */
static int lz4_inflate(const char *file, struct search_input *in)
{
	LZ4F_decompressionContext_t dctx;
	struct search_input out = {0};
	size_t cap, pos = 0, rc = 1;
	int err = 0;

	if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION)))
		return -ENOMEM;
	cap = in->len * 4 + 65536;
	out.buf = malloc(cap);
	if (!out.buf) {
		err = -ENOMEM;
		goto out;
	}
	while (pos < in->len) {
		size_t src = in->len - pos, dst;

		if (cap - out.len < 65536) {
			unsigned char *p = realloc(out.buf, cap * 2);

			if (!p) {
				err = -ENOMEM;
				goto out;
			}
			out.buf = p;
			cap *= 2;
		}
		dst = cap - out.len;
		rc = LZ4F_decompress(dctx, out.buf + out.len, &dst, in->buf + pos, &src, NULL);
		if (LZ4F_isError(rc)) {
			search_warnx(
				"%s: lz4 data damaged at offset %zu (%s): what came before it is "
				"read",
				file, pos, LZ4F_getErrorName(rc));
			break;
		}
		pos += src;
		out.len += dst;
		if (!src && !dst)
			break;
	}
	if (!LZ4F_isError(rc) && rc != 0)
		search_warnx("%s: lz4 frame cut short: what came before the cut is read", file);
	search_input_free(in);
	*in = out;
	out.buf = NULL;
out:
	free(out.buf);
	LZ4F_freeDecompressionContext(dctx);
	return err;
}

/* @path's bytes ("-": stdin), decompressed when they are an lz4 frame. */
int search_input_open(const char *path, struct search_input *in)
{
	struct stat sb;
	int fd, rc = 0;

	memset(in, 0, sizeof(*in));
	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0 || fstat(fd, &sb)) {
		rc = -errno;
		goto out;
	}
	if (S_ISREG(sb.st_mode)) {
		in->len = sb.st_size;
		in->mapped = 1;
		if (in->len) {
			in->buf = mmap(NULL, in->len, PROT_READ, MAP_PRIVATE, fd, 0);
			if (in->buf == MAP_FAILED) {
				in->buf = NULL;
				in->len = 0;
				rc = -errno;
				goto out;
			}
		}
	} else {
		rc = read_all(fd, in);
		if (rc)
			goto out;
	}
	if (is_lz4(in))
		rc = lz4_inflate(path, in);
out:
	if (fd > 0)
		close(fd);
	if (rc)
		search_input_free(in);
	return rc;
}

void search_default_log_dir(char *dir, size_t cap)
{
	static char buf[65536];
	struct conf_error err;
	struct conf c;
	FILE *f;
	size_t n;

	conf_defaults(&c);
	f = fopen(SEARCH_CONF_PATH, "re");
	if (f) {
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		if (conf_parse(buf, n, &c, NULL, NULL, &err))
			search_warnx("%s:%u: %s", SEARCH_CONF_PATH, err.line, err.message);
	}
	if (c.log_file[0]) {
		snprintf(dir, cap, "%s", c.log_file);
		snprintf(dir, cap, "%s", dirname(dir));
	} else {
		snprintf(dir, cap, "%s", DEFAULT_LOG_DIR);
	}
}
