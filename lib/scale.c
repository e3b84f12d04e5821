// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Building exact scales (include/lpt/scale.h); the conversions themselves are inline.
 */
#include <lpt/scale.h>
#include <lpt/errno.h>

int lpt_scale_init(struct lpt_scale *s, uint64_t from_hz, uint64_t to_hz)
{
	uint64_t rest, rem, frac_hi, frac_lo;

	if (!s || !lpt_freq_valid(from_hz) || !lpt_freq_valid(to_hz))
		return -LPT_EINVAL;

	s->whole = lpt_div_u128_u64(0, to_hz, from_hz, &rest);
	/* rest < from_hz, so both quotient digits of rest * 2^128 / from_hz fit 64 bits. */
	frac_hi = lpt_div_u128_u64(rest, 0, from_hz, &rem);
	frac_lo = lpt_div_u128_u64(rem, 0, from_hz, &rem);
	/*
	 * Round up. No carry out of frac_hi: the fraction is at most 1 - 1/from_hz, so the
	 * exact value is at most 2^128 - 2^88 and so is its ceiling.
	 */
	frac_lo += rem != 0;
	frac_hi += rem != 0 && frac_lo == 0;

	s->frac_hi = frac_hi;
	s->frac_lo = frac_lo;
	s->from_hz = from_hz;
	s->to_hz = to_hz;
	return 0;
}

bool lpt_scale_matches(const struct lpt_scale *s, uint64_t from_hz, uint64_t to_hz)
{
	struct lpt_u128 w, p_lo, p_hi;
	uint64_t rest, mid, top;

	if (!s || !lpt_freq_valid(from_hz) || !lpt_freq_valid(to_hz))
		return false;
	/*
	 * whole * from_hz <= to_hz; below it by from_hz or more, rest is at least from_hz,
	 * which top (below from_hz) never equals.
	 */
	w = lpt_mul_u64_u64(s->whole, from_hz);
	if (w.hi || w.lo > to_hz)
		return false;
	rest = to_hz - w.lo;
	/* frac * from_hz over 192 bits, top:mid:p_lo.lo (no carry out of top) */
	p_lo = lpt_mul_u64_u64(s->frac_lo, from_hz);
	p_hi = lpt_mul_u64_u64(s->frac_hi, from_hz);
	mid = p_hi.lo + p_lo.hi;
	top = p_hi.hi + (mid < p_lo.hi);
	return top == rest && mid == 0 && p_lo.lo < from_hz;
}
