// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The golden vectors (made by tests/golden/make_vectors.py from the definitions) in
 * userspace; the KUnit suite runs the same checks in the kernel.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <cmocka.h>

#include "golden_checks.h"

static unsigned int failures;

static void report(void *ctx, const char *table, unsigned int row)
{
	(void)ctx;
	fprintf(stderr, "golden: %s row %u differs\n", table, row);
	failures++;
}

static void test_golden_vectors(void **state)
{
	unsigned int n;

	(void)state;
	failures = 0;
	n = lpt_golden_check(report, NULL);
	fprintf(stderr, "golden: %u vectors checked\n", n);
	assert_true(n > 2000);
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_vectors),
	};

	return cmocka_run_group_tests_name("golden vectors", tests, NULL, NULL);
}
