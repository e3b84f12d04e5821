// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The peers' arithmetic added for the benchmarks' fairness (sim/peers.c): Linux's
 * mul_u64_u32_div() and KVM's Hyper-V TSC page built from kvmclock's multiplier
 * (compute_tsc_page_parameters()), on a case worked by hand and against the oracle;
 * kvmclock re-anchored every 300 s against the oracle's exact time and product.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "oracle.h"
#include "peers.h"
#include "testutil.h"

static const uint64_t real_hz[] = {
	19200000, 24000000, 25000000, 50000000, 62500000, 100000000, 200000000, 1000000000,
};
#define NHZ (sizeof(real_hz) / sizeof(real_hz[0]))

static void test_mul_u64_u32_div(void **state)
{
	struct test_rng r = { test_seed() };
	uint64_t n = test_count(1000000);

	(void)state;
	for (uint64_t k = 0; k < n; k++) {
		uint64_t a = test_rng_input(&r);
		uint32_t mul = (uint32_t)test_rng_input(&r);
		uint32_t div = (uint32_t)test_rng_input(&r);

		if (!div)
			div = 100;
		if (lpt_sim_mul_u64_u32_div(a, mul, div) != oracle_muldiv(a, mul, div).lo)
			fail_msg("%llu * %u / %u", (unsigned long long)a, mul, div);
	}
}

/*
 * 19.2 MHz, worked by hand: kvm_get_time_scale(10^9, 19.2e6) doubles 19.2e6 six times
 * to 1228.8e6 > 10^9, so tsc_shift 6 and tsc_to_system_mul = floor(2^32 * 10^9 /
 * 1228.8e6) = 3495253333; the TSC page's scale is floor(2^38 * 3495253333 / 100) =
 * 9607679204140798443, 916259690 below the ideal floor(2^64 * 10^7 / 19.2e6) =
 * 9607679205057058133. system_time 10^9 ns at tsc_timestamp 19.2e6: offset 10^7 -
 * floor(19.2e6 * scale / 2^64) = 10^7 - 9999999 = 1.
 */
static void test_kvm_hv_hand(void **state)
{
	struct bench_pvclock pvti = { .flags = BENCH_PVCLOCK_TSC_STABLE_BIT };
	struct bench_peer p;
	uint64_t scale;
	int64_t offset;

	(void)state;
	bench_peer_init(&p, PEER_KVMCLOCK, 19200000, 1000000000);
	assert_int_equal(p.mult, 3495253333u);
	assert_int_equal(p.shift, 6);
	pvti.tsc_to_system_mul = (uint32_t)p.mult;
	pvti.tsc_shift = (int8_t)p.shift;
	pvti.tsc_timestamp = 19200000;
	pvti.system_time = 1000000000;
	assert_true(lpt_sim_kvm_hv_tsc_page(&pvti, &scale, &offset));
	assert_int_equal(scale, UINT64_C(9607679204140798443));
	assert_int_equal(offset, 1);

	bench_peer_init(&p, PEER_KVM_HYPERV, 19200000, 10000000);
	assert_true(p.valid);
	assert_int_equal(p.mult, UINT64_C(9607679204140798443));
	bench_peer_init(&p, PEER_HYPERV, 19200000, 10000000);
	assert_int_equal(p.mult, UINT64_C(9607679205057058133));
	bench_peer_init(&p, PEER_KVM_HYPERV, 19200000, 1000000000);
	assert_false(p.valid);	/* 100 ns units only */

	/* KVM's two ways out: no stable bit, a scale that would pass 2^64 */
	pvti.flags = 0;
	assert_false(lpt_sim_kvm_hv_tsc_page(&pvti, &scale, &offset));
	pvti.flags = BENCH_PVCLOCK_TSC_STABLE_BIT;
	pvti.tsc_shift = 26;	/* max_mul = 100 << 6 = 6400 */
	pvti.tsc_to_system_mul = 6400;
	assert_false(lpt_sim_kvm_hv_tsc_page(&pvti, &scale, &offset));
	pvti.tsc_to_system_mul = 6399;
	assert_true(lpt_sim_kvm_hv_tsc_page(&pvti, &scale, &offset));
}

/* Random kvmclock pages: the scale and offset against the oracle's exact quotients. */
static void test_kvm_hv_oracle(void **state)
{
	struct test_rng r = { test_seed() };
	uint64_t n = test_count(200000), published = 0;

	(void)state;
	for (uint64_t k = 0; k < n; k++) {
		struct bench_pvclock pvti = {
			.flags = BENCH_PVCLOCK_TSC_STABLE_BIT,
			.tsc_to_system_mul = (uint32_t)test_rng_next(&r),
			.tsc_shift = (int8_t)test_rng_range(&r, 0, 39) - 8,
			.tsc_timestamp = test_rng_input(&r),
			.system_time = test_rng_input(&r),
		};
		uint64_t scale, pow = UINT64_C(1) << (32 + pvti.tsc_shift);
		struct oracle_quot q = oracle_muldiv(pow, pvti.tsc_to_system_mul, 100);
		int64_t offset;
		bool ok = lpt_sim_kvm_hv_tsc_page(&pvti, &scale, &offset);

		/* published exactly when the exact scale fits 64 bits */
		assert_int_equal(ok, q.hi == 0);
		if (!ok)
			continue;
		published++;
		assert_int_equal(scale, q.lo);
		assert_int_equal((uint64_t)offset, pvti.system_time / 100 -
				 oracle_mul(pvti.tsc_timestamp, scale).hi);
	}
	assert_true(published > n / 4);
}

/* kvmclock's pvclock_scale_delta(), by the oracle: (delta << shift) * mul >> 32. */
static uint64_t oracle_kvmclock(uint64_t delta, uint32_t mul, int shift)
{
	struct oracle_u128 p;

	delta = shift < 0 ? delta >> -shift : delta << shift;
	p = oracle_mul(delta, mul);
	return (p.hi << 32) | (p.lo >> 32);
}

/* Re-anchored kvmclock: the exact time at the last multiple of 300 s plus kvmclock's
 * own conversion of the rest; so never further from the exact time than kvmclock
 * over 300 s (plus the anchor's own floor). */
static void test_kvmclock_anchored(void **state)
{
	struct test_rng r = { test_seed() };
	uint64_t n = test_count(20000);

	(void)state;
	for (unsigned int i = 0; i < NHZ; i++)
		for (unsigned int j = 0; j < NHZ; j++) {
			struct bench_peer p, m;
			uint64_t worst300 = 0;

			bench_peer_init(&p, PEER_KVMCLOCK_ANCHORED, real_hz[i], real_hz[j]);
			bench_peer_init(&m, PEER_KVMCLOCK, real_hz[i], real_hz[j]);
			assert_true(p.valid);
			assert_int_equal(p.anchor, 300 * real_hz[i]);
			/* master clock's largest error within 300 s, at the span's end */
			for (uint64_t d = p.anchor - 1000; d < p.anchor; d++) {
				uint64_t e = oracle_floor(d, real_hz[j], real_hz[i]) -
					     oracle_kvmclock(d, (uint32_t)m.mult, m.shift);

				worst300 = e > worst300 ? e : worst300;
			}
			for (uint64_t k = 0; k < n; k++) {
				uint64_t x = test_rng_range(&r, 0, 315360000 * real_hz[i]);
				uint64_t a = x / p.anchor * p.anchor, got = bench_peer_conv(&p, x);
				uint64_t want = oracle_floor(a, real_hz[j], real_hz[i]) +
						oracle_kvmclock(x - a, (uint32_t)m.mult, m.shift);
				int64_t d = (int64_t)(oracle_floor(x, real_hz[j], real_hz[i]) - got);

				assert_int_equal(got, want);
				/* kvmclock floors twice, so it is never ahead by more than 1 */
				if (d < -1 || d > (int64_t)worst300 + 2)
					fail_msg("%llu -> %llu Hz, %llu cycles: off by %lld (300 s: %llu)",
						 (unsigned long long)real_hz[i],
						 (unsigned long long)real_hz[j], (unsigned long long)x,
						 (long long)d, (unsigned long long)worst300);
			}
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mul_u64_u32_div),
		cmocka_unit_test(test_kvm_hv_hand),
		cmocka_unit_test(test_kvm_hv_oracle),
		cmocka_unit_test(test_kvmclock_anchored),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
