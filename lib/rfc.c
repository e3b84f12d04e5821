// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The Aug 2020 LPT RFC's multipliers (include/lpt/rfc.h).
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
