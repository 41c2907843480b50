/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lausearch --verify: the hash chain of binary logs (logger/bin_chain.h),
 * over the files given with -if (a directory: every audit.log.N, compressed or
 * not, oldest first, then audit.log), or the configuration's log directory.
 * --key PUB checks every seal's Ed25519 signature with the public key (PEM).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "logger/bin_chain.h"
#include "logger/search.h"

#define LOG_BASE   "audit.log"
#define VERIFY_MAX 4096 /* files */

struct files {
	char *v[VERIFY_MAX];
	unsigned int n;
};

static int files_add(struct files *f, const char *path)
{
	if (f->n == VERIFY_MAX) {
		search_warnx("more than %d files", VERIFY_MAX);
		return -E2BIG;
	}
	f->v[f->n] = strdup(path);
	return f->v[f->n++] ? 0 : -ENOMEM;
}

/* N of audit.log.N or audit.log.N.lz4, else 0. */
static long rotated_number(const char *name)
{
	const char *p = name + sizeof(LOG_BASE);
	char *end;
	long n;

	if (strncmp(name, LOG_BASE ".", sizeof(LOG_BASE)) || *p < '1' || *p > '9')
		return 0;
	n = strtol(p, &end, 10);
	return !*end || !strcmp(end, ".lz4") ? n : 0;
}

static int cmp_desc(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/*
 * A directory: every audit.log.N present (not only those up to the first gap:
 * a deleted segment must show as one), oldest first, the plain file while both
 * exist; then audit.log.
 */
static int files_dir(struct files *f, const char *dir)
{
	long nums[VERIFY_MAX];
	unsigned int n = 0, i;
	char path[4096];
	struct dirent *d;
	DIR *dp = opendir(dir);
	int rc = 0;

	if (!dp)
		return -errno;
	while ((d = readdir(dp)) && n < VERIFY_MAX) {
		long k = rotated_number(d->d_name);

		for (i = 0; k && i < n; i++)
			if (nums[i] == k)
				k = 0;
		if (k)
			nums[n++] = k;
	}
	closedir(dp);
	qsort(nums, n, sizeof(nums[0]), cmp_desc);
	for (i = 0; i < n && !rc; i++) {
		snprintf(path, sizeof(path), "%s/%s.%ld", dir, LOG_BASE, nums[i]);
		if (access(path, R_OK))
			snprintf(path, sizeof(path), "%s/%s.%ld.lz4", dir, LOG_BASE, nums[i]);
		rc = files_add(f, path);
	}
	snprintf(path, sizeof(path), "%s/%s", dir, LOG_BASE);
	if (!rc && !access(path, F_OK))
		rc = files_add(f, path);
	return rc;
}

/* An Ed25519 public key in PEM (openssl pkey -pubout), its 32 bytes in @key. */
static int load_public_key(const char *path, uint8_t *key)
{
	size_t n = BIN_CHAIN_KEY;
	EVP_PKEY *k;
	FILE *fp = fopen(path, "re");
	int rc = -EINVAL;

	if (!fp) {
		search_warnx("%s: %s", path, strerror(errno));
		return -errno;
	}
	k = PEM_read_PUBKEY(fp, NULL, NULL, NULL);
	fclose(fp);
	if (k && EVP_PKEY_id(k) == EVP_PKEY_ED25519 &&
	    EVP_PKEY_get_raw_public_key(k, key, &n) == 1 && n == BIN_CHAIN_KEY)
		rc = 0;
	else
		search_warnx("%s: not an Ed25519 public key in PEM", path);
	EVP_PKEY_free(k);
	return rc;
}

static int verify_files(const struct files *f, const uint8_t *key)
{
	struct bin_verify_result r;
	struct search_input in;
	struct bin_verify *v;
	unsigned int i;
	int rc = 0;

	v = bin_verify_new(key);
	if (!v) {
		search_warnx("cannot verify: %s", strerror(errno));
		return 1;
	}
	for (i = 0; i < f->n && !rc; i++) {
		rc = search_input_open(f->v[i], &in);
		if (rc) {
			search_warnx("error opening %s (%s)", f->v[i], strerror(-rc));
			break;
		}
		bin_verify_file(v, in.buf, in.len);
		search_input_free(&in);
	}
	bin_verify_end(v, &r);
	bin_verify_free(v);
	if (rc)
		return 1;
	if (!r.intact) {
		printf("%s: offset %llu: %s\n", f->n ? f->v[r.file] : "-",
		       (unsigned long long)r.offset, r.what);
		return 1;
	}
	printf("intact: %u file%s, %llu segment%s, %llu block%s, units %llu to %llu, %llu seal%s",
	       f->n, f->n == 1 ? "" : "s", (unsigned long long)r.segments,
	       r.segments == 1 ? "" : "s", (unsigned long long)r.blocks, r.blocks == 1 ? "" : "s",
	       (unsigned long long)r.first_seq, (unsigned long long)(r.first_seq + r.units - 1),
	       (unsigned long long)r.seals, r.seals == 1 ? "" : "s");
	if (key)
		printf(" (%llu signature%s verified)", (unsigned long long)r.signatures,
		       r.signatures == 1 ? "" : "s");
	printf("\n");
	if (r.unchained)
		printf("not verified: %llu older segment%s without a chain (format version 1 or "
		       "2)\n",
		       (unsigned long long)r.unchained, r.unchained == 1 ? "" : "s");
	if (r.open)
		printf("open: the last segment has no seal yet (the log being written)%s\n",
		       key ? ": its blocks are not covered by a signature" : "");
	return 0;
}

int search_verify_main(int argc, char **argv)
{
	uint8_t key[BIN_CHAIN_KEY];
	const char *keyfile = NULL;
	struct files f = {.n = 0};
	char dir[4096];
	struct stat sb;
	int i, rc = 0, inputs = 0;

	for (i = 1; i < argc && !rc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--verify")) {
			continue;
		} else if (!strcmp(a, "--input-logs")) {
			continue;
		} else if ((!strcmp(a, "-if") || !strcmp(a, "--input")) && val) {
			inputs++;
			i++;
			if (stat(val, &sb)) {
				search_warnx("error opening %s (%s)", val, strerror(errno));
				rc = -errno;
			} else {
				rc = S_ISDIR(sb.st_mode) ? files_dir(&f, val) : files_add(&f, val);
			}
		} else if (!strcmp(a, "--key") && val) {
			keyfile = val;
			i++;
		} else {
			search_warnx("%s: not an option of --verify (-if FILE|DIR, --input-logs, "
				     "--key PUB)",
				     a);
			rc = -EINVAL;
		}
	}
	if (!rc && !inputs) {
		search_default_log_dir(dir, sizeof(dir));
		rc = files_dir(&f, dir);
		if (rc)
			search_warnx("error opening %s (%s)", dir, strerror(-rc));
	}
	if (!rc && keyfile)
		rc = load_public_key(keyfile, key);
	if (!rc)
		rc = verify_files(&f, keyfile ? key : NULL);
	else
		rc = 1;
	for (i = 0; i < (int)f.n; i++)
		free(f.v[i]);
	return rc;
}
