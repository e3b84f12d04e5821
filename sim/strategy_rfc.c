// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * rfc: the Aug 2020 RFC, from its own code. KVM keeps CNTVOFF and a revision 0 page
 * (the native frequency and the PV frequency, the RFC's multiply-and-shift scales);
 * the RFC's guest (Linux 5.8's arch timer) reads its counters through the page and
 * programs its virtual timer by TVAL, converted by the page's rscale. At a migration
 * KVM rescales CNTVOFF and the virtual timer as pvclock_lpt_update_vtimer() does; the
 * physical timer stays as it was. The event stream is translated once, by the boot
 * host's page.
 */
#include "run.h"
#include "strategy.h"
#include "vm_page.h"

/**
 * struct rfc_state - KVM's view of the VM and its page.
 * @off: CNTVOFF (virtual counter = host counter - @off).
 * @hw_v: the virtual timer's compare value in host counter ticks.
 * @hw_p: the physical timer's.
 * @pg: the revision 0 page.
 */
struct rfc_state {
	uint64_t off;
	uint64_t hw_v;
	uint64_t hw_p;
	struct lpt_sim_page pg;
};
LPT_SIM_DEFINE_PRIV(struct rfc_state)

static int rfc_page(struct lpt_sim_vcpu *v, bool boot)
{
	struct rfc_state *st = state(v);
	int r = lpt_page_fields_rev0(&st->pg.fields, lpt_sim_vcpu_stay(v)->host->hz,
				     v->tl->pv_hz);

	return r ? r : lpt_sim_page_publish(&st->pg, boot);
}

static int rfc_boot(struct lpt_sim_vcpu *v, const struct lpt_sim_vm *vm)
{
	(void)vm;
	state(v)->off = lpt_sim_native(v, 0);	/* KVM starts the virtual counter at 0 */
	return rfc_page(v, true);
}

static uint64_t rfc_read_v(struct lpt_sim_vcpu *v, uint64_t t)
{
	return lpt_sim_page_read(&state(v)->pg, v, t, state(v)->off, false);
}

static uint64_t rfc_read_p(struct lpt_sim_vcpu *v, uint64_t t)
{
	return lpt_sim_page_read(&state(v)->pg, v, t, 0, true);
}

/*
 * The RFC's guest (Linux 5.8's arch timer) programs a timer by TVAL: the u32 delta
 * zero-extended and converted by the page's rscale (pv_to_native_cycles()), of which
 * the hardware takes the low 32 bits, signed: CVAL = counter + SignExtend(TVAL).
 * Returns the compare value in host counter ticks, for the host counter @n.
 */
static uint64_t rfc_tval_hw(struct lpt_sim_vcpu *v, uint64_t n, uint32_t tval)
{
	uint64_t nt = lpt_rfc_scale_apply(&state(v)->pg.fields.rfc_to_native, tval);

	return n + (uint64_t)(int64_t)(int32_t)(uint32_t)nt;
}

static void rfc_arm_v(struct lpt_sim_vcpu *v, uint64_t t, uint64_t counter, uint64_t ticks)
{
	/* Linux's clockevents clamp a delta to the arch timer's max_delta, 2^31 - 1. */
	if (ticks > 0x7fffffff)
		ticks = 0x7fffffff;
	v->cval_v = counter + ticks;
	state(v)->hw_v = rfc_tval_hw(v, lpt_sim_native(v, t), (uint32_t)ticks);
}

/* The RFC's guest converts with the page's rscale. */
static void rfc_write_cval_v(struct lpt_sim_vcpu *v, uint64_t cval)
{
	struct rfc_state *st = state(v);

	v->cval_v = cval;
	st->hw_v = lpt_rfc_scale_apply(&st->pg.fields.rfc_to_native, cval) + st->off;
}

/* The RFC's guest: u32 TVAL, zero-extended (rfc_tval_hw()). */
static void rfc_write_tval_p(struct lpt_sim_vcpu *v, uint64_t t, int32_t tval)
{
	uint64_t n = lpt_sim_native(v, t);

	v->cval_p = rfc_read_p(v, t) + (uint64_t)(int64_t)tval;
	state(v)->hw_p = rfc_tval_hw(v, n, (uint32_t)tval);
}

static uint64_t rfc_fire_time(const struct lpt_sim_vcpu *v, bool phys)
{
	return lpt_sim_raw_time(lpt_sim_vcpu_stay(v), phys ? cstate(v)->hw_p : cstate(v)->hw_v);
}

/*
 * The VMM restores the virtual counter (its value at pause, plus the downtime in the
 * old host's ticks when it is counted) and CVAL as they were saved, in the old host's
 * native units; at the first run KVM rescales them as the RFC's
 * pvclock_lpt_update_vtimer() (lpt_restore_init()/_timer() of the page in guest memory:
 * CNTVOFF by the native ratio, the virtual timer by its u32 TVAL; the physical timer as
 * it was) and rewrites the page.
 */
static int rfc_migrate(struct lpt_sim_vcpu *v, uint64_t pause, uint64_t resume)
{
	const struct lpt_sim_stay *s = lpt_sim_vcpu_stay(v), *old = s - 1;
	struct rfc_state *st = state(v);
	uint64_t g = pause - st->off;
	struct lpt_page_fields page;
	struct lpt_restore rs;
	struct lpt_timer tv, tp;
	int r;

	if (v->downtime == LPT_DOWNTIME_COUNT)
		g += lpt_sim_ns_to_ticks(s->downtime_ns, old->host->hz);
	r = lpt_page_decode(st->pg.page, sizeof(st->pg.page), &page);
	if (!r)
		r = lpt_restore_init(&rs, &page, s->host->hz, 64, g, resume);
	if (!r)
		r = lpt_restore_timer(&tv, &rs, false, st->hw_v - st->off);
	if (!r)
		r = lpt_restore_timer(&tp, &rs, true, st->hw_p);
	if (r)
		return r;
	st->off = resume - rs.virt_resume;
	st->hw_v = tv.native_cval + st->off;
	st->hw_p = tp.native_cval;
	return rfc_page(v, false);
}

/* An LPT-aware firmware reads the revision 0 page (the counter less CNTVOFF). */
static uint64_t rfc_firmware_pv_end(struct lpt_sim_vcpu *v, uint64_t t0, uint64_t stall_ns)
{
	uint64_t target;

	return lpt_sim_page_firmware_end(&state(v)->pg, v, state(v)->off, t0, stall_ns, &target);
}

/* The RFC's guest, translated by the boot host's page. */
static double rfc_evtstrm_ratio(const struct lpt_sim_vcpu *v, uint32_t guest_cntkctl)
{
	uint32_t native = lpt_rfc_parse_cntkctl(guest_cntkctl,
		lpt_rfc_evtstrm_shift((uint32_t)v->tl->stays[0].host->hz,
				      (uint32_t)v->guest_hz), false);

	return lpt_sim_evtstrm_native(v, native, guest_cntkctl);
}

LPT_SIM_DEFINE_RUN_GUEST(rfc)

const struct lpt_sim_strategy_ops lpt_sim_strategy_rfc = {
	.name = "rfc",
	.boot = rfc_boot,
	.read_v = rfc_read_v,
	.read_p = rfc_read_p,
	.arm_v = rfc_arm_v,
	.write_cval_v = rfc_write_cval_v,
	.write_tval_p = rfc_write_tval_p,
	.fire_time = rfc_fire_time,
	.migrate = rfc_migrate,
	.firmware_pv_end = rfc_firmware_pv_end,
	.evtstrm_ratio = rfc_evtstrm_ratio,
	.run_guest = rfc_run_guest,
};
