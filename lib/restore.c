// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * A VM's counters and timers restored on a new host (include/lpt/restore.h).
 */
#include <lpt/restore.h>
#include <lpt/errno.h>

/*
 * Revision 0, as the RFC's pvclock_lpt_update_vtimer() (include/lpt/restore.h); old is
 * published (sequence not 0) and validated.
 */
static int lpt_restore_rev0(struct lpt_restore *r, const struct lpt_page_fields *old,
			    uint64_t native_hz, unsigned int width, uint64_t virt_native)
{
	struct lpt_rfc_scale to_pv;

	if (virt_native > lpt_counter_mask(width) ||
	    lpt_rfc_scale_init(&to_pv, native_hz, old->pv_hz))
		return -LPT_EINVAL;
	r->revision = LPT_PAGE_REV0;
	r->rfc_prev_hz = (uint32_t)old->native_hz;
	r->rfc_cur_hz = (uint32_t)native_hz;
	/* "if (previous_freq == current_freq) return 0;": nothing is rescaled. */
	r->rfc_rescale = old->native_hz != native_hz;
	r->rfc_to_pv.mult = to_pv.mult;
	r->rfc_to_pv.fracbits = to_pv.fracbits;
	r->virt_pause = virt_native;
	r->virt_resume = virt_native;
	if (r->rfc_rescale)
		r->virt_resume = lpt_rfc_rescale_cntvct(virt_native, r->rfc_prev_hz,
							r->rfc_cur_hz);
	return 0;
}

int lpt_restore_init(struct lpt_restore *r, const struct lpt_page_fields *old,
		     uint64_t native_hz, unsigned int width, uint64_t virt_native,
		     uint64_t phys_native)
{
	struct lpt_map old_virt, old_phys;
	uint64_t mask, since_base, pv, phys_pv;
	int err;

	if (!r || !old)
		return -LPT_EINVAL;
	/* The RFC's first check ("The first run?"), before it looks at anything else. */
	if (old->revision == LPT_PAGE_REV0 && !old->sequence)
		return -LPT_ENOTREADY;
	err = lpt_page_validate(old);
	if (err)
		return err;
	if (!lpt_freq_valid(native_hz) || width < LPT_PAGE_WIDTH_MIN || width > LPT_PAGE_WIDTH_MAX)
		return -LPT_EINVAL;
	if (old->revision == LPT_PAGE_REV0)
		return lpt_restore_rev0(r, old, native_hz, width, virt_native);
	mask = lpt_counter_mask(width);
	lpt_page_maps(old, &old_virt, &old_phys);
	if (virt_native > mask || phys_native > mask || virt_native > old_virt.native_mask)
		return -LPT_EINVAL;
	/* A virtual counter behind the old map's base went backward: refuse it. */
	since_base = (virt_native - old_virt.native_base) & old_virt.native_mask;
	if (since_base > old_virt.native_mask / 2)
		return -LPT_EINVAL;

	pv = lpt_map_native_to_pv(&old_virt, virt_native);
	phys_pv = pv + (old_phys.pv_base - old_virt.pv_base);
	err = lpt_map_init(&r->virt, native_hz, old->pv_hz, width, virt_native, pv);
	if (err)
		return err;
	lpt_map_init(&r->phys, native_hz, old->pv_hz, width, phys_native, phys_pv);
	lpt_map_copy(&r->old_virt, &old_virt);
	lpt_map_copy(&r->old_phys, &old_phys);
	r->revision = LPT_PAGE_REV1;
	r->virt_pause = virt_native;
	r->phys_pause = lpt_map_pv_to_native(&old_phys, phys_pv);
	r->virt_resume = virt_native;
	return 0;
}

int lpt_restore_timer(struct lpt_timer *t, const struct lpt_restore *r, bool phys,
		      uint64_t old_native_cval)
{
	const struct lpt_map *old, *next;
	uint64_t ahead;

	if (!t || !r)
		return -LPT_EINVAL;
	if (r->revision == LPT_PAGE_REV0) {
		/* The RFC: the physical timer as it was; the virtual one by its u32 TVAL. */
		t->native_cval = old_native_cval;
		if (!phys && r->rfc_rescale)
			t->native_cval = r->virt_resume +
				lpt_rfc_rescale_tval((uint32_t)(old_native_cval - r->virt_pause),
						     r->rfc_prev_hz, r->rfc_cur_hz);
		t->pv_cval = lpt_rfc_scale_apply(&r->rfc_to_pv, t->native_cval);
		return 0;
	}
	old = phys ? &r->old_phys : &r->old_virt;
	next = phys ? &r->phys : &r->virt;
	ahead = (old_native_cval - (phys ? r->phys_pause : r->virt_pause)) & old->native_mask;
	if (ahead == 0 || ahead > old->native_mask / 2) {
		/* Reached before the pause: keep it reached. */
		t->pv_cval = next->pv_base;
		t->native_cval = next->native_base;
		return 0;
	}
	return lpt_timer_write_cval(t, next, lpt_map_native_to_pv(old, old_native_cval));
}
