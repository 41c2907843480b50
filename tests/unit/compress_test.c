/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * logger/compress.c: a file compressed to FILE.lz4 decompresses (lz4's frame
 * API) to the same bytes and replaces FILE; on failure FILE stays as it was and
 * nothing else is left.  pwrite and fsync are wrapped (-Wl,--wrap=) to fail.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "logger/compress.c"
#include "tests/unit/unit.h"

ssize_t __real_pwrite(int fd, const void *buf, size_t len, off_t off);
ssize_t __wrap_pwrite(int fd, const void *buf, size_t len, off_t off);
int __real_fsync(int fd);
int __wrap_fsync(int fd);

/* The pwrite call numbered pwrite_fail_at (from 1) fails with EIO; fsync with EIO if set. */
static long pwrite_calls, pwrite_fail_at;
static int fsync_fails;

ssize_t __wrap_pwrite(int fd, const void *buf, size_t len, off_t off)
{
	if (++pwrite_calls == pwrite_fail_at) {
		errno = EIO;
		return -1;
	}
	return __real_pwrite(fd, buf, len, off);
}

int __wrap_fsync(int fd)
{
	if (fsync_fails) {
		errno = EIO;
		return -1;
	}
	return __real_fsync(fd);
}

static char g_dir[] = "/tmp/compress_test.XXXXXX";

static char *path(const char *name)
{
	static char buf[4][PATH_MAX];
	static int i;
	char *p = buf[i++ % 4];

	snprintf(p, PATH_MAX, "%s/%s", g_dir, name);
	return p;
}

static int exists(const char *p)
{
	struct stat st;

	return !lstat(p, &st);
}

static void *read_all(const char *p, size_t *len)
{
	FILE *f = fopen(p, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET)) {
		buf = malloc(n + 1);
		if (buf && fread(buf, 1, n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = n;
	}
	fclose(f);
	return buf;
}

static void write_all(const char *p, const void *buf, size_t len)
{
	FILE *f = fopen(p, "wb");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fwrite(buf, 1, len, f), len);
	CU_ASSERT_EQUAL(fclose(f), 0);
}

/* Decompress a whole lz4 frame; NULL when it is not one. */
static void *lz4_decompress(const void *src, size_t len, size_t *out_len)
{
	LZ4F_dctx *d;
	size_t cap = 1 << 20, have = 0, in_off = 0, rc = 1;
	char *out = malloc(cap);

	if (!out || LZ4F_isError(LZ4F_createDecompressionContext(&d, LZ4F_VERSION)))
		abort();
	while (rc && in_off < len) {
		size_t in_n = len - in_off, out_n;

		if (cap - have < (1 << 20)) {
			cap *= 2;
			out = realloc(out, cap);
			if (!out)
				abort();
		}
		out_n = cap - have;
		rc = LZ4F_decompress(d, out + have, &out_n, (const char *)src + in_off, &in_n,
				     NULL);
		if (LZ4F_isError(rc)) {
			free(out);
			out = NULL;
			break;
		}
		in_off += in_n;
		have += out_n;
	}
	LZ4F_freeDecompressionContext(d);
	/* a whole frame ends exactly at the end of the input */
	if (out && (rc || in_off != len)) {
		free(out);
		out = NULL;
	}
	*out_len = have;
	return out;
}

/* Compress @len bytes as FILE and check the round trip and what is left. */
static void round_trip(const char *name, const void *data, size_t len)
{
	char *src = path(name), *lz, *tmp;
	size_t zlen = 0, dlen = 0;
	void *z, *d;

	write_all(src, data, len);
	CU_ASSERT_EQUAL_FATAL(compress_file(src), 0);
	lz = path(name);
	snprintf(lz, PATH_MAX, "%s/%s.lz4", g_dir, name);
	tmp = path(name);
	snprintf(tmp, PATH_MAX, "%s/%s.lz4.tmp", g_dir, name);
	CU_ASSERT(!exists(src));
	CU_ASSERT(!exists(tmp));
	z = read_all(lz, &zlen);
	CU_ASSERT_PTR_NOT_NULL_FATAL(z);
	d = lz4_decompress(z, zlen, &dlen);
	CU_ASSERT_PTR_NOT_NULL(d);
	CU_ASSERT_EQUAL(dlen, len);
	CU_ASSERT(d && dlen == len && !memcmp(d, data, len));
	free(z);
	free(d);
	unlink(lz);
}

static void test_round_trip(void)
{
	size_t len = 3 * COMPRESS_CHUNK + 12345, i;
	unsigned char *data = malloc(len);
	uint32_t x = 1;

	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	/* log-like text with random bytes in it: compressible, not trivially */
	for (i = 0; i < len; i++) {
		x = x * 1103515245 + 12345;
		data[i] = i % 97 < 80 ? (unsigned char)"type=SYSCALL msg=audit(1.2:3): "[i % 31]
				      : (unsigned char)(x >> 24);
	}
	round_trip("big", data, len);
	round_trip("small", "hello\n", 6);
	round_trip("empty", "", 0);
	free(data);
}

static void test_failures(void)
{
	char name[PATH_MAX + 16];
	size_t len = 0;
	char *back;

	/* no such file: nothing made */
	CU_ASSERT_EQUAL(compress_file(path("missing")), -ENOENT);
	CU_ASSERT(!exists(path("missing.lz4")));
	CU_ASSERT(!exists(path("missing.lz4.tmp")));

	/* FILE.lz4 cannot be a file name */
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	CU_ASSERT_EQUAL(compress_file(name), -ENAMETOOLONG);

	/* the temporary name is taken by a directory */
	write_all(path("f"), "data", 4);
	CU_ASSERT_EQUAL_FATAL(mkdir(path("f.lz4.tmp"), 0700), 0);
	CU_ASSERT_EQUAL(compress_file(path("f")), -EISDIR);
	CU_ASSERT(!exists(path("f.lz4")));
	rmdir(path("f.lz4.tmp"));

	/* a write fails: the frame header, then a block */
	for (pwrite_fail_at = 1; pwrite_fail_at <= 2; pwrite_fail_at++) {
		pwrite_calls = 0;
		CU_ASSERT_EQUAL(compress_file(path("f")), -EIO);
		CU_ASSERT(!exists(path("f.lz4")));
		CU_ASSERT(!exists(path("f.lz4.tmp")));
	}
	pwrite_fail_at = 0;

	/* fsync fails */
	fsync_fails = 1;
	CU_ASSERT_EQUAL(compress_file(path("f")), -EIO);
	CU_ASSERT(!exists(path("f.lz4")));
	CU_ASSERT(!exists(path("f.lz4.tmp")));
	fsync_fails = 0;

	/* the file stayed as it was throughout */
	back = read_all(path("f"), &len);
	CU_ASSERT(back && len == 4 && !memcmp(back, "data", 4));
	free(back);
	CU_ASSERT_EQUAL(compress_file(path("f")), 0);
	CU_ASSERT(exists(path("f.lz4")));
	unlink(path("f.lz4"));
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"round trip", test_round_trip},
		{"failures", test_failures},
	};
	int rc;

	if (!mkdtemp(g_dir)) {
		perror("mkdtemp");
		return 1;
	}
	rc = UNIT_RUN("compress", tests);
	rmdir(g_dir);
	return rc;
}
