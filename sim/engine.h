/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The simulation: each VM of a scenario, under each strategy, with a guest that keeps a
 * Linux-like clock, runs a periodic tick and one-shot sleeps, asks for an event stream
 * and has an LPT-unaware firmware; events in true-time order, all of it deterministic.
 */
#ifndef LPT_SIM_ENGINE_H
#define LPT_SIM_ENGINE_H

#include <stdint.h>

#include "scenario.h"
#include "strategy.h"

/* Log-linear histogram of signed ns values: exact below 16, then 16 steps per octave. */
#define LPT_SIM_HIST_BUCKETS	(16 + 60 * 16)
struct lpt_sim_hist {
	uint64_t neg[LPT_SIM_HIST_BUCKETS];
	uint64_t pos[LPT_SIM_HIST_BUCKETS];
	uint64_t count;
};

/* The bucket of a magnitude @v. */
static inline uint32_t lpt_sim_hist_index(uint64_t v)
{
	uint32_t exp;

	if (v < 16)
		return (uint32_t)v;
	exp = 63 - (uint32_t)__builtin_clzll(v);
	/* 16 + (exp - 4) * 16 + the 4 bits below the top one: v >> (exp - 4) is 16 + them */
	return exp * 16 - 64 + (uint32_t)(v >> (exp - 4));
}

/* Counts @v @n times (inline: each timer interrupt's lateness). */
static inline void lpt_sim_hist_add_n(struct lpt_sim_hist *h, int64_t v, uint64_t n)
{
	if (v < 0)
		h->neg[lpt_sim_hist_index(-(uint64_t)v)] += n;
	else
		h->pos[lpt_sim_hist_index((uint64_t)v)] += n;
	h->count += n;
}

/* Counts @v. */
static inline void lpt_sim_hist_add(struct lpt_sim_hist *h, int64_t v)
{
	lpt_sim_hist_add_n(h, v, 1);
}

/* The value at quantile @q (0..1): the bucket's lower end (within 1/16 of the true one). */
int64_t lpt_sim_hist_quantile(const struct lpt_sim_hist *h, double q);

/**
 * struct lpt_sim_stats - What one strategy did to one kind of VM (all its instances).
 * @vms: VM instances run.
 * @reads: guest counter reads.
 * @max_err_ns: the guest clock's error against true time of largest magnitude.
 * @final_err_ns: at the run's end, of largest magnitude over the instances.
 * @max_dev_ns: the guest clock's largest distance from the ideal strategy's exact time,
 *	at the samples.
 * @back_steps: reads below the previous one (the clock holds still, as a guarded
 *	clocksource would).
 * @back_max_ns: the largest such step, in guest ns.
 * @fires: timer interrupts.
 * @closed_fires: of them, those taken in closed form (lpt_sim_run_ticks_closed()); not
 *	a result, the engine's own shortcut (0 with lpt-sim --per-tick).
 * @early_v: virtual timer interrupts before the guest's counter reached its CVAL.
 * @early_p: physical timer interrupts likewise.
 * @lost: timers still pending at the run's end although their deadline had passed.
 * @late: lateness of each fire: true time from arming to the interrupt minus the
 *	duration asked for, ns.
 * @late_max_ns: the largest lateness.
 * @late_min_ns: the smallest (negative: early in true time).
 * @evt_worst: the event stream's achieved / asked period furthest from 1 (in log
 *	scale) over the stays.
 * @traps: trapped accesses (trap strategy).
 * @run_ns: guest running time (downtime excluded).
 * @fw_max_err_ns: the firmware's stall error of largest magnitude after a migration.
 * @fw_aware_max_err_ns: the same of an LPT-aware firmware (liblpt's reader).
 * @nested: nested strategies: L2's stale pages and the composed maps.
 * @migrations: migrations made.
 * @refused: migrations the VM's policy refused (the same under every strategy).
 * @errors: failed page reads (none expected).
 */
struct lpt_sim_stats {
	uint64_t vms;
	uint64_t reads;
	int64_t max_err_ns;
	int64_t final_err_ns;
	int64_t max_dev_ns;
	uint64_t back_steps;
	uint64_t back_max_ns;
	uint64_t fires;
	uint64_t closed_fires;
	uint64_t early_v;
	uint64_t early_p;
	uint64_t lost;
	struct lpt_sim_hist late;
	int64_t late_max_ns;
	int64_t late_min_ns;
	double evt_worst;
	uint64_t traps;
	uint64_t run_ns;
	int64_t fw_max_err_ns;
	int64_t fw_aware_max_err_ns;
	struct lpt_sim_nested nested;
	uint64_t migrations;
	uint64_t refused;
	uint64_t errors;
};

/**
 * struct lpt_sim_series - The first instance of a VM, sample by sample.
 * @nsamples: samples (duration / sample + 1).
 * @err_ns: per strategy, the guest clock's error at each sample; INT64_MIN while the
 *	VM is paused.
 * @nmigrations: its migrations.
 * @mig_at_ns: when each pauses.
 * @mig_host: the host each goes to.
 * @fw_err_ns: per strategy, the firmware's stall error after each.
 * @fw_aware_err_ns: per strategy, the LPT-aware firmware's.
 */
struct lpt_sim_series {
	uint32_t nsamples;
	int64_t *err_ns[LPT_SIM_STRATEGIES];
	uint32_t nmigrations;
	uint64_t *mig_at_ns;
	const char **mig_host;
	int64_t *fw_err_ns[LPT_SIM_STRATEGIES];
	int64_t *fw_aware_err_ns[LPT_SIM_STRATEGIES];
};

/**
 * struct lpt_sim_report - Everything a run produced.
 * @stats: per VM kind, per strategy.
 * @series: per VM kind.
 */
struct lpt_sim_report {
	struct lpt_sim_stats stats[LPT_SIM_VMS_MAX][LPT_SIM_STRATEGIES];
	struct lpt_sim_series series[LPT_SIM_VMS_MAX];
};

/* The true time of the @n-th of events @hz a second from 0: floor(n * 10^9 / hz) ns,
 * exact for every @n (no overflow), or LPT_SIM_NEVER beyond 2^64 - 1 ns. */
uint64_t lpt_sim_nth_event_ns(uint64_t n, uint64_t hz);

/* Called after each VM instance with how many are done and how many there are. */
typedef void (*lpt_sim_progress_fn)(uint64_t done, uint64_t total, void *arg);

/*
 * Runs the scenario, each VM kind's instances shared among @jobs threads (the result
 * does not depend on @jobs). Returns 0, or -1 with a message in @err. The report is
 * filled in either way and must be freed with lpt_sim_report_free().
 */
int lpt_sim_run(const struct lpt_sim_scenario *sc, struct lpt_sim_report *rep,
		unsigned int jobs, lpt_sim_progress_fn progress, void *arg, char *err,
		size_t errlen);
void lpt_sim_report_free(struct lpt_sim_report *rep, const struct lpt_sim_scenario *sc);

#endif /* LPT_SIM_ENGINE_H */
