// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Both paths of the 64x64->128 multiply and the 128/64 division, on every host where the
 * compiler can express them, against the oracle.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <lpt/math128.h>
#include <lpt/internal/math128.h>

#include "oracle.h"
#include "testutil.h"
#include "vectors.h"

#define EDGE_MAX 256

static void check_mul(uint64_t a, uint64_t b)
{
	struct oracle_u128 want = oracle_mul(a, b);
	struct lpt_u128 got = lpt_mul_u64_u64_portable(a, b);

	assert_int_equal(got.hi, want.hi);
	assert_int_equal(got.lo, want.lo);
#ifdef LPT_HAVE_INT128
	got = lpt_mul_u64_u64_int128(a, b);
	assert_int_equal(got.hi, want.hi);
	assert_int_equal(got.lo, want.lo);
#endif
	got = lpt_mul_u64_u64(a, b);
	assert_int_equal(got.hi, want.hi);
	assert_int_equal(got.lo, want.lo);
}

static void check_mul128(uint64_t x, uint64_t m_hi, uint64_t m_lo)
{
	/* x * m >> 64 = x * m_hi + hi(x * m_lo), by the oracle. */
	struct oracle_u128 a = oracle_mul(x, m_hi), b = oracle_mul(x, m_lo);
	uint64_t lo = a.lo + b.hi, hi = a.hi + (lo < b.hi);
	struct lpt_u128 got = lpt_mul_u64_u128(x, m_hi, m_lo);

	assert_int_equal(got.hi, hi);
	assert_int_equal(got.lo, lo);
}

static void check_div(uint64_t hi, uint64_t lo, uint64_t d)
{
	uint64_t q, r;

	q = lpt_div_u128_u64_portable(hi, lo, d, &r);
	assert_true(oracle_divides(hi, lo, d, q, r));
#ifdef LPT_HAVE_INT128
	q = lpt_div_u128_u64_knuth(hi, lo, d, &r);
	assert_true(oracle_divides(hi, lo, d, q, r));
#endif
	q = lpt_div_u128_u64(hi, lo, d, &r);
	assert_true(oracle_divides(hi, lo, d, q, r));
}

static void test_paths_present(void **state)
{
	(void)state;
#ifdef LPT_HAVE_INT128
	fprintf(stderr, "paths: __int128 and portable\n");
#else
	fprintf(stderr, "paths: portable only (no __int128, or LPT_NO_INT128 set)\n");
#endif
}

static void test_mul_edges(void **state)
{
	uint64_t e[EDGE_MAX];
	unsigned int n = lpt_vec_edges(e, EDGE_MAX);

	(void)state;
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int j = 0; j < n; j++)
			check_mul(e[i], e[j]);
}

static void test_mul_random(void **state)
{
	struct test_rng rng = { test_seed() };
	uint64_t count = test_count(1000000);

	(void)state;
	for (uint64_t i = 0; i < count; i++)
		check_mul(test_rng_input(&rng), test_rng_input(&rng));
}

static void test_mul128_edges(void **state)
{
	uint64_t e[EDGE_MAX];
	unsigned int n = lpt_vec_edges(e, EDGE_MAX);

	(void)state;
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int j = 0; j < n; j++)
			check_mul128(e[i], e[j], e[(i + j) % n]);
}

static void test_mul128_random(void **state)
{
	struct test_rng rng = { test_seed() ^ 4 };
	uint64_t count = test_count(1000000);

	(void)state;
	for (uint64_t i = 0; i < count; i++)
		check_mul128(test_rng_input(&rng), test_rng_input(&rng), test_rng_input(&rng));
}

static void test_div_edges(void **state)
{
	uint64_t e[EDGE_MAX];
	unsigned int n = lpt_vec_edges(e, EDGE_MAX);

	(void)state;
	for (unsigned int i = 0; i < n; i++) {
		uint64_t d = e[i];

		if (!d)
			continue;
		for (unsigned int j = 0; j < n; j++) {
			check_div(0, e[j], d);
			check_div(d - 1, e[j], d);
			check_div((d - 1) / 2, e[j], d);
			if (e[j] < d)
				check_div(e[j], ~e[j], d);
		}
	}
}

static void test_div_random(void **state)
{
	struct test_rng rng = { test_seed() ^ 1 };
	uint64_t count = test_count(1000000);

	(void)state;
	for (uint64_t i = 0; i < count; i++) {
		uint64_t d = test_rng_input(&rng);
		uint64_t hi;

		if (!d)
			d = 1;
		hi = test_rng_next(&rng) % d;
		check_div(hi, test_rng_next(&rng), d);
	}
}

/* Every divisor and high part below 2^8, a spread of low parts: the small widths. */
static void test_div_small_exhaustive(void **state)
{
	(void)state;
	for (uint64_t d = 1; d < 256; d++)
		for (uint64_t hi = 0; hi < d; hi++)
			for (unsigned int k = 0; k < 64; k += 7)
				check_div(hi, (0x0123456789abcdefULL << k) ^ d, d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths_present),
		cmocka_unit_test(test_mul_edges),
		cmocka_unit_test(test_mul_random),
		cmocka_unit_test(test_mul128_edges),
		cmocka_unit_test(test_mul128_random),
		cmocka_unit_test(test_div_edges),
		cmocka_unit_test(test_div_random),
		cmocka_unit_test(test_div_small_exhaustive),
	};

#ifdef LPT_NO_INT128
	return cmocka_run_group_tests_name("math128 (portable path selected)", tests, NULL, NULL);
#else
	return cmocka_run_group_tests_name("math128", tests, NULL, NULL);
#endif
}
