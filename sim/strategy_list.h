/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The strategies lpt-sim knows, in the order of its tables: X(ENUM, name) each. The
 * only list a new strategy is added to (besides its own file, sim/strategy_NAME.c,
 * which defines struct lpt_sim_strategy_ops lpt_sim_strategy_NAME). The scenario
 * parser takes the names from here; the engine the operations.
 */
#ifndef LPT_SIM_STRATEGY_LIST_H
#define LPT_SIM_STRATEGY_LIST_H

#define LPT_SIM_STRATEGY_LIST(X)	\
	X(NONE, none)			\
	X(OFFSET, offset)		\
	X(RFC, rfc)			\
	X(LPT, lpt)			\
	X(TRAP, trap)			\
	X(VMCLOCK, vmclock)		\
	X(IDEAL, ideal)			\
	X(L2_LAZY, l2_lazy)		\
	X(L2_EVENT, l2_event)

#endif /* LPT_SIM_STRATEGY_LIST_H */
