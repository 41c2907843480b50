// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Unit tests for logger/ctlproto.c: lauditctl's requests and the daemon's replies. */
#include "logger/ctlproto.c"

#include <CUnit/Basic.h>
#include "tests/unit/unit.h"

/* Decode @len bytes of @s (copied, since decoding rewrites them); argc */
static int decode(const char *s, size_t len, char **argv, int max, char *copy)
{
	memcpy(copy, s, len);
	return ctlproto_get_args(copy, len, argv, max);
}

static void test_args_round_trip(void)
{
	static const char *const in[] = {"-a",	       "always,exit", "",   "-k",
					 "a\\b\nc\\n", "\\\\",	      "\n", "-R"};
	struct ctl_buf b = {0};
	char *argv[16], copy[256];
	size_t i;
	int n;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		CU_ASSERT_EQUAL(ctlproto_put_arg(&b, in[i]), 0);
	CU_ASSERT_EQUAL(b.len, 41);
	CU_ASSERT_NSTRING_EQUAL(b.p, "-a\nalways,exit\n\n-k\na\\\\b\\nc\\\\n\n\\\\\\\\\n\\n\n-R\n",
				41);
	n = decode(b.p, b.len, argv, 16, copy);
	CU_ASSERT_EQUAL(n, 8);
	for (i = 0; i < 8 && n == 8; i++)
		CU_ASSERT_STRING_EQUAL(argv[i], in[i]);
	CU_ASSERT_EQUAL(decode(b.p, b.len, argv, 7, copy), -E2BIG);
	CU_ASSERT_EQUAL(decode("", 0, argv, 16, copy), 0);
	ctl_buf_free(&b);
	ctl_buf_free(&b);
	ctl_buf_free(NULL);
}

static void test_args_malformed(void)
{
	char *argv[4], copy[32];

	/* no newline after the last argument */
	CU_ASSERT_EQUAL(decode("-l", 2, argv, 4, copy), -EINVAL);
	/* an escape other than \\ and \n, one cut short, a NUL */
	CU_ASSERT_EQUAL(decode("a\\t\n", 4, argv, 4, copy), -EINVAL);
	CU_ASSERT_EQUAL(decode("a\\", 2, argv, 4, copy), -EINVAL);
	CU_ASSERT_EQUAL(decode("a\0b\n", 4, argv, 4, copy), -EINVAL);
}

struct lines {
	char text[512];
	int n;
};

static void collect(int stream, const char *line, size_t n, void *arg)
{
	struct lines *l = arg;
	size_t at = strlen(l->text);

	snprintf(l->text + at, sizeof(l->text) - at, "%d:%.*s|", stream, (int)n, line);
	l->n++;
}

static void test_reply(void)
{
	struct ctl_buf b = {0};
	struct lines l = {.n = 0};

	CU_ASSERT_EQUAL(ctlproto_put_text(&b, 1, "No rules\n", 9), 0);
	CU_ASSERT_EQUAL(ctlproto_put_text(&b, 2, "bad keyword foo", 15), 0);
	CU_ASSERT_EQUAL(ctlproto_put_text(&b, 1, "", 0), 0);
	CU_ASSERT_EQUAL(ctlproto_put_text(&b, 1, "a\n\nb\n", 5), 0);
	CU_ASSERT_EQUAL(ctlproto_put_exit(&b, 1), 0);
	CU_ASSERT_EQUAL(b.len, 44);
	CU_ASSERT_NSTRING_EQUAL(b.p, "o No rules\ne bad keyword foo\no a\no \no b\nx 1\n", 44);
	CU_ASSERT_EQUAL(ctlproto_get_reply(b.p, b.len, collect, &l), 1);
	CU_ASSERT_STRING_EQUAL(l.text, "1:No rules|2:bad keyword foo|1:a|1:|1:b|");
	CU_ASSERT_EQUAL(l.n, 5);
	ctl_buf_free(&b);
	CU_ASSERT_EQUAL(ctlproto_put_exit(&b, 256 + 7), 0);
	CU_ASSERT_EQUAL(ctlproto_get_reply(b.p, b.len, NULL, NULL), 7);
	ctl_buf_free(&b);
}

static void test_reply_malformed(void)
{
	static const char *const bad[] = {
		"",	      /* no exit status */
		"o text\n",   /* no exit status */
		"x 1",	      /* no newline */
		"x 1\no a\n", /* text after the exit status */
		"x 256\n",    /* out of range */
		"x 1a\n",     /* not a number */
		"x \n",	      /* empty */
		"q 1\n",      /* unknown line */
		"o\nx 0\n",   /* no space after the tag */
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(ctlproto_get_reply(bad[i], strlen(bad[i]), NULL, NULL), -EPROTO);
	CU_ASSERT_EQUAL(ctlproto_get_reply("x 0\n", 4, NULL, NULL), 0);
	CU_ASSERT_EQUAL(ctlproto_get_reply("x 255\n", 6, NULL, NULL), 255);
}

static void test_limit(void)
{
	struct ctl_buf b = {0};

	b.len = CTLPROTO_MAX - 1;
	CU_ASSERT_EQUAL(ctlproto_put_arg(&b, "ab"), -E2BIG);
	CU_ASSERT_EQUAL(ctlproto_put_exit(&b, 0), -E2BIG);
	CU_ASSERT_PTR_NULL(b.p);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"arguments, escapes, round trip", test_args_round_trip},
		{"malformed requests", test_args_malformed},
		{"replies", test_reply},
		{"malformed replies", test_reply_malformed},
		{"size limit", test_limit},
	};

	return UNIT_RUN("ctlproto", tests);
}
