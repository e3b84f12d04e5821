/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * A VM restored on a new host, from what it brought: the revision 1 page in its memory
 * (the old host's maps) and its virtual counter, which the VMM restored to the value it
 * had at pause (KVM_REG_ARM_TIMER_CNT). From these the hypervisor derives the new maps
 * and re-programs the timers, whose compare values it finds in the old host's native
 * units.
 *
 * The physical PV counter keeps its distance to the virtual one: both maps are always
 * based at the same instant (by lpt_restore_init(), lpt_map_rebase() of both, or
 * lpt_map_init() of both), so the difference of their PV bases is that distance exactly.
 */
#ifndef LPT_RESTORE_H
#define LPT_RESTORE_H

#include <lpt/port.h>
#include <lpt/map.h>
#include <lpt/page.h>
#include <lpt/timer.h>

/**
 * struct lpt_restore - A VM's counters across a restore.
 * @old_virt: the virtual counter's map on the old host (from the page).
 * @old_phys: the physical counter's.
 * @virt_pause: the old virtual counter at pause (in @old_virt's domain).
 * @phys_pause: the old physical counter at pause: the first value at which @old_phys
 *	reaches the physical PV counter's value at pause.
 * @virt: the virtual counter's map on the new host.
 * @phys: the physical counter's.
 */
struct lpt_restore {
	struct lpt_map old_virt;
	struct lpt_map old_phys;
	uint64_t virt_pause;
	uint64_t phys_pause;
	struct lpt_map virt;
	struct lpt_map phys;
};

/**
 * lpt_restore_init() - The maps a restored VM continues with.
 * @r: filled in.
 * @old: the page the VM brought, decoded (lpt_page_decode()); revision 1.
 * @native_hz: the new host's counter frequency, 1 to 2^40 Hz.
 * @width: the new host's counter width, 56 to 64.
 * @virt_native: the VM's virtual counter now, as the VMM restored it: its value at
 *	pause (a counter continued across the downtime, which is hidden).
 * @phys_native: the new host's physical counter now.
 *
 * The virtual PV counter continues from lpt_map_native_to_pv(old virtual map,
 * @virt_native), exactly as lpt_map_rebase() with LPT_DOWNTIME_HIDE; the physical one
 * keeps its distance to it. Both new maps are based now.
 *
 * Return: 0; -LPT_EINVAL (NULL, frequency or width out of range, a counter value wider
 * than its counter, a virtual counter before the old map's base, i.e. one that went
 * backward); -LPT_EREVISION (not revision 1); or lpt_page_validate()'s error for a page
 * that does not validate (never published, reserved bits, wrong multipliers, ...).
 * *@r is unchanged on error.
 */
int lpt_restore_init(struct lpt_restore *r, const struct lpt_page_fields *old,
		     uint64_t native_hz, unsigned int width, uint64_t virt_native,
		     uint64_t phys_native);

/**
 * lpt_restore_timer() - A timer's compare value on the new host.
 * @t: filled in: the PV compare value and the native one to program.
 * @r: from lpt_restore_init().
 * @phys: the physical timer (else the virtual one).
 * @old_native_cval: the compare value the old host's hardware had (KVM_REG_ARM_TIMER_CVAL
 *	or _PTIMER_CVAL as the VMM restored it).
 *
 * A compare value at or before the pause (less than half the counter's range before
 * it) had been reached: it stays reached (the new map's native base, which the counter
 * has passed). A later one is the PV value the old counter would have had when it
 * fired, lpt_map_native_to_pv(old map, @old_native_cval), programmed exactly on the new
 * map (lpt_timer_native_cval()): the timer fires at the first new native tick at which
 * the PV counter reaches the value at which the old host would have fired it — never
 * before.
 *
 * Return: 0, or -LPT_EINVAL for a NULL pointer (*@t unchanged).
 */
int lpt_restore_timer(struct lpt_timer *t, const struct lpt_restore *r, bool phys,
		      uint64_t old_native_cval);

#endif /* LPT_RESTORE_H */
