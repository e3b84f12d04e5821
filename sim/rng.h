/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The seeded generator: splitmix64, so that a seed fully defines a simulator run. The
 * tests (tests/testutil.h) and the benchmarks draw their random inputs from it too,
 * through the CMake target lpt_rng.
 */
#ifndef LPT_SIM_RNG_H
#define LPT_SIM_RNG_H

#include <stdint.h>

#include <lpt/math128.h>

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

/*
 * x % span without a division, exact for every 64-bit x (a range drawn again and
 * again, its span fixed): the round-up method compilers divide by a constant with
 * (Granlund and Montgomery 1994). With l = ceil(log2 span) and magic =
 * floor(2^64 (2^l - span) / span) + 1: t = (x magic) >> 64 and
 * x / span = (t + ((x - t) >> 1)) >> (l - 1). A span of 0 (the whole 64 bits) or 1
 * takes no reduction: @magic 0.
 */
struct lpt_sim_rng_span {
	uint64_t span;
	uint64_t magic;
	uint32_t shift;
};

static inline void lpt_sim_rng_span_init(struct lpt_sim_rng_span *d, uint64_t lo, uint64_t hi)
{
	uint64_t span = hi - lo + 1, rem;
	uint32_t l;

	d->span = span;
	d->magic = 0;
	d->shift = 0;
	if (span < 2)
		return;
	l = 64 - (uint32_t)__builtin_clzll(span - 1);
	d->shift = l - 1;
	/* 2^l - span (modulo 2^64: l may be 64) is below span: the quotient fits */
	d->magic = lpt_div_u128_u64((l == 64 ? 0 : UINT64_C(1) << l) - span, 0, span, &rem) + 1;
}

/* lpt_sim_rng_range(r, lo, hi) with @d from lpt_sim_rng_span_init(d, lo, hi): the same
 * value, the generator advanced as there. */
static inline uint64_t lpt_sim_rng_range_span(struct lpt_sim_rng *r,
					      const struct lpt_sim_rng_span *d, uint64_t lo)
{
	uint64_t x = lpt_sim_rng_next(r), t;

	if (!d->magic)
		return d->span ? lo : x;
	t = lpt_mul_u64_u64(x, d->magic).hi;
	return lo + x - ((t + ((x - t) >> 1)) >> d->shift) * d->span;
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
