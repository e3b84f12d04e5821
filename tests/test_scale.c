// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * lpt_scale_*: exactness against the oracle over the pair table (every x < 2^16, edge
 * values, 10^6 random values a pair) and random pairs; bad input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <lpt/errno.h>
#include <lpt/scale.h>

#include "oracle.h"
#include "testutil.h"
#include "vectors.h"

#define EDGE_MAX 256

static void check_x(const struct lpt_scale *s, uint64_t x)
{
	struct oracle_quot q = oracle_muldiv(x, s->to_hz, s->from_hz);
	uint64_t want_ceil;

	if (q.hi)
		want_ceil = UINT64_MAX;
	else if (q.inexact)
		want_ceil = q.lo == UINT64_MAX ? UINT64_MAX : q.lo + 1;
	else
		want_ceil = q.lo;

	if (lpt_scale_floor(s, x) != q.lo || lpt_scale_ceil(s, x) != want_ceil)
		fail_msg("%llu Hz -> %llu Hz, x=%#llx: floor %#llx (want %#llx), ceil %#llx (want %#llx)",
			 (unsigned long long)s->from_hz, (unsigned long long)s->to_hz,
			 (unsigned long long)x, (unsigned long long)lpt_scale_floor(s, x),
			 (unsigned long long)q.lo, (unsigned long long)lpt_scale_ceil(s, x),
			 (unsigned long long)want_ceil);
}

static void init_pair(struct lpt_scale *s, unsigned int i)
{
	struct lpt_vec_pair p = lpt_vec_pair_at(i);

	assert_int_equal(lpt_scale_init(s, p.from_hz, p.to_hz), 0);
}

static void test_init_rejects(void **state)
{
	static const uint64_t bad[] = { 0, LPT_FREQ_MAX_HZ + 1, 1ULL << 41, UINT64_MAX };
	struct lpt_scale s, before;

	(void)state;
	memset(&s, 0xa5, sizeof(s));
	before = s;
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(lpt_scale_init(&s, bad[i], 25000000), -LPT_EINVAL);
		assert_int_equal(lpt_scale_init(&s, 25000000, bad[i]), -LPT_EINVAL);
		assert_int_equal(lpt_scale_init(&s, bad[i], bad[i]), -LPT_EINVAL);
		assert_memory_equal(&s, &before, sizeof(s));
	}
	assert_int_equal(lpt_scale_init(NULL, 1, 1), -LPT_EINVAL);
	assert_int_equal(lpt_scale_init(&s, LPT_FREQ_MIN_HZ, LPT_FREQ_MAX_HZ), 0);
	assert_int_equal(lpt_scale_init(&s, LPT_FREQ_MAX_HZ, LPT_FREQ_MIN_HZ), 0);
	assert_string_equal(lpt_error_name(-LPT_EINVAL), "LPT_EINVAL");
	assert_string_equal(lpt_error_name(LPT_EINVAL), "LPT_EINVAL");
	assert_string_equal(lpt_error_name(0), "LPT_OK");
	assert_string_equal(lpt_error_name(-1000), "LPT_E?");
}

/* Multipliers worked out by hand (docs/math.md), re-derived with exact integers in Python. */
static void check_mult(uint64_t from, uint64_t to, uint64_t whole, uint64_t hi, uint64_t lo)
{
	struct lpt_scale s;

	assert_int_equal(lpt_scale_init(&s, from, to), 0);
	assert_int_equal(s.whole, whole);
	assert_int_equal(s.frac_hi, hi);
	assert_int_equal(s.frac_lo, lo);
	assert_int_equal(s.from_hz, from);
	assert_int_equal(s.to_hz, to);
	assert_true(lpt_scale_matches(&s, from, to));
}

/* lpt_scale_matches() of @s for @from -> @to: true exactly when lpt_scale_init() gives
 * the same multiplier (the same ratio gives the same one). */
static void check_matches(const struct lpt_scale *s, uint64_t from, uint64_t to)
{
	struct lpt_scale want;
	bool same;

	assert_int_equal(lpt_scale_init(&want, from, to), 0);
	same = s->whole == want.whole && s->frac_hi == want.frac_hi && s->frac_lo == want.frac_lo;
	if (lpt_scale_matches(s, from, to) != same)
		fail_msg("%llu Hz -> %llu Hz: {%#llx, %#llx, %#llx} matches %d, want %d",
			 (unsigned long long)from, (unsigned long long)to,
			 (unsigned long long)s->whole, (unsigned long long)s->frac_hi,
			 (unsigned long long)s->frac_lo, !same, same);
}

/*
 * The division-free check of a multiplier: each pair's own multiplier matches, each
 * field one off (either way) or random does not, another pair's only at the same ratio;
 * bad input.
 */
static void test_matches(void **state)
{
	struct test_rng rng = { test_seed() ^ 4 };
	uint64_t pairs = test_count(20000);
	struct lpt_scale s, t;

	(void)state;
	for (uint64_t i = 0; i < pairs + lpt_vec_pair_count(); i++) {
		uint64_t from, to;

		if (i < lpt_vec_pair_count()) {
			init_pair(&s, (unsigned int)i);
			from = s.from_hz;
			to = s.to_hz;
		} else {
			from = test_rng_input(&rng) % LPT_FREQ_MAX_HZ + 1;
			to = test_rng_input(&rng) % LPT_FREQ_MAX_HZ + 1;
			assert_int_equal(lpt_scale_init(&s, from, to), 0);
		}
		assert_true(lpt_scale_matches(&s, from, to));
		for (unsigned int f = 0; f < 3; f++) {
			for (int d = -1; d <= 1; d += 2) {
				uint64_t *p[3] = { &t.whole, &t.frac_hi, &t.frac_lo };

				lpt_scale_copy(&t, &s);
				*p[f] += (uint64_t)(int64_t)d;
				assert_false(lpt_scale_matches(&t, from, to));
				*p[f] = test_rng_next(&rng);
				check_matches(&t, from, to);
			}
		}
		/* another pair: the same ratio matches, any other does not */
		check_matches(&s, from + 1 <= LPT_FREQ_MAX_HZ ? from + 1 : from - 1, to);
		check_matches(&s, from, to + 1 <= LPT_FREQ_MAX_HZ ? to + 1 : to - 1);
		if (2 * from <= LPT_FREQ_MAX_HZ && 2 * to <= LPT_FREQ_MAX_HZ)
			assert_true(lpt_scale_matches(&s, 2 * from, 2 * to));
		check_matches(&s, test_rng_input(&rng) % LPT_FREQ_MAX_HZ + 1,
			      test_rng_input(&rng) % LPT_FREQ_MAX_HZ + 1);
	}
	/* whole parts whose product wraps 2^64 onto the right value, or lies just below
	 * it with a fraction that would fit what is left */
	assert_int_equal(lpt_scale_init(&s, 2, 2), 0);
	s.whole = (1ULL << 63) + 1;
	assert_false(lpt_scale_matches(&s, 2, 2));
	assert_int_equal(lpt_scale_init(&s, 3, 2), 0);
	assert_true(lpt_scale_matches(&s, 3, 2));
	s.whole = UINT64_MAX / 3;
	assert_false(lpt_scale_matches(&s, 3, 1));
	assert_false(lpt_scale_matches(NULL, 1, 1));
	assert_int_equal(lpt_scale_init(&s, 1, 1), 0);
	assert_true(lpt_scale_matches(&s, 1, 1));
	assert_false(lpt_scale_matches(&s, 0, 0));
	assert_false(lpt_scale_matches(&s, LPT_FREQ_MAX_HZ + 1, LPT_FREQ_MAX_HZ + 1));
	assert_false(lpt_scale_matches(&s, 1, 0));
}

static void test_golden_multipliers(void **state)
{
	(void)state;
	/* 1/3: 2^128 / 3 = 0x5555...5555.55..., rounded up. */
	check_mult(3, 1, 0, 0x5555555555555555ULL, 0x5555555555555556ULL);
	/* 1/2 is exact. */
	check_mult(2, 1, 0, 0x8000000000000000ULL, 0);
	/* 25 MHz -> 1 GHz: 40, no fraction. */
	check_mult(25000000, 1000000000, 40, 0, 0);
	/* 19.2 -> 25 MHz: 125/96 = 1 + 29/96; 29 * 2^128 / 96 = 0x4d55...5555.55..., up. */
	check_mult(19200000, 25000000, 1, 0x4d55555555555555ULL, 0x5555555555555556ULL);
	/* 2^40 Hz -> 1 Hz: exactly 2^88. */
	check_mult(1ULL << 40, 1, 0, 1ULL << 24, 0);
	/* 1 Hz -> 2^40 Hz: the largest integer part. */
	check_mult(1, 1ULL << 40, 1ULL << 40, 0, 0);
	/* 1 GHz -> 19.2 MHz: 0.0192 = 12/625; 12 * 2^128 / 625 rounded up. */
	check_mult(1000000000, 19200000, 0, 0x04ea4a8c154c985fULL, 0x06f694467381d7dcULL);
}

static void test_exhaustive_16bit(void **state)
{
	struct lpt_scale s;

	(void)state;
	for (unsigned int i = 0; i < lpt_vec_pair_count(); i++) {
		init_pair(&s, i);
		for (uint64_t x = 0; x < (1u << 16); x++)
			check_x(&s, x);
	}
}

static void test_edges(void **state)
{
	uint64_t e[EDGE_MAX];
	unsigned int n = lpt_vec_edges(e, EDGE_MAX);
	struct lpt_scale s;

	(void)state;
	for (unsigned int i = 0; i < lpt_vec_pair_count(); i++) {
		init_pair(&s, i);
		for (unsigned int j = 0; j < n; j++)
			check_x(&s, e[j]);
	}
}

static void test_random_per_pair(void **state)
{
	struct test_rng rng = { test_seed() ^ 2 };
	uint64_t count = test_count(1000000);
	struct lpt_scale s;

	(void)state;
	for (unsigned int i = 0; i < lpt_vec_pair_count(); i++) {
		init_pair(&s, i);
		for (uint64_t k = 0; k < count; k++)
			check_x(&s, test_rng_input(&rng));
	}
}

static void test_random_pairs(void **state)
{
	struct test_rng rng = { test_seed() ^ 3 };
	uint64_t pairs = test_count(2000);
	struct lpt_scale s;

	(void)state;
	for (uint64_t i = 0; i < pairs; i++) {
		uint64_t from = test_rng_input(&rng) % LPT_FREQ_MAX_HZ + 1;
		uint64_t to = test_rng_input(&rng) % LPT_FREQ_MAX_HZ + 1;

		assert_int_equal(lpt_scale_init(&s, from, to), 0);
		for (unsigned int k = 0; k < 1000; k++)
			check_x(&s, test_rng_input(&rng));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_rejects),
		cmocka_unit_test(test_golden_multipliers),
		cmocka_unit_test(test_matches),
		cmocka_unit_test(test_exhaustive_16bit),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_random_per_pair),
		cmocka_unit_test(test_random_pairs),
	};

#ifdef LPT_NO_INT128
	return cmocka_run_group_tests_name("scale (portable path)", tests, NULL, NULL);
#else
	return cmocka_run_group_tests_name("scale", tests, NULL, NULL);
#endif
}
