// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * vmclock: a guest that takes its clock from a VMClock page (Linux's ptp_vmclock and
 * include/uapi/linux/vmclock-abi.h; sim/peer_vmclock.c). The host publishes the
 * counter's period in the ABI's fixed point and the time at a counter value, at boot
 * and again at each migration (the disruption marker changes); the guest's time reads
 * are the page's conversion of its counter. Its counters are upstream's (the VM-wide
 * offset, kvm_offset.h) and its timers and event stream still count native ticks at
 * the frequency it read at boot: VMClock fixes time reads, not timers.
 *
 * The host's side is the project's choice: the period from the host's advertised
 * frequency (CNTFRQ, as the other strategies' pages), rounded to nearest with the
 * largest shift that fits; the time is true time at the publication (a host clock
 * with no error): VMClock's time is wall-clock time, so it counts the downtime
 * whatever the VM's downtime policy (which applies to its counters).
 */
#include "kvm_offset.h"
#include "peer_vmclock.h"
#include "run.h"
#include "strategy.h"

/**
 * struct vmclock_state - The counters and the page.
 * @kvm: KVM's counter offset.
 * @clk: the VMClock fields.
 */
struct vmclock_state {
	struct lpt_sim_kvm_offset kvm;
	struct lpt_sim_vmclock clk;
};
LPT_SIM_DEFINE_PRIV(struct vmclock_state)

static uint64_t vmclock_read(struct lpt_sim_vcpu *v, uint64_t t)
{
	return lpt_sim_kvm_offset_read(&state(v)->kvm, v, t);
}

/* The host publishes the page at the current stay's start. */
static int vmclock_publish(struct lpt_sim_vcpu *v, bool disrupted)
{
	const struct lpt_sim_stay *s = lpt_sim_vcpu_stay(v);

	return lpt_sim_vmclock_publish(&state(v)->clk, vmclock_read(v, s->start_ns),
				       s->start_ns, s->host->hz, disrupted) ? -LPT_EINVAL : 0;
}

static int vmclock_boot(struct lpt_sim_vcpu *v, const struct lpt_sim_vm *vm)
{
	(void)vm;
	lpt_sim_kvm_offset_boot(&state(v)->kvm, v);
	return vmclock_publish(v, false);
}

static void vmclock_write_cval_v(struct lpt_sim_vcpu *v, uint64_t cval)
{
	v->cval_v = cval;
}

static void vmclock_write_cval_p(struct lpt_sim_vcpu *v, uint64_t cval)
{
	v->cval_p = cval;
}

static void vmclock_write_tval_p(struct lpt_sim_vcpu *v, uint64_t t, int32_t tval)
{
	vmclock_write_cval_p(v, vmclock_read(v, t) + (uint64_t)(int64_t)tval);
}

static uint64_t vmclock_fire_time(const struct lpt_sim_vcpu *v, bool phys)
{
	return lpt_sim_kvm_offset_fire(&cstate(v)->kvm, v, phys);
}

static int vmclock_migrate(struct lpt_sim_vcpu *v, uint64_t pause, uint64_t resume)
{
	lpt_sim_kvm_offset_migrate(&state(v)->kvm, v, pause, resume);
	return vmclock_publish(v, true);
}

/* ptp_vmclock's time from the counter (inline in the guest's loop). */
static inline __attribute__((always_inline)) uint64_t
vmclock_clock_ns(struct lpt_sim_vcpu *v, uint64_t counter)
{
	return lpt_sim_vmclock_ns(&state(v)->clk, counter);
}

/* Programmed as the guest wrote it, on the native counter. */
static double vmclock_evtstrm_ratio(const struct lpt_sim_vcpu *v, uint32_t guest_cntkctl)
{
	return lpt_sim_evtstrm_native(v, guest_cntkctl, guest_cntkctl);
}

/* Nothing scales: either counter is the host's less the offset (phys_offset too). */
static bool vmclock_native_offset(const struct lpt_sim_vcpu *v, uint64_t *off)
{
	*off = cstate(v)->kvm.off;
	return true;
}

LPT_SIM_DEFINE_RUN_GUEST(vmclock)

const struct lpt_sim_strategy_ops lpt_sim_strategy_vmclock = {
	.name = "vmclock",
	.native_guest = true,
	.boot = vmclock_boot,
	.read_v = vmclock_read,
	.read_p = vmclock_read,
	.write_cval_v = vmclock_write_cval_v,
	.write_tval_p = vmclock_write_tval_p,
	.write_cval_p = vmclock_write_cval_p,
	.fire_time = vmclock_fire_time,
	.migrate = vmclock_migrate,
	.clock_ns = vmclock_clock_ns,
	.clock_affine = true,
	.native_offset = vmclock_native_offset,
	.phys_offset = vmclock_native_offset,
	.evtstrm_ratio = vmclock_evtstrm_ratio,
	.run_guest = vmclock_run_guest,
};
