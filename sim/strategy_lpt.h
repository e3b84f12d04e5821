/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* What the lpt strategy shows of itself: the threaded mode replays its pages. */
#ifndef LPT_SIM_STRATEGY_LPT_H
#define LPT_SIM_STRATEGY_LPT_H

#include <lpt/lpt.h>

#include "strategy.h"

/* The page content the lpt strategy last published for @v (booted as lpt) and the
 * virtual counter's map it holds. */
void lpt_sim_lpt_content(const struct lpt_sim_vcpu *v, struct lpt_page_fields *fields,
			 struct lpt_map *virt);

#endif /* LPT_SIM_STRATEGY_LPT_H */
