/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* What the nested strategies (l2_lazy, l2_event) show of themselves, for the tests. */
#ifndef LPT_SIM_STRATEGY_NESTED_H
#define LPT_SIM_STRATEGY_NESTED_H

#include <stdbool.h>
#include <stdint.h>

#include <lpt/lpt.h>

#include "strategy.h"

/**
 * struct lpt_sim_nested_view - A nested VM's maps and pages as they stand.
 * @inner_v: L0's map of L1's virtual counter (what L0's page states).
 * @outer_v: L1's map of its virtual PV counter to L2's.
 * @published_v: the virtual map L2's page states (L1's last composition).
 * @published_p: the physical one.
 * @gen0: L0's page generation.
 * @gen2: L2's page generation.
 * @counter_off: the VMM's counter offset: L2 reads the host counter less this.
 * @stale: L2's page was composed from an older L0 page than the current one.
 */
struct lpt_sim_nested_view {
	struct lpt_map inner_v;
	struct lpt_map outer_v;
	struct lpt_map published_v;
	struct lpt_map published_p;
	uint64_t gen0;
	uint64_t gen2;
	uint64_t counter_off;
	bool stale;
};

/* The state of @v, booted as l2_lazy or l2_event. */
void lpt_sim_nested_view(const struct lpt_sim_vcpu *v, struct lpt_sim_nested_view *view);

#endif /* LPT_SIM_STRATEGY_NESTED_H */
