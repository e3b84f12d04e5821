/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The --threads mode: the VMM's writer and vCPU readers as real threads on one live
 * page, the writer replaying a VM's migrations as fast as it can.
 */
#ifndef LPT_SIM_THREADS_H
#define LPT_SIM_THREADS_H

#include <stdbool.h>
#include <stdint.h>

#include "scenario.h"

/**
 * struct lpt_sim_threads_result - What the readers saw.
 * @reads: reads completed by all readers.
 * @retries: reads the reader repeated because the writer was active.
 * @not_ready: reads that found the page invalidated (a restore not yet run).
 * @busy: reads given up after LPT_READER_RETRIES.
 * @torn: reads whose value is not what the content of the host whose counter was
 *	read gives (must be 0).
 * @updates: contents the writer published.
 * @ns: wall time.
 */
struct lpt_sim_threads_result {
	uint64_t reads;
	uint64_t retries;
	uint64_t not_ready;
	uint64_t busy;
	uint64_t torn;
	uint64_t updates;
	uint64_t ns;
};

/*
 * Runs @readers reader threads until they have completed @reads reads in all (attempts
 * that find the page invalid or busy are counted apart) against one writer that
 * migrates the vCPUs from host to host (the first VM's stays, up to 8; at least 2).
 * Each read takes the counter of the host the vCPUs run on: inside the page's read
 * window, or before it when @counter_outside (the unsafe pattern, as a control).
 * Returns 0, or -1 with a message in @err.
 */
int lpt_sim_threads(const struct lpt_sim_scenario *sc, uint64_t reads, unsigned int readers,
		    bool counter_outside, struct lpt_sim_threads_result *res, char *err,
		    size_t errlen);

#endif /* LPT_SIM_THREADS_H */
