// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * trap: trap and emulate every counter and timer access (FEAT_ECV's traps). KVM keeps
 * the same exact maps as lpt and answers each trapped read and write with them; every
 * access and each timer interrupt's handling costs trapped accesses. The firmware is
 * given the PV frequency (by the VMM's firmware tables: CNTFRQ_EL0 cannot be trapped)
 * and reads the PV counter.
 */
#include "kvm_maps.h"
#include "strategy.h"

/**
 * struct trap_state - KVM's maps.
 * @kvm: KVM's maps and timers.
 */
struct trap_state {
	struct lpt_sim_kvm_maps kvm;
};
LPT_SIM_DEFINE_PRIV(struct trap_state)

static int trap_boot(struct lpt_sim_vcpu *v, const struct lpt_sim_vm *vm)
{
	return lpt_sim_kvm_maps_boot(&state(v)->kvm, v, vm->pv_hz);
}

static uint64_t trap_read_v(struct lpt_sim_vcpu *v, uint64_t t)
{
	v->traps++;
	return lpt_map_native_to_pv(&state(v)->kvm.virt, lpt_sim_native(v, t));
}

static uint64_t trap_read_p(struct lpt_sim_vcpu *v, uint64_t t)
{
	v->traps++;
	return lpt_map_native_to_pv(&state(v)->kvm.phys, lpt_sim_native(v, t));
}

static void trap_write_cval_v(struct lpt_sim_vcpu *v, uint64_t cval)
{
	struct trap_state *st = state(v);

	v->cval_v = cval;
	v->traps++;
	lpt_timer_write_cval(&st->kvm.tv, &st->kvm.virt, cval);
}

static void trap_write_tval_p(struct lpt_sim_vcpu *v, uint64_t t, int32_t tval)
{
	struct trap_state *st = state(v);

	v->traps++;
	lpt_timer_write_tval(&st->kvm.tp, &st->kvm.phys, lpt_sim_native(v, t), tval);
	v->cval_p = lpt_timer_read_cval(&st->kvm.tp);
}

static uint64_t trap_fire_time(const struct lpt_sim_vcpu *v, bool phys)
{
	return lpt_sim_kvm_maps_fire(&cstate(v)->kvm, v, phys);
}

static int trap_migrate(struct lpt_sim_vcpu *v, uint64_t pause, uint64_t resume)
{
	return lpt_sim_kvm_maps_migrate(&state(v)->kvm, v, pause, resume);
}

/* Counter reads trapped: the firmware waits on the PV counter. */
static uint64_t trap_firmware_end(struct lpt_sim_vcpu *v, uint64_t t0, uint64_t ticks)
{
	const struct lpt_map *m = &state(v)->kvm.virt;
	uint64_t pv = lpt_map_native_to_pv(m, lpt_sim_native(v, t0)) + ticks;

	return lpt_sim_raw_time(lpt_sim_vcpu_stay(v), lpt_timer_native_cval(m, pv));
}

const struct lpt_sim_strategy_ops lpt_sim_strategy_trap = {
	.name = "trap",
	.pv_firmware = true,
	.irq_traps = true,
	.boot = trap_boot,
	.read_v = trap_read_v,
	.read_p = trap_read_p,
	.write_cval_v = trap_write_cval_v,
	.write_tval_p = trap_write_tval_p,
	.fire_time = trap_fire_time,
	.migrate = trap_migrate,
	.firmware_end = trap_firmware_end,
	.evtstrm_ratio = lpt_sim_evtstrm_translated,
};
