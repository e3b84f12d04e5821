// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Guest timers on the PV counter: the defining property (hardware condition n >=
 * native_cval exactly when pv(n) >= cval), exhaustively on narrow counters and on 10^6
 * random 64-bit cases per pair of real counter rates; TVAL and CVAL semantics; virtual
 * and physical timers; re-programming after migration; bad input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <lpt/errno.h>
#include <lpt/timer.h>

#include "map_oracle.h"
#include "oracle.h"
#include "testutil.h"
#include "vectors.h"

/*
 * The property at the boundary, which over a non-decreasing pv() is the property for
 * every n of the domain: pv(nc) reaches cval and pv(nc - 1) does not; or nothing of the
 * domain reaches cval and nc lies beyond the counter. pv() here is the library's own
 * forward map (exact by test_map and test_scale) unless use_oracle is set.
 */
static void check_boundary(const struct lpt_map *m, uint64_t cval, bool use_oracle)
{
	uint64_t nc = lpt_timer_native_cval(m, cval);
	bool at, before;

#define REACHED(n) (use_oracle ? oracle_map_reached(m, (n), cval) : lpt_map_native_to_pv(m, (n)) >= cval)
	if (nc > m->native_mask) {
		/* Beyond: only for narrower counters, and only if the maximum does not reach. */
		assert_true(m->width < 64);
		assert_int_equal(nc, m->native_mask + 1);
		assert_false(REACHED(m->native_mask));
		return;
	}
	assert_true(nc >= m->native_base);
	at = REACHED(nc);
	before = nc > m->native_base && REACHED(nc - 1);
	/* The one allowed corner: a 64-bit counter's last value. */
	if (!at && m->width == 64 && nc == UINT64_MAX)
		return;
	if (!at || before)
		fail_msg("cval %#llx -> native %#llx: pv there %s, pv a tick before %s",
			 (unsigned long long)cval, (unsigned long long)nc, at ? "reaches" : "short",
			 before ? "reaches" : "short");
#undef REACHED
}

static void test_exhaustive_narrow(void **state)
{
	static const uint64_t hz[] = { 1, 3, 7, 24, 25, 192, 1000 };
	static const unsigned int widths[] = { 8, 10 };
	static uint64_t pv[1024];
	struct lpt_map m;
	uint64_t cases = 0;

	(void)state;
	for (unsigned int w = 0; w < 2; w++) {
		uint64_t mask = lpt_counter_mask(widths[w]);
		uint64_t bases[] = { 0, mask / 3, mask };

		for (unsigned int a = 0; a < 7; a++)
			for (unsigned int b = 0; b < 7; b++)
				for (unsigned int c = 0; c < 3; c++) {
					uint64_t base = bases[c];

					assert_int_equal(lpt_map_init(&m, hz[a], hz[b], widths[w], base, 500), 0);
					for (uint64_t n = base; n <= mask; n++)
						pv[n] = oracle_map_pv(&m, n).lo;
					/* Every class of compare values: both ends of each step, and far. */
					for (uint64_t k = base; k <= mask + 3; k++) {
						uint64_t cval = k <= mask ? pv[k] + (k & 1) :
								k == mask + 1 ? 0 : k == mask + 2 ? pv[mask] + 1 : UINT64_MAX;
						uint64_t nc = lpt_timer_native_cval(&m, cval);

						for (uint64_t n = base; n <= mask; n++) {
							if ((n >= nc) != (pv[n] >= cval))
								fail_msg("w=%u %llu->%llu Hz base %llu cval %llu: n=%llu nc=%llu",
									 widths[w], (unsigned long long)hz[a],
									 (unsigned long long)hz[b], (unsigned long long)base,
									 (unsigned long long)cval, (unsigned long long)n,
									 (unsigned long long)nc);
							cases++;
						}
					}
				}
	}
	fprintf(stderr, "narrow counters: %llu (native value, compare value) cases\n", (unsigned long long)cases);
}

static void test_random_per_real_pair(void **state)
{
	struct test_rng rng = { test_seed() ^ 20 };
	uint64_t count = test_count(1000000);
	struct lpt_map m;

	(void)state;
	for (unsigned int i = 0; i < lpt_vec_real_hz_count; i++)
		for (unsigned int j = 0; j < lpt_vec_real_hz_count; j++) {
			unsigned int width = 56 + (unsigned int)(test_rng_next(&rng) % 9);
			uint64_t mask = lpt_counter_mask(width);

			assert_int_equal(lpt_map_init(&m, lpt_vec_real_hz[i], lpt_vec_real_hz[j], width,
						      test_rng_next(&rng) & mask, test_rng_next(&rng) >> 2), 0);
			for (uint64_t k = 0; k < count; k++) {
				uint64_t n = m.native_base + (test_rng_input(&rng) & (mask - m.native_base));
				uint64_t pv = lpt_map_native_to_pv(&m, n);
				uint64_t cval;

				switch (k % 4) {
				case 0: cval = pv; break;
				case 1: cval = pv + 1; break;
				case 2: cval = pv - 1 - (test_rng_next(&rng) & 0xff); break;
				default: cval = m.pv_base + test_rng_input(&rng); break;
				}
				/* Every 64th case also against the oracle. */
				check_boundary(&m, cval, k % 64 == 0);
			}
			/* A fresh map every pair: re-base near the counter's end too. */
			if (j % 2)
				assert_int_equal(lpt_map_init(&m, lpt_vec_real_hz[i], lpt_vec_real_hz[j],
							      width, mask - 1000, 7), 0);
			check_boundary(&m, UINT64_MAX, true);
			check_boundary(&m, m.pv_base, true);
		}
}

static void test_cval_shadow_and_tval(void **state)
{
	struct lpt_map m;
	struct lpt_timer t;
	int32_t tval;

	(void)state;
	/* A 1 GHz PV counter on a 19.2 MHz host: one native tick is 52.08 PV ticks. */
	assert_int_equal(lpt_map_init(&m, 19200000, 1000000000, 56, 0, 0), 0);
	assert_int_equal(lpt_timer_write_cval(&t, &m, 1000000001), 0);
	/* Read back as written, though the native value cannot give it back. */
	assert_int_equal(lpt_timer_read_cval(&t), 1000000001);
	/* 1000000001 PV ticks are 19200000.0192 native ticks: the first reaching one. */
	assert_int_equal(t.native_cval, 19200001);
	assert_int_equal(lpt_map_native_to_pv(&m, 19200000), 1000000000);

	/* TVAL 1000 at native 1000 (PV 52083): CVAL = 53083, fires at native 1020. */
	assert_int_equal(lpt_timer_write_tval(&t, &m, 1000, 1000), 0);
	assert_int_equal(lpt_timer_read_cval(&t), 52083 + 1000);
	assert_int_equal(t.native_cval, 1020);
	assert_int_equal(lpt_timer_read_tval(&t, &m, 1000, &tval), 0);
	assert_int_equal(tval, 1000);
	/* Later reads count down and go negative once the deadline has passed. */
	assert_int_equal(lpt_timer_read_tval(&t, &m, 1010, &tval), 0);
	assert_int_equal(tval, 53083 - 52604);
	assert_int_equal(lpt_timer_read_tval(&t, &m, 1100, &tval), 0);
	assert_int_equal(tval, 53083 - 57291);
	/* A negative TVAL is in the past: the compare value fires at once. */
	assert_int_equal(lpt_timer_write_tval(&t, &m, 100000, -5), 0);
	assert_true(t.native_cval <= 100000);
	/* TVAL is 32 bits of (CVAL - now): a far CVAL reads truncated, as in hardware. */
	assert_int_equal(lpt_timer_write_cval(&t, &m, 52083 + (1ULL << 32) + 7), 0);
	assert_int_equal(lpt_timer_read_tval(&t, &m, 1000, &tval), 0);
	assert_int_equal(tval, 7);
	assert_int_equal(lpt_timer_write_cval(&t, &m, 52083 + 0x80000000ULL), 0);
	assert_int_equal(lpt_timer_read_tval(&t, &m, 1000, &tval), 0);
	assert_int_equal(tval, INT32_MIN);
	/* TVAL extremes. */
	assert_int_equal(lpt_timer_write_tval(&t, &m, 1000, INT32_MAX), 0);
	assert_int_equal(lpt_timer_read_cval(&t), 52083 + 0x7fffffffULL);
	assert_int_equal(lpt_timer_write_tval(&t, &m, 1000, INT32_MIN), 0);
	assert_int_equal(lpt_timer_read_cval(&t), 52083 - 0x80000000ULL);
}

/* The virtual and physical counters of one VM: same rates, their own bases. */
static void test_virt_and_phys(void **state)
{
	struct lpt_map virt, phys;
	struct lpt_timer tv, tp;

	(void)state;
	assert_int_equal(lpt_map_init(&virt, 25000000, 1000000000, 56, 5000, 0), 0);
	assert_int_equal(lpt_map_init(&phys, 25000000, 1000000000, 56, 5000, 1ULL << 40), 0);
	assert_int_equal(lpt_timer_write_cval(&tv, &virt, 4000), 0);
	assert_int_equal(lpt_timer_write_cval(&tp, &phys, (1ULL << 40) + 4000), 0);
	assert_int_equal(tv.native_cval, 5100);
	assert_int_equal(tp.native_cval, 5100);
	for (uint64_t cval = 0; cval < 100000; cval += 37) {
		check_boundary(&virt, cval, true);
		check_boundary(&phys, (1ULL << 40) + cval, true);
	}
}

/* A deadline a day away, armed on one host, re-programmed on three others. */
static void test_migration(void **state)
{
	static const uint64_t hosts[] = { 25000000, 1000000000, 19200000, 100000000 };
	struct lpt_map m;
	struct lpt_timer t;
	uint64_t now = 1000, deadline = 86400ULL * 1000000000ULL;

	(void)state;
	assert_int_equal(lpt_map_init(&m, hosts[0], 1000000000, 56, now, 0), 0);
	assert_int_equal(lpt_timer_write_cval(&t, &m, deadline), 0);
	for (unsigned int h = 1; h < 4; h++) {
		struct lpt_resume r = { .native_hz = hosts[h], .native = 77 * h, .width = 56 + h,
					.downtime = LPT_DOWNTIME_COUNT, .downtime_ns = 123456789 };
		uint64_t pause = m.native_base + hosts[h - 1]; /* a second on each host */

		assert_int_equal(lpt_map_rebase(&m, &m, pause, &r), 0);
		assert_int_equal(lpt_timer_reprogram(&t, &m), 0);
		assert_int_equal(lpt_timer_read_cval(&t), deadline);
		check_boundary(&m, deadline, true);
	}
	/* On the 100 MHz host: first native tick at which PV reaches a day. */
	assert_true(oracle_map_reached(&m, t.native_cval, deadline));
	assert_false(oracle_map_reached(&m, t.native_cval - 1, deadline));
}

static void test_rejects(void **state)
{
	struct lpt_map m, bad;
	struct lpt_timer t, before;
	int32_t tval = 42;

	(void)state;
	assert_int_equal(lpt_map_init(&m, 25000000, 1000000000, 56, 0, 0), 0);
	memset(&t, 0x3c, sizeof(t));
	before = t;
	assert_int_equal(lpt_timer_write_cval(NULL, &m, 1), -LPT_EINVAL);
	assert_int_equal(lpt_timer_write_cval(&t, NULL, 1), -LPT_EINVAL);
	assert_int_equal(lpt_timer_write_tval(NULL, &m, 0, 1), -LPT_EINVAL);
	assert_int_equal(lpt_timer_write_tval(&t, NULL, 0, 1), -LPT_EINVAL);
	assert_int_equal(lpt_timer_read_tval(NULL, &m, 0, &tval), -LPT_EINVAL);
	assert_int_equal(lpt_timer_read_tval(&t, &m, 0, NULL), -LPT_EINVAL);
	assert_int_equal(lpt_timer_reprogram(NULL, &m), -LPT_EINVAL);
	assert_int_equal(lpt_timer_reprogram(&t, NULL), -LPT_EINVAL);
	/* Inconsistent maps: each field broken in turn. */
	for (int k = 0; k < 6; k++) {
		bad = m;
		switch (k) {
		case 0: bad.width = 7; break;
		case 1: bad.native_mask = 12345; break;
		case 2: bad.native_base = 1ULL << 56; break;
		case 3: bad.to_pv.from_hz = 0; break;
		case 4: bad.to_native.from_hz = 3; break;
		default: bad.to_pv.to_hz = LPT_FREQ_MAX_HZ + 1; break;
		}
		assert_int_equal(lpt_map_check(&bad), -LPT_EINVAL);
		assert_int_equal(lpt_timer_write_cval(&t, &bad, 1), -LPT_EINVAL);
		assert_int_equal(lpt_timer_write_tval(&t, &bad, 0, 1), -LPT_EINVAL);
		assert_int_equal(lpt_timer_read_tval(&t, &bad, 0, &tval), -LPT_EINVAL);
		assert_int_equal(lpt_timer_reprogram(&t, &bad), -LPT_EINVAL);
	}
	assert_memory_equal(&t, &before, sizeof(t));
	assert_int_equal(tval, 42);
	assert_int_equal(lpt_map_check(&m), 0);
	assert_int_equal(lpt_map_check(NULL), -LPT_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exhaustive_narrow),
		cmocka_unit_test(test_random_per_real_pair),
		cmocka_unit_test(test_cval_shadow_and_tval),
		cmocka_unit_test(test_virt_and_phys),
		cmocka_unit_test(test_migration),
		cmocka_unit_test(test_rejects),
	};

#ifdef LPT_NO_INT128
	return cmocka_run_group_tests_name("timer (portable path)", tests, NULL, NULL);
#else
	return cmocka_run_group_tests_name("timer", tests, NULL, NULL);
#endif
}
