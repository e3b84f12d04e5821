// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * ideal: hardware scaling with no cost and no rounding, the reference every other
 * strategy is measured from: the guest's counters are the exact PV counter of the
 * timeline, its timers fire when that counter reaches them, its firmware and its event
 * stream see the scaled counter.
 */
#include "run.h"
#include "strategy.h"

static int ideal_boot(struct lpt_sim_vcpu *v, const struct lpt_sim_vm *vm)
{
	(void)v;
	(void)vm;
	return 0;
}

static uint64_t ideal_read(struct lpt_sim_vcpu *v, uint64_t t)
{
	return lpt_sim_ideal_pv(v->tl, lpt_sim_vcpu_stay(v), t);
}

static void ideal_write_cval_v(struct lpt_sim_vcpu *v, uint64_t cval)
{
	v->cval_v = cval;
}

static void ideal_write_tval_p(struct lpt_sim_vcpu *v, uint64_t t, int32_t tval)
{
	v->cval_p = ideal_read(v, t) + (uint64_t)(int64_t)tval;
}

static uint64_t ideal_fire_time(const struct lpt_sim_vcpu *v, bool phys)
{
	return lpt_sim_ideal_pv_time(v->tl, lpt_sim_vcpu_stay(v), phys ? v->cval_p : v->cval_v);
}

static int ideal_migrate(struct lpt_sim_vcpu *v, uint64_t pause, uint64_t resume)
{
	(void)v;
	(void)pause;
	(void)resume;
	return 0;
}

static uint64_t ideal_firmware_end(struct lpt_sim_vcpu *v, uint64_t t0, uint64_t ticks)
{
	const struct lpt_sim_stay *s = lpt_sim_vcpu_stay(v);

	return lpt_sim_ideal_pv_time(v->tl, s, lpt_sim_ideal_pv(v->tl, s, t0) + ticks);
}

/* The scaled counter's own bit. */
static double ideal_evtstrm_ratio(const struct lpt_sim_vcpu *v, uint32_t guest_cntkctl)
{
	const struct lpt_sim_host *h = lpt_sim_vcpu_stay(v)->host;

	(void)guest_cntkctl;
	return (double)h->hz / (double)h->actual_hz;
}

/*
 * Where the PV rate is a multiple m of the host's and the stay's counter is the fast
 * path's, qa + floor(k * pv_hz / hz) + (ra + rk * d_per_tick >= D) with rk = 0 and
 * ra < D (lpt_sim_ideal_pv_fast()): qa + m k, k host ticks since the stay's start.
 */
static bool ideal_tick_affine(const struct lpt_sim_vcpu *v, uint64_t *mult, uint64_t *add)
{
	const struct lpt_sim_stay *s = lpt_sim_vcpu_stay(v);
	uint64_t hz = s->host->hz, pv_hz = v->tl->pv_hz, top;

	if (!s->ideal_fast || pv_hz % hz ||
	    __builtin_mul_overflow(pv_hz / hz, s->raw_max, &top))	/* m h, exact */
		return false;
	*mult = pv_hz / hz;
	*add = s->ideal_qa - *mult * s->raw0;
	return true;
}

LPT_SIM_DEFINE_RUN_GUEST(ideal)

const struct lpt_sim_strategy_ops lpt_sim_strategy_ideal = {
	.name = "ideal",
	.pv_firmware = true,
	.boot = ideal_boot,
	.read_v = ideal_read,
	.read_p = ideal_read,
	.write_cval_v = ideal_write_cval_v,
	.write_tval_p = ideal_write_tval_p,
	.fire_time = ideal_fire_time,
	.migrate = ideal_migrate,
	.firmware_end = ideal_firmware_end,
	.tick_affine = ideal_tick_affine,
	.evtstrm_ratio = ideal_evtstrm_ratio,
	.run_guest = ideal_run_guest,
};
