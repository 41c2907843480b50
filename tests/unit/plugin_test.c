/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * plugins.d files (conf/plugin.c): Debian's own plugin files, auditd's keys and
 * keywords in any case, and the lines auditd refuses, with line and column.
 */
#include <errno.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "conf/plugin.h"
#include "tests/unit/unit.h"

static struct plugin_conf g_p;
static struct conf_error g_err;

static int parse(const char *text)
{
	return plugin_parse(text, strlen(text), &g_p, &g_err);
}

static void check_err(const char *text, unsigned int line, unsigned int col, const char *msg)
{
	CU_ASSERT_EQUAL(parse(text), -EINVAL);
	CU_ASSERT_EQUAL(g_err.line, line);
	CU_ASSERT_EQUAL(g_err.column, col);
	CU_ASSERT_STRING_EQUAL(g_err.message, msg);
}

static void test_debian_files(void)
{
	/* audispd-plugins 3.0.9's au-remote.conf, activated */
	CU_ASSERT_EQUAL(parse("\n# This file controls the audispd data path to the\n"
			      "# remote event logger. This plugin will send events to\n"
			      "# a remote machine (Central Logger).\n\n"
			      "active = yes\ndirection = out\npath = /sbin/audisp-remote\n"
			      "type = always\n#args =\nformat = string\n"),
			0);
	CU_ASSERT_EQUAL(g_p.active, 1);
	CU_ASSERT_EQUAL(g_p.type, PLUGIN_ALWAYS);
	CU_ASSERT_EQUAL(g_p.format, PLUGIN_STRING);
	CU_ASSERT_STRING_EQUAL(g_p.path, "/sbin/audisp-remote");
	CU_ASSERT_EQUAL(g_p.nargs, 0);
	/* auditd 3.0.9's syslog.conf and af_unix.conf */
	CU_ASSERT_EQUAL(parse("active = no\ndirection = out\npath = /sbin/audisp-syslog\n"
			      "type = always\nargs = LOG_INFO\nformat = string\n"),
			0);
	CU_ASSERT_EQUAL(g_p.active, 0);
	CU_ASSERT_EQUAL(g_p.nargs, 1);
	CU_ASSERT_STRING_EQUAL(g_p.args[0], "LOG_INFO");
	CU_ASSERT_EQUAL(
		parse("active = yes\ndirection = out\npath = builtin_af_unix\n"
		      "type = builtin\nargs = 0640 /var/run/audispd_events\nformat = string\n"),
		0);
	CU_ASSERT_EQUAL(g_p.type, PLUGIN_BUILTIN);
	CU_ASSERT_EQUAL(g_p.nargs, 2);
	CU_ASSERT_STRING_EQUAL(g_p.args[1], "/var/run/audispd_events");
	/* keys and keywords in any case, as auditd's strcasecmp */
	CU_ASSERT_EQUAL(parse("ACTIVE = Yes\nPath = /a/b\nFormat = BINARY\n"), 0);
	CU_ASSERT_EQUAL(g_p.format, PLUGIN_BINARY);
}

static void test_refused(void)
{
	check_err("active = yes\n", 0, 0, "active but no path given");
	check_err("active = maybe\n", 1, 10, "active: option 'maybe' not found");
	check_err("direction = in\n", 1, 13, "direction: option 'in' not found");
	check_err("\nfoo = 1\n", 2, 1, "unknown keyword 'foo'");
	check_err("path=/a/b\n", 1, 1, "wrong number of arguments");
	check_err("path : /a/b\n", 1, 6, "missing equal sign");
	check_err("path = a/b\n", 1, 8, "path: expected an absolute path");
	check_err("format = string x\n", 1, 17, "format: unexpected option 'x'");
	check_err("args = a b c\n", 1, 12, "wrong number of arguments");
	check_err("active = yes\npath = /a\ntype = builtin\n", 0, 0,
		  "type builtin needs a builtin_ path");
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"Debian's plugin files", test_debian_files},
		{"refused lines", test_refused},
	};

	return UNIT_RUN("plugin", tests);
}
