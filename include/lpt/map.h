/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The map from a native counter to a guest's PV counter.
 *
 * A native counter of `width` bits runs at native_hz and wraps at 2^width; the PV
 * counter is 64 bits and runs at pv_hz. The map pins native_base to pv_base:
 *
 *	pv(n) = pv_base + floor(((n - native_base) mod 2^width) * pv_hz / native_hz)
 *
 * computed exactly (modulo 2^64). Its domain is the native values from native_base up
 * to the counter's maximum, 2^width - 1, over which pv() never decreases as long as the
 * PV counter does not pass 2^64; lpt_map_pv_to_native() inverts it over that domain.
 * A hypervisor re-bases the map at every migration (lpt_map_rebase()), which also keeps
 * the domain fresh.
 */
#ifndef LPT_MAP_H
#define LPT_MAP_H

#include <lpt/port.h>
#include <lpt/errno.h>
#include <lpt/scale.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Native counter widths the map accepts. The architecture requires 56 to 64 bits; the
 * narrower ones exist so that properties can be checked over every counter value.
 */
#define LPT_WIDTH_MIN		8
#define LPT_WIDTH_MAX		64

/**
 * enum lpt_downtime - What the PV counter does while a VM is paused for migration.
 * @LPT_DOWNTIME_HIDE: it stops: on resume it continues from the value it had at pause.
 * @LPT_DOWNTIME_COUNT: it advances by the measured downtime, in whole PV ticks.
 */
enum lpt_downtime {
	LPT_DOWNTIME_HIDE = 0,
	LPT_DOWNTIME_COUNT = 1,
};

/**
 * struct lpt_map - A guest's PV counter as a function of one host's native counter.
 * @to_pv: scale from native_hz to pv_hz.
 * @to_native: scale from pv_hz to native_hz.
 * @native_base: native counter value at which the PV counter reads @pv_base.
 * @pv_base: PV counter value at @native_base.
 * @native_mask: 2^width - 1, the native counter's maximum.
 * @width: native counter width in bits, LPT_WIDTH_MIN to LPT_WIDTH_MAX.
 *
 * Only lpt_map_init() and lpt_map_rebase() write it.
 */
struct lpt_map {
	struct lpt_scale to_pv;
	struct lpt_scale to_native;
	uint64_t native_base;
	uint64_t pv_base;
	uint64_t native_mask;
	uint32_t width;
};

/**
 * struct lpt_resume - What a VMM knows when a VM resumes on its new host.
 * @native_hz: the new host's counter frequency in Hz, 1 to 2^40.
 * @native: the new host's counter value at resume (the new map's native_base).
 * @downtime_ns: nanoseconds from pause to resume; used with LPT_DOWNTIME_COUNT only.
 * @width: the new host's counter width in bits.
 * @downtime: an enum lpt_downtime.
 */
struct lpt_resume {
	uint64_t native_hz;
	uint64_t native;
	uint64_t downtime_ns;
	uint32_t width;
	uint32_t downtime;
};

/**
 * lpt_counter_mask() - The largest value of a counter of a given width.
 * @width: counter width in bits, 1 to 64.
 *
 * Return: 2^@width - 1.
 */
static inline uint64_t lpt_counter_mask(unsigned int width)
{
	return LPT_U64_MAX >> (64 - width);
}

/**
 * lpt_map_copy() - Copy a map (field by field: no memcpy in the core).
 * @dst: the copy.
 * @src: the map copied.
 */
static inline void lpt_map_copy(struct lpt_map *dst, const struct lpt_map *src)
{
	lpt_scale_copy(&dst->to_pv, &src->to_pv);
	lpt_scale_copy(&dst->to_native, &src->to_native);
	dst->native_base = src->native_base;
	dst->pv_base = src->pv_base;
	dst->native_mask = src->native_mask;
	dst->width = src->width;
}

/**
 * lpt_map_init() - Build a map.
 * @m: the map to fill in.
 * @native_hz: native counter frequency in Hz, 1 to 2^40.
 * @pv_hz: PV counter frequency in Hz, 1 to 2^40.
 * @width: native counter width in bits, LPT_WIDTH_MIN to LPT_WIDTH_MAX.
 * @native_base: a native counter value (at most 2^@width - 1).
 * @pv_base: the PV counter value at @native_base, any 64-bit value.
 *
 * Return: 0, or -LPT_EINVAL for a NULL @m, a frequency or width out of range or a
 * @native_base wider than the counter; then *@m is left unchanged.
 */
int lpt_map_init(struct lpt_map *m, uint64_t native_hz, uint64_t pv_hz, unsigned int width,
		 uint64_t native_base, uint64_t pv_base);

/**
 * lpt_map_check() - Whether a map is consistent.
 * @m: the map.
 *
 * Checks what is cheap to check: frequencies and width in range, the two scales
 * mirroring each other, the mask matching the width, native_base within the counter.
 * It does not recompute the multipliers.
 *
 * Return: 0, or -LPT_EINVAL for a NULL or inconsistent map.
 */
int lpt_map_check(const struct lpt_map *m);

/**
 * lpt_map_native_to_pv() - The PV counter at a native counter value.
 * @m: a map from lpt_map_init() or lpt_map_rebase().
 * @native: native counter value; only its low width bits are used.
 *
 * Floor, modulo 2^64: pv_base + floor(((@native - native_base) mod 2^width) * pv_hz /
 * native_hz), exactly. A native counter that wrapped past 2^width since native_base
 * keeps counting forward. No division, no branch.
 *
 * Return: PV ticks.
 */
static inline uint64_t lpt_map_native_to_pv(const struct lpt_map *m, uint64_t native)
{
	uint64_t delta = (native - m->native_base) & m->native_mask;

	return m->pv_base + lpt_scale_floor(&m->to_pv, delta);
}

/**
 * lpt_map_pv_to_native() - The first native counter value at which the PV counter has
 * reached a given value.
 * @m: a map from lpt_map_init() or lpt_map_rebase().
 * @pv: PV counter value, any 64-bit value.
 *
 * Exact, saturating: the smallest native n in [native_base, 2^width - 1] with
 * pv(n) >= @pv (pv() taken without wrapping past 2^64), so that a compare value
 * programmed with it fires neither early nor a native tick late. @pv at or below pv_base
 * gives native_base; a @pv that the map reaches only after the native counter's maximum
 * gives that maximum, 2^width - 1.
 *
 * Return: a native counter value.
 */
static inline uint64_t lpt_map_pv_to_native(const struct lpt_map *m, uint64_t pv)
{
	uint64_t delta;

	if (pv <= m->pv_base)
		return m->native_base;
	delta = lpt_scale_ceil(&m->to_native, pv - m->pv_base);
	if (delta > m->native_mask - m->native_base)
		return m->native_mask;
	return m->native_base + delta;
}

/**
 * lpt_map_rebase() - The map a VM continues with after a migration.
 * @next: the map to fill in; may be the same object as @prev.
 * @prev: the map on the host the VM left.
 * @pause_native: the old host's native counter when the VM was paused.
 * @r: the new host and the downtime policy.
 *
 * The PV counter keeps its frequency and continues from exactly the value it had at
 * pause, lpt_map_native_to_pv(@prev, @pause_native), plus, with LPT_DOWNTIME_COUNT,
 * floor(downtime_ns * pv_hz / 10^9) ticks (modulo 2^64). The part of a PV tick that had
 * elapsed at pause is dropped, so each migration loses less than one PV tick and never
 * gains one; the PV counter never steps backward.
 *
 * Return: 0, or -LPT_EINVAL for a NULL pointer, a frequency or width out of range, an
 * unknown downtime policy, or a native value wider than its counter; then *@next is
 * left unchanged.
 */
int lpt_map_rebase(struct lpt_map *next, const struct lpt_map *prev, uint64_t pause_native,
		   const struct lpt_resume *r);

/**
 * lpt_map_compose() - One map from two in a row: a nested guest's PV counter as a
 * function of the host's native counter.
 * @out: the composed map; may be the same object as @inner or @outer.
 * @inner: the first map, native -> middle counter (L0's map of an L1 hypervisor's PV
 *	counter, from the page L0 gives L1).
 * @outer: the second map, middle counter -> PV (L1's map of its own PV counter to the
 *	PV counter it gives an L2 guest); its native side runs at @inner's PV rate.
 * @outer's domain must hold @inner's pv_base (the middle counter at @inner's pin).
 *
 * The result maps @inner's native counter (rate f0, @inner's width) straight to
 * @outer's PV counter (rate f2), pinned where @inner is pinned:
 *
 *	out(n) = lpt_map_native_to_pv(@outer, @inner->pv_base) + floor(x * f2 / f0)
 *
 * modulo 2^64, with x = (n - @inner->native_base) mod 2^width. Exact rounding: let f1
 * be the middle rate and R(n) = @outer->pv_base + (d + x * f1 / f0) * f2 / f1, with
 * d = (@inner->pv_base - @outer->native_base) mod 2^(@outer's width), the exact value
 * of the two maps composed before any rounding. Then out(n) = floor(R(n) - phi), where
 * phi = frac(d * f2 / f1) is the part of a tick @outer drops at @inner's pin:
 * floor(R(n)) - 1 <= out(n) <= floor(R(n)), and out(n) = floor(R(n)) for every n when
 * phi is 0 (the two pins coincide). Applying the two rounded maps in a row,
 * lpt_map_native_to_pv(@outer, lpt_map_native_to_pv(@inner, n)), floors the middle
 * counter first: it is below R(n) by up to f2 / f1 + 1 ticks, and moves by steps of
 * about f2 / f1 ticks where f2 > f1; the composed map keeps the native counter's
 * resolution. It costs what lpt_map_init() costs (the multipliers' divisions): call
 * it when a page changes, not per read.
 *
 * Return: 0, or -LPT_EINVAL for a NULL pointer, an invalid map (lpt_map_check()), or
 * rates that do not meet (@inner's PV rate is not @outer's native rate); then *@out is
 * left unchanged.
 */
int lpt_map_compose(struct lpt_map *out, const struct lpt_map *inner, const struct lpt_map *outer);

#ifdef __cplusplus
}
#endif

#endif /* LPT_MAP_H */
