// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The shared page's ABI: its bytes, decoding, encoding and validation
 * (include/lpt/page.h). The host's writer side is in page_writer.c, the guest's reader
 * side in page_reader.c.
 */
#include <lpt/page.h>
#include <lpt/errno.h>

#include "page_io.h"

int lpt_page_check_buf(const void *buf, size_t len, size_t need)
{
	if (!buf)
		return -LPT_EINVAL;
	if ((uintptr_t)buf % LPT_PAGE_ALIGN)
		return -LPT_EALIGN;
	if (len < need)
		return -LPT_ESHORT;
	return 0;
}

/*
 * A host view holding only a revision and its frequencies, every other field zero: each
 * revision then fills in what it carries.
 */
static void lpt_fields_clear(struct lpt_page_fields *f, uint32_t revision, uint64_t native_hz,
			     uint64_t pv_hz)
{
	f->revision = revision;
	f->flags = 0;
	f->sequence = 0;
	f->generation = 0;
	f->native_hz = native_hz;
	f->pv_hz = pv_hz;
	f->width = 0;
	f->reserved = 0;
	f->virt.native_base = 0;
	f->virt.pv_base = 0;
	f->phys.native_base = 0;
	f->phys.pv_base = 0;
	f->to_pv.whole = 0;
	f->to_pv.frac_hi = 0;
	f->to_pv.frac_lo = 0;
	f->to_pv.from_hz = native_hz;
	f->to_pv.to_hz = pv_hz;
	f->to_native.whole = 0;
	f->to_native.frac_hi = 0;
	f->to_native.frac_lo = 0;
	f->to_native.from_hz = pv_hz;
	f->to_native.to_hz = native_hz;
	f->rfc_to_pv.mult = 0;
	f->rfc_to_pv.fracbits = 0;
	f->rfc_to_native.mult = 0;
	f->rfc_to_native.fracbits = 0;
}

void lpt_page_load(const void *buf, uint32_t revision, struct lpt_page_fields *f)
{
	if (revision == LPT_PAGE_REV0) {
		const struct lpt_page_rev0 *p = buf;

		lpt_fields_clear(f, revision, LD32(&p->native_freq), LD32(&p->pv_freq));
		f->flags = LD32(&p->attributes);
		f->rfc_to_pv.mult = LD64(&p->scale_mult);
		f->rfc_to_pv.fracbits = LD32(&p->fracbits);
		f->rfc_to_native.mult = LD64(&p->rscale_mult);
		f->rfc_to_native.fracbits = LD32(&p->rfracbits);
	} else {
		const struct lpt_page_rev1 *p = buf;
		uint64_t reserved = LD32(&p->reserved0);
		unsigned int i;

		for (i = 0; i < sizeof(p->reserved) / sizeof(p->reserved[0]); i++)
			reserved |= LD64(&p->reserved[i]);
		lpt_fields_clear(f, revision, LD64(&p->native_hz), LD64(&p->pv_hz));
		f->flags = LD32(&p->flags);
		f->generation = LD64(&p->generation);
		f->width = LD32(&p->width);
		f->reserved = reserved;
		f->virt.native_base = LD64(&p->virt_native_base);
		f->virt.pv_base = LD64(&p->virt_pv_base);
		f->phys.native_base = LD64(&p->phys_native_base);
		f->phys.pv_base = LD64(&p->phys_pv_base);
		f->to_pv.whole = LD64(&p->to_pv_whole);
		f->to_pv.frac_hi = LD64(&p->to_pv_frac_hi);
		f->to_pv.frac_lo = LD64(&p->to_pv_frac_lo);
		f->to_native.whole = LD64(&p->to_native_whole);
		f->to_native.frac_hi = LD64(&p->to_native_frac_hi);
		f->to_native.frac_lo = LD64(&p->to_native_frac_lo);
	}
}

void lpt_page_store(void *buf, const struct lpt_page_fields *f)
{
	if (f->revision == LPT_PAGE_REV0) {
		struct lpt_page_rev0 *p = buf;

		ST32(&p->revision, LPT_PAGE_REV0);
		ST32(&p->attributes, f->flags);
		ST32(&p->native_freq, (uint32_t)f->native_hz);
		ST32(&p->pv_freq, (uint32_t)f->pv_hz);
		ST64(&p->scale_mult, f->rfc_to_pv.mult);
		ST32(&p->fracbits, f->rfc_to_pv.fracbits);
		ST64(&p->rscale_mult, f->rfc_to_native.mult);
		ST32(&p->rfracbits, f->rfc_to_native.fracbits);
	} else {
		struct lpt_page_rev1 *p = buf;
		unsigned int i;

		ST32(&p->revision, LPT_PAGE_REV1);
		ST32(&p->flags, f->flags);
		ST64(&p->generation, f->generation);
		ST64(&p->native_hz, f->native_hz);
		ST64(&p->pv_hz, f->pv_hz);
		ST32(&p->width, f->width);
		ST32(&p->reserved0, 0);
		ST64(&p->virt_native_base, f->virt.native_base);
		ST64(&p->virt_pv_base, f->virt.pv_base);
		ST64(&p->phys_native_base, f->phys.native_base);
		ST64(&p->phys_pv_base, f->phys.pv_base);
		ST64(&p->to_pv_whole, f->to_pv.whole);
		ST64(&p->to_pv_frac_hi, f->to_pv.frac_hi);
		ST64(&p->to_pv_frac_lo, f->to_pv.frac_lo);
		ST64(&p->to_native_whole, f->to_native.whole);
		ST64(&p->to_native_frac_hi, f->to_native.frac_hi);
		ST64(&p->to_native_frac_lo, f->to_native.frac_lo);
		ST64(&p->reserved[0], f->reserved);
		for (i = 1; i < sizeof(p->reserved) / sizeof(p->reserved[0]); i++)
			ST64(&p->reserved[i], 0);
	}
}

void lpt_fields_copy(struct lpt_page_fields *d, const struct lpt_page_fields *f)
{
	d->revision = f->revision;
	d->flags = f->flags;
	d->sequence = f->sequence;
	d->generation = f->generation;
	d->native_hz = f->native_hz;
	d->pv_hz = f->pv_hz;
	d->width = f->width;
	d->reserved = f->reserved;
	d->virt.native_base = f->virt.native_base;
	d->virt.pv_base = f->virt.pv_base;
	d->phys.native_base = f->phys.native_base;
	d->phys.pv_base = f->phys.pv_base;
	lpt_scale_copy(&d->to_pv, &f->to_pv);
	lpt_scale_copy(&d->to_native, &f->to_native);
	d->rfc_to_pv.mult = f->rfc_to_pv.mult;
	d->rfc_to_pv.fracbits = f->rfc_to_pv.fracbits;
	d->rfc_to_native.mult = f->rfc_to_native.mult;
	d->rfc_to_native.fracbits = f->rfc_to_native.fracbits;
}

int lpt_page_decode(const void *buf, size_t len, struct lpt_page_fields *f)
{
	uint32_t revision;
	int err = lpt_page_check_buf(buf, len, sizeof(uint32_t));

	if (err)
		return err;
	if (!f)
		return -LPT_EINVAL;
	revision = LD32(lpt_page_rev(buf));
	if (!lpt_page_size(revision))
		return -LPT_EREVISION;
	if (len < lpt_page_size(revision))
		return -LPT_ESHORT;
	lpt_page_load(buf, revision, f);
	f->sequence = LD64(lpt_page_seq_word(buf));
	return 0;
}

int lpt_page_validate_cheap(const struct lpt_page_fields *f)
{
	if (f->revision == LPT_PAGE_REV0) {
		if (f->flags)
			return -LPT_ERESERVED;
		if (!f->native_hz || !f->pv_hz || f->native_hz > 0xffffffffULL ||
		    f->pv_hz > 0xffffffffULL)
			return -LPT_EFREQ;
		return 0;
	}
	if (f->revision != LPT_PAGE_REV1)
		return -LPT_EREVISION;
	if (f->flags || f->reserved)
		return -LPT_ERESERVED;
	if (f->width >= LPT_PAGE_WIDTH_MIN && f->width <= LPT_PAGE_WIDTH_MAX &&
	    (f->virt.native_base | f->phys.native_base) > lpt_counter_mask(f->width))
		return -LPT_ERESERVED;
	if (!lpt_freq_valid(f->native_hz) || !lpt_freq_valid(f->pv_hz))
		return -LPT_EFREQ;
	if (f->width < LPT_PAGE_WIDTH_MIN || f->width > LPT_PAGE_WIDTH_MAX)
		return -LPT_EWIDTH;
	return 0;
}

bool lpt_scale_same(const struct lpt_scale *a, const struct lpt_scale *b)
{
	return a->whole == b->whole && a->frac_hi == b->frac_hi && a->frac_lo == b->frac_lo;
}

int lpt_page_validate_mult(const struct lpt_page_fields *f)
{
	if (f->revision == LPT_PAGE_REV0) {
		struct lpt_rfc_scale to_pv, to_native;

		lpt_rfc_scale_init(&to_pv, f->native_hz, f->pv_hz);
		lpt_rfc_scale_init(&to_native, f->pv_hz, f->native_hz);
		if (to_pv.mult != f->rfc_to_pv.mult || to_pv.fracbits != f->rfc_to_pv.fracbits ||
		    to_native.mult != f->rfc_to_native.mult ||
		    to_native.fracbits != f->rfc_to_native.fracbits)
			return -LPT_EMULT;
	} else {
		/* Multiplied back, not divided again. */
		if (!lpt_scale_matches(&f->to_pv, f->native_hz, f->pv_hz) ||
		    !lpt_scale_matches(&f->to_native, f->pv_hz, f->native_hz))
			return -LPT_EMULT;
	}
	return 0;
}

int lpt_page_validate_content(const struct lpt_page_fields *f)
{
	int err = lpt_page_validate_cheap(f);

	return err ? err : lpt_page_validate_mult(f);
}

int lpt_page_validate(const struct lpt_page_fields *f)
{
	int err;

	if (!f)
		return -LPT_EINVAL;
	err = lpt_page_validate_content(f);
	if (err)
		return err;
	if (!f->sequence)
		return -LPT_ENOTREADY;
	if (f->sequence & 1)
		return -LPT_EBUSY;
	return 0;
}

int lpt_page_fields_rev0(struct lpt_page_fields *f, uint64_t native_hz, uint64_t pv_hz)
{
	struct lpt_rfc_scale to_pv, to_native;

	if (!f || lpt_rfc_scale_init(&to_pv, native_hz, pv_hz) ||
	    lpt_rfc_scale_init(&to_native, pv_hz, native_hz))
		return -LPT_EINVAL;
	lpt_fields_clear(f, LPT_PAGE_REV0, native_hz, pv_hz);
	f->rfc_to_pv.mult = to_pv.mult;
	f->rfc_to_pv.fracbits = to_pv.fracbits;
	f->rfc_to_native.mult = to_native.mult;
	f->rfc_to_native.fracbits = to_native.fracbits;
	return 0;
}

int lpt_page_fields_rev1(struct lpt_page_fields *f, const struct lpt_map *virt,
			 const struct lpt_map *phys, uint64_t generation)
{
	if (!f || lpt_map_check(virt) || lpt_map_check(phys) || virt->width != phys->width ||
	    virt->width < LPT_PAGE_WIDTH_MIN || !lpt_scale_same(&virt->to_pv, &phys->to_pv) ||
	    virt->to_pv.from_hz != phys->to_pv.from_hz || virt->to_pv.to_hz != phys->to_pv.to_hz)
		return -LPT_EINVAL;
	lpt_fields_clear(f, LPT_PAGE_REV1, virt->to_pv.from_hz, virt->to_pv.to_hz);
	f->generation = generation;
	f->width = virt->width;
	f->virt.native_base = virt->native_base;
	f->virt.pv_base = virt->pv_base;
	f->phys.native_base = phys->native_base;
	f->phys.pv_base = phys->pv_base;
	lpt_scale_copy(&f->to_pv, &virt->to_pv);
	lpt_scale_copy(&f->to_native, &virt->to_native);
	return 0;
}

int lpt_page_encode(void *buf, size_t len, const struct lpt_page_fields *f)
{
	int err;

	if (!f)
		return -LPT_EINVAL;
	if (!lpt_page_size(f->revision))
		return -LPT_EREVISION;
	err = lpt_page_check_buf(buf, len, lpt_page_size(f->revision));
	if (err)
		return err;
	lpt_page_store(buf, f);
	ST64(lpt_page_seq_word(buf), f->sequence);
	return 0;
}

/* A map straight from the page's multipliers: no division. */
static void lpt_snapshot_map(struct lpt_map *m, const struct lpt_page_fields *f,
			     uint64_t native_base, uint64_t pv_base)
{
	lpt_scale_copy(&m->to_pv, &f->to_pv);
	lpt_scale_copy(&m->to_native, &f->to_native);
	m->native_base = native_base;
	m->pv_base = pv_base;
	m->native_mask = lpt_counter_mask(f->width);
	m->width = f->width;
}

void lpt_page_maps(const struct lpt_page_fields *f, struct lpt_map *virt, struct lpt_map *phys)
{
	lpt_snapshot_map(virt, f, f->virt.native_base, f->virt.pv_base);
	lpt_snapshot_map(phys, f, f->phys.native_base, f->phys.pv_base);
}
