/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* The simulator's outputs: the tables, the CSV time series, the gnuplot plot. */
#ifndef LPT_SIM_REPORT_H
#define LPT_SIM_REPORT_H

#include <stdio.h>

#include "engine.h"
#include "scenario.h"

/* The tables, per VM kind, and the firmware's errors after each migration. */
void lpt_sim_print_tables(FILE *f, const struct lpt_sim_scenario *sc,
			  const struct lpt_sim_report *rep);

/* The time series of each VM kind's first instance: vm,t_ns,<strategy>... (ns).
 * Returns 0, or -1 with errno set. */
int lpt_sim_write_csv(const char *path, const struct lpt_sim_scenario *sc,
		      const struct lpt_sim_report *rep);

/* A PNG of the first VM kind's error against true time, a panel per strategy, the
 * migrations marked; drawn by gnuplot (run without a shell; data and file names never
 * enter its commands). Returns 0, or -1 with a message. */
int lpt_sim_plot(const char *png, const struct lpt_sim_scenario *sc,
		 const struct lpt_sim_report *rep, char *err, size_t errlen);

/* "1.234 ms", "-12 ns", "3.600 s": a duration for a table. */
const char *lpt_sim_fmt_ns(char *buf, size_t len, int64_t ns);

#endif /* LPT_SIM_REPORT_H */
