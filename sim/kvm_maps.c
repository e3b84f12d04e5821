// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#include "kvm_maps.h"

int lpt_sim_kvm_maps_boot(struct lpt_sim_kvm_maps *m, const struct lpt_sim_vcpu *v,
			  uint64_t pv_hz)
{
	const struct lpt_sim_host *h = lpt_sim_vcpu_stay(v)->host;
	uint64_t n0 = lpt_sim_native(v, 0);
	int r = lpt_map_init(&m->virt, h->hz, pv_hz, h->width, n0, 0);

	if (!r)
		r = lpt_map_init(&m->phys, h->hz, pv_hz, h->width, n0,
				 lpt_scale_floor(&m->virt.to_pv, n0));
	return r;
}

int lpt_sim_kvm_maps_migrate(struct lpt_sim_kvm_maps *m, const struct lpt_sim_vcpu *v,
			     uint64_t pause, uint64_t resume)
{
	const struct lpt_sim_stay *s = lpt_sim_vcpu_stay(v);
	struct lpt_resume res = {
		.native_hz = s->host->hz, .native = resume, .downtime_ns = s->downtime_ns,
		.width = s->host->width, .downtime = v->downtime,
	};
	int r = lpt_map_rebase(&m->virt, &m->virt, pause, &res);

	if (!r)
		r = lpt_map_rebase(&m->phys, &m->phys, pause, &res);
	if (!r)
		r = lpt_timer_reprogram(&m->tv, &m->virt);
	if (!r)
		r = lpt_timer_reprogram(&m->tp, &m->phys);
	return r;
}
