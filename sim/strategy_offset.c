// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * offset: upstream KVM today (Linux 6.4 and later, KVM_ARM_SET_COUNTER_OFFSET). The
 * VMM restores the counter with one VM-wide offset that both the virtual and the
 * physical counter take; the guest keeps the frequency it read at boot and nothing
 * scales: after a migration to a host of another rate its clock runs at the wrong
 * rate, its timers fire after the wrong number of its ticks, its event stream is the
 * new host's. Differs from none in the physical counter and timer only (none: Linux
 * 6.1, which offsets the virtual counter alone).
 */
#include "kvm_offset.h"
#include "run.h"
#include "strategy.h"

LPT_SIM_DEFINE_PRIV(struct lpt_sim_kvm_offset)

static int offset_boot(struct lpt_sim_vcpu *v, const struct lpt_sim_vm *vm)
{
	(void)vm;
	lpt_sim_kvm_offset_boot(state(v), v);
	return 0;
}

static uint64_t offset_read(struct lpt_sim_vcpu *v, uint64_t t)
{
	return lpt_sim_kvm_offset_read(state(v), v, t);
}

static void offset_write_cval_v(struct lpt_sim_vcpu *v, uint64_t cval)
{
	v->cval_v = cval;
}

static void offset_write_cval_p(struct lpt_sim_vcpu *v, uint64_t cval)
{
	v->cval_p = cval;
}

static void offset_write_tval_p(struct lpt_sim_vcpu *v, uint64_t t, int32_t tval)
{
	offset_write_cval_p(v, offset_read(v, t) + (uint64_t)(int64_t)tval);
}

static uint64_t offset_fire_time(const struct lpt_sim_vcpu *v, bool phys)
{
	return lpt_sim_kvm_offset_fire(cstate(v), v, phys);
}

static int offset_migrate(struct lpt_sim_vcpu *v, uint64_t pause, uint64_t resume)
{
	lpt_sim_kvm_offset_migrate(state(v), v, pause, resume);
	return 0;
}

/* Programmed as the guest wrote it. */
static double offset_evtstrm_ratio(const struct lpt_sim_vcpu *v, uint32_t guest_cntkctl)
{
	return lpt_sim_evtstrm_native(v, guest_cntkctl, guest_cntkctl);
}

/* Nothing scales: either counter is the host's less the offset (phys_offset too). */
static bool offset_native_offset(const struct lpt_sim_vcpu *v, uint64_t *off)
{
	*off = cstate(v)->off;
	return true;
}

LPT_SIM_DEFINE_RUN_GUEST(offset)

const struct lpt_sim_strategy_ops lpt_sim_strategy_offset = {
	.name = "offset",
	.native_guest = true,
	.boot = offset_boot,
	.read_v = offset_read,
	.read_p = offset_read,
	.write_cval_v = offset_write_cval_v,
	.write_tval_p = offset_write_tval_p,
	.write_cval_p = offset_write_cval_p,
	.fire_time = offset_fire_time,
	.migrate = offset_migrate,
	.native_offset = offset_native_offset,
	.phys_offset = offset_native_offset,
	.evtstrm_ratio = offset_evtstrm_ratio,
	.run_guest = offset_run_guest,
};
