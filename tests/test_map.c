// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * lpt_map_*: the native->PV map, its inverse for compare values, counter wrap, and
 * re-basing across migrations, against the oracle.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <lpt/errno.h>
#include <lpt/map.h>

#include "map_oracle.h"
#include "oracle.h"
#include "testutil.h"
#include "vectors.h"

#define NSEC_PER_SEC 1000000000ULL

/*
 * The compare-value property: res is the first native value of the domain at which the
 * PV counter has reached p, or the counter's maximum when none has.
 */
static void check_first(const struct lpt_map *m, uint64_t p)
{
	uint64_t res = lpt_map_pv_to_native(m, p);

	assert_true(res >= m->native_base && res <= m->native_mask);
	if (oracle_map_reached(m, res, p)) {
		if (res > m->native_base && oracle_map_reached(m, res - 1, p))
			fail_msg("not the first: p=%#llx res=%#llx", (unsigned long long)p,
				 (unsigned long long)res);
	} else {
		/* Only allowed when the domain never reaches p. */
		assert_int_equal(res, m->native_mask);
	}
}

static uint64_t random_hz(struct test_rng *rng)
{
	if (test_rng_next(rng) & 1)
		return lpt_vec_real_hz[test_rng_next(rng) % lpt_vec_real_hz_count];
	return test_rng_input(rng) % LPT_FREQ_MAX_HZ + 1;
}

/* A plausible host: a real rate, or anything from 1 MHz to 2^40 Hz. */
static uint64_t random_host_hz(struct test_rng *rng)
{
	if (test_rng_next(rng) & 1)
		return lpt_vec_real_hz[test_rng_next(rng) % lpt_vec_real_hz_count];
	return test_rng_range(rng, 1000000, LPT_FREQ_MAX_HZ);
}

static void random_map(struct test_rng *rng, struct lpt_map *m)
{
	unsigned int width = (unsigned int)test_rng_range(rng, 56, 64);
	uint64_t base = test_rng_next(rng) & lpt_counter_mask(width);

	/* PV base below 2^63 so that the checks stay clear of the PV counter's own wrap. */
	assert_int_equal(lpt_map_init(m, random_hz(rng), random_hz(rng), width, base,
				      test_rng_next(rng) >> (1 + test_rng_next(rng) % 63)), 0);
}

static void test_init_rejects(void **state)
{
	struct lpt_map m, before;

	(void)state;
	memset(&m, 0x5a, sizeof(m));
	before = m;
	assert_int_equal(lpt_map_init(NULL, 1, 1, 64, 0, 0), -LPT_EINVAL);
	assert_int_equal(lpt_map_init(&m, 0, 1, 64, 0, 0), -LPT_EINVAL);
	assert_int_equal(lpt_map_init(&m, 1, 0, 64, 0, 0), -LPT_EINVAL);
	assert_int_equal(lpt_map_init(&m, LPT_FREQ_MAX_HZ + 1, 1, 64, 0, 0), -LPT_EINVAL);
	assert_int_equal(lpt_map_init(&m, 1, LPT_FREQ_MAX_HZ + 1, 64, 0, 0), -LPT_EINVAL);
	assert_int_equal(lpt_map_init(&m, 1, 1, 0, 0, 0), -LPT_EINVAL);
	assert_int_equal(lpt_map_init(&m, 1, 1, LPT_WIDTH_MIN - 1, 0, 0), -LPT_EINVAL);
	assert_int_equal(lpt_map_init(&m, 1, 1, 65, 0, 0), -LPT_EINVAL);
	assert_int_equal(lpt_map_init(&m, 1, 1, 56, 1ULL << 56, 0), -LPT_EINVAL);
	assert_memory_equal(&m, &before, sizeof(m));
	assert_int_equal(lpt_map_init(&m, 1, 1, 56, (1ULL << 56) - 1, 0), 0);
	assert_int_equal(m.native_mask, (1ULL << 56) - 1);
	assert_int_equal(lpt_map_init(&m, 1, 1, 64, UINT64_MAX, UINT64_MAX), 0);
	assert_int_equal(m.native_mask, UINT64_MAX);
}

static void test_native_to_pv_random(void **state)
{
	struct test_rng rng = { test_seed() ^ 10 };
	uint64_t maps = test_count(1000);
	struct lpt_map m;

	(void)state;
	for (uint64_t i = 0; i < maps; i++) {
		random_map(&rng, &m);
		for (unsigned int k = 0; k < 500; k++) {
			uint64_t n = test_rng_next(&rng) & m.native_mask;

			assert_int_equal(lpt_map_native_to_pv(&m, n), oracle_map_pv(&m, n).lo);
		}
	}
}

static void test_pv_to_native_random(void **state)
{
	struct test_rng rng = { test_seed() ^ 11 };
	uint64_t maps = test_count(1000);
	struct lpt_map m;

	(void)state;
	for (uint64_t i = 0; i < maps; i++) {
		random_map(&rng, &m);
		for (unsigned int k = 0; k < 500; k++) {
			/* Targets near the base, far away, and at a reachable native value. */
			uint64_t n = m.native_base + (test_rng_input(&rng) & (m.native_mask - m.native_base));
			uint64_t p = lpt_map_native_to_pv(&m, n);

			check_first(&m, p);
			check_first(&m, p + 1);
			check_first(&m, p - 1);
			check_first(&m, m.pv_base + test_rng_input(&rng));
			check_first(&m, test_rng_next(&rng));
		}
	}
}

/*
 * Narrow counters, every native value and every PV target: the map is exact and
 * monotonic over its domain, and each compare value is the first that reaches its target.
 */
static void test_small_width_exhaustive(void **state)
{
	static const uint64_t hz[] = { 1, 2, 3, 7, 24, 25, 192, 1000, 62500 };
	static const unsigned int widths[] = { 8, 9, 10 };
	struct lpt_map m;

	(void)state;
	for (unsigned int w = 0; w < 3; w++) {
		uint64_t mask = lpt_counter_mask(widths[w]);
		uint64_t bases[] = { 0, 1, mask / 3, mask - 1, mask };

		for (unsigned int a = 0; a < 9; a++)
			for (unsigned int b = 0; b < 9; b++)
				for (unsigned int c = 0; c < 5; c++) {
					uint64_t last = 0;

					assert_int_equal(lpt_map_init(&m, hz[a], hz[b], widths[w],
								      bases[c], 1000), 0);
					for (uint64_t n = bases[c]; n <= mask; n++) {
						uint64_t pv = lpt_map_native_to_pv(&m, n);

						assert_int_equal(pv, oracle_map_pv(&m, n).lo);
						assert_true(pv >= last);
						last = pv;
					}
					/*
					 * Every target class: p in (pv(n - 1), pv(n)] must give n,
					 * so its two ends cover it; then one past the top.
					 */
					check_first(&m, 0);
					check_first(&m, 1000);
					for (uint64_t n = bases[c]; n <= mask; n++) {
						uint64_t pv = lpt_map_native_to_pv(&m, n);

						check_first(&m, pv);
						check_first(&m, pv + 1);
					}
					check_first(&m, UINT64_MAX);
				}
	}
}

static void test_round_trips(void **state)
{
	struct test_rng rng = { test_seed() ^ 12 };
	uint64_t maps = test_count(1000);
	struct lpt_map m;

	(void)state;
	for (uint64_t i = 0; i < maps; i++) {
		random_map(&rng, &m);
		for (unsigned int k = 0; k < 500; k++) {
			uint64_t n = m.native_base + (test_rng_input(&rng) & (m.native_mask - m.native_base));
			uint64_t p = lpt_map_native_to_pv(&m, n);
			uint64_t back;

			/* Only where the PV counter itself has not wrapped past 2^64. */
			if (oracle_map_pv(&m, n).hi)
				continue;
			back = lpt_map_pv_to_native(&m, p);

			/* native -> PV -> native never passes the start ... */
			assert_true(back <= n);
			/* ... and PV -> native -> PV never falls below the start. */
			assert_true(lpt_map_native_to_pv(&m, back) == p);
		}
	}
}

static void test_counter_wrap(void **state)
{
	struct lpt_map m;
	uint64_t mask = lpt_counter_mask(56);

	(void)state;
	/* 25 MHz -> 1 GHz on a 56-bit counter based 10 ticks before it wraps. */
	assert_int_equal(lpt_map_init(&m, 25000000, 1000000000, 56, mask - 9, 5000), 0);
	assert_int_equal(lpt_map_native_to_pv(&m, mask - 9), 5000);
	assert_int_equal(lpt_map_native_to_pv(&m, mask), 5000 + 9 * 40);
	assert_int_equal(lpt_map_native_to_pv(&m, 0), 5000 + 10 * 40);
	assert_int_equal(lpt_map_native_to_pv(&m, 5), 5000 + 15 * 40);
	/* Bits above the width are ignored, as the hardware would never produce them. */
	assert_int_equal(lpt_map_native_to_pv(&m, (1ULL << 60) | 5), 5000 + 15 * 40);
	/* Compare values beyond the wrap saturate at the counter's maximum, never wrap. */
	assert_int_equal(lpt_map_pv_to_native(&m, 5000 + 9 * 40), mask);
	assert_int_equal(lpt_map_pv_to_native(&m, 5000 + 9 * 40 + 1), mask);
	assert_int_equal(lpt_map_pv_to_native(&m, UINT64_MAX), mask);
	assert_int_equal(lpt_map_pv_to_native(&m, 0), mask - 9);
}

static void test_rebase_rejects(void **state)
{
	struct lpt_map prev, next, before;
	struct lpt_resume r = { .native_hz = 1000000000, .native = 7, .width = 64,
				.downtime = LPT_DOWNTIME_HIDE };
	struct lpt_resume bad;

	(void)state;
	/* Defined padding, so that whole-object comparisons below mean something. */
	memset(&prev, 0, sizeof(prev));
	assert_int_equal(lpt_map_init(&prev, 25000000, 1000000000, 56, 0, 0), 0);
	memset(&next, 0x77, sizeof(next));
	before = next;
	assert_int_equal(lpt_map_rebase(NULL, &prev, 0, &r), -LPT_EINVAL);
	assert_int_equal(lpt_map_rebase(&next, NULL, 0, &r), -LPT_EINVAL);
	assert_int_equal(lpt_map_rebase(&next, &prev, 0, NULL), -LPT_EINVAL);
	assert_int_equal(lpt_map_rebase(&next, &prev, 1ULL << 56, &r), -LPT_EINVAL);
	bad = r;
	bad.downtime = 2;
	assert_int_equal(lpt_map_rebase(&next, &prev, 0, &bad), -LPT_EINVAL);
	bad = r;
	bad.native_hz = 0;
	assert_int_equal(lpt_map_rebase(&next, &prev, 0, &bad), -LPT_EINVAL);
	bad = r;
	bad.width = 65;
	assert_int_equal(lpt_map_rebase(&next, &prev, 0, &bad), -LPT_EINVAL);
	bad = r;
	bad.width = 56;
	bad.native = 1ULL << 56;
	assert_int_equal(lpt_map_rebase(&next, &prev, 0, &bad), -LPT_EINVAL);
	assert_memory_equal(&next, &before, sizeof(next));
	/* A failed re-base in place leaves the map as it was. */
	before = prev;
	assert_int_equal(lpt_map_rebase(&prev, &prev, 0, &bad), -LPT_EINVAL);
	assert_memory_equal(&prev, &before, sizeof(prev));
}

/* Field by field: padding bytes are not part of a map's value. */
static void assert_map_equal(const struct lpt_map *a, const struct lpt_map *b)
{
	assert_memory_equal(&a->to_pv, &b->to_pv, sizeof(a->to_pv));
	assert_memory_equal(&a->to_native, &b->to_native, sizeof(a->to_native));
	assert_int_equal(a->native_base, b->native_base);
	assert_int_equal(a->pv_base, b->pv_base);
	assert_int_equal(a->native_mask, b->native_mask);
	assert_int_equal(a->width, b->width);
}

static void test_rebase_continues(void **state)
{
	struct lpt_map prev, next;
	struct lpt_resume r = { .native_hz = 19200000, .native = 123456789, .width = 56,
				.downtime_ns = 250000000, .downtime = LPT_DOWNTIME_HIDE };

	(void)state;
	/* 1 GHz PV on a 25 MHz host, paused after 10 s. */
	assert_int_equal(lpt_map_init(&prev, 25000000, 1000000000, 56, 1000, 0), 0);
	assert_int_equal(lpt_map_native_to_pv(&prev, 1000 + 250000000), 10000000000ULL);

	assert_int_equal(lpt_map_rebase(&next, &prev, 1000 + 250000000, &r), 0);
	assert_int_equal(lpt_map_native_to_pv(&next, 123456789), 10000000000ULL);
	/* One 19.2 MHz tick later: 1e9 / 19.2e6 = 52.08 PV ticks. */
	assert_int_equal(lpt_map_native_to_pv(&next, 123456790), 10000000052ULL);

	r.downtime = LPT_DOWNTIME_COUNT;
	assert_int_equal(lpt_map_rebase(&next, &prev, 1000 + 250000000, &r), 0);
	assert_int_equal(lpt_map_native_to_pv(&next, 123456789), 10250000000ULL);

	/* In place. */
	assert_int_equal(lpt_map_rebase(&prev, &prev, 1000 + 250000000, &r), 0);
	assert_map_equal(&prev, &next);
}

/*
 * 1000 migrations across random hosts (PV at a real rate, hosts at 1 MHz or more, runs
 * of up to 2^36 native ticks: the PV counter stays far from 2^64), checking that it
 * never steps back, that each resume
 * continues from the pause value plus the counted downtime, and the final value is
 * exactly the sum of what each host contributed (by the oracle).
 */
static void chain(uint32_t policy, uint64_t seed)
{
	struct test_rng rng = { seed };
	uint64_t pv_hz = lpt_vec_real_hz[test_rng_next(&rng) % lpt_vec_real_hz_count];
	uint64_t pv0 = test_rng_next(&rng) >> 8;
	uint64_t expect = pv0, last = pv0;
	struct lpt_map m;
	unsigned int width = 56 + (unsigned int)(test_rng_next(&rng) % 9);
	uint64_t native_hz = random_host_hz(&rng);
	uint64_t now = test_rng_next(&rng) & lpt_counter_mask(width);

	assert_int_equal(lpt_map_init(&m, native_hz, pv_hz, width, now, pv0), 0);
	for (unsigned int hop = 0; hop < 1000; hop++) {
		/* Run for up to 2^36 native ticks, reading the counter along the way. */
		uint64_t run = test_rng_input(&rng) >> 28;
		struct lpt_resume r;
		uint64_t pause, at_pause;

		for (unsigned int k = 1; k <= 8; k++) {
			uint64_t pv = lpt_map_native_to_pv(&m, (now + run / 8 * k) & m.native_mask);

			assert_true(pv >= last);
			last = pv;
		}
		pause = (now + run) & m.native_mask;
		at_pause = lpt_map_native_to_pv(&m, pause);
		assert_true(at_pause >= last);
		expect += oracle_floor(run, pv_hz, native_hz);
		assert_int_equal(at_pause, expect);

		r.width = 56 + (unsigned int)(test_rng_next(&rng) % 9);
		r.native_hz = native_hz = random_host_hz(&rng);
		/* Sometimes just below the new counter's wrap. */
		r.native = test_rng_next(&rng) & lpt_counter_mask(r.width);
		if (hop % 7 == 0)
			r.native = lpt_counter_mask(r.width) - (test_rng_next(&rng) & 0xffff);
		r.downtime_ns = test_rng_input(&rng) >> 30;
		r.downtime = policy;
		assert_int_equal(lpt_map_rebase(&m, &m, pause, &r), 0);
		if (policy == LPT_DOWNTIME_COUNT)
			expect += oracle_floor(r.downtime_ns, pv_hz, NSEC_PER_SEC);
		now = r.native;
		last = lpt_map_native_to_pv(&m, now);
		assert_int_equal(last, expect);
	}
}

static void test_chain_hide(void **state)
{
	uint64_t chains = test_count(20);

	(void)state;
	for (uint64_t i = 0; i < chains; i++)
		chain(LPT_DOWNTIME_HIDE, test_seed() ^ (100 + i));
}

static void test_chain_count(void **state)
{
	uint64_t chains = test_count(20);

	(void)state;
	for (uint64_t i = 0; i < chains; i++)
		chain(LPT_DOWNTIME_COUNT, test_seed() ^ (200 + i));
}

/*
 * lpt_map_compose(): an L2 guest's PV counter straight from the host's native counter.
 * floor(R(n)), R the exact composition of the two maps before any rounding, computed
 * by the oracle from frequencies and bases only: outer's pv_base + qd + qx + carry,
 * with qd = floor(d * f2 / f1), qx = floor(x * f2 / f0) and carry whether the two
 * fractions they dropped add up to a tick (rd * f0 + rx * f1 >= f0 * f1, < 2^81).
 */
static uint64_t oracle_compose_floor(const struct lpt_map *inner, const struct lpt_map *outer,
				     uint64_t n, bool *exact_at_pin, uint64_t *pinned)
{
	uint64_t f0 = inner->to_pv.from_hz, f1 = inner->to_pv.to_hz, f2 = outer->to_pv.to_hz;
	uint64_t d = (inner->pv_base - outer->native_base) & outer->native_mask;
	uint64_t x = (n - inner->native_base) & inner->native_mask;
	struct oracle_quot qd = oracle_muldiv(d, f2, f1), qx = oracle_muldiv(x, f2, f0);
	struct oracle_u128 a = oracle_mul(qd.rem, f0), b = oracle_mul(qx.rem, f1);
	struct oracle_u128 c = oracle_mul(f0, f1);
	uint64_t lo = a.lo + b.lo, hi = a.hi + b.hi + (lo < a.lo);
	bool carry = hi > c.hi || (hi == c.hi && lo >= c.lo);

	*exact_at_pin = !qd.inexact;
	*pinned = outer->pv_base + qd.lo + qx.lo;	/* the documented formula */
	return *pinned + carry;
}

static void test_compose_random(void **state)
{
	struct test_rng rng = { test_seed() ^ 12 };
	uint64_t maps = test_count(1000);

	(void)state;
	for (uint64_t i = 0; i < maps; i++) {
		struct lpt_map inner, outer, out, alias;
		uint64_t f1 = random_hz(&rng), b1;

		random_map(&rng, &inner);
		b1 = inner.pv_base;
		assert_int_equal(lpt_map_init(&inner, inner.to_pv.from_hz, f1, inner.width,
					      inner.native_base, b1), 0);
		/* L1 pinned its map of L2 at or a while before L0's pin of L1. */
		assert_int_equal(lpt_map_init(&outer, f1, random_hz(&rng), 64,
					      b1 - (test_rng_input(&rng) & b1),
					      test_rng_next(&rng) >> 2), 0);
		assert_int_equal(lpt_map_compose(&out, &inner, &outer), 0);
		assert_int_equal(out.to_pv.from_hz, inner.to_pv.from_hz);
		assert_int_equal(out.to_pv.to_hz, outer.to_pv.to_hz);
		assert_int_equal(out.width, inner.width);
		assert_int_equal(out.native_base, inner.native_base);
		alias = inner;
		assert_int_equal(lpt_map_compose(&alias, &alias, &outer), 0);
		assert_map_equal(&alias, &out);
		alias = outer;
		assert_int_equal(lpt_map_compose(&alias, &inner, &alias), 0);
		assert_map_equal(&alias, &out);
		for (unsigned int k = 0; k < 200; k++) {
			uint64_t n = test_rng_next(&rng) & inner.native_mask, pinned;
			uint64_t pv = lpt_map_native_to_pv(&out, n);
			bool exact;
			uint64_t fl = oracle_compose_floor(&inner, &outer, n, &exact, &pinned);

			assert_int_equal(pv, pinned);
			assert_true(fl - pv <= 1);
			if (exact)
				assert_int_equal(pv, fl);
		}
	}
}

/*
 * The point of composing: L1 keeps a 25 MHz PV counter (it booted on an Altra), L2 is
 * given 1 GHz, and the host is an AmpereOne (1 GHz). Two rounded maps in a row floor
 * the 25 MHz counter first: L2's counter moves by 40-tick steps and lags the exact
 * composition by up to 40 ticks; the composed map never by more than one.
 */
static void test_compose_vs_two_maps(void **state)
{
	struct test_rng rng = { test_seed() ^ 13 };
	struct lpt_map inner, outer, out;
	uint64_t worst_two = 0, worst_out = 0, n0 = 0x1234567890ULL, pinned;
	bool exact;

	(void)state;
	assert_int_equal(lpt_map_init(&inner, 1000000000, 25000000, 64, n0, 777777), 0);
	assert_int_equal(lpt_map_init(&outer, 25000000, 1000000000, 64, 5, 0), 0);
	assert_int_equal(lpt_map_compose(&out, &inner, &outer), 0);
	for (unsigned int k = 0; k < 100000; k++) {
		uint64_t n = n0 + (test_rng_next(&rng) >> 20);
		uint64_t fl = oracle_compose_floor(&inner, &outer, n, &exact, &pinned);
		uint64_t two = lpt_map_native_to_pv(&outer, lpt_map_native_to_pv(&inner, n));
		uint64_t pv = lpt_map_native_to_pv(&out, n);

		assert_true(two <= fl && pv <= fl);
		worst_two = fl - two > worst_two ? fl - two : worst_two;
		worst_out = fl - pv > worst_out ? fl - pv : worst_out;
	}
	assert_true(exact);		/* the pins meet on a whole 25 MHz tick */
	assert_int_equal(worst_out, 0);
	assert_int_equal(worst_two, 39);
}

static void test_compose_rejects(void **state)
{
	struct lpt_map inner, outer, out, before;

	(void)state;
	assert_int_equal(lpt_map_init(&inner, 1000000000, 25000000, 64, 0, 0), 0);
	assert_int_equal(lpt_map_init(&outer, 24000000, 1000000000, 64, 0, 0), 0);
	memset(&out, 0x5a, sizeof(out));
	before = out;
	assert_int_equal(lpt_map_compose(&out, &inner, &outer), -LPT_EINVAL);
	assert_int_equal(lpt_map_compose(NULL, &inner, &inner), -LPT_EINVAL);
	assert_int_equal(lpt_map_compose(&out, NULL, &inner), -LPT_EINVAL);
	assert_int_equal(lpt_map_compose(&out, &inner, NULL), -LPT_EINVAL);
	outer.width = 3;
	assert_int_equal(lpt_map_compose(&out, &inner, &outer), -LPT_EINVAL);
	assert_memory_equal(&out, &before, sizeof(out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_rejects),
		cmocka_unit_test(test_native_to_pv_random),
		cmocka_unit_test(test_pv_to_native_random),
		cmocka_unit_test(test_small_width_exhaustive),
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_counter_wrap),
		cmocka_unit_test(test_rebase_rejects),
		cmocka_unit_test(test_rebase_continues),
		cmocka_unit_test(test_chain_hide),
		cmocka_unit_test(test_chain_count),
		cmocka_unit_test(test_compose_random),
		cmocka_unit_test(test_compose_vs_two_maps),
		cmocka_unit_test(test_compose_rejects),
	};

#ifdef LPT_NO_INT128
	return cmocka_run_group_tests_name("map (portable path)", tests, NULL, NULL);
#else
	return cmocka_run_group_tests_name("map", tests, NULL, NULL);
#endif
}
