/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Test vectors shared by every test harness (CMocka here; the simulator and a KUnit
 * suite use the same file). Freestanding: only lpt/port.h types.
 */
#ifndef LPT_TEST_VECTORS_H
#define LPT_TEST_VECTORS_H

#include <lpt/port.h>

/* Counter rates of real arm64 hosts, in Hz: 19.2, 24, 25, 50, 62.5, 100, 200 MHz, 1 GHz. */
extern const uint64_t lpt_vec_real_hz[];
extern const unsigned int lpt_vec_real_hz_count;

/* A frequency pair: from_hz -> to_hz. */
struct lpt_vec_pair {
	uint64_t from_hz;
	uint64_t to_hz;
};

/*
 * The pair table: every ordered pair of the real rates (equal ones included), then
 * pairs with primes, 1 Hz, 2^40 Hz, neighbours and the extreme ratios.
 */
unsigned int lpt_vec_pair_count(void);
struct lpt_vec_pair lpt_vec_pair_at(unsigned int i);

/* Edge inputs: 0, 1, every 2^k - 1, 2^k and 2^k + 1, UINT64_MAX. */
unsigned int lpt_vec_edges(uint64_t *out, unsigned int max);

#endif /* LPT_TEST_VECTORS_H */
