// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * What every strategy shares: the table of strategies, the vCPU's boot and migration
 * around the strategy's own, the firmware's stall and the event stream's defaults.
 */
#include "strategy.h"

#include <string.h>

#define NSEC_PER_SEC	UINT64_C(1000000000)

#define STRATEGY_OPS(e, name)	[LPT_SIM_##e] = &lpt_sim_strategy_##name,
static const struct lpt_sim_strategy_ops *const strategies[LPT_SIM_STRATEGIES] = {
	LPT_SIM_STRATEGY_LIST(STRATEGY_OPS)
};
#undef STRATEGY_OPS

const struct lpt_sim_strategy_ops *lpt_sim_strategy_ops(enum lpt_sim_strategy s)
{
	return (unsigned int)s < LPT_SIM_STRATEGIES ? strategies[s] : NULL;
}

uint64_t lpt_sim_ns_to_ticks(uint64_t ns, uint64_t hz)
{
	struct lpt_scale sc;

	lpt_scale_init(&sc, NSEC_PER_SEC, hz);
	return lpt_scale_floor(&sc, ns);
}

int lpt_sim_vcpu_boot(struct lpt_sim_vcpu *v, enum lpt_sim_strategy kind,
		      const struct lpt_sim_timeline *tl, const struct lpt_sim_vm *vm)
{
	const struct lpt_sim_strategy_ops *ops = lpt_sim_strategy_ops(kind);
	uint64_t boot_hz = tl->stays[0].host->hz;

	if (!ops)
		return -LPT_EINVAL;
	memset(v, 0, sizeof(*v));
	v->ops = ops;
	v->tl = tl;
	v->cur = &tl->stays[0];
	v->downtime = vm->downtime;
	v->irq_traps = ops->irq_traps;
	v->guest_hz = ops->native_guest ? boot_hz : vm->pv_hz;
	/* The firmware read CNTFRQ at boot. */
	v->fw_hz = ops->pv_firmware ? vm->pv_hz : boot_hz;
	lpt_scale_init(&v->to_guest_ticks, NSEC_PER_SEC, v->guest_hz);
	lpt_scale_init(&v->to_fw_ticks, NSEC_PER_SEC, v->fw_hz);
	return ops->boot(v, vm);
}

int lpt_sim_migrate(struct lpt_sim_vcpu *v)
{
	const struct lpt_sim_stay *old = lpt_sim_vcpu_stay(v);
	uint64_t pause = lpt_sim_native(v, old->end_ns);

	if (v->stay + 1 >= v->tl->nstays)
		return -LPT_EINVAL;
	v->stay++;
	v->cur++;
	return v->ops->migrate(v, pause, lpt_sim_native(v, lpt_sim_vcpu_stay(v)->start_ns));
}

int64_t lpt_sim_firmware_error(struct lpt_sim_vcpu *v, uint64_t stall_ns, bool aware)
{
	const struct lpt_sim_stay *s = lpt_sim_vcpu_stay(v);
	uint64_t t0 = s->start_ns, ticks = lpt_scale_ceil(&v->to_fw_ticks, stall_ns), t;

	if (aware && v->ops->firmware_pv_end)
		t = v->ops->firmware_pv_end(v, t0, stall_ns);
	else if (v->ops->firmware_end)
		t = v->ops->firmware_end(v, t0, ticks);
	else			/* the raw counter */
		t = lpt_sim_raw_time(s, lpt_sim_raw(s, t0) + ticks);
	if (t == LPT_SIM_NEVER)
		return INT64_MAX;
	return (int64_t)(t - t0) - (int64_t)stall_ns;
}

double lpt_sim_evtstrm_native(const struct lpt_sim_vcpu *v, uint32_t native_cntkctl,
			      uint32_t guest_cntkctl)
{
	const struct lpt_sim_host *h = lpt_sim_vcpu_stay(v)->host;
	uint32_t bit = lpt_evtstrm_bit(guest_cntkctl);
	double asked = (double)(2ULL << bit) / (double)v->guest_hz;
	uint32_t native_bit = lpt_evtstrm_bit(h->ecv ? native_cntkctl :
					      native_cntkctl & ~LPT_CNTKCTL_EVNTIS);

	return (double)(2ULL << native_bit) / (double)h->actual_hz / asked;
}

double lpt_sim_evtstrm_translated(const struct lpt_sim_vcpu *v, uint32_t guest_cntkctl)
{
	const struct lpt_sim_host *h = lpt_sim_vcpu_stay(v)->host;
	uint32_t bit = lpt_evtstrm_bit(guest_cntkctl);
	double asked = (double)(2ULL << bit) / (double)v->guest_hz;
	struct lpt_evtstrm e;

	if (lpt_evtstrm_translate(&e, guest_cntkctl, v->guest_hz, h->hz, h->ecv))
		return 0;
	return (double)(2ULL << e.native_bit) / (double)h->actual_hz / asked;
}
