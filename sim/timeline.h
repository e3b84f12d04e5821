/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * One VM's life on the true time line: the hosts it stays on, each host counter's phase
 * and real rate, and the ideal PV counter (exact hardware scaling) every strategy is
 * compared with. All of it is exact integer arithmetic through liblpt's scales.
 */
#ifndef LPT_SIM_TIMELINE_H
#define LPT_SIM_TIMELINE_H

#include <stdint.h>

#include <lpt/lpt.h>

#include "scenario.h"

/* A true time no event reaches. */
#define LPT_SIM_NEVER	UINT64_MAX

/**
 * struct lpt_sim_stay - The VM on one host, from resume to pause.
 * @host: the host type.
 * @start_ns: true time the VM starts or resumes here.
 * @end_ns: true time it pauses here (the run's end for the last stay).
 * @downtime_ns: the pause that precedes this stay (0 for the first).
 * @phase: the host counter's value at true time 0 (the host's own uptime).
 * @ns_to_native: true ns -> host counter ticks at the host's real rate.
 * @native_to_ns: the inverse, for the true time a counter value is reached.
 * @ideal_e0: the ideal clock's elapsed guest time at @start_ns, in 1/D s.
 * @raw0: the host counter at @start_ns.
 * @raw_max: the host counter at the run's end: later values are never reached.
 * @d_per_tick: D / the host's nominal frequency: 1/D s per nominal tick.
 * @mask: lpt_counter_mask() of the host's counter width.
 * @every_value: the host counter runs at most one tick a ns (@host->actual_hz at most
 *	10^9): it reads every value it passes, so at lpt_sim_raw_time() of a value it
 *	reads that value.
 * @ideal_fast: the ideal PV counter of this stay is computed without division (when
 *	the scenario runs the ideal strategy):
 *	E = e0 + k * d_per_tick (k: host ticks since @raw0) fits 64 bits up to
 *	@raw_max and so does E * pv_hz / D. Then with e0 * pv_hz = @ideal_qa * D +
 *	@ideal_ra, floor(E * pv_hz / D) = @ideal_qa + floor(k * pv_hz / hz) + (one
 *	more when the two remainders add up to D) (lpt_sim_ideal_pv()).
 * @tick_to_pv: host hz -> pv_hz (the k * pv_hz / hz above).
 * @pv_to_tick: pv_hz -> host hz (lpt_sim_ideal_pv_time()'s first guess).
 * @ideal_qa: see @ideal_fast.
 * @ideal_ra: see @ideal_fast.
 * @ideal_pv_max: the ideal PV counter at @raw_max.
 */
struct lpt_sim_stay {
	const struct lpt_sim_host *host;
	uint64_t start_ns;
	uint64_t end_ns;
	uint64_t downtime_ns;
	uint64_t phase;
	struct lpt_scale ns_to_native;
	struct lpt_scale native_to_ns;
	uint64_t ideal_e0;
	uint64_t raw0;
	uint64_t raw_max;
	uint64_t d_per_tick;
	uint64_t mask;
	bool every_value;
	bool ideal_fast;
	struct lpt_scale tick_to_pv;
	struct lpt_scale pv_to_tick;
	uint64_t ideal_qa;
	uint64_t ideal_ra;
	uint64_t ideal_pv_max;
};

/**
 * struct lpt_sim_timeline - A VM's stays.
 * @stays: in time order.
 * @nstays: how many (migrations made + 1).
 * @refused: migrations the VM's policy refused (it stayed on its host).
 * @pv_hz: the VM's PV frequency.
 * @d: D, the least common multiple of 10^9 and every host frequency: the ideal clock
 *	counts guest time in 1/D s exactly.
 * @d_per_ns: D / 10^9.
 * @duration_ns: the run's end.
 */
struct lpt_sim_timeline {
	struct lpt_sim_stay *stays;
	uint32_t nstays;
	uint32_t refused;
	uint64_t pv_hz;
	uint64_t d;
	uint64_t d_per_ns;
	uint64_t duration_ns;
};

/* lcm(@a, @b) of two non-zero values, or 0 if it does not fit 64 bits. */
uint64_t lpt_sim_lcm(uint64_t a, uint64_t b);

/*
 * Builds the stays of instance @instance of VM @vm: the scenario's migrations or its
 * seeded random ones, seeded host phases. Returns 0, or -1 with a message in @err (out
 * of memory, or host frequencies whose D does not fit 64 bits).
 */
int lpt_sim_timeline_build(struct lpt_sim_timeline *tl, const struct lpt_sim_scenario *sc,
			   uint32_t vm, uint32_t instance, char *err, size_t errlen);
void lpt_sim_timeline_free(struct lpt_sim_timeline *tl);

/* The host counter (unwrapped) at true time @t during @s. */
static inline uint64_t lpt_sim_raw(const struct lpt_sim_stay *s, uint64_t t)
{
	return s->phase + lpt_scale_floor(&s->ns_to_native, t);
}

/* The first true time at which the host counter of @s reads at least @raw (inline: a
 * timer's fire time is asked at each arming). */
static inline uint64_t lpt_sim_raw_time(const struct lpt_sim_stay *s, uint64_t raw)
{
	if (raw <= s->phase)
		return 0;
	if (raw > s->raw_max)
		return LPT_SIM_NEVER;
	return lpt_scale_ceil(&s->native_to_ns, raw - s->phase);
}

/* The ideal clock's elapsed guest time at @t during @s, in 1/D s. */
uint64_t lpt_sim_ideal_e(const struct lpt_sim_timeline *tl, const struct lpt_sim_stay *s,
			 uint64_t t);

/* The ideal PV counter at @t during @s: floor(E * pv_hz / D). */
uint64_t lpt_sim_ideal_pv(const struct lpt_sim_timeline *tl, const struct lpt_sim_stay *s,
			  uint64_t t);

/* The ideal guest time at @t during @s, in ns: floor(E / (D / 10^9)). */
uint64_t lpt_sim_ideal_ns(const struct lpt_sim_timeline *tl, const struct lpt_sim_stay *s,
			  uint64_t t);

/* The first true time during @s (or later: LPT_SIM_NEVER) at which the ideal PV
 * counter reads at least @pv. */
uint64_t lpt_sim_ideal_pv_time(const struct lpt_sim_timeline *tl, const struct lpt_sim_stay *s,
			       uint64_t pv);

#endif /* LPT_SIM_TIMELINE_H */
