// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#include "vm_page.h"

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

uint64_t lpt_sim_page_read(struct lpt_sim_page *p, struct lpt_sim_vcpu *v, uint64_t t,
			   uint64_t off, bool phys)
{
	uint64_t seq, pv;

	do {
		if (lpt_reader_begin(&p->rd, &seq)) {
			v->errors++;
			return 0;
		}
		pv = lpt_reader_pv(&p->rd, lpt_sim_native(v, t) - off, phys);
	} while (lpt_reader_retry(&p->rd, seq));
	return pv;
}
