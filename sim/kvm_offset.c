// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#include "kvm_offset.h"

void lpt_sim_kvm_offset_migrate(struct lpt_sim_kvm_offset *k, const struct lpt_sim_vcpu *v,
				uint64_t pause, uint64_t resume)
{
	const struct lpt_sim_stay *s = lpt_sim_vcpu_stay(v);
	uint64_t g = pause - k->off;

	if (v->downtime == LPT_DOWNTIME_COUNT)
		g += lpt_sim_ns_to_ticks(s->downtime_ns, s->host->hz);
	k->off = resume - g;
}
