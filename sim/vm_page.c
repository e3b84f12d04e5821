// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#include "vm_page.h"

#define NSEC_PER_SEC	UINT64_C(1000000000)

int lpt_sim_page_publish(struct lpt_sim_page *p, bool boot)
{
	int r = lpt_updater_init(&p->up, p->page, sizeof(p->page));

	if (!r)
		r = lpt_updater_stage(&p->up, &p->fields);
	if (!r)
		r = lpt_updater_vcpu_run(&p->up) == 1 ? 0 : -LPT_EINVAL;
	if (!r && boot)
		r = lpt_reader_init(&p->rd, p->page, sizeof(p->page));
	return r;
}

int lpt_sim_page_publish_rev1(struct lpt_sim_page *p, const struct lpt_map *virt,
			      const struct lpt_map *phys, uint64_t generation, bool boot)
{
	int r = lpt_page_fields_rev1(&p->fields, virt, phys, generation);

	return r ? r : lpt_sim_page_publish(p, boot);
}

void lpt_sim_page_write_cval(struct lpt_sim_page *p, struct lpt_sim_vcpu *v,
			     struct lpt_timer *tm, uint64_t cval)
{
	uint64_t seq;

	do {
		if (lpt_reader_begin(&p->rd, &seq)) {
			v->errors++;
			break;
		}
		lpt_timer_write_cval(tm, &lpt_reader_snapshot(&p->rd)->virt, cval);
	} while (lpt_reader_retry(&p->rd, seq));
}

void lpt_sim_page_write_tval(struct lpt_sim_page *p, struct lpt_sim_vcpu *v,
			     struct lpt_timer *tm, uint64_t t, uint64_t off, int32_t tval)
{
	uint64_t seq;

	do {
		if (lpt_reader_begin(&p->rd, &seq)) {
			v->errors++;
			break;
		}
		lpt_timer_write_tval(tm, &lpt_reader_snapshot(&p->rd)->phys,
				     lpt_sim_native(v, t) - off, tval);
	} while (lpt_reader_retry(&p->rd, seq));
}

uint64_t lpt_sim_page_firmware_end(struct lpt_sim_page *p, struct lpt_sim_vcpu *v, uint64_t off,
				   uint64_t t0, uint64_t stall_ns, uint64_t *target)
{
	struct lpt_reader fw;	/* the firmware's own, as the probe's */
	struct lpt_scale to_pv;
	uint64_t seq, cval;

	if (lpt_reader_init(&fw, p->page, sizeof(p->page)))
		return LPT_SIM_NEVER;
	do {
		if (lpt_reader_begin(&fw, &seq) ||
		    lpt_scale_init(&to_pv, NSEC_PER_SEC, lpt_reader_snapshot(&fw)->pv_hz))
			return LPT_SIM_NEVER;
		*target = lpt_reader_pv(&fw, lpt_sim_native(v, t0) - off, false) +
			  lpt_scale_ceil(&to_pv, stall_ns);
		cval = lpt_reader_native_cval(&fw, *target, false);
	} while (lpt_reader_retry(&fw, seq));
	return lpt_sim_raw_time(lpt_sim_vcpu_stay(v), cval + off);
}
