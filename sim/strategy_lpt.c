// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * lpt: liblpt's revision 1 page. KVM keeps exact native->PV maps of both counters and
 * publishes them in the page; the guest reads its PV counters through the page and
 * converts its timers' compare values with the map it holds (its counter read and the
 * conversion inside the reader's window); at a migration KVM re-bases the maps,
 * re-programs the timers and publishes the next generation. The event stream is
 * translated to each host by the library.
 */
#include "kvm_maps.h"
#include "run.h"
#include "strategy.h"
#include "strategy_lpt.h"
#include "vm_page.h"

/**
 * struct lpt_state - KVM's maps and the page.
 * @kvm: KVM's maps and timers.
 * @generation: the page generation last published.
 * @pg: the revision 1 page.
 */
struct lpt_state {
	struct lpt_sim_kvm_maps kvm;
	uint64_t generation;
	struct lpt_sim_page pg;
};
LPT_SIM_DEFINE_PRIV(struct lpt_state)

static int lpt_publish(struct lpt_sim_vcpu *v, bool boot)
{
	struct lpt_state *st = state(v);

	return lpt_sim_page_publish_rev1(&st->pg, &st->kvm.virt, &st->kvm.phys,
					 ++st->generation, boot);
}

static int lpt_boot(struct lpt_sim_vcpu *v, const struct lpt_sim_vm *vm)
{
	int r = lpt_sim_kvm_maps_boot(&state(v)->kvm, v, vm->pv_hz);

	return r ? r : lpt_publish(v, true);
}

static uint64_t lpt_read_v(struct lpt_sim_vcpu *v, uint64_t t)
{
	return lpt_sim_page_read(&state(v)->pg, v, t, 0, false);
}

static uint64_t lpt_read_p(struct lpt_sim_vcpu *v, uint64_t t)
{
	return lpt_sim_page_read(&state(v)->pg, v, t, 0, true);
}

/* The guest's glue, with the map the page holds. */
static void lpt_write_cval_v(struct lpt_sim_vcpu *v, uint64_t cval)
{
	v->cval_v = cval;
	lpt_sim_page_write_cval(&state(v)->pg, v, &state(v)->kvm.tv, cval);
}

/* The counter read inside the window, the TVAL from it. */
static void lpt_write_tval_p(struct lpt_sim_vcpu *v, uint64_t t, int32_t tval)
{
	struct lpt_state *st = state(v);

	lpt_sim_page_write_tval(&st->pg, v, &st->kvm.tp, t, 0, tval);
	v->cval_p = lpt_timer_read_cval(&st->kvm.tp);
}

static uint64_t lpt_fire_time(const struct lpt_sim_vcpu *v, bool phys)
{
	return lpt_sim_kvm_maps_fire(&cstate(v)->kvm, v, phys);
}

/* An LPT-aware firmware reads the page. */
static uint64_t lpt_firmware_pv_end(struct lpt_sim_vcpu *v, uint64_t t0, uint64_t stall_ns)
{
	uint64_t target;

	return lpt_sim_page_firmware_end(&state(v)->pg, v, 0, t0, stall_ns, &target);
}

static int lpt_migrate(struct lpt_sim_vcpu *v, uint64_t pause, uint64_t resume)
{
	int r = lpt_sim_kvm_maps_migrate(&state(v)->kvm, v, pause, resume);

	return r ? r : lpt_publish(v, false);
}

void lpt_sim_lpt_content(const struct lpt_sim_vcpu *v, struct lpt_page_fields *fields,
			 struct lpt_map *virt)
{
	*fields = cstate(v)->pg.fields;
	*virt = cstate(v)->kvm.virt;
}

/*
 * Where the virtual map's native->PV scale is an integer m (no fraction: the PV rate a
 * multiple of the host's), the PV counter the page gives is pv_base + m (native -
 * native_base), and a CVAL fires at the first native value at which it reads at least
 * the CVAL (lpt_timer_native_cval()'s contract): the tick's closed form applies.
 */
static bool lpt_tick_affine(const struct lpt_sim_vcpu *v, uint64_t *mult, uint64_t *add)
{
	const struct lpt_map *m = &cstate(v)->kvm.virt;
	uint64_t top;

	if (m->to_pv.frac_hi || m->to_pv.frac_lo ||
	    __builtin_mul_overflow(m->to_pv.whole, lpt_sim_vcpu_stay(v)->raw_max, &top))
		return false;
	*mult = m->to_pv.whole;
	*add = m->pv_base - *mult * m->native_base;
	return true;
}

LPT_SIM_DEFINE_RUN_GUEST(lpt)

const struct lpt_sim_strategy_ops lpt_sim_strategy_lpt = {
	.name = "lpt",
	.boot = lpt_boot,
	.read_v = lpt_read_v,
	.read_p = lpt_read_p,
	.write_cval_v = lpt_write_cval_v,
	.write_tval_p = lpt_write_tval_p,
	.fire_time = lpt_fire_time,
	.migrate = lpt_migrate,
	.firmware_pv_end = lpt_firmware_pv_end,
	.tick_affine = lpt_tick_affine,
	.evtstrm_ratio = lpt_sim_evtstrm_translated,
	.run_guest = lpt_run_guest,
};
