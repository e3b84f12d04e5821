// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * none: nothing scales. The guest runs on the host's counter at the frequency it read
 * at boot; at a migration the VMM restores the virtual counter's value
 * (KVM_REG_ARM_TIMER_CNT, which sets CNTVOFF: Linux 6.1) and the virtual timer's
 * compare value; the physical counter is the host's, unoffset, and the physical timer
 * keeps its native compare value.
 */
#include "run.h"
#include "strategy.h"

/**
 * struct none_state - KVM's view of the VM.
 * @off: the virtual counter's offset (virtual counter = host counter - @off).
 * @hw_v: the virtual timer's compare value in host counter ticks.
 * @hw_p: the physical timer's.
 */
struct none_state {
	uint64_t off;
	uint64_t hw_v;
	uint64_t hw_p;
};
LPT_SIM_DEFINE_PRIV(struct none_state)

static int none_boot(struct lpt_sim_vcpu *v, const struct lpt_sim_vm *vm)
{
	(void)vm;
	state(v)->off = lpt_sim_native(v, 0);	/* KVM starts the virtual counter at 0 */
	return 0;
}

static uint64_t none_read_v(struct lpt_sim_vcpu *v, uint64_t t)
{
	return lpt_sim_native(v, t) - state(v)->off;
}

static uint64_t none_read_p(struct lpt_sim_vcpu *v, uint64_t t)
{
	return lpt_sim_native(v, t);	/* Linux 6.1 KVM does not offset it */
}

static void none_write_cval_v(struct lpt_sim_vcpu *v, uint64_t cval)
{
	v->cval_v = cval;
	state(v)->hw_v = cval + state(v)->off;
}

static void none_write_cval_p(struct lpt_sim_vcpu *v, uint64_t cval)
{
	v->cval_p = cval;
	state(v)->hw_p = cval;
}

static void none_write_tval_p(struct lpt_sim_vcpu *v, uint64_t t, int32_t tval)
{
	none_write_cval_p(v, lpt_sim_native(v, t) + (uint64_t)(int64_t)tval);
}

static uint64_t none_fire_time(const struct lpt_sim_vcpu *v, bool phys)
{
	return lpt_sim_raw_time(lpt_sim_vcpu_stay(v), phys ? cstate(v)->hw_p : cstate(v)->hw_v);
}

/* The VMM restores the virtual counter's value: at pause, plus the downtime in the new
 * host's ticks when it is counted. */
static int none_migrate(struct lpt_sim_vcpu *v, uint64_t pause, uint64_t resume)
{
	struct none_state *st = state(v);
	uint64_t g = pause - st->off;

	if (v->downtime == LPT_DOWNTIME_COUNT)
		g += lpt_sim_ns_to_ticks(lpt_sim_vcpu_stay(v)->downtime_ns,
					 lpt_sim_vcpu_stay(v)->host->hz);
	st->off = resume - g;
	st->hw_v = v->cval_v + st->off;
	return 0;		/* the physical timer keeps its native compare value */
}

/* Programmed as the guest wrote it. */
static double none_evtstrm_ratio(const struct lpt_sim_vcpu *v, uint32_t guest_cntkctl)
{
	return lpt_sim_evtstrm_native(v, guest_cntkctl, guest_cntkctl);
}

/* Nothing scales: the virtual counter is the host's less the offset. */
static bool none_native_offset(const struct lpt_sim_vcpu *v, uint64_t *off)
{
	*off = cstate(v)->off;
	return true;
}

/* The physical counter is the host's. */
static bool none_phys_offset(const struct lpt_sim_vcpu *v, uint64_t *off)
{
	(void)v;
	*off = 0;
	return true;
}

LPT_SIM_DEFINE_RUN_GUEST(none)

const struct lpt_sim_strategy_ops lpt_sim_strategy_none = {
	.name = "none",
	.native_guest = true,
	.boot = none_boot,
	.read_v = none_read_v,
	.read_p = none_read_p,
	.write_cval_v = none_write_cval_v,
	.write_tval_p = none_write_tval_p,
	.write_cval_p = none_write_cval_p,
	.fire_time = none_fire_time,
	.migrate = none_migrate,
	.native_offset = none_native_offset,
	.phys_offset = none_phys_offset,
	.evtstrm_ratio = none_evtstrm_ratio,
	.run_guest = none_run_guest,
};
