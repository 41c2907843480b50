// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target for the lauditd.conf parser (conf/conf.c).
 *
 * The input is a configuration file.  conf_parse() must return 0 or -EINVAL;
 * an error carries a line, a column and a message, a success an empty error;
 * every warning carries a line, a column and a message; every value stored
 * lies in its key's range.  A file that parses must parse again, over its own
 * result, to the same struct.  Any other outcome aborts.
 *
 * Build: clang -fsanitize=fuzzer,address,undefined (tests/fuzz/fuzz.mk); the same
 * file links with tests/fuzz/replay.c to run the corpus as an ordinary test.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A message is a NUL-terminated, non-empty string of printable bytes. */
static int good_message(const char *m, size_t cap)
{
	size_t n = strnlen(m, cap), i;

	if (!n || n == cap)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)m[i] < 0x20 || (unsigned char)m[i] == 0x7f)
			return 0;
	return 1;
}

static void on_warn(const struct conf_error *w, void *arg)
{
	unsigned int *n = arg;

	if (!w->line || !w->column || !good_message(w->message, sizeof(w->message)))
		abort();
	(*n)++;
}

static int good_action(const struct conf_action *a)
{
	if (a->action > CONF_DISK_HALT || strnlen(a->exec, sizeof(a->exec)) == sizeof(a->exec))
		return 0;
	return a->action != CONF_DISK_EXEC || a->exec[0] == '/';
}

/* Every value within what conf.h documents. */
static int good_conf(const struct conf *c)
{
	return strnlen(c->log_file, sizeof(c->log_file)) < sizeof(c->log_file) &&
	       c->log_format <= CONF_FMT_BINARY && c->flush <= CONF_FLUSH_SYNC &&
	       c->num_logs <= 999 && c->max_log_file_action <= CONF_ROT_KEEP_LOGS &&
	       good_action(&c->space_left_action) && good_action(&c->admin_space_left_action) &&
	       good_action(&c->disk_full_action) && good_action(&c->disk_error_action) &&
	       c->disk_full_action.action != CONF_DISK_EMAIL &&
	       c->disk_error_action.action != CONF_DISK_EMAIL &&
	       c->disk_error_action.action != CONF_DISK_ROTATE && c->ring_buffer_kb >= 64 &&
	       c->ring_buffer_kb <= 1048576 && !(c->ring_buffer_kb & (c->ring_buffer_kb - 1)) &&
	       c->wakeup_percent >= 1 && c->wakeup_percent <= 100 && c->poll_interval_ms >= 1 &&
	       c->poll_interval_ms <= 1000 && c->argv_max >= 1 && c->argv_max <= 64 &&
	       c->consumer_threads <= 64 && c->encoder_threads <= 64 &&
	       (c->compress_logs == 0 || c->compress_logs == 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct conf c, again;
	struct conf_error err;
	unsigned int warns = 0, warns2 = 0;
	int rc;

	conf_defaults(&c);
	rc = conf_parse((const char *)data, size, &c, on_warn, &warns, &err);
	if (rc == -EINVAL) {
		if (!err.line || !err.column || !good_message(err.message, sizeof(err.message)))
			abort();
	} else if (rc == 0) {
		if (err.line || err.column || err.message[0])
			abort();
	} else {
		abort();
	}
	/* keys before a bad line are stored: they too must be in range */
	if (!good_conf(&c))
		abort();
	if (rc)
		return 0;
	/* the same file over its own result: nothing changes */
	memcpy(&again, &c, sizeof(c));
	if (conf_parse((const char *)data, size, &again, on_warn, &warns2, NULL) ||
	    warns2 != warns || memcmp(&again, &c, sizeof(c)))
		abort();
	return 0;
}
