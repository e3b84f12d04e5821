/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The seeded generator: splitmix64, so that a seed fully defines a simulator run. The
 * tests (tests/testutil.h) and the benchmarks draw their random inputs from it too,
 * through the CMake target lpt_rng.
 */
#ifndef LPT_SIM_RNG_H
#define LPT_SIM_RNG_H

#include <stdint.h>

struct lpt_sim_rng {
	uint64_t state;
};

static inline uint64_t lpt_sim_rng_next(struct lpt_sim_rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi] (the modulo bias is below 2^-40 for the spans used here). */
static inline uint64_t lpt_sim_rng_range(struct lpt_sim_rng *r, uint64_t lo, uint64_t hi)
{
	uint64_t span = hi - lo + 1;

	return span ? lo + lpt_sim_rng_next(r) % span : lpt_sim_rng_next(r);
}

/* A generator for one purpose of one VM: the seed and the path to it, mixed. */
static inline struct lpt_sim_rng lpt_sim_rng_for(uint64_t seed, uint64_t a, uint64_t b,
						 uint64_t c)
{
	struct lpt_sim_rng r = { seed };

	r.state = lpt_sim_rng_next(&r) ^ a;
	r.state = lpt_sim_rng_next(&r) ^ b;
	r.state = lpt_sim_rng_next(&r) ^ c;
	return r;
}

#endif /* LPT_SIM_RNG_H */
