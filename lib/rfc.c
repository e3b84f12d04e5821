// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The Aug 2020 LPT RFC's arithmetic, from its posted code (include/lpt/rfc.h).
 */
#include <lpt/rfc.h>
#include <lpt/errno.h>

#define LPT_RFC_FREQ_MAX	0xffffffffULL

int lpt_rfc_scale_init(struct lpt_rfc_scale *s, uint64_t from_hz, uint64_t to_hz)
{
	uint64_t ratio, rem, hi, lo;
	uint32_t intbits = 1, fracbits;

	if (!s || !from_hz || !to_hz || from_hz > LPT_RFC_FREQ_MAX || to_hz > LPT_RFC_FREQ_MAX)
		return -LPT_EINVAL;
	if (to_hz >= from_hz) {
		/* intbits = ilog2(to / from) + 1 */
		ratio = lpt_div_u128_u64(0, to_hz, from_hz, &rem);
		intbits = 0;
		while (ratio) {
			ratio >>= 1;
			intbits++;
		}
	}
	fracbits = 64 - intbits;
	/* floor(to * 2^fracbits / from): to * 2^fracbits < 2^96 as (hi, lo). */
	hi = (to_hz >> (64 - fracbits - 1)) >> 1;
	lo = to_hz << fracbits;
	/* The quotient is below 2^intbits * 2^fracbits = 2^64, so hi < from_hz. */
	s->mult = lpt_div_u128_u64(hi, lo, from_hz, &rem);
	s->fracbits = fracbits;
	return 0;
}

uint64_t lpt_rfc_rescale_cntvct(uint64_t cntvct, uint32_t prev_hz, uint32_t cur_hz)
{
	struct lpt_u128 p = lpt_mul_u64_u64(cntvct, cur_hz);
	uint64_t rem;

	if (!prev_hz)
		return 0;
	/*
	 * p < 2^96: p.hi < 2^32 may exceed prev_hz. The quotient's bits from 64 up are
	 * dropped (mul_u64_u32_div() keeps the low 64), so only p.hi mod prev_hz matters.
	 */
	lpt_div_u128_u64(0, p.hi, prev_hz, &rem);
	return lpt_div_u128_u64(rem, p.lo, prev_hz, &rem);
}

uint32_t lpt_rfc_rescale_tval(uint32_t tval, uint32_t prev_hz, uint32_t cur_hz)
{
	/* The RFC stores the 64-bit quotient in a u32. */
	return (uint32_t)lpt_rfc_rescale_cntvct(tval, prev_hz, cur_hz);
}

/* fls(): the 1-based position of the highest set bit, 0 for 0 (Linux's). */
static int lpt_rfc_fls(uint32_t x)
{
	int n = 0;

	while (x) {
		x >>= 1;
		n++;
	}
	return n;
}

int lpt_rfc_evtstrm_shift(uint32_t native_hz, uint32_t pv_hz)
{
	uint64_t rem;
	uint32_t div;
	int shift;

	if (!native_hz || !pv_hz)
		return 0;
	/* A 32-bit division would call a runtime helper on 32-bit Arm: the core's own. */
	if (pv_hz >= native_hz)
		div = (uint32_t)lpt_div_u128_u64(0, pv_hz, native_hz, &rem);
	else
		div = (uint32_t)lpt_div_u128_u64(0, native_hz, pv_hz, &rem);
	/* The RFC's test, as posted: a bit of shift, not of div (include/lpt/rfc.h). */
	shift = lpt_rfc_fls(div);
	if (shift == 1 || (shift > 1 && !(shift & (1 << (shift - 2)))))
		shift--;
	return pv_hz >= native_hz ? shift : -shift;
}

uint32_t lpt_rfc_parse_cntkctl(uint32_t cntkctl, int shift, bool native_to_pv)
{
	int evnti = (int)((cntkctl >> 4) & 0xf);

	evnti = native_to_pv ? evnti + shift : evnti - shift;
	if (evnti < 0)
		evnti = 0;
	if (evnti > 15)
		evnti = 15;
	return (cntkctl & ~(0xfu << 4)) | ((uint32_t)evnti << 4);
}
