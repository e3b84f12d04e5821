// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Building and re-basing maps (include/lpt/map.h); the conversions are inline.
 */
#include <lpt/map.h>
#include <lpt/errno.h>

#define LPT_NSEC_PER_SEC	1000000000ULL

static bool lpt_width_valid(uint64_t width)
{
	return width >= LPT_WIDTH_MIN && width <= LPT_WIDTH_MAX;
}

int lpt_map_init(struct lpt_map *m, uint64_t native_hz, uint64_t pv_hz, unsigned int width,
		 uint64_t native_base, uint64_t pv_base)
{
	if (!m || !lpt_freq_valid(native_hz) || !lpt_freq_valid(pv_hz) ||
	    !lpt_width_valid(width) || native_base > lpt_counter_mask(width))
		return -LPT_EINVAL;
	/*
	 * Nothing below can fail. Fields are written one by one: a structure assignment
	 * would make some compilers call memcpy().
	 */
	lpt_scale_init(&m->to_pv, native_hz, pv_hz);
	lpt_scale_init(&m->to_native, pv_hz, native_hz);
	m->native_base = native_base;
	m->pv_base = pv_base;
	m->native_mask = lpt_counter_mask(width);
	m->width = width;
	return 0;
}

int lpt_map_check(const struct lpt_map *m)
{
	if (!m || !lpt_width_valid(m->width) || m->native_mask != lpt_counter_mask(m->width) ||
	    m->native_base > m->native_mask || !lpt_freq_valid(m->to_pv.from_hz) ||
	    !lpt_freq_valid(m->to_pv.to_hz) || m->to_native.from_hz != m->to_pv.to_hz ||
	    m->to_native.to_hz != m->to_pv.from_hz)
		return -LPT_EINVAL;
	return 0;
}

int lpt_map_rebase(struct lpt_map *next, const struct lpt_map *prev, uint64_t pause_native,
		   const struct lpt_resume *r)
{
	struct lpt_scale ns_to_pv;
	uint64_t pv;

	if (!next || lpt_map_check(prev) || !r || pause_native > prev->native_mask)
		return -LPT_EINVAL;
	if (r->downtime != LPT_DOWNTIME_HIDE && r->downtime != LPT_DOWNTIME_COUNT)
		return -LPT_EINVAL;
	if (lpt_scale_init(&ns_to_pv, LPT_NSEC_PER_SEC, prev->to_pv.to_hz))
		return -LPT_EINVAL;

	pv = lpt_map_native_to_pv(prev, pause_native);
	if (r->downtime == LPT_DOWNTIME_COUNT)
		pv += lpt_scale_floor(&ns_to_pv, r->downtime_ns);
	/* Validates the new host; leaves *next alone on failure, even when it aliases prev. */
	return lpt_map_init(next, r->native_hz, prev->to_pv.to_hz, r->width, r->native, pv);
}

int lpt_map_compose(struct lpt_map *out, const struct lpt_map *inner, const struct lpt_map *outer)
{
	uint64_t pv;

	if (!out || lpt_map_check(inner) || lpt_map_check(outer) ||
	    inner->to_pv.to_hz != outer->to_pv.from_hz)
		return -LPT_EINVAL;
	/* Read everything from the inputs before writing: @out may alias either. */
	pv = lpt_map_native_to_pv(outer, inner->pv_base);
	return lpt_map_init(out, inner->to_pv.from_hz, outer->to_pv.to_hz, inner->width,
			    inner->native_base, pv);
}
