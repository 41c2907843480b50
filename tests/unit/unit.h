/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The CUnit run every unit test's main() makes: one suite, its tests, verbose output. */
#ifndef LAUDITD_TESTS_UNIT_H
#define LAUDITD_TESTS_UNIT_H

#include <stddef.h>

#include <CUnit/Basic.h>

struct unit_test {
	const char *name;
	CU_TestFunc fn;
};

/*
 * unit_run() - run @n @tests as the suite @suite.
 * Return: the process's exit status: 0 when every assertion held, 1 otherwise.
 */
static inline int unit_run(const char *suite, const struct unit_test *tests, size_t n)
{
	unsigned int failures;
	CU_pSuite s;
	size_t i;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite(suite, NULL, NULL);
	if (!s)
		goto fail;
	for (i = 0; i < n; i++)
		if (!CU_add_test(s, tests[i].name, tests[i].fn))
			goto fail;
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (CU_basic_run_tests() != CUE_SUCCESS)
		goto fail;
	failures = CU_get_number_of_failures();
	CU_cleanup_registry();
	return failures != 0;

fail:
	CU_cleanup_registry();
	return 1;
}

#define UNIT_RUN(suite, tests) unit_run(suite, tests, sizeof(tests) / sizeof((tests)[0]))

#endif /* LAUDITD_TESTS_UNIT_H */
