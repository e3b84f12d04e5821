// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The shared page: decoding, validation, and both sides of its sequence protocol
 * (include/lpt/page.h, include/lpt/seqlock.h).
 */
#include <lpt/page.h>
#include <lpt/errno.h>
#include <lpt/seqlock.h>

#define LD32(p)		lpt_le32_to_cpu(lpt_load_once(p))
#define LD64(p)		lpt_le64_to_cpu(lpt_load_once(p))
#define ST32(p, v)	lpt_store_once((p), lpt_cpu_to_le32(v))
#define ST64(p, v)	lpt_store_once((p), lpt_cpu_to_le64(v))

static int lpt_page_check_buf(const void *buf, size_t len, size_t need)
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

/* Every field but the sequence, as single-copy loads (the reader's inner step). */
static void lpt_page_load(const void *buf, uint32_t revision, struct lpt_page_fields *f)
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

/* Every field but the sequence, as single-copy stores (the writer's inner step). */
static void lpt_page_store(void *buf, const struct lpt_page_fields *f)
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

/* Field by field: a structure assignment may become a memcpy() call. */
static void lpt_fields_copy(struct lpt_page_fields *d, const struct lpt_page_fields *f)
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

/* The sequence word is at offset 8 in both revisions. */
static uint64_t *lpt_page_seq(const void *buf)
{
	return &((struct lpt_page_rev1 *)(uintptr_t)buf)->sequence;
}

static const uint32_t *lpt_page_rev(const void *buf)
{
	return &((const struct lpt_page_rev1 *)buf)->revision;
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
	f->sequence = LD64(lpt_page_seq(buf));
	return 0;
}

/* Everything but the multipliers and the sequence: cheap, checked on every snapshot. */
static int lpt_page_validate_cheap(const struct lpt_page_fields *f)
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

static bool lpt_scale_same(const struct lpt_scale *a, const struct lpt_scale *b)
{
	return a->whole == b->whole && a->frac_hi == b->frac_hi && a->frac_lo == b->frac_lo;
}

/* The multipliers against those the frequencies give: costs divisions. */
static int lpt_page_validate_mult(const struct lpt_page_fields *f)
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
		struct lpt_scale to_pv, to_native;

		lpt_scale_init(&to_pv, f->native_hz, f->pv_hz);
		lpt_scale_init(&to_native, f->pv_hz, f->native_hz);
		if (!lpt_scale_same(&to_pv, &f->to_pv) ||
		    !lpt_scale_same(&to_native, &f->to_native))
			return -LPT_EMULT;
	}
	return 0;
}

static int lpt_page_validate_content(const struct lpt_page_fields *f)
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
	ST64(lpt_page_seq(buf), f->sequence);
	return 0;
}

/* The page's sequence, rounded up to even (an odd one is an interrupted update). */
static uint64_t lpt_page_seq_even(const void *buf)
{
	uint64_t seq = lpt_le64_to_cpu(lpt_load_once(lpt_page_seq(buf)));

	return seq + (seq & 1);
}

/* Publishes @f continuing from sequence @start (even). */
static int lpt_page_publish_at(void *buf, size_t len, const struct lpt_page_fields *f,
			       uint64_t start)
{
	int err;

	if (!f)
		return -LPT_EINVAL;
	err = lpt_page_validate_content(f);
	if (err)
		return err;
	err = lpt_page_check_buf(buf, len, lpt_page_size(f->revision));
	if (err)
		return err;
	start = lpt_seq_write_begin_at(lpt_page_seq(buf), start);
	lpt_page_store(buf, f);
	lpt_seq_write_end(lpt_page_seq(buf), start);
	return 0;
}

int lpt_page_publish(void *buf, size_t len, const struct lpt_page_fields *f)
{
	int err = lpt_page_check_buf(buf, len, LPT_PAGE_REV0_SIZE);

	if (err)
		return err;
	return lpt_page_publish_at(buf, len, f, lpt_page_seq_even(buf));
}

int lpt_page_invalidate(void *buf, size_t len)
{
	int err = lpt_page_check_buf(buf, len, LPT_PAGE_REV0_SIZE);

	if (err)
		return err;
	lpt_store_release(lpt_page_seq(buf), lpt_cpu_to_le64(0));
	return 0;
}

int lpt_updater_init(struct lpt_updater *u, void *buf, size_t len)
{
	int err;

	if (!u)
		return -LPT_EINVAL;
	err = lpt_page_check_buf(buf, len, LPT_PAGE_REV0_SIZE);
	if (err)
		return err;
	u->seq = lpt_page_seq_even(buf);
	lpt_page_invalidate(buf, len);
	u->page = buf;
	u->len = len;
	u->pending = false;
	return 0;
}

int lpt_updater_stage(struct lpt_updater *u, const struct lpt_page_fields *f)
{
	int err;

	if (!u || !f)
		return -LPT_EINVAL;
	err = lpt_page_validate_content(f);
	if (err)
		return err;
	if (u->len < lpt_page_size(f->revision))
		return -LPT_ESHORT;
	lpt_fields_copy(&u->next, f);
	u->pending = true;
	return 0;
}

int lpt_updater_vcpu_run(struct lpt_updater *u)
{
	int err;

	if (!u)
		return -LPT_EINVAL;
	if (!u->pending)
		return 0;
	err = lpt_page_publish_at(u->page, u->len, &u->next, u->seq);
	if (err)
		return err;
	u->seq += 2;
	u->pending = false;
	return 1;
}

int lpt_reader_init(struct lpt_reader *r, const void *buf, size_t len)
{
	int err = lpt_page_check_buf(buf, len, LPT_PAGE_REV0_SIZE);

	if (err)
		return err;
	if (!r)
		return -LPT_EINVAL;
	r->page = buf;
	r->len = len;
	r->verified = false;
	r->reads = 0;
	r->retries = 0;
	return 0;
}

/* Whether f carries the same generation, frequencies and multipliers as the last check. */
static bool lpt_reader_known(const struct lpt_reader *r, const struct lpt_page_fields *f)
{
	const struct lpt_page_fields *k = &r->known;

	if (!r->verified || k->revision != f->revision || k->generation != f->generation ||
	    k->native_hz != f->native_hz || k->pv_hz != f->pv_hz)
		return false;
	if (f->revision == LPT_PAGE_REV0)
		return k->rfc_to_pv.mult == f->rfc_to_pv.mult &&
		       k->rfc_to_pv.fracbits == f->rfc_to_pv.fracbits &&
		       k->rfc_to_native.mult == f->rfc_to_native.mult &&
		       k->rfc_to_native.fracbits == f->rfc_to_native.fracbits;
	return lpt_scale_same(&k->to_pv, &f->to_pv) && lpt_scale_same(&k->to_native, &f->to_native);
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

/* One consistent read of every field: 0, -LPT_ENOTREADY, -LPT_EBUSY or -LPT_ESHORT. */
static int lpt_reader_read(struct lpt_reader *r, struct lpt_page_fields *f)
{
	unsigned int i;

	for (i = 0; i < LPT_READER_RETRIES; i++) {
		uint64_t seq = lpt_seq_read_begin(lpt_page_seq(r->page));
		uint32_t revision;

		if (!seq)
			return -LPT_ENOTREADY;
		revision = LD32(lpt_page_rev(r->page));
		if (lpt_page_size(revision) && r->len >= lpt_page_size(revision))
			lpt_page_load(r->page, revision, f);
		else
			f->revision = revision;
		if (lpt_seq_read_retry(lpt_page_seq(r->page), seq)) {
			r->retries++;
			continue;
		}
		f->sequence = seq;
		if (!lpt_page_size(revision))
			return -LPT_EREVISION;
		if (r->len < lpt_page_size(revision))
			return -LPT_ESHORT;
		return 0;
	}
	return -LPT_EBUSY;
}

int lpt_reader_snapshot(struct lpt_reader *r, struct lpt_snapshot *s)
{
	struct lpt_page_fields f;
	int err;

	if (!r || !s)
		return -LPT_EINVAL;
	err = lpt_reader_read(r, &f);
	if (!err)
		err = lpt_page_validate_cheap(&f);
	/* Multipliers only for content not checked before: they cost divisions. */
	if (!err && !lpt_reader_known(r, &f))
		err = lpt_page_validate_mult(&f);
	if (err)
		return err;
	lpt_fields_copy(&r->known, &f);
	r->verified = true;
	s->revision = f.revision;
	s->sequence = f.sequence;
	s->generation = f.revision == LPT_PAGE_REV0 ? f.sequence : f.generation;
	if (f.revision == LPT_PAGE_REV1)
		lpt_page_maps(&f, &s->virt, &s->phys);
	s->rfc_to_pv.mult = f.rfc_to_pv.mult;
	s->rfc_to_pv.fracbits = f.rfc_to_pv.fracbits;
	s->rfc_to_native.mult = f.rfc_to_native.mult;
	s->rfc_to_native.fracbits = f.rfc_to_native.fracbits;
	r->reads++;
	return 0;
}

/* What one fast-path attempt found. */
enum lpt_fast {
	LPT_FAST_DONE,		/* converted */
	LPT_FAST_RETRY,		/* the sequence moved: read again */
	LPT_FAST_UNKNOWN,	/* content not checked yet: take a full snapshot first */
};

static enum lpt_fast lpt_fast_rev1(struct lpt_reader *r, uint64_t seq, uint64_t native,
				   uint64_t *pv)
{
	const struct lpt_page_rev1 *p = r->page;
	const struct lpt_page_fields *k = &r->known;
	struct lpt_map m;
	uint64_t generation = LD64(&p->generation);
	uint32_t width = LD32(&p->width);

	m.native_base = LD64(&p->virt_native_base);
	m.pv_base = LD64(&p->virt_pv_base);
	m.to_pv.whole = LD64(&p->to_pv_whole);
	m.to_pv.frac_hi = LD64(&p->to_pv_frac_hi);
	m.to_pv.frac_lo = LD64(&p->to_pv_frac_lo);
	if (lpt_seq_read_retry(lpt_page_seq(p), seq))
		return LPT_FAST_RETRY;
	/* Content equal to what was checked; the width and bases were checked with it. */
	if (!r->verified || k->revision != LPT_PAGE_REV1 || k->generation != generation ||
	    k->width != width || !lpt_scale_same(&k->to_pv, &m.to_pv) ||
	    k->virt.native_base != m.native_base || k->virt.pv_base != m.pv_base)
		return LPT_FAST_UNKNOWN;
	m.native_mask = lpt_counter_mask(width);
	*pv = lpt_map_native_to_pv(&m, native);
	return LPT_FAST_DONE;
}

static enum lpt_fast lpt_fast_rev0(struct lpt_reader *r, uint64_t seq, uint64_t native,
				   uint64_t *pv)
{
	const struct lpt_page_rev0 *p = r->page;
	const struct lpt_page_fields *k = &r->known;
	struct lpt_rfc_scale rfc;

	rfc.mult = LD64(&p->scale_mult);
	rfc.fracbits = LD32(&p->fracbits);
	if (lpt_seq_read_retry(lpt_page_seq(p), seq))
		return LPT_FAST_RETRY;
	if (!r->verified || k->revision != LPT_PAGE_REV0 || k->sequence != seq ||
	    k->rfc_to_pv.mult != rfc.mult || k->rfc_to_pv.fracbits != rfc.fracbits)
		return LPT_FAST_UNKNOWN;
	*pv = lpt_rfc_scale_apply(&rfc, native);
	return LPT_FAST_DONE;
}

int lpt_reader_native_to_pv(struct lpt_reader *r, uint64_t native, uint64_t *pv)
{
	unsigned int i;

	if (!r || !pv)
		return -LPT_EINVAL;
	for (i = 0; i < LPT_READER_RETRIES; i++) {
		uint64_t seq = lpt_seq_read_begin(lpt_page_seq(r->page));
		uint32_t revision = LD32(lpt_page_rev(r->page));
		enum lpt_fast res = LPT_FAST_UNKNOWN;
		struct lpt_snapshot s;
		int err;

		if (!seq)
			return -LPT_ENOTREADY;
		if (revision == LPT_PAGE_REV1 && r->len >= LPT_PAGE_REV1_SIZE)
			res = lpt_fast_rev1(r, seq, native, pv);
		else if (revision == LPT_PAGE_REV0)
			res = lpt_fast_rev0(r, seq, native, pv);
		if (res == LPT_FAST_DONE) {
			r->reads++;
			return 0;
		}
		if (res == LPT_FAST_RETRY) {
			r->retries++;
			continue;
		}
		/* New content: one full, validated snapshot, then read again. */
		err = lpt_reader_snapshot(r, &s);
		if (err)
			return err;
		r->reads--;
	}
	return -LPT_EBUSY;
}
