/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Guest timers on the PV counter: the compare value (CVAL) and the relative timer value
 * (TVAL) a guest writes in PV ticks, translated to the native compare value the
 * hardware needs. The same code serves the virtual and the physical timer: each is
 * given the map of its own counter (struct lpt_map), with its own bases.
 *
 * The defining property (docs/timers.md): for every native counter value n of the map's
 * domain, the hardware condition n >= native_cval holds exactly when the guest's
 * condition pv(n) >= cval does. Never early, never a native tick late.
 */
#ifndef LPT_TIMER_H
#define LPT_TIMER_H

#include <lpt/port.h>
#include <lpt/errno.h>
#include <lpt/map.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct lpt_timer - One guest timer's compare value.
 * @pv_cval: the compare value in PV ticks as the guest set it (by CVAL, or by TVAL
 *	relative to the PV counter); what a guest read of CVAL returns.
 * @native_cval: the compare value to program into the hardware timer.
 *
 * The PV compare value is kept as written: where the PV counter is finer than the
 * native one, native_cval cannot give it back.
 */
struct lpt_timer {
	uint64_t pv_cval;
	uint64_t native_cval;
};

/**
 * lpt_timer_native_cval() - The native compare value for a PV compare value.
 * @m: the map of the timer's counter, valid (lpt_map_check()).
 * @pv_cval: the guest's compare value in PV ticks, any 64-bit value.
 *
 * Exact: the first native value of the map's domain at which the PV counter reaches
 * @pv_cval (lpt_map_pv_to_native()). A @pv_cval at or below the PV value at native_base
 * gives native_base, which fires at once. A @pv_cval the domain never reaches gives a
 * value the counter never reaches: 2^width (or, for a 64-bit counter, 2^64 - 1, which
 * is one tick early only at the end of the counter's range).
 *
 * Return: the native compare value.
 */
static inline uint64_t lpt_timer_native_cval(const struct lpt_map *m, uint64_t pv_cval)
{
	uint64_t n = lpt_map_pv_to_native(m, pv_cval);

	if (n == m->native_mask && m->width < 64 && lpt_map_native_to_pv(m, n) < pv_cval)
		return n + 1;
	return n;
}

/**
 * lpt_timer_write_cval() - A guest writes its timer's CVAL.
 * @t: the timer.
 * @m: the map of the timer's counter.
 * @pv_cval: the value written, in PV ticks; every value is legal.
 *
 * Return: 0, or -LPT_EINVAL for a NULL pointer or an invalid map (*@t unchanged).
 */
int lpt_timer_write_cval(struct lpt_timer *t, const struct lpt_map *m, uint64_t pv_cval);

/**
 * lpt_timer_write_tval() - A guest writes its timer's TVAL.
 * @t: the timer.
 * @m: the map of the timer's counter.
 * @native_now: the native counter when the write happens.
 * @tval: the value written: signed 32-bit PV ticks from now; every value is legal.
 *
 * As the architecture defines it: CVAL = counter + SignExtend(TVAL), modulo 2^64, with
 * the PV counter at @native_now.
 *
 * Return: 0, or -LPT_EINVAL for a NULL pointer or an invalid map (*@t unchanged).
 */
int lpt_timer_write_tval(struct lpt_timer *t, const struct lpt_map *m, uint64_t native_now,
			 int32_t tval);

/**
 * lpt_timer_read_tval() - A guest reads its timer's TVAL.
 * @t: the timer.
 * @m: the map of the timer's counter.
 * @native_now: the native counter when the read happens.
 * @tval: where the value read is stored.
 *
 * As the architecture defines it: (CVAL - counter) truncated to 32 bits, signed, with
 * the PV compare value and the PV counter at @native_now.
 *
 * Return: 0, or -LPT_EINVAL for a NULL pointer or an invalid map (*@tval unchanged).
 */
int lpt_timer_read_tval(const struct lpt_timer *t, const struct lpt_map *m, uint64_t native_now,
			int32_t *tval);

/**
 * lpt_timer_read_cval() - A guest reads its timer's CVAL.
 * @t: the timer.
 *
 * Return: the PV compare value exactly as the guest set it.
 */
static inline uint64_t lpt_timer_read_cval(const struct lpt_timer *t)
{
	return t->pv_cval;
}

/**
 * lpt_timer_reprogram() - Recompute the native compare value on a new map.
 * @t: the timer.
 * @m: the map of the timer's counter after a migration (or any re-base).
 *
 * From the full 64-bit PV compare value, not from a 32-bit TVAL, so that deadlines of
 * any length survive a migration with the defining property on the new host.
 *
 * Return: 0, or -LPT_EINVAL for a NULL pointer or an invalid map (*@t unchanged).
 */
int lpt_timer_reprogram(struct lpt_timer *t, const struct lpt_map *m);

#ifdef __cplusplus
}
#endif

#endif /* LPT_TIMER_H */
