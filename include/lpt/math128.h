/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * 64x64->128 multiplication and 128/64 division without compiler runtime helpers.
 *
 * Each is exact for every input and picks one of two paths at compile time: one for
 * 64-bit targets (unsigned __int128, the 64/64 division instruction) and a portable one
 * (32x32->64 products, 64-bit shifts and compares). The paths are in
 * lpt/internal/math128.h, which is not API, with struct lpt_u128, which is: the type
 * these return. Defining LPT_NO_INT128 forces the portable paths on any host.
 */
#ifndef LPT_MATH128_H
#define LPT_MATH128_H

#include <lpt/port.h>
#include <lpt/internal/math128.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The largest 64-bit value; UINT64_MAX is not available in the kernel. */
#define LPT_U64_MAX		(~(uint64_t)0)

/**
 * lpt_mul_u64_u64() - Full product of two 64-bit values.
 * @a: multiplicand.
 * @b: multiplier.
 *
 * Return: a * b as 128 bits, exact.
 */
static inline struct lpt_u128 lpt_mul_u64_u64(uint64_t a, uint64_t b)
{
#ifdef LPT_HAVE_INT128
	return lpt_mul_u64_u64_int128(a, b);
#else
	return lpt_mul_u64_u64_portable(a, b);
#endif
}

/**
 * lpt_mul_u64_u128() - Bits 191..64 of a 64x128-bit product.
 * @x: 64-bit multiplicand.
 * @m_hi: bits 127..64 of the 128-bit multiplier.
 * @m_lo: bits 63..0 of the multiplier.
 *
 * Two lpt_mul_u64_u64() products and a carry; the path is that of lpt_mul_u64_u64().
 * (Spelled as one __int128 expression, gcc 12 emits slower code for this.)
 *
 * Return: floor(@x * (@m_hi * 2^64 + @m_lo) / 2^64), exact (it always fits 128 bits).
 */
static inline struct lpt_u128 lpt_mul_u64_u128(uint64_t x, uint64_t m_hi, uint64_t m_lo)
{
	struct lpt_u128 lo = lpt_mul_u64_u64(x, m_lo);
	struct lpt_u128 r = lpt_mul_u64_u64(x, m_hi);

	r.lo += lo.hi;
	r.hi += r.lo < lo.hi;
	return r;
}

/**
 * lpt_div_u128_u64() - Divide 128 bits by 64 bits.
 * @hi: bits 127..64 of the dividend; must be below @d.
 * @lo: bits 63..0 of the dividend.
 * @d: divisor, not 0.
 * @rem: where the remainder is stored.
 *
 * Return: floor((@hi * 2^64 + @lo) / @d), exact; the remainder in *@rem.
 */
static inline uint64_t lpt_div_u128_u64(uint64_t hi, uint64_t lo, uint64_t d, uint64_t *rem)
{
#ifdef LPT_HAVE_INT128
	return lpt_div_u128_u64_knuth(hi, lo, d, rem);
#else
	return lpt_div_u128_u64_portable(hi, lo, d, rem);
#endif
}

#ifdef __cplusplus
}
#endif

#endif /* LPT_MATH128_H */
