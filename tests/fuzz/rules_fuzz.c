// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Fuzz target for the audit.rules parser (conf/rules*.c) and its listing
 * (conf/rules_list.c): any bytes are read as a rule file, twice into the same set (so
 * that deletes and duplicates meet rules), then listed. The machine is a fixed fake one:
 * paths under /etc and /var are directories, other paths ending in "x" are missing,
 * "root" and "bin" are users and groups.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fake_path_kind(const char *path, void *arg)
{
	size_t n = strlen(path);

	(void)arg;
	if (strcmp(path, "/") == 0 || strncmp(path, "/etc", 4) == 0 ||
	    strncmp(path, "/var", 4) == 0)
		return RULES_PATH_DIR;
	return n && path[n - 1] == 'x' ? RULES_PATH_MISSING : RULES_PATH_FILE;
}

static int fake_id(const char *name, uint32_t *id, void *arg)
{
	(void)arg;
	if (strcmp(name, "root") == 0)
		*id = 0;
	else if (strcmp(name, "bin") == 0)
		*id = 2;
	else
		return -ENOENT;
	return 0;
}

static void check_error(const struct rules_error *e, void *arg)
{
	(void)arg;
	if (!e->line || !e->column || !memchr(e->message, 0, sizeof(e->message)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct rules_env env = {
		.path_kind = fake_path_kind, .user_id = fake_id, .group_id = fake_id};
	struct rules_set s;
	char *out = NULL;
	size_t outlen = 0, i;
	FILE *f;

	rules_set_init(&s);
	rules_parse(&s, (const char *)data, size, "fuzz.rules", NULL, 0, &env, check_error, NULL);
	s.stopped = 0;
	s.ctl.ignore_errors = 1;
	rules_parse(&s, (const char *)data, size, "fuzz.rules", NULL, 0, &env, check_error, NULL);
	for (i = 0; i < s.count; i++) {
		const struct audit_rule_data *r = s.rule[i].data;

		if (r->field_count > AUDIT_MAX_FIELDS || r->buflen > size + 4096)
			abort();
	}
	f = open_memstream(&out, &outlen);
	if (f) {
		if (rules_list(&s, f))
			abort();
		fclose(f);
		/* one line per rule, or "No rules" */
		if (outlen && out[outlen - 1] != '\n')
			abort();
	}
	free(out);
	rules_set_free(&s);
	return 0;
}
