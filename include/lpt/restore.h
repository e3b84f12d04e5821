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
 *
 * A revision 0 page (the Aug 2020 RFC's) is restored as the RFC's code does it
 * (pvclock_lpt_update_vtimer(), RFC patch 2/5): no bases, so the virtual counter itself
 * is moved (CNTVOFF rescaled) to floor(counter * new native frequency / old native
 * frequency), and only the virtual timer is re-programmed, from its distance to the
 * counter truncated to 32 unsigned bits, rescaled and truncated again
 * (lpt_rfc_rescale_cntvct(), lpt_rfc_rescale_tval()). Nothing is rescaled when the page
 * was never published (the RFC's first run) or states this host's native frequency.
 */
#ifndef LPT_RESTORE_H
#define LPT_RESTORE_H

#include <lpt/port.h>
#include <lpt/errno.h>
#include <lpt/map.h>
#include <lpt/page.h>
#include <lpt/timer.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct lpt_restore - A VM's counters across a restore.
 * @revision: the page's revision, LPT_PAGE_REV0 or LPT_PAGE_REV1.
 * @old_virt: the virtual counter's map on the old host (from the page).
 * @old_phys: the physical counter's.
 * @virt_pause: the old virtual counter at pause (in @old_virt's domain).
 * @phys_pause: the old physical counter at pause: the first value at which @old_phys
 *	reaches the physical PV counter's value at pause.
 * @virt: the virtual counter's map on the new host.
 * @phys: the physical counter's.
 * @rfc_prev_hz: revision 0: the native frequency the old page states.
 * @rfc_cur_hz: revision 0: the new host's native frequency.
 * @rfc_rescale: revision 0: whether the RFC rescales (the frequencies differ).
 * @rfc_to_pv: revision 0: the new page's native->PV scale (for lpt_timer.pv_cval).
 * @virt_resume: the virtual counter's value to continue with: revision 0, the RFC's
 *	lpt_rfc_rescale_cntvct() of @virt_pause when @rfc_rescale, else @virt_pause (the
 *	VMM or KVM sets CNTVOFF for it); revision 1, the value at pause, unchanged.
 */
struct lpt_restore {
	uint32_t revision;
	struct lpt_map old_virt;
	struct lpt_map old_phys;
	uint64_t virt_pause;
	uint64_t phys_pause;
	struct lpt_map virt;
	struct lpt_map phys;
	uint32_t rfc_prev_hz;
	uint32_t rfc_cur_hz;
	bool rfc_rescale;
	struct lpt_rfc_scale rfc_to_pv;
	uint64_t virt_resume;
};

/**
 * lpt_restore_init() - The maps a restored VM continues with.
 * @r: filled in.
 * @old: the page the VM brought, decoded (lpt_page_decode()).
 * @native_hz: the new host's counter frequency, 1 to 2^40 Hz.
 * @width: the new host's counter width, 56 to 64.
 * @virt_native: the VM's virtual counter now, as the VMM restored it: its value at
 *	pause (a counter continued across the downtime, which is hidden).
 * @phys_native: the new host's physical counter now.
 *
 * Revision 1: the virtual PV counter continues from lpt_map_native_to_pv(old virtual
 * map, @virt_native), exactly as lpt_map_rebase() with LPT_DOWNTIME_HIDE; the physical
 * one keeps its distance to it. Both new maps are based now.
 *
 * Revision 0, the RFC's code: a page never published (sequence 0, the RFC's "first
 * run") is not continued (-LPT_ENOTREADY, checked before anything else, as the RFC
 * does): the caller keeps the counters as they are. A page stating this host's native
 * frequency is continued unchanged. Otherwise the virtual counter is to continue from
 * floor(@virt_native * @native_hz / old native frequency) (@r->virt_resume, one floor
 * of the exact ratio), and the new page's rounded-down scale of it can be behind or
 * ahead of the old page's scale of @virt_native by a few PV ticks: the RFC's behaviour,
 * kept. The RFC's check that the page's PV frequency is the VMM's (KVM_RUN fails with
 * -EFAULT otherwise) is the caller's. Refusing pages that do not validate (reserved
 * bits, wrong multipliers, an odd sequence) is this project's choice: the RFC's host
 * reads only the sequence and both frequencies.
 *
 * Return: 0; -LPT_EINVAL (NULL, frequency or width out of range, revision 0 with a
 * frequency of 2^32 Hz or more, a counter value wider than its counter, a virtual
 * counter before the old map's base, i.e. one that went backward); or
 * lpt_page_validate()'s error for a page that does not validate (never published,
 * unknown revision, reserved bits, wrong multipliers, ...). *@r is unchanged on error.
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
 * Revision 1 (this project's rule): a compare value at or before the pause (less than
 * half the counter's range before it) had been reached: it stays reached (the new map's
 * native base, which the counter has passed). A later one is the PV value the old
 * counter would have had when it fired, lpt_map_native_to_pv(old map,
 * @old_native_cval), programmed exactly on the new map (lpt_timer_native_cval()): the
 * timer fires at the first new native tick at which the PV counter reaches the value at
 * which the old host would have fired it — never before.
 *
 * Revision 0, the RFC's code: the physical timer keeps its compare value; so does the
 * virtual one when nothing is rescaled. Otherwise the virtual one becomes
 * @r->virt_resume + lpt_rfc_rescale_tval((u32)(@old_native_cval - @r->virt_pause)):
 * a distance of 2^32 old ticks or more is truncated, a rescaled one of 2^32 new ticks
 * or more wraps, and a timer already reached (a negative distance, as a u32) is pushed
 * up to 2^32 - 1 new ticks into the future. @t->pv_cval is the new page's scale of the
 * result: what the RFC's guest reads back.
 *
 * Return: 0, or -LPT_EINVAL for a NULL pointer (*@t unchanged).
 */
int lpt_restore_timer(struct lpt_timer *t, const struct lpt_restore *r, bool phys,
		      uint64_t old_native_cval);

#ifdef __cplusplus
}
#endif

#endif /* LPT_RESTORE_H */
