/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * NOT API. The two paths of each 128-bit helper of lpt/math128.h, for the core and its
 * tests; installed only because the public inline functions of lpt/math128.h (and through
 * them lpt_scale_floor(), lpt_map_native_to_pv(), ...) are built from them. Names,
 * signatures and the macros here may change in any release; include lpt/math128.h.
 *
 * Each operation has two implementations, both compiled wherever the compiler can
 * express them, so that the tests run both on every host:
 *  - a path for 64-bit targets: an unsigned __int128 product, a division by Knuth's
 *    algorithm D on the 64/64 division instruction;
 *  - a portable path built from 32x32->64 products and 64-bit shifts, adds and compares
 *    only (32-bit Arm has no __int128 and calls __aeabi_uldivmod for a 64-bit division).
 * LPT_HAVE_INT128 says which one lpt/math128.h selects; defining LPT_NO_INT128 before
 * any liblpt header forces the portable paths on any host (the tests' second build).
 */
#ifndef LPT_INTERNAL_MATH128_H
#define LPT_INTERNAL_MATH128_H

#include <lpt/port.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__SIZEOF_INT128__) && !defined(LPT_NO_INT128)
#define LPT_HAVE_INT128 1
#endif

/**
 * struct lpt_u128 - An unsigned 128-bit value as two 64-bit halves.
 * @hi: bits 127..64.
 * @lo: bits 63..0.
 */
struct lpt_u128 {
	uint64_t hi;
	uint64_t lo;
};

/**
 * lpt_mul_u64_u64_portable() - Full product of two 64-bit values, portable path.
 * @a: multiplicand.
 * @b: multiplier.
 *
 * Uses four 32x32->64 products. Exact for every input.
 *
 * Return: a * b as 128 bits.
 */
static inline struct lpt_u128 lpt_mul_u64_u64_portable(uint64_t a, uint64_t b)
{
	uint64_t a_lo = (uint32_t)a, a_hi = a >> 32;
	uint64_t b_lo = (uint32_t)b, b_hi = b >> 32;
	uint64_t ll = a_lo * b_lo, lh = a_lo * b_hi, hl = a_hi * b_lo, hh = a_hi * b_hi;
	/* At most 3 * (2^32 - 1): no overflow. */
	uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
	struct lpt_u128 r;

	r.lo = (mid << 32) | (uint32_t)ll;
	r.hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
	return r;
}

#ifdef LPT_HAVE_INT128
/**
 * lpt_mul_u64_u64_int128() - Full product of two 64-bit values, __int128 path.
 * @a: multiplicand.
 * @b: multiplier.
 *
 * One widening multiply instruction on 64-bit targets. Exact for every input.
 *
 * Return: a * b as 128 bits.
 */
static inline struct lpt_u128 lpt_mul_u64_u64_int128(uint64_t a, uint64_t b)
{
	unsigned __int128 p = (unsigned __int128)a * b;
	struct lpt_u128 r;

	r.lo = (uint64_t)p;
	r.hi = (uint64_t)(p >> 64);
	return r;
}
#endif

/**
 * lpt_div_u128_u64_portable() - Divide 128 bits by 64 bits, portable path.
 * @hi: bits 127..64 of the dividend; must be below @d so that the quotient fits 64 bits.
 * @lo: bits 63..0 of the dividend.
 * @d: divisor, not 0.
 * @rem: where the remainder is stored.
 *
 * Restoring binary long division, one quotient bit per step, 64 steps; only shifts,
 * subtractions and compares of 64-bit values. Meant for building multipliers, not for
 * hot paths.
 *
 * Return: floor((@hi * 2^64 + @lo) / @d), with the remainder in *@rem.
 */
static inline uint64_t lpt_div_u128_u64_portable(uint64_t hi, uint64_t lo, uint64_t d,
						 uint64_t *rem)
{
	uint64_t q = 0;
	int i;

	for (i = 0; i < 64; i++) {
		/* The partial remainder has 65 bits for one moment: keep its top bit aside. */
		uint64_t top = hi >> 63;

		hi = (hi << 1) | (lo >> 63);
		lo <<= 1;
		q <<= 1;
		if (top || hi >= d) {
			hi -= d;
			q |= 1;
		}
	}
	*rem = hi;
	return q;
}

#ifdef LPT_HAVE_INT128
/**
 * lpt_div_u128_u64_knuth() - Divide 128 bits by 64 bits with 64/64 divisions.
 * @hi: bits 127..64 of the dividend; must be below @d so that the quotient fits 64 bits.
 * @lo: bits 63..0 of the dividend.
 * @d: divisor, not 0.
 * @rem: where the remainder is stored.
 *
 * Knuth's algorithm D with two 32-bit quotient digits: two 64/64 divisions and their
 * corrections (one division where @hi is 0: the dividend fits 64 bits), no __int128
 * (a 128-bit '/' would call __udivti3, which the kernel does not provide). Compiled
 * where a 64/64 division is one instruction, which is where the compiler has __int128
 * (64-bit targets); on 32-bit Arm it would call __aeabi_uldivmod.
 *
 * Return: floor((@hi * 2^64 + @lo) / @d), with the remainder in *@rem.
 */
static inline uint64_t lpt_div_u128_u64_knuth(uint64_t hi, uint64_t lo, uint64_t d,
					      uint64_t *rem)
{
	const uint64_t b = 1ULL << 32;
	int s = __builtin_clzll(d);
	uint64_t dn, dn1, dn0, un32, un10, un1, un0, un21, q1, q0, rhat;

	/* A 64-bit dividend: one division. */
	if (!hi) {
		*rem = lo % d;
		return lo / d;
	}
	dn = d << s;
	dn1 = dn >> 32;
	dn0 = (uint32_t)dn;
	/* Two shifts: with s == 0 a single shift by 64 would be undefined. */
	un32 = (hi << s) | ((lo >> (63 - s)) >> 1);
	un10 = lo << s;
	un1 = un10 >> 32;
	un0 = (uint32_t)un10;

	q1 = un32 / dn1;
	rhat = un32 - q1 * dn1;
	while (q1 >= b || q1 * dn0 > ((rhat << 32) | un1)) {
		q1--;
		rhat += dn1;
		if (rhat >= b)
			break;
	}
	un21 = (un32 << 32) + un1 - q1 * dn;

	q0 = un21 / dn1;
	rhat = un21 - q0 * dn1;
	while (q0 >= b || q0 * dn0 > ((rhat << 32) | un0)) {
		q0--;
		rhat += dn1;
		if (rhat >= b)
			break;
	}
	*rem = ((un21 << 32) + un0 - q0 * dn) >> s;
	return (q1 << 32) | q0;
}
#endif

#ifdef __cplusplus
}
#endif

#endif /* LPT_INTERNAL_MATH128_H */
