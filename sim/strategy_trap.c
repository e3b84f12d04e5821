// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * trap: trap and emulate every counter and timer access (FEAT_ECV's traps). KVM keeps
 * the same exact maps as lpt and answers each trapped read and write with them; every
 * access and each timer interrupt's handling costs trapped accesses.
 *
 * The VM's counter rate is fixed at boot: the PV rate where the boot host can run it
 * (FEAT_ECV, or the PV rate native), else the boot host's native rate (a VMM cannot
 * give a rate it cannot run). Below, "the VM's rate".
 *
 * Only where it is needed and possible, stay by stay:
 * - a host whose counter runs at the VM's rate needs no scaling: KVM offsets the
 *   counters (CNTVOFF_EL2, and CNTPOFF_EL2 where the host has FEAT_ECV_POFF, i.e.
 *   ID_AA64MMFR0_EL1.ECV = 2, not plain FEAT_ECV; else upstream's emulated physical
 *   offset) and traps nothing;
 * - a host without FEAT_ECV cannot trap EL1's virtual counter and timer (CNTHCTL_EL2's
 *   EL1TVCT and EL1TVT are FEAT_ECV's): there KVM falls back to upstream's offset, the
 *   counters continuing at the native rate, which the guest still takes for the VM's
 *   rate; nothing trapped, nothing scaled.
 * Elsewhere (FEAT_ECV, another rate) everything is trapped and scaled to the VM's rate.
 * At each migration the counters continue from their value at the pause (plus the
 * downtime, when counted, in ticks of the rate they run at on the new host).
 *
 * The firmware reads CNTFRQ_EL0, which cannot be trapped (KVM has no way to change
 * what a guest reads there): the boot host's native rate, kept; it counts that many
 * ticks of the counter it reads, the trapped one. The guest's kernel is given the VM's
 * rate by the VMM's tables (a device tree's clock-frequency): the firmware's where the
 * boot host cannot run the PV rate.
 */
#include "kvm_maps.h"
#include "run.h"
#include "strategy.h"

#define NSEC_PER_SEC	UINT64_C(1000000000)

/**
 * struct trap_state - KVM's maps.
 * @kvm: KVM's maps and timers.
 * @pv_hz: the VM's rate: the PV rate, or the boot host's where it cannot run it.
 * @trapping: on the current stay, KVM traps and scales.
 */
struct trap_state {
	struct lpt_sim_kvm_maps kvm;
	uint64_t pv_hz;
	bool trapping;
};
LPT_SIM_DEFINE_PRIV(struct trap_state)

/* Traps are needed (another rate) and possible (FEAT_ECV). */
static bool trap_scales(const struct lpt_sim_host *h, uint64_t pv_hz)
{
	return h->hz != pv_hz && h->ecv;
}

/* The rate the guest's counters run at on host @h: the PV rate, or the native one
 * where KVM cannot trap. */
static uint64_t trap_rate(const struct lpt_sim_host *h, uint64_t pv_hz)
{
	return h->hz == pv_hz || h->ecv ? pv_hz : h->hz;
}

static void trap_enter(struct lpt_sim_vcpu *v)
{
	struct trap_state *st = state(v);

	st->trapping = trap_scales(lpt_sim_vcpu_stay(v)->host, st->pv_hz);
	v->irq_traps = st->trapping;
}

/*
 * The VM's counter rate: the PV rate where the boot host can run it (FEAT_ECV, or the
 * PV rate native), else the boot host's own rate, which the VMM gives the guest (and
 * its firmware reads in CNTFRQ_EL0). Later hosts trap and scale to that rate.
 */
static int trap_boot(struct lpt_sim_vcpu *v, const struct lpt_sim_vm *vm)
{
	struct trap_state *st = state(v);
	int err;

	st->pv_hz = trap_rate(lpt_sim_vcpu_stay(v)->host, vm->pv_hz);
	v->guest_hz = st->pv_hz;
	err = lpt_scale_init(&v->to_guest_ticks, NSEC_PER_SEC, v->guest_hz);
	if (err)
		return err;
	trap_enter(v);
	return lpt_sim_kvm_maps_boot(&st->kvm, v, st->pv_hz);
}

static uint64_t trap_read_v(struct lpt_sim_vcpu *v, uint64_t t)
{
	struct trap_state *st = state(v);

	v->traps += st->trapping;
	return lpt_map_native_to_pv(&st->kvm.virt, lpt_sim_native(v, t));
}

static uint64_t trap_read_p(struct lpt_sim_vcpu *v, uint64_t t)
{
	struct trap_state *st = state(v);

	v->traps += st->trapping;
	return lpt_map_native_to_pv(&st->kvm.phys, lpt_sim_native(v, t));
}

static void trap_write_cval_v(struct lpt_sim_vcpu *v, uint64_t cval)
{
	struct trap_state *st = state(v);

	v->cval_v = cval;
	v->traps += st->trapping;
	lpt_timer_write_cval(&st->kvm.tv, &st->kvm.virt, cval);
}

static void trap_write_tval_p(struct lpt_sim_vcpu *v, uint64_t t, int32_t tval)
{
	struct trap_state *st = state(v);

	v->traps += st->trapping;
	lpt_timer_write_tval(&st->kvm.tp, &st->kvm.phys, lpt_sim_native(v, t), tval);
	v->cval_p = lpt_timer_read_cval(&st->kvm.tp);
}

static uint64_t trap_fire_time(const struct lpt_sim_vcpu *v, bool phys)
{
	return lpt_sim_kvm_maps_fire(&cstate(v)->kvm, v, phys);
}

/* A map continued on the new host at another rate (@rate): from its value at the
 * pause, plus the counted downtime in ticks of @rate. */
static int trap_continue(struct lpt_map *m, const struct lpt_sim_vcpu *v, uint64_t pause,
			 uint64_t resume, uint64_t rate)
{
	const struct lpt_sim_stay *s = lpt_sim_vcpu_stay(v);
	uint64_t g = lpt_map_native_to_pv(m, pause);

	if (v->downtime == LPT_DOWNTIME_COUNT)
		g += lpt_sim_ns_to_ticks(s->downtime_ns, rate);
	return lpt_map_init(m, s->host->hz, rate, s->host->width, resume, g);
}

static int trap_migrate(struct lpt_sim_vcpu *v, uint64_t pause, uint64_t resume)
{
	struct trap_state *st = state(v);
	uint64_t rate = trap_rate(lpt_sim_vcpu_stay(v)->host, st->pv_hz);
	int r;

	trap_enter(v);
	if (rate == st->kvm.virt.to_pv.to_hz)	/* the rate goes on: lpt's re-base */
		return lpt_sim_kvm_maps_migrate(&st->kvm, v, pause, resume);
	r = trap_continue(&st->kvm.virt, v, pause, resume, rate);
	if (!r)
		r = trap_continue(&st->kvm.phys, v, pause, resume, rate);
	if (!r)
		r = lpt_timer_reprogram(&st->kvm.tv, &st->kvm.virt);
	if (!r)
		r = lpt_timer_reprogram(&st->kvm.tp, &st->kvm.phys);
	return r;
}

/* The firmware waits @ticks (of the boot host's CNTFRQ) of the counter it reads. */
static uint64_t trap_firmware_end(struct lpt_sim_vcpu *v, uint64_t t0, uint64_t ticks)
{
	const struct lpt_map *m = &state(v)->kvm.virt;
	uint64_t pv = lpt_map_native_to_pv(m, lpt_sim_native(v, t0)) + ticks;

	return lpt_sim_raw_time(lpt_sim_vcpu_stay(v), lpt_timer_native_cval(m, pv));
}

/* Translated where KVM traps (or needs not); programmed as the guest wrote it where it
 * cannot trap (as offset's: EVNTIS ignored without FEAT_ECV). */
static double trap_evtstrm_ratio(const struct lpt_sim_vcpu *v, uint32_t guest_cntkctl)
{
	const struct trap_state *st = cstate(v);

	if (trap_rate(lpt_sim_vcpu_stay(v)->host, st->pv_hz) == st->pv_hz)
		return lpt_sim_evtstrm_translated(v, guest_cntkctl);
	return lpt_sim_evtstrm_native(v, guest_cntkctl, guest_cntkctl);
}

/* Where nothing traps and the maps keep the host's rate, the virtual counter is the
 * host's less the map's offset (and the timer's compare value the CVAL plus it, from
 * the map's first value on). */
static bool trap_native_offset(const struct lpt_sim_vcpu *v, uint64_t *off)
{
	const struct lpt_map *m = &cstate(v)->kvm.virt;

	if (cstate(v)->trapping || m->to_pv.from_hz != m->to_pv.to_hz)
		return false;
	*off = m->native_base - m->pv_base;
	return true;
}

LPT_SIM_DEFINE_RUN_GUEST(trap)

const struct lpt_sim_strategy_ops lpt_sim_strategy_trap = {
	.name = "trap",
	.irq_traps = true,
	.boot = trap_boot,
	.read_v = trap_read_v,
	.read_p = trap_read_p,
	.write_cval_v = trap_write_cval_v,
	.write_tval_p = trap_write_tval_p,
	.fire_time = trap_fire_time,
	.migrate = trap_migrate,
	.firmware_end = trap_firmware_end,
	.native_offset = trap_native_offset,
	.evtstrm_ratio = trap_evtstrm_ratio,
	.run_guest = trap_run_guest,
};
