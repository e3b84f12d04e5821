/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The golden vectors (tests/golden/lpt_vectors.h) checked against the library, in one
 * freestanding file that every harness runs: the CMocka suite here, the KUnit suite in
 * the kernel (kernel-glue/kunit/).
 */
#ifndef LPT_TEST_GOLDEN_CHECKS_H
#define LPT_TEST_GOLDEN_CHECKS_H

#include <lpt/port.h>

/* Called once per mismatch: which table and which row. */
typedef void (*lpt_golden_fail_fn)(void *ctx, const char *table, unsigned int row);

/**
 * lpt_golden_check() - Check every golden vector.
 * @fail: called for each mismatch.
 * @ctx: passed to @fail.
 *
 * Return: the number of vectors checked.
 */
unsigned int lpt_golden_check(lpt_golden_fail_fn fail, void *ctx);

#endif /* LPT_TEST_GOLDEN_CHECKS_H */
