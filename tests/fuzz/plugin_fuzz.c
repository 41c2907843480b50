// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target for the plugins.d parser (conf/plugin.c).
 *
 * The input is a plugin file.  plugin_parse() must return 0 or -EINVAL; an
 * error carries a printable message, a success an empty one; a file that
 * parses has NUL-terminated path and arguments within their bounds, an active
 * plugin has a path, and the same bytes parse again to the same struct.  Any
 * other outcome aborts.
 *
 * Build: clang -fsanitize=fuzzer,address,undefined (tests/fuzz/fuzz.mk); the same
 * file links with tests/fuzz/replay.c to run the corpus as an ordinary test.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf/plugin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int printable(const char *m, size_t cap)
{
	size_t n = strnlen(m, cap), i;

	if (n == cap)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)m[i] < 0x20 || (unsigned char)m[i] == 0x7f)
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct plugin_conf p, again;
	struct conf_error err;
	unsigned int i;
	int rc;

	rc = plugin_parse((const char *)data, size, &p, &err);
	if (rc != 0 && rc != -EINVAL)
		abort();
	if (rc) {
		if (!err.message[0] || !printable(err.message, sizeof(err.message)))
			abort();
		return 0;
	}
	if (err.message[0] || err.line || err.column)
		abort();
	if (strnlen(p.path, sizeof(p.path)) == sizeof(p.path) || p.nargs > PLUGIN_ARGS_MAX)
		abort();
	for (i = 0; i < p.nargs; i++)
		if (strnlen(p.args[i], PLUGIN_ARG_LEN) == PLUGIN_ARG_LEN)
			abort();
	if (p.active && !p.path[0])
		abort();
	if (plugin_parse((const char *)data, size, &again, &err) || memcmp(&p, &again, sizeof(p)))
		abort();
	return 0;
}
