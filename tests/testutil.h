/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Helpers shared by the CMocka tests: a seeded generator and run sizes that the
 * environment may scale down (memcheck) or up (long runs).
 */
#ifndef LPT_TEST_UTIL_H
#define LPT_TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "rng.h"

/* The simulator's seeded generator (splitmix64), under the tests' names. */
#define test_rng lpt_sim_rng

static inline uint64_t test_rng_next(struct test_rng *r)
{
	return lpt_sim_rng_next(r);
}

/* Uniform in [lo, hi]; bias is irrelevant for test inputs. */
static inline uint64_t test_rng_range(struct test_rng *r, uint64_t lo, uint64_t hi)
{
	return lpt_sim_rng_range(r, lo, hi);
}

/*
 * A 64-bit test input: half uniform, half of a random bit length (so small values, and
 * values near every power of two, are common).
 */
static inline uint64_t test_rng_input(struct test_rng *r)
{
	uint64_t v = test_rng_next(r);
	unsigned int bits = (unsigned int)(test_rng_next(r) & 127);

	if (bits >= 64)
		return v;
	return v >> (63 - bits) >> 1;
}

/* The seed: LPT_TEST_SEED from the environment, else a fixed default. Printed once. */
static inline uint64_t test_seed(void)
{
	static int printed;
	const char *s = getenv("LPT_TEST_SEED");
	uint64_t seed = s ? strtoull(s, NULL, 0) : 0x4c5054ULL;

	if (!printed++)
		fprintf(stderr, "seed: LPT_TEST_SEED=%#llx\n", (unsigned long long)seed);
	return seed;
}

/*
 * A run size: the default times LPT_TEST_SCALE_PCT percent (default 100), at least 1.
 * Memcheck runs use a small percentage; the default run uses the sizes the issues ask.
 */
static inline uint64_t test_count(uint64_t dflt)
{
	const char *s = getenv("LPT_TEST_SCALE_PCT");
	uint64_t pct = s ? strtoull(s, NULL, 10) : 100;
	uint64_t n = dflt / 100 * pct + dflt % 100 * pct / 100;

	return n ? n : 1;
}

#endif /* LPT_TEST_UTIL_H */
