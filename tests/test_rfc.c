// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The RFC's migration and event-stream arithmetic (include/lpt/rfc.h) against the
 * posted code, transcribed in rfc_posted.h with the kernel's generic mul_u64_u32_div():
 * over random inputs, every ratio up to 2^16 and the extremes; the transcription itself
 * against exact 128-bit arithmetic where the compiler has it; and the examples the
 * project's documents quote, by name.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <lpt/rfc.h>

#include "rfc_posted.h"
#include "testutil.h"
#include "vectors.h"

/* A non-zero 32-bit frequency: half uniform, half of a random bit length. */
static uint32_t rand_hz(struct test_rng *rng)
{
	uint32_t v = (uint32_t)test_rng_next(rng);
	unsigned int bits = (unsigned int)(test_rng_next(rng) % 48);

	if (bits < 32)
		v >>= 31 - bits;
	return v ? v : 1;
}

/* A frequency pair: random, or two of the real counter rates. */
static void rand_pair(struct test_rng *rng, uint64_t i, uint32_t *a, uint32_t *b)
{
	if (i % 4) {
		*a = rand_hz(rng);
		*b = rand_hz(rng);
		return;
	}
	*a = (uint32_t)lpt_vec_real_hz[test_rng_next(rng) % lpt_vec_real_hz_count];
	*b = (uint32_t)lpt_vec_real_hz[test_rng_next(rng) % lpt_vec_real_hz_count];
}

/* The transcription is the kernel's floor(a * mul / div) mod 2^64: checked exactly. */
static void test_posted_transcription(void **state)
{
	struct test_rng rng = { test_seed() ^ 0x11 };
	uint64_t n = test_count(200000);

	(void)state;
#ifdef __SIZEOF_INT128__
	for (uint64_t i = 0; i < n; i++) {
		uint64_t a = test_rng_input(&rng);
		uint32_t mul, div;

		rand_pair(&rng, i, &mul, &div);
		assert_int_equal(posted_mul_u64_u32_div(a, mul, div),
				 (uint64_t)((unsigned __int128)a * mul / div));
	}
#else
	(void)rng;
	(void)n;
	skip();
#endif
}

static void test_rescale_cntvct_posted(void **state)
{
	struct test_rng rng = { test_seed() ^ 0x12 };
	uint64_t n = test_count(1000000);

	(void)state;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t c = test_rng_input(&rng);
		uint32_t prev, cur;

		rand_pair(&rng, i, &prev, &cur);
		assert_int_equal(lpt_rfc_rescale_cntvct(c, prev, cur),
				 posted_mul_u64_u32_div(c, cur, prev));
	}
	/* extremes: the quotient's bits from 64 up are dropped, as the kernel's */
	assert_int_equal(lpt_rfc_rescale_cntvct(UINT64_MAX, 1, UINT32_MAX),
			 posted_mul_u64_u32_div(UINT64_MAX, UINT32_MAX, 1));
	assert_int_equal(lpt_rfc_rescale_cntvct(UINT64_MAX, 1, UINT32_MAX),
			 UINT64_MAX - UINT32_MAX + 1);	/* (2^64 - 1)(2^32 - 1) mod 2^64 */
	assert_int_equal(lpt_rfc_rescale_cntvct(UINT64_MAX, UINT32_MAX, 1),
			 posted_mul_u64_u32_div(UINT64_MAX, 1, UINT32_MAX));
	assert_int_equal(lpt_rfc_rescale_cntvct(UINT64_MAX, 3, 3), UINT64_MAX);
	assert_int_equal(lpt_rfc_rescale_cntvct(0, 7, 9), 0);
	/* a zero divisor is outside the RFC's domain: 0, not a trap */
	assert_int_equal(lpt_rfc_rescale_cntvct(12345, 0, 25000000), 0);
}

static void test_rescale_tval_posted(void **state)
{
	struct test_rng rng = { test_seed() ^ 0x13 };
	uint64_t n = test_count(1000000);

	(void)state;
	for (uint64_t i = 0; i < n; i++) {
		uint32_t t = (uint32_t)test_rng_input(&rng);
		uint32_t prev, cur, want;

		rand_pair(&rng, i, &prev, &cur);
		want = (uint32_t)posted_mul_u64_u32_div(t, cur, prev);	/* new_cnt_tval */
		assert_int_equal(lpt_rfc_rescale_tval(t, prev, cur), want);
	}
	assert_int_equal(lpt_rfc_rescale_tval(UINT32_MAX, 1, UINT32_MAX), 1);
	assert_int_equal(lpt_rfc_rescale_tval(5, 0, 25000000), 0);
}

static void test_evtstrm_shift_posted(void **state)
{
	struct test_rng rng = { test_seed() ^ 0x14 };
	uint64_t n = test_count(1000000);
	static const uint32_t edge[] = { 1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 32, 63, 64,
					 0x7fffffff, 0x80000000, 0x80000001, UINT32_MAX };

	(void)state;
	for (uint64_t i = 0; i < n; i++) {
		uint32_t a, b;

		rand_pair(&rng, i, &a, &b);
		assert_int_equal(lpt_rfc_evtstrm_shift(a, b), posted_cntkctl_evnti_shift(a, b));
	}
	/* every integer ratio up to 2^16, both ways, on a 1 MHz and a 3 Hz base */
	for (uint32_t d = 1; d <= 65536; d++) {
		assert_int_equal(lpt_rfc_evtstrm_shift(1000, 1000 * d),
				 posted_cntkctl_evnti_shift(1000, 1000 * d));
		assert_int_equal(lpt_rfc_evtstrm_shift(3 * d + d / 2, 3),
				 posted_cntkctl_evnti_shift(3 * d + d / 2, 3));
	}
	for (unsigned int i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
		for (unsigned int j = 0; j < sizeof(edge) / sizeof(edge[0]); j++)
			assert_int_equal(lpt_rfc_evtstrm_shift(edge[i], edge[j]),
					 posted_cntkctl_evnti_shift(edge[i], edge[j]));
	/* parse_cntkctl(): every EVNTI, shift and other-bit pattern, both directions */
	for (int shift = -33; shift <= 33; shift++) {
		for (uint32_t v = 0; v < 16; v++) {
			uint32_t c = (v << 4) | (uint32_t)(test_rng_next(&rng) & 0xffffff0f);

			assert_int_equal(lpt_rfc_parse_cntkctl(c, shift, true),
					 posted_parse_cntkctl(c, shift, 1));
			assert_int_equal(lpt_rfc_parse_cntkctl(c, shift, false),
					 posted_parse_cntkctl(c, shift, 0));
		}
	}
	/* a zero frequency is outside the RFC's domain: no translation */
	assert_int_equal(lpt_rfc_evtstrm_shift(0, 1000), 0);
	assert_int_equal(lpt_rfc_evtstrm_shift(1000, 0), 0);
}

/* An expired virtual timer crossing 25 MHz -> 100 MHz is pushed ~43 s into the future. */
static void test_example_expired_pushed_43s(void **state)
{
	uint32_t behind = 1000;	/* CVAL 40 us behind the counter at 25 MHz */
	uint32_t t = lpt_rfc_rescale_tval((uint32_t)-behind, 25000000, 100000000);

	(void)state;
	assert_int_equal(t, UINT32_MAX - 4 * behind + 1);	/* (2^32 - 1000) * 4 mod 2^32 */
	assert_true(t / 100000000 == 42);			/* 42.95 s at 100 MHz */
}

/* A 5.2 s deadline crossing 19.2 MHz -> 1 GHz wraps to 0.905 s. */
static void test_example_5s2_becomes_0s905(void **state)
{
	uint32_t tval = 99840000;	/* 5.2 s at 19.2 MHz */

	(void)state;
	assert_int_equal(lpt_rfc_rescale_tval(tval, 19200000, 1000000000),
			 5200000000ULL - (1ULL << 32));		/* 905,032,704 ns */
	/* the counter itself is not truncated: one floor of the exact ratio */
	assert_int_equal(lpt_rfc_rescale_cntvct(19200000ULL * 3600, 19200000, 1000000000),
			 1000000000ULL * 3600);
	assert_int_equal(lpt_rfc_rescale_cntvct(1, 1000000000, 19200000), 0);
}

/* The event-stream helper's bug: a bit of the shift tested instead of the divider. */
static void test_example_evtstrm_bug(void **state)
{
	(void)state;
	/* ratio 4 (25 MHz -> 100 MHz PV): 8, one power of two too many */
	assert_int_equal(lpt_rfc_evtstrm_shift(25000000, 100000000), 3);
	assert_int_equal(lpt_rfc_evtstrm_shift(100000000, 25000000), -3);
	/* ratios 4..15 all get floor(log2) + 1; 2, 3 and 16..31 floor(log2) */
	assert_int_equal(lpt_rfc_evtstrm_shift(1, 15), 4);
	assert_int_equal(lpt_rfc_evtstrm_shift(1, 3), 1);
	assert_int_equal(lpt_rfc_evtstrm_shift(1, 24), 4);
	/* the default scenario's hosts under a 1 GHz PV counter */
	assert_int_equal(lpt_rfc_evtstrm_shift(25000000, 1000000000), 5);	/* 40 as 32 */
	assert_int_equal(lpt_rfc_evtstrm_shift(19200000, 1000000000), 5);	/* 52 as 32 */
	assert_int_equal(lpt_rfc_evtstrm_shift(1000000000, 1000000000), 0);
	/* EVNTI 15 on 1 GHz PV, written on a 25 MHz host: native EVNTI 10, kept */
	assert_int_equal(lpt_rfc_parse_cntkctl(15 << 4, 5, false), 10 << 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_posted_transcription),
		cmocka_unit_test(test_rescale_cntvct_posted),
		cmocka_unit_test(test_rescale_tval_posted),
		cmocka_unit_test(test_evtstrm_shift_posted),
		cmocka_unit_test(test_example_expired_pushed_43s),
		cmocka_unit_test(test_example_5s2_becomes_0s905),
		cmocka_unit_test(test_example_evtstrm_bug),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
