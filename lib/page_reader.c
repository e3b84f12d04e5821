// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The shared page, the guest's side: the reader's slow path, which reads and validates
 * new content (include/lpt/page_reader.h). The fast path is inline in the header.
 */
#include <lpt/page_reader.h>
#include <lpt/errno.h>

#include "page_io.h"

int lpt_reader_init(struct lpt_reader *r, const void *buf, size_t len)
{
	int err = lpt_page_check_buf(buf, len, LPT_PAGE_REV0_SIZE);

	if (err)
		return err;
	if (!r)
		return -LPT_EINVAL;
	r->page = buf;
	r->len = len;
	r->seq = 0;
	r->refreshes = 0;
	r->validations = 0;
	r->retries = 0;
	return 0;
}

/* Whether @f has the frequencies and multipliers of the content @r holds. */
static bool lpt_reader_known(const struct lpt_reader *r, const struct lpt_page_fields *f)
{
	const struct lpt_snapshot *k = &r->snap;

	if (!r->seq || k->revision != f->revision || k->native_hz != f->native_hz ||
	    k->pv_hz != f->pv_hz)
		return false;
	if (f->revision == LPT_PAGE_REV0)
		return k->rfc_to_pv.mult == f->rfc_to_pv.mult &&
		       k->rfc_to_pv.fracbits == f->rfc_to_pv.fracbits &&
		       k->rfc_to_native.mult == f->rfc_to_native.mult &&
		       k->rfc_to_native.fracbits == f->rfc_to_native.fracbits;
	return lpt_scale_same(&k->virt.to_pv, &f->to_pv) &&
	       lpt_scale_same(&k->virt.to_native, &f->to_native);
}

/* One consistent read of every field: 0, -LPT_ENOTREADY, -LPT_EBUSY or -LPT_ESHORT. */
static int lpt_reader_load(struct lpt_reader *r, struct lpt_page_fields *f)
{
	const uint64_t *seqp = lpt_page_seq_word(r->page);
	unsigned int i;

	for (i = 0; i < LPT_READER_RETRIES; i++) {
		uint64_t seq = lpt_seq_read_begin(seqp);
		uint32_t revision;

		if (!seq)
			return -LPT_ENOTREADY;
		revision = LD32(lpt_page_rev(r->page));
		if (lpt_page_size(revision) && r->len >= lpt_page_size(revision))
			lpt_page_load(r->page, revision, f);
		else
			f->revision = revision;
		if (lpt_seq_read_retry(seqp, seq)) {
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

int lpt_reader_refresh(struct lpt_reader *r)
{
	struct lpt_snapshot *s;
	struct lpt_page_fields f;
	int err;

	if (!r)
		return -LPT_EINVAL;
	err = lpt_reader_load(r, &f);
	if (!err)
		err = lpt_page_validate_cheap(&f);
	/* Multipliers only when they differ from those checked (revision 0's cost divisions). */
	if (!err && !lpt_reader_known(r, &f)) {
		err = lpt_page_validate_mult(&f);
		r->validations++;
	}
	if (err)
		return err;
	/* No content while it is replaced (the reader is not re-entered: page_reader.h). */
	lpt_store_once(&r->seq, 0);
	lpt_fence_release();
	s = &r->snap;
	s->revision = f.revision;
	s->sequence = f.sequence;
	s->generation = f.revision == LPT_PAGE_REV0 ? f.sequence : f.generation;
	s->native_hz = f.native_hz;
	s->pv_hz = f.pv_hz;
	if (f.revision == LPT_PAGE_REV1)
		lpt_page_maps(&f, &s->virt, &s->phys);
	s->rfc_to_pv.mult = f.rfc_to_pv.mult;
	s->rfc_to_pv.fracbits = f.rfc_to_pv.fracbits;
	s->rfc_to_native.mult = f.rfc_to_native.mult;
	s->rfc_to_native.fracbits = f.rfc_to_native.fracbits;
	lpt_store_release(&r->seq, f.sequence);
	r->refreshes++;
	return 0;
}

struct lpt_reader_value lpt_reader_read_slow(struct lpt_reader *r,
					     uint64_t (*read_native)(const void *ctx),
					     const void *ctx, bool phys)
{
	struct lpt_reader_value res = { 0, -LPT_EINVAL };
	uint64_t seq;

	if (!r || !read_native)
		return res;
	do {
		res.err = lpt_reader_begin(r, &seq);
		if (res.err)
			return res;
		res.pv = lpt_reader_pv(r, read_native(ctx), phys);
	} while (lpt_reader_retry(r, seq));
	return res;
}
