// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * VMClock, the peer (sim/peer_vmclock.c): the guest's conversion against a transcription
 * of upstream's own code (drivers/ptp/ptp_vmclock.c with its unsigned __int128, where
 * the compiler has it), bit for bit on random fields; the host's period against the
 * exact product (rounded to nearest, the largest shift that fits); the time's fraction
 * read back to the same ns; and a conversion's distance from the exact time.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../sim/peer_vmclock.h"
#include "oracle.h"
#include "testutil.h"

#define NSEC_PER_SEC	UINT64_C(1000000000)

static const uint64_t real_hz[] = {
	19200000, 24000000, 25000000, 50000000, 62500000, 100000000, 200000000, 1000000000,
};

#ifdef __SIZEOF_INT128__
/* drivers/ptp/ptp_vmclock.c (Linux 6.13+), as upstream writes it. */
static uint64_t up_mul_u64_u64_shr_add_u64(uint64_t *res_hi, uint64_t delta,
					   uint64_t period, uint8_t shift,
					   uint64_t frac_sec)
{
	unsigned __int128 res = (unsigned __int128)delta * period;

	res >>= shift;
	res += frac_sec;
	*res_hi = res >> 64;
	return (uint64_t)res;
}

/* include/linux/math64.h, mul_u64_u64_shr() on a 64-bit kernel with __int128. */
static uint64_t up_mul_u64_u64_shr(uint64_t a, uint64_t mul, unsigned int shift)
{
	return (uint64_t)(((unsigned __int128)a * mul) >> shift);
}

/* vmclock_get_crosststamp()'s arithmetic, from the counter read to the timespec. */
static void up_time(const struct lpt_sim_vmclock *c, uint64_t cycle, uint64_t *sec,
		    uint64_t *nsec)
{
	uint64_t delta = cycle - c->counter_value, frac_sec;

	frac_sec = up_mul_u64_u64_shr_add_u64(sec, delta, c->counter_period_frac_sec,
					      c->counter_period_shift, c->time_frac_sec);
	*nsec = up_mul_u64_u64_shr(frac_sec, NSEC_PER_SEC, 64);
	*sec += c->time_sec;
}
#endif

/* Bit for bit the transcribed upstream conversion, on random fields. */
static void test_transcription(void **state)
{
#ifdef __SIZEOF_INT128__
	struct test_rng r = { test_seed() };
	uint64_t n = test_count(1000000);

	(void)state;
	for (uint64_t i = 0; i < n; i++) {
		struct lpt_sim_vmclock c = {
			.counter_period_shift = (uint8_t)(test_rng_next(&r) % 64),
			.counter_value = test_rng_input(&r),
			.counter_period_frac_sec = test_rng_input(&r),
			.time_sec = test_rng_input(&r),
			.time_frac_sec = test_rng_input(&r),
		};
		uint64_t cycle = test_rng_input(&r), sec, nsec, usec, unsec;

		assert_int_equal(lpt_sim_vmclock_time(&c, cycle, &sec, &nsec), 0);
		up_time(&c, cycle, &usec, &unsec);
		if (sec != usec || nsec != unsec)
			fail_msg("fields %llu %u %llu %llu %llu, counter %llu: %llu.%09llu, "
				 "upstream %llu.%09llu", (unsigned long long)c.counter_value,
				 c.counter_period_shift,
				 (unsigned long long)c.counter_period_frac_sec,
				 (unsigned long long)c.time_sec, (unsigned long long)c.time_frac_sec,
				 (unsigned long long)cycle, (unsigned long long)sec,
				 (unsigned long long)nsec, (unsigned long long)usec,
				 (unsigned long long)unsec);
	}
#else
	(void)state;
	skip();		/* no unsigned __int128 to transcribe upstream with (armhf) */
#endif
}

/* The period is 2^(64 + shift) / hz to nearest (ties up), checked on the exact product,
 * and no larger shift would fit. */
static void check_period(uint64_t hz)
{
	struct oracle_u128 p;
	uint64_t period, pow;
	uint8_t shift;

	assert_int_equal(lpt_sim_vmclock_period(hz, &period, &shift), 0);
	assert_true(shift < 64);
	pow = UINT64_C(1) << shift;
	if (!(pow < hz && (shift == 63 || 2 * pow >= hz)))
		fail_msg("%llu Hz: shift %u is not the largest that fits", (unsigned long long)hz,
			 shift);
	p = oracle_mul(period, hz);	/* against 2^(64 + shift) = pow * 2^64 */
	if (p.hi == pow) {		/* above: by p.lo, at most half of hz */
		if (p.lo > hz - p.lo)
			fail_msg("%llu Hz: period %llu too large", (unsigned long long)hz,
				 (unsigned long long)period);
	} else if (p.hi == pow - 1) {	/* below: by 2^64 - p.lo, less than half */
		uint64_t below = -p.lo;

		if (!p.lo || below >= hz - below)
			fail_msg("%llu Hz: period %llu too small", (unsigned long long)hz,
				 (unsigned long long)period);
	} else {
		fail_msg("%llu Hz: period %llu off by more than a unit", (unsigned long long)hz,
			 (unsigned long long)period);
	}
}

static void test_period(void **state)
{
	struct test_rng r = { test_seed() ^ 0x766d };
	uint64_t n = test_count(100000), period;
	uint8_t shift;

	(void)state;
	for (unsigned int i = 0; i < sizeof(real_hz) / sizeof(real_hz[0]); i++)
		check_period(real_hz[i]);
	for (uint64_t hz = 2; hz < 70; hz++)
		check_period(hz);
	for (unsigned int k = 1; k < 63; k++) {	/* powers of two and their neighbours */
		check_period((UINT64_C(1) << k) + 1);
		check_period(UINT64_C(1) << (k + 1));
		check_period((UINT64_C(1) << (k + 1)) - 1);
	}
	for (uint64_t i = 0; i < n; i++)
		check_period(test_rng_range(&r, 2, UINT64_MAX >> 1));
	/* 25 MHz: 2^24 < 25e6 < 2^25; 2^88 / 25e6 = 12379400392853802748.99 (Python's Fraction) */
	assert_int_equal(lpt_sim_vmclock_period(25000000, &period, &shift), 0);
	assert_int_equal(shift, 24);
	assert_int_equal(period, UINT64_C(12379400392853802749));
	assert_int_equal(lpt_sim_vmclock_period(1, &period, &shift), -1);
	assert_int_equal(lpt_sim_vmclock_period(0, &period, &shift), -1);
}

/* The update protocol, the disruption marker, and the time read back at the reference
 * counter as published, to the ns. */
static void test_publish(void **state)
{
	struct test_rng r = { test_seed() ^ 0x7075 };
	struct lpt_sim_vmclock c = { 0 };
	uint64_t n = test_count(100000), sec, nsec;

	(void)state;
	c.seq_count = 1;		/* mid-update: the guest must retry */
	assert_int_equal(lpt_sim_vmclock_time(&c, 0, &sec, &nsec), -1);
	c.seq_count = 0;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t hz = real_hz[i % 8], counter = test_rng_input(&r);
		uint64_t t = test_rng_range(&r, 0, UINT64_MAX), seq = c.seq_count;
		uint64_t marker = c.disruption_marker;

		assert_int_equal(lpt_sim_vmclock_publish(&c, counter, t, hz, i & 1), 0);
		assert_int_equal(c.seq_count, seq + 2);
		assert_int_equal(c.disruption_marker, marker + (i & 1));
		assert_int_equal(lpt_sim_vmclock_ns(&c, counter), t);
	}
	assert_int_equal(lpt_sim_vmclock_publish(&c, 0, 0, 1, true), -1);
}

/* From the reference on, the time is the exact elapsed time to within a ns plus the
 * period's rounding (half a unit of 2^-(64 + shift) s a tick). */
static void test_exact(void **state)
{
	struct test_rng r = { test_seed() ^ 0x6578 };
	uint64_t n = test_count(100000);

	(void)state;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t hz = i % 2 ? real_hz[i / 2 % 8] : test_rng_range(&r, 1000, 4294967295u);
		uint64_t delta = test_rng_input(&r) >> 8, base = test_rng_input(&r);
		uint64_t t0 = test_rng_range(&r, 0, UINT64_C(1) << 62), got, exact, err;
		struct lpt_sim_vmclock c = { 0 };
		double bound;

		assert_int_equal(lpt_sim_vmclock_publish(&c, base, t0, hz, false), 0);
		got = lpt_sim_vmclock_ns(&c, base + delta) - t0;
		exact = oracle_floor(delta, NSEC_PER_SEC, hz);
		/* (rounding: 1/2 unit a tick) * 10^9 ns, plus the floors */
		bound = (double)delta / 2 * 1e9 / 18446744073709551616.0 /
			(double)(UINT64_C(1) << c.counter_period_shift) + 2;
		err = got - exact;	/* both modulo 2^64 */
		if ((int64_t)err < 0)
			err = -err;
		if ((double)err > bound)
			fail_msg("%llu Hz, %llu ticks: %llu ns, exact %llu ns, bound %.1f",
				 (unsigned long long)hz, (unsigned long long)delta,
				 (unsigned long long)got, (unsigned long long)exact, bound);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transcription),
		cmocka_unit_test(test_period),
		cmocka_unit_test(test_publish),
		cmocka_unit_test(test_exact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
