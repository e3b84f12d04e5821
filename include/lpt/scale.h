/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Exact conversion of a tick count between two counter frequencies.
 *
 * A scale from F Hz to T Hz keeps the integer part of T/F and a 128-bit fraction rounded
 * up; docs/math.md proves that with those, floor(x * T / F) and ceil(x * T / F) come out
 * exact for every 64-bit x and every pair of frequencies in [1 Hz, 2^40 Hz], with three
 * multiplies and no division.
 */
#ifndef LPT_SCALE_H
#define LPT_SCALE_H

#include <lpt/port.h>
#include <lpt/errno.h>
#include <lpt/math128.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The frequency range every liblpt interface accepts, in Hz. */
#define LPT_FREQ_MIN_HZ		1ULL
#define LPT_FREQ_MAX_HZ		(1ULL << 40)

/**
 * struct lpt_scale - Multiplier taking ticks of one frequency to ticks of another.
 * @whole: floor(to_hz / from_hz), the integer part of the ratio.
 * @frac_hi: bits 127..64 of ceil((to_hz mod from_hz) * 2^128 / from_hz).
 * @frac_lo: bits 63..0 of the same fraction.
 * @from_hz: the source frequency.
 * @to_hz: the target frequency.
 *
 * A complete type so that callers keep it on the stack or in their own structures. Only
 * lpt_scale_init() writes it.
 */
struct lpt_scale {
	uint64_t whole;
	uint64_t frac_hi;
	uint64_t frac_lo;
	uint64_t from_hz;
	uint64_t to_hz;
};

/**
 * lpt_freq_valid() - Whether a frequency is one liblpt accepts.
 * @hz: frequency in Hz.
 *
 * Return: true for 1 <= @hz <= 2^40.
 */
static inline bool lpt_freq_valid(uint64_t hz)
{
	return hz >= LPT_FREQ_MIN_HZ && hz <= LPT_FREQ_MAX_HZ;
}

/**
 * lpt_scale_init() - Build the multiplier from one frequency to another.
 * @s: the scale to fill in.
 * @from_hz: source frequency in Hz, 1 to 2^40.
 * @to_hz: target frequency in Hz, 1 to 2^40.
 *
 * Costs two or three 128/64 divisions; call it when a frequency changes, not per tick.
 *
 * Return: 0, or -LPT_EINVAL for a NULL @s or a frequency out of range, in which case
 * *@s is left unchanged.
 */
int lpt_scale_init(struct lpt_scale *s, uint64_t from_hz, uint64_t to_hz);

/**
 * lpt_scale_matches() - Whether a multiplier is exactly the one of two frequencies.
 * @s: the scale to check (its @from_hz and @to_hz fields are not read).
 * @from_hz: source frequency in Hz, 1 to 2^40.
 * @to_hz: target frequency in Hz, 1 to 2^40.
 *
 * Checks the quotients lpt_scale_init() divides for by multiplying them back: @whole
 * is floor(@to_hz / @from_hz) when whole * from_hz <= to_hz < whole * from_hz +
 * from_hz, and the fraction is ceil(rest * 2^128 / from_hz) (rest = to_hz - whole *
 * from_hz) when frac * from_hz - rest * 2^128 lies in [0, from_hz). Three multiplies, no
 * division: for checking a multiplier someone else computed (a page's).
 *
 * Return: true when @whole, @frac_hi and @frac_lo are those lpt_scale_init(@from_hz,
 * @to_hz) computes; false otherwise, and for a NULL @s or a frequency out of range.
 */
bool lpt_scale_matches(const struct lpt_scale *s, uint64_t from_hz, uint64_t to_hz);

/**
 * lpt_scale_copy() - Copy a scale.
 * @dst: destination.
 * @src: source.
 *
 * Field by field: a structure assignment may become a memcpy() call, which a
 * freestanding build does not have.
 */
static inline void lpt_scale_copy(struct lpt_scale *dst, const struct lpt_scale *src)
{
	dst->whole = src->whole;
	dst->frac_hi = src->frac_hi;
	dst->frac_lo = src->frac_lo;
	dst->from_hz = src->from_hz;
	dst->to_hz = src->to_hz;
}

/**
 * lpt_scale_floor() - Convert a tick count, rounding down.
 * @s: a scale from lpt_scale_init().
 * @x: ticks at from_hz, any 64-bit value.
 *
 * Floor, modulo 2^64: exactly floor(@x * to_hz / from_hz) mod 2^64. Three multiplies, no
 * division, no branch.
 *
 * Return: ticks at to_hz.
 */
static inline uint64_t lpt_scale_floor(const struct lpt_scale *s, uint64_t x)
{
	/* floor(x * frac / 2^128): bits 191..128 of the product. */
	uint64_t frac = lpt_mul_u64_u128(x, s->frac_hi, s->frac_lo).hi;

	return x * s->whole + frac;
}

/**
 * lpt_scale_ceil() - Convert a tick count, rounding up, saturating.
 * @s: a scale from lpt_scale_init().
 * @x: ticks at from_hz, any 64-bit value.
 *
 * Ceiling, saturating at LPT_U64_MAX: exactly ceil(@x * to_hz / from_hz) when that is at
 * most LPT_U64_MAX, else LPT_U64_MAX. Three multiplies, no division, no branch.
 *
 * Return: ticks at to_hz.
 */
static inline uint64_t lpt_scale_ceil(const struct lpt_scale *s, uint64_t x)
{
	struct lpt_u128 frac = lpt_mul_u64_u128(x, s->frac_hi, s->frac_lo);
	struct lpt_u128 res = lpt_mul_u64_u64(x, s->whole);
	/*
	 * x * to / from is an integer exactly when bits 127..64 of x * frac are zero
	 * (docs/math.md): an exact result leaves less than 2^64 below bit 128, an inexact
	 * one at least 2^88. frac.hi < x, so adding the rounding bit cannot overflow.
	 */
	uint64_t add = frac.hi + (frac.lo != 0);

	res.lo += add;
	res.hi += res.lo < add;
	/* All ones when the 128-bit result does not fit 64 bits. */
	return res.lo | -(uint64_t)(res.hi != 0);
}

#ifdef __cplusplus
}
#endif

#endif /* LPT_SCALE_H */
