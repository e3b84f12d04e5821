// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Event-stream translation: optimality proven by brute force over every host setting,
 * for every guest setting, frequency pair and ECV choice; the cases around 1.5 x 2^k and
 * sqrt(2) x 2^k where rounding by the wrong quantity goes wrong; periods and ratios
 * against the oracle; CNTKCTL pass-through; Linux's boot-time rounding.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <lpt/errno.h>
#include <stdio.h>

#include <lpt/evtstrm.h>
#include <lpt/scale.h>

#include "oracle.h"
#include "vectors.h"

#define MHZ 1000000ULL

/*
 * Ratios native/PV just around 1.5 x 2^k (where linear rounding of the divider flips)
 * and sqrt(2) x 2^k (where log-scale rounding flips), both ways round.
 */
static const struct lpt_vec_pair ratio_pairs[] = {
	{ 1000000, 1499999 }, { 1000000, 1500001 }, { 1000000, 1414213 }, { 1000000, 1414214 },
	{ 1000000, 1450000 }, { 1000000, 2999999 }, { 1000000, 3000001 }, { 1000000, 2828427 },
	{ 1000000, 2828428 }, { 1000000, 2900000 }, { 1000000, 47999999 }, { 1000000, 48000001 },
	{ 1000000, 45254833 }, { 1000000, 45254834 }, { 1000000, 46000000 },
	{ 1499999, 1000000 }, { 1500001, 1000000 }, { 1414213, 1000000 }, { 1414214, 1000000 },
	{ 1450000, 1000000 }, { 2999999, 1000000 }, { 3000001, 1000000 }, { 2900000, 1000000 },
	{ 1, 1 }, { 1, LPT_FREQ_MAX_HZ }, { LPT_FREQ_MAX_HZ, 1 }, { 3, 7 }, { 1000 * MHZ, 19200000 },
};

/* Exactly: is native bit a closer (-1), equally close (0) or farther (1) than bit b? */
static int closeness(uint32_t a, uint32_t b, uint32_t pv_bit, uint64_t pv_hz, uint64_t native_hz)
{
	uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
	/* t = pv_bit + log2(N/P) against the midpoint (lo + hi) / 2: 2t vs lo + hi. */
	int c = oracle_cmp_prod_pow2(native_hz, native_hz, 2 * pv_bit, pv_hz, pv_hz, lo + hi);

	if (a == b || c == 0)
		return 0;
	/* t below the midpoint: the lower bit is closer. */
	return (c < 0) == (a == lo) ? -1 : 1;
}

static unsigned int far_cases;
static unsigned long long checked;

/* Brute force over every host setting; also checks the reported fields. */
static void check_pair(uint64_t pv_hz, uint64_t native_hz)
{
	for (uint32_t guest = 0; guest < 32; guest++)
		for (int ecv = 0; ecv < 2; ecv++) {
			uint32_t cntkctl = ((guest & 15) << LPT_CNTKCTL_EVNTI_SHIFT) |
					   (guest & 16 ? LPT_CNTKCTL_EVNTIS : 0) | LPT_CNTKCTL_EVNTEN |
					   (guest & 1 ? LPT_CNTKCTL_EVNTDIR : 0) | 0x303 | (1u << 20);
			uint32_t max = ecv ? LPT_EVTSTRM_MAX_BIT_ECV : LPT_EVTSTRM_MAX_BIT;
			struct lpt_evtstrm e;
			struct oracle_quot q;
			uint64_t want;

			assert_int_equal(lpt_evtstrm_translate(&e, cntkctl, pv_hz, native_hz, ecv), 0);
			assert_int_equal(e.pv_bit, (guest & 15) + (guest & 16 ? 8 : 0));
			assert_true(e.native_bit <= max);
			for (uint32_t b = 0; b <= max; b++) {
				int c = closeness(b, e.native_bit, e.pv_bit, pv_hz, native_hz);

				if (c < 0 || (c == 0 && b < e.native_bit))
					fail_msg("%llu -> %llu Hz, pv bit %u, ecv %d: chose %u, %u is %s",
						 (unsigned long long)pv_hz, (unsigned long long)native_hz,
						 e.pv_bit, ecv, e.native_bit, b, c < 0 ? "closer" : "as close and faster");
				checked++;
			}
			/* Read-back and pass-through. */
			assert_int_equal(e.guest_cntkctl, cntkctl);
			assert_int_equal(lpt_evtstrm_bit(e.native_cntkctl), e.native_bit);
			assert_int_equal(e.native_cntkctl & ~(LPT_CNTKCTL_EVNTI_MASK | LPT_CNTKCTL_EVNTIS),
					 cntkctl & ~(LPT_CNTKCTL_EVNTI_MASK | LPT_CNTKCTL_EVNTIS));
			assert_int_equal(!!(e.native_cntkctl & LPT_CNTKCTL_EVNTIS), e.native_bit > 15);
			/* Periods in ps, rounded to nearest. */
			q = oracle_muldiv(2ULL << e.pv_bit, 1000000000000ULL, pv_hz);
			assert_int_equal(e.pv_period_ps, q.lo + (2 * q.rem >= pv_hz));
			q = oracle_muldiv(2ULL << e.native_bit, 1000000000000ULL, native_hz);
			assert_int_equal(e.native_period_ps, q.lo + (2 * q.rem >= native_hz));
			/* Ratio achieved / requested = 2^(nb - pb) * P / N, Q32, rounded. */
			q = oracle_muldiv(1ULL << (32 + e.native_bit - e.pv_bit), pv_hz, native_hz);
			want = q.hi ? UINT64_MAX : q.lo + (2 * q.rem >= native_hz);
			assert_int_equal(e.ratio_q32, want);
			/* Outside a factor sqrt(2) either way: ratio^2 > 2 or < 1/2, exactly. */
			if (oracle_cmp_prod_pow2(pv_hz, pv_hz, 2 * e.native_bit, native_hz, native_hz,
						 2 * e.pv_bit + 1) > 0 ||
			    oracle_cmp_prod_pow2(pv_hz, pv_hz, 2 * e.native_bit + 1, native_hz, native_hz,
						 2 * e.pv_bit) < 0)
				far_cases++;
		}
}

static void test_brute_force_real_rates(void **state)
{
	(void)state;
	far_cases = 0;
	checked = 0;
	for (unsigned int i = 0; i < lpt_vec_real_hz_count; i++)
		for (unsigned int j = 0; j < lpt_vec_real_hz_count; j++)
			check_pair(lpt_vec_real_hz[i], lpt_vec_real_hz[j]);
	fprintf(stderr, "real rates: %llu (setting, host setting) comparisons; %u of %u translations "
		"beyond a factor sqrt(2) (clamped at the host's range)\n", checked, far_cases,
		lpt_vec_real_hz_count * lpt_vec_real_hz_count * 64);
}

static void test_brute_force_ratios(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < sizeof(ratio_pairs) / sizeof(ratio_pairs[0]); i++)
		check_pair(ratio_pairs[i].from_hz, ratio_pairs[i].to_hz);
	for (unsigned int i = 0; i < lpt_vec_pair_count(); i++)
		check_pair(lpt_vec_pair_at(i).from_hz, lpt_vec_pair_at(i).to_hz);
}

/*
 * Log-scale rounding flips at sqrt(2) x 2^k, not at 1.5 x 2^k: a divider rounded by its
 * next-lower bit (linear) picks the slower stream between the two.
 */
static void test_rounding_boundaries(void **state)
{
	(void)state;
	/* native/PV = 1.45: log2 = 0.536, the next bit up; linear rounding would stay. */
	assert_int_equal(lpt_evtstrm_nearest_bit(5, 1000000, 1450000, 23), 6);
	assert_int_equal(lpt_evtstrm_nearest_bit(5, 1000000, 1499999, 23), 6);
	assert_int_equal(lpt_evtstrm_nearest_bit(5, 1000000, 1500001, 23), 6);
	/* Just either side of sqrt(2) = 1.41421356... */
	assert_int_equal(lpt_evtstrm_nearest_bit(5, 1000000, 1414213, 23), 5);
	assert_int_equal(lpt_evtstrm_nearest_bit(5, 1000000, 1414214, 23), 6);
	/* 2.9 = 1.45 x 2: two bits up past sqrt(8) = 2.83. */
	assert_int_equal(lpt_evtstrm_nearest_bit(5, 1000000, 2900000, 23), 7);
	assert_int_equal(lpt_evtstrm_nearest_bit(5, 1000000, 2828427, 23), 6);
	/* Downward: PV faster than native by 1.45: one bit down. */
	assert_int_equal(lpt_evtstrm_nearest_bit(5, 1450000, 1000000, 23), 4);
	assert_int_equal(lpt_evtstrm_nearest_bit(5, 1414213, 1000000, 23), 5);
	/* Clamping at both ends. */
	assert_int_equal(lpt_evtstrm_nearest_bit(0, 1000 * MHZ, 19200000, 15), 0);
	assert_int_equal(lpt_evtstrm_nearest_bit(23, 19200000, 1000 * MHZ, 15), 15);
	assert_int_equal(lpt_evtstrm_nearest_bit(23, 19200000, 1000 * MHZ, 23), 23);
	/* 1 GHz guest on a 25 MHz host, EVNTI 10: 2^11 ns, nearest is 2^(11 - 5.32). */
	assert_int_equal(lpt_evtstrm_nearest_bit(10, 1000 * MHZ, 25 * MHZ, 15), 5);
}

static void test_translate_rejects(void **state)
{
	struct lpt_evtstrm e, before;

	(void)state;
	memset(&e, 0x6b, sizeof(e));
	before = e;
	assert_int_equal(lpt_evtstrm_translate(NULL, 0, 1, 1, false), -LPT_EINVAL);
	assert_int_equal(lpt_evtstrm_translate(&e, 0, 0, 1, false), -LPT_EINVAL);
	assert_int_equal(lpt_evtstrm_translate(&e, 0, 1, 0, false), -LPT_EINVAL);
	assert_int_equal(lpt_evtstrm_translate(&e, 0, LPT_FREQ_MAX_HZ + 1, 1, true), -LPT_EINVAL);
	assert_memory_equal(&e, &before, sizeof(e));
}

/* Linux 6.1's boot-time choice, re-derived with exact integers in Python. */
static void test_linux_boot(void **state)
{
	static const struct { uint64_t hz; uint32_t evnti, evnti_ecv, evntis_ecv; } golden[] = {
		{ 19200000, 10, 10, 0 }, { 24 * MHZ, 10, 10, 0 }, { 25 * MHZ, 10, 10, 0 },
		{ 50 * MHZ, 11, 11, 0 }, { 62500000, 12, 12, 0 }, { 100 * MHZ, 12, 12, 0 },
		{ 200 * MHZ, 13, 13, 0 }, { 1000 * MHZ, 15, 8, 1 },
		/* Divider 1450, between sqrt(2) and 1.5 times 1024: Linux stays at 10. */
		{ 29 * MHZ, 10, 10, 0 },
		/* Divider 0 and 1. */
		{ 10000, 0, 0, 0 }, { 20000, 0, 0, 0 },
	};
	uint32_t v = 0xdead;

	(void)state;
	for (unsigned int i = 0; i < sizeof(golden) / sizeof(golden[0]); i++) {
		assert_int_equal(lpt_evtstrm_linux_cntkctl(golden[i].hz, 10000, false, &v), 0);
		assert_int_equal(v, LPT_CNTKCTL_EVNTEN | golden[i].evnti << LPT_CNTKCTL_EVNTI_SHIFT);
		assert_int_equal(lpt_evtstrm_linux_cntkctl(golden[i].hz, 10000, true, &v), 0);
		assert_int_equal(v, LPT_CNTKCTL_EVNTEN | golden[i].evnti_ecv << LPT_CNTKCTL_EVNTI_SHIFT |
				 (golden[i].evntis_ecv ? LPT_CNTKCTL_EVNTIS : 0));
	}
	v = 0xdead;
	assert_int_equal(lpt_evtstrm_linux_cntkctl(0, 10000, false, &v), -LPT_EINVAL);
	assert_int_equal(lpt_evtstrm_linux_cntkctl(1000, 0, false, &v), -LPT_EINVAL);
	assert_int_equal(lpt_evtstrm_linux_cntkctl(1000, 1001, false, &v), -LPT_EINVAL);
	assert_int_equal(lpt_evtstrm_linux_cntkctl(1000, 10, false, NULL), -LPT_EINVAL);
	assert_int_equal(v, 0xdead);
}

static void test_bit_fields(void **state)
{
	(void)state;
	for (uint32_t bit = 0; bit <= 23; bit++) {
		uint32_t v = lpt_evtstrm_set_bit(0xffffffffu, bit);

		assert_int_equal(lpt_evtstrm_bit(v), bit);
		assert_int_equal(v | LPT_CNTKCTL_EVNTI_MASK | LPT_CNTKCTL_EVNTIS, 0xffffffffu);
	}
	assert_int_equal(lpt_evtstrm_bit(LPT_CNTKCTL_EVNTIS | (15u << 4)), 23);
	assert_int_equal(lpt_evtstrm_bit(LPT_CNTKCTL_EVNTIS), 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bit_fields),
		cmocka_unit_test(test_rounding_boundaries),
		cmocka_unit_test(test_brute_force_real_rates),
		cmocka_unit_test(test_brute_force_ratios),
		cmocka_unit_test(test_translate_rejects),
		cmocka_unit_test(test_linux_boot),
	};

	return cmocka_run_group_tests_name("evtstrm", tests, NULL, NULL);
}
