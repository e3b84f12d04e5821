// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Guest timer accesses on the PV counter (include/lpt/timer.h).
 */
#include <lpt/timer.h>
#include <lpt/errno.h>

int lpt_timer_write_cval(struct lpt_timer *t, const struct lpt_map *m, uint64_t pv_cval)
{
	if (!t || lpt_map_check(m))
		return -LPT_EINVAL;
	t->pv_cval = pv_cval;
	t->native_cval = lpt_timer_native_cval(m, pv_cval);
	return 0;
}

int lpt_timer_write_tval(struct lpt_timer *t, const struct lpt_map *m, uint64_t native_now,
			 int32_t tval)
{
	if (!t || lpt_map_check(m))
		return -LPT_EINVAL;
	/* Sign extension, then addition modulo 2^64. */
	return lpt_timer_write_cval(t, m,
				    lpt_map_native_to_pv(m, native_now) + (uint64_t)(int64_t)tval);
}

int lpt_timer_read_tval(const struct lpt_timer *t, const struct lpt_map *m, uint64_t native_now,
			int32_t *tval)
{
	uint32_t low;

	if (!t || !tval || lpt_map_check(m))
		return -LPT_EINVAL;
	low = (uint32_t)(t->pv_cval - lpt_map_native_to_pv(m, native_now));
	/* Two's complement reinterpretation without implementation-defined conversion. */
	*tval = low <= 0x7fffffffu ? (int32_t)low : -(int32_t)(~low) - 1;
	return 0;
}

int lpt_timer_reprogram(struct lpt_timer *t, const struct lpt_map *m)
{
	if (!t)
		return -LPT_EINVAL;
	return lpt_timer_write_cval(t, m, t->pv_cval);
}
