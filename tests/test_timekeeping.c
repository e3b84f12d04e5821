// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Linux's timekeeping, the peer (sim/peer_timekeeping.c): tk_setup_internals() on a
 * hand-checked clocksource; the tick-by-tick accumulation of timekeeping_advance() read
 * back as ktime_get_raw() against the exact floor(x * mult / 2^shift) of the oracle, at
 * every step of random NO_HZ gaps, across timekeeping_forward_now(), and over a year in
 * one call; and lpt_sim_tk_ns(), the closed form the benchmarks use, against the same
 * oracle on any 64-bit span.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../sim/peer_timekeeping.h"
#include "oracle.h"
#include "peers.h"
#include "testutil.h"

static const uint64_t real_hz[] = {
	19200000, 24000000, 25000000, 50000000, 62500000, 100000000, 200000000, 1000000000,
};
#define NHZ (sizeof(real_hz) / sizeof(real_hz[0]))

/* floor(x * mult / 2^shift) mod 2^64, by the oracle's schoolbook product. */
static uint64_t oracle_shr(uint64_t x, uint32_t mult, uint32_t shift)
{
	struct oracle_u128 p = oracle_mul(x, mult);

	return shift ? (p.lo >> shift) | (p.hi << (64 - shift)) : p.lo;
}

static void cs_of(uint64_t hz, uint32_t *mult, uint32_t *shift)
{
	struct bench_peer cs;

	bench_peer_init(&cs, PEER_CLOCKSOURCE, hz, 1000000000);
	*mult = (uint32_t)cs.mult;
	*shift = (uint32_t)cs.shift;
}

/* The read at counter start + x, the timekeeper set up at counter start. */
static void check_read(const struct lpt_sim_tk *tk, uint64_t start, uint64_t x)
{
	uint64_t got = lpt_sim_tk_read(tk, start + x), want = oracle_shr(x, tk->mult, tk->shift);

	if (got != want || lpt_sim_tk_ns(tk->mult, tk->shift, x) != want)
		fail_msg("mult %u shift %u, %llu cycles: read %llu, closed form %llu, exact %llu",
			 tk->mult, tk->shift, (unsigned long long)x, (unsigned long long)got,
			 (unsigned long long)lpt_sim_tk_ns(tk->mult, tk->shift, x),
			 (unsigned long long)want);
}

/*
 * 19.2 MHz, HZ=250, worked by hand: clocks_calc_mult_shift(19.2e6, 1e9, 600) gives
 * shift 24 (10^9 / 19.2e6 * 2^25 would pass 2^30, the room left by 600 s of input) and
 * mult = round(2^24 * 10^9 / 19.2e6) = 873813333; a 4 ms tick is 76800 cycles, whose
 * shifted ns are 76800 * 873813333 = 67108863974400, 25600 short of 4e6 << 24 (the
 * xtime_remainder NTP's error forgives); tick_length 4e6 << 32 has ilog2 53, so chunks
 * of at most 2^9 ticks.
 */
static void test_setup(void **state)
{
	struct lpt_sim_tk tk;
	uint32_t mult, shift;

	(void)state;
	cs_of(19200000, &mult, &shift);
	assert_int_equal(mult, 873813333);
	assert_int_equal(shift, 24);
	lpt_sim_tk_setup(&tk, mult, shift, 250, 0);
	assert_int_equal(tk.cycle_interval, 76800);
	assert_int_equal(tk.raw_interval, UINT64_C(67108863974400));
	assert_int_equal((UINT64_C(4000000) << 24) - tk.raw_interval, 25600);
	assert_int_equal(tk.maxshift, 9);
	/* one tick and a half: one tick accumulated, the half read through the multiply */
	lpt_sim_tk_advance(&tk, 76800 + 38400);
	assert_int_equal(tk.cycle_last, 76800);
	assert_int_equal(tk.raw_sec, 0);
	assert_int_equal(tk.xtime_nsec, UINT64_C(67108863974400));
	check_read(&tk, 0, 76800 + 38400);
}

/* Random NO_HZ gaps (a fraction of a tick to 20 s) on every real rate and three HZ;
 * the read at each step and within the next gap is exact floor(x * mult / 2^shift). */
static void test_accumulate(void **state)
{
	static const uint32_t hzs[] = { 100, 250, 1000 };
	struct test_rng r = { test_seed() };
	uint64_t steps = test_count(20000);

	(void)state;
	for (unsigned int i = 0; i < NHZ; i++)
		for (unsigned int h = 0; h < 3; h++) {
			struct lpt_sim_tk tk;
			uint32_t mult, shift;
			/* a counter that wraps past 2^64 within the run, now and then */
			uint64_t start = test_rng_next(&r) & 1 ? test_rng_next(&r) :
					 -(test_rng_next(&r) % (1000 * real_hz[i]));
			uint64_t x = 0;

			cs_of(real_hz[i], &mult, &shift);
			lpt_sim_tk_setup(&tk, mult, shift, hzs[h], start);
			for (uint64_t k = 0; k < steps; k++) {
				uint64_t gap = test_rng_next(&r) & 1 ?
					test_rng_range(&r, 0, 3 * tk.cycle_interval) :
					test_rng_range(&r, 0, 20 * real_hz[i]);

				x += gap;
				/* a clock change's forward_now now and then, a few ticks
				 * after the last accumulation as in the kernel */
				if (k % 7 == 3 && gap <= 3 * tk.cycle_interval)
					lpt_sim_tk_forward_now(&tk, start + x);
				else
					lpt_sim_tk_advance(&tk, start + x);
				check_read(&tk, start, x);
				check_read(&tk, start, x + test_rng_range(&r, 0, tk.cycle_interval));
			}
		}
}

/* A year's cycles in one timekeeping_advance() (chunks of 2^9 ticks): still exact,
 * where the single 64-bit multiply of the same mult has long overflowed. */
static void test_year(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < NHZ; i += 7) {	/* 19.2 MHz and 1 GHz */
		struct lpt_sim_tk tk;
		uint32_t mult, shift;
		uint64_t x = 31536000 * real_hz[i] + real_hz[i] / 3;

		cs_of(real_hz[i], &mult, &shift);
		lpt_sim_tk_setup(&tk, mult, shift, 250, 0);
		lpt_sim_tk_advance(&tk, x);
		assert_true(x - tk.cycle_last < tk.cycle_interval);
		check_read(&tk, 0, x);
		assert_true(x * mult >> shift != lpt_sim_tk_ns(mult, shift, x));
	}
}

/* The closed form on any 64-bit span and any mult and shift. */
static void test_closed_form(void **state)
{
	struct test_rng r = { test_seed() };
	uint64_t n = test_count(1000000);

	(void)state;
	for (uint64_t k = 0; k < n; k++) {
		uint64_t x = test_rng_input(&r);
		uint32_t mult = (uint32_t)test_rng_input(&r), shift = test_rng_next(&r) % 64;

		if (lpt_sim_tk_ns(mult, shift, x) != oracle_shr(x, mult, shift))
			fail_msg("%llu * %u >> %u", (unsigned long long)x, mult, shift);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_setup),
		cmocka_unit_test(test_accumulate),
		cmocka_unit_test(test_year),
		cmocka_unit_test(test_closed_form),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
