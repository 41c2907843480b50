// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Runs a libFuzzer target's corpus without libFuzzer: every file named, and every
 * file in every directory named, goes through LLVMFuzzerTestOneInput() once, in an
 * exact-size heap copy.  A target reports failure by aborting; this program prints
 * how many inputs passed.  Linked with one target (tests/fuzz/fuzz.mk).
 *
 * usage: replay FILE|DIR...
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	struct stat sb;
	uint8_t *buf;
	size_t n;
	FILE *f;

	f = fopen(path, "rb");
	if (!f || fstat(fileno(f), &sb)) {
		perror(path);
		if (f)
			fclose(f);
		return -1;
	}
	buf = malloc(sb.st_size ? sb.st_size : 1);
	n = buf ? fread(buf, 1, sb.st_size, f) : 0;
	fclose(f);
	if (!buf || n != (size_t)sb.st_size) {
		fprintf(stderr, "%s: cannot read\n", path);
		free(buf);
		return -1;
	}
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
	unsigned long runs = 0, errors = 0;
	struct stat sb;
	int i, j, n;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		struct dirent **names;

		if (stat(argv[i], &sb)) {
			perror(argv[i]);
			errors++;
			continue;
		}
		if (!S_ISDIR(sb.st_mode)) {
			errors += run_file(argv[i]) != 0;
			runs++;
			continue;
		}
		n = scandir(argv[i], &names, NULL, by_name);
		if (n < 0) {
			perror(argv[i]);
			errors++;
			continue;
		}
		for (j = 0; j < n; j++) {
			char path[4096];

			snprintf(path, sizeof(path), "%s/%s", argv[i], names[j]->d_name);
			if (!stat(path, &sb) && S_ISREG(sb.st_mode)) {
				errors += run_file(path) != 0;
				runs++;
			}
			free(names[j]);
		}
		free(names);
	}
	printf("%s: %lu inputs, %lu unreadable\n", argv[0], runs, errors);
	return errors ? 1 : 0;
}
