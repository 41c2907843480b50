// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target for the binary log's hash chain (logger/bin_chain.c).
 *
 * The input is a log, cut into two files at the offset its first byte picks
 * (the second file empty when the byte is 0).  bin_verify_file() and
 * bin_verify_end() must give a verdict whose message is printable and, when the
 * chain is not intact, names a file given and an offset inside it (or its end);
 * bin_chain_resume() must return 0 or 1; the input fed to a new chain in pieces
 * must come out with a link after every unit it completes.  Any other outcome
 * aborts.
 *
 * Build: clang -fsanitize=fuzzer,address,undefined (tests/fuzz/fuzz.mk); the same
 * file links with tests/fuzz/replay.c to run the corpus as an ordinary test.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logger/bin_chain.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t head[BIN_CHAIN_HASH], link[BIN_CHAIN_LINK_MAX];
	struct bin_verify_result r;
	struct bin_verify *v;
	struct bin_chain *c;
	size_t cut, len[2], i, n, l;
	uint64_t seq = 0;
	int rc;

	if (!size)
		return 0;
	cut = data[0] ? 1 + (size_t)data[0] * (size - 1) / 256 : size;
	len[0] = cut - 1;
	len[1] = size - cut;
	v = bin_verify_new(NULL);
	if (!v)
		abort();
	bin_verify_file(v, data + 1, len[0]);
	bin_verify_file(v, data + cut, len[1]);
	bin_verify_end(v, &r);
	bin_verify_free(v);
	if (strnlen(r.what, sizeof(r.what)) == sizeof(r.what))
		abort();
	for (i = 0; r.what[i]; i++)
		if ((unsigned char)r.what[i] < 0x20 || (unsigned char)r.what[i] == 0x7f)
			abort();
	if (!r.intact && (r.file > 1 || r.offset > len[r.file]))
		abort();
	if (r.intact && !r.segments)
		abort();
	rc = bin_chain_resume(data, size, head, &seq);
	if (rc != 0 && rc != 1)
		abort();
	c = bin_chain_new(NULL, 0, NULL);
	if (!c)
		abort();
	for (i = 1; i < size; i += n) {
		n = bin_chain_feed(c, data + i, size - i < 97 ? size - i : 97, link, &l);
		if (!n || (l && l != 48 && l != 80))
			abort();
	}
	bin_chain_free(c);
	return 0;
}
