// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#include "strategy.h"

#include <string.h>

#define NSEC_PER_SEC	UINT64_C(1000000000)

static const struct lpt_sim_stay *stay_of(const struct lpt_sim_vcpu *v)
{
	return lpt_sim_vcpu_stay(v);
}

/* The host counter as the core sees it: the counter's low width bits. */
static uint64_t native_at(const struct lpt_sim_vcpu *v, uint64_t t)
{
	const struct lpt_sim_stay *s = stay_of(v);

	return lpt_sim_raw(s, t) & lpt_counter_mask(s->host->width);
}

/* The VMM publishes @f for the guest's next run (update once per run). */
static int vmm_publish(struct lpt_sim_vcpu *v, const struct lpt_page_fields *f)
{
	int r = lpt_updater_init(&v->up, v->page, sizeof(v->page));

	if (!r)
		r = lpt_updater_stage(&v->up, f);
	if (!r)
		r = lpt_updater_vcpu_run(&v->up) == 1 ? 0 : -LPT_EINVAL;
	return r;
}

static int rfc_page(struct lpt_sim_vcpu *v)
{
	int r = lpt_page_fields_rev0(&v->fields, stay_of(v)->host->hz, v->tl->pv_hz);

	return r ? r : vmm_publish(v, &v->fields);
}

static int lpt_page(struct lpt_sim_vcpu *v)
{
	int r = lpt_page_fields_rev1(&v->fields, &v->virt, &v->phys, ++v->generation);

	return r ? r : vmm_publish(v, &v->fields);
}

int lpt_sim_vcpu_boot(struct lpt_sim_vcpu *v, enum lpt_sim_strategy kind,
		      const struct lpt_sim_timeline *tl, const struct lpt_sim_vm *vm)
{
	const struct lpt_sim_stay *s = &tl->stays[0];
	uint64_t n0;
	int r = 0;

	memset(v, 0, sizeof(*v));
	v->kind = kind;
	v->tl = tl;
	v->downtime = vm->downtime;
	v->guest_hz = kind == LPT_SIM_NONE ? s->host->hz : vm->pv_hz;
	/* The firmware read CNTFRQ at boot; under trap and ideal it sees the PV counter. */
	v->fw_hz = kind == LPT_SIM_TRAP || kind == LPT_SIM_IDEAL ? vm->pv_hz : s->host->hz;
	lpt_scale_init(&v->to_guest_ticks, NSEC_PER_SEC, v->guest_hz);
	lpt_scale_init(&v->to_fw_ticks, NSEC_PER_SEC, v->fw_hz);
	n0 = native_at(v, 0);
	switch (kind) {
	case LPT_SIM_NONE:
	case LPT_SIM_RFC:
		v->off = n0;	/* KVM starts the virtual counter at 0 */
		if (kind == LPT_SIM_RFC)
			r = rfc_page(v);
		break;
	case LPT_SIM_LPT:
	case LPT_SIM_TRAP:
		r = lpt_map_init(&v->virt, s->host->hz, vm->pv_hz, s->host->width, n0, 0);
		if (!r)
			r = lpt_map_init(&v->phys, s->host->hz, vm->pv_hz, s->host->width, n0,
					 lpt_scale_floor(&v->virt.to_pv, n0));
		if (!r && kind == LPT_SIM_LPT)
			r = lpt_page(v);
		break;
	default:
		break;
	}
	if (!r && (kind == LPT_SIM_RFC || kind == LPT_SIM_LPT))
		r = lpt_reader_init(&v->rd, v->page, sizeof(v->page));
	return r;
}

/*
 * The guest's read of its PV counter through the page: the counter (less @off, the
 * virtual offset the RFC's KVM keeps) read inside the reader's window. A read that
 * fails counts an error and gives 0: what the reader's caller would get.
 */
static uint64_t page_read(struct lpt_sim_vcpu *v, uint64_t t, uint64_t off, bool phys)
{
	uint64_t seq, pv;

	do {
		if (lpt_reader_begin(&v->rd, &seq)) {
			v->errors++;
			return 0;
		}
		pv = lpt_reader_pv(&v->rd, native_at(v, t) - off, phys);
	} while (lpt_reader_retry(&v->rd, seq));
	return pv;
}

uint64_t lpt_sim_read_v(struct lpt_sim_vcpu *v, uint64_t t)
{
	uint64_t n = native_at(v, t);

	switch (v->kind) {
	case LPT_SIM_NONE: return n - v->off;
	case LPT_SIM_RFC: return page_read(v, t, v->off, false);
	case LPT_SIM_LPT: return page_read(v, t, 0, false);
	case LPT_SIM_TRAP:
		v->traps++;
		return lpt_map_native_to_pv(&v->virt, n);
	default: return lpt_sim_ideal_pv(v->tl, stay_of(v), t);
	}
}

uint64_t lpt_sim_read_p(struct lpt_sim_vcpu *v, uint64_t t)
{
	uint64_t n = native_at(v, t);

	switch (v->kind) {
	case LPT_SIM_NONE: return n;	/* Linux 6.1 KVM does not offset it */
	case LPT_SIM_RFC:
	case LPT_SIM_LPT:
		return page_read(v, t, 0, true);
	case LPT_SIM_TRAP:
		v->traps++;
		return lpt_map_native_to_pv(&v->phys, n);
	default: return lpt_sim_ideal_pv(v->tl, stay_of(v), t);
	}
}

/*
 * The RFC's guest (Linux 5.8's arch timer) programs a timer by TVAL: the u32 delta
 * zero-extended and converted by the page's rscale (pv_to_native_cycles()), of which
 * the hardware takes the low 32 bits, signed: CVAL = counter + SignExtend(TVAL).
 * Returns the compare value in host counter ticks, for the host counter @n.
 */
static uint64_t rfc_tval_hw(const struct lpt_sim_vcpu *v, uint64_t n, uint32_t tval)
{
	uint64_t nt = lpt_rfc_scale_apply(&v->fields.rfc_to_native, tval);

	return n + (uint64_t)(int64_t)(int32_t)(uint32_t)nt;
}

void lpt_sim_arm_v(struct lpt_sim_vcpu *v, uint64_t t, uint64_t counter, uint64_t ticks)
{
	if (v->kind != LPT_SIM_RFC) {
		lpt_sim_write_cval_v(v, counter + ticks);
		return;
	}
	/* Linux's clockevents clamp a delta to the arch timer's max_delta, 2^31 - 1. */
	if (ticks > 0x7fffffff)
		ticks = 0x7fffffff;
	v->cval_v = counter + ticks;
	v->hw_v = rfc_tval_hw(v, native_at(v, t), (uint32_t)ticks);
}

void lpt_sim_write_cval_v(struct lpt_sim_vcpu *v, uint64_t cval)
{
	uint64_t seq;

	v->cval_v = cval;
	switch (v->kind) {
	case LPT_SIM_NONE:
		v->hw_v = cval + v->off;
		break;
	case LPT_SIM_RFC:	/* the RFC's guest converts with the page's rscale */
		v->hw_v = lpt_rfc_scale_apply(&v->fields.rfc_to_native, cval) + v->off;
		break;
	case LPT_SIM_LPT:	/* the guest's glue, with the map the page holds */
		do {
			if (lpt_reader_begin(&v->rd, &seq)) {
				v->errors++;
				break;
			}
			lpt_timer_write_cval(&v->tv, &lpt_reader_snapshot(&v->rd)->virt, cval);
		} while (lpt_reader_retry(&v->rd, seq));
		break;
	case LPT_SIM_TRAP:
		v->traps++;
		lpt_timer_write_cval(&v->tv, &v->virt, cval);
		break;
	default:
		break;
	}
}

void lpt_sim_write_tval_p(struct lpt_sim_vcpu *v, uint64_t t, int32_t tval)
{
	uint64_t n = native_at(v, t), seq;

	switch (v->kind) {
	case LPT_SIM_NONE:
		v->cval_p = n + (uint64_t)(int64_t)tval;
		v->hw_p = v->cval_p;
		break;
	case LPT_SIM_RFC:	/* the RFC's guest: u32 TVAL, zero-extended (rfc_tval_hw()) */
		v->cval_p = page_read(v, t, 0, true) + (uint64_t)(int64_t)tval;
		v->hw_p = rfc_tval_hw(v, n, (uint32_t)tval);
		break;
	case LPT_SIM_LPT:	/* the counter read inside the window, the TVAL from it */
		do {
			if (lpt_reader_begin(&v->rd, &seq)) {
				v->errors++;
				break;
			}
			n = native_at(v, t);
			lpt_timer_write_tval(&v->tp, &lpt_reader_snapshot(&v->rd)->phys, n, tval);
		} while (lpt_reader_retry(&v->rd, seq));
		v->cval_p = lpt_timer_read_cval(&v->tp);
		break;
	case LPT_SIM_TRAP:
		v->traps++;
		lpt_timer_write_tval(&v->tp, &v->phys, n, tval);
		v->cval_p = lpt_timer_read_cval(&v->tp);
		break;
	default:
		v->cval_p = lpt_sim_ideal_pv(v->tl, stay_of(v), t) + (uint64_t)(int64_t)tval;
		break;
	}
}

uint64_t lpt_sim_fire_time(const struct lpt_sim_vcpu *v, bool phys)
{
	const struct lpt_sim_stay *s = stay_of(v);

	switch (v->kind) {
	case LPT_SIM_NONE:
	case LPT_SIM_RFC:
		return lpt_sim_raw_time(s, phys ? v->hw_p : v->hw_v);
	case LPT_SIM_LPT:
	case LPT_SIM_TRAP:
		return lpt_sim_raw_time(s, phys ? v->tp.native_cval : v->tv.native_cval);
	default:
		return lpt_sim_ideal_pv_time(v->tl, s, phys ? v->cval_p : v->cval_v);
	}
}

/* floor(ns * hz / 10^9): the VMM's downtime in ticks of a counter. */
static uint64_t ns_to_ticks(uint64_t ns, uint64_t hz)
{
	struct lpt_scale sc;

	lpt_scale_init(&sc, NSEC_PER_SEC, hz);
	return lpt_scale_floor(&sc, ns);
}

/*
 * The RFC at a migration: the VMM restores the virtual counter (its value at pause, plus
 * the downtime in the old host's ticks when it is counted) and CVAL as they were saved,
 * in the old host's native units; at the first run KVM rescales them as the RFC's
 * pvclock_lpt_update_vtimer() (lpt_restore_init()/_timer() of the page in guest memory:
 * CNTVOFF by the native ratio, the virtual timer by its u32 TVAL; the physical timer as
 * it was) and rewrites the page.
 */
static int rfc_migrate(struct lpt_sim_vcpu *v, uint64_t pause, uint64_t resume)
{
	const struct lpt_sim_stay *s = stay_of(v), *old = s - 1;
	uint64_t g = pause - v->off;
	struct lpt_page_fields page;
	struct lpt_restore rs;
	struct lpt_timer tv, tp;
	int r;

	if (v->downtime == LPT_DOWNTIME_COUNT)
		g += ns_to_ticks(s->downtime_ns, old->host->hz);
	r = lpt_page_decode(v->page, sizeof(v->page), &page);
	if (!r)
		r = lpt_restore_init(&rs, &page, s->host->hz, 64, g, resume);
	if (!r)
		r = lpt_restore_timer(&tv, &rs, false, v->hw_v - v->off);
	if (!r)
		r = lpt_restore_timer(&tp, &rs, true, v->hw_p);
	if (r)
		return r;
	v->off = resume - rs.virt_resume;
	v->hw_v = tv.native_cval + v->off;
	v->hw_p = tp.native_cval;
	return rfc_page(v);
}

int lpt_sim_migrate(struct lpt_sim_vcpu *v)
{
	const struct lpt_sim_stay *old = stay_of(v), *s = old + 1;
	uint64_t pause = native_at(v, old->end_ns), resume;
	int r = 0;

	if (v->stay + 1 >= v->tl->nstays)
		return -LPT_EINVAL;
	v->stay++;
	resume = native_at(v, s->start_ns);
	switch (v->kind) {
	case LPT_SIM_NONE: {	/* the VMM restores the virtual counter's value */
		uint64_t g = pause - v->off;

		if (v->downtime == LPT_DOWNTIME_COUNT)
			g += ns_to_ticks(s->downtime_ns, s->host->hz);
		v->off = resume - g;
		v->hw_v = v->cval_v + v->off;
		break;		/* the physical timer keeps its native compare value */
	}
	case LPT_SIM_RFC:
		r = rfc_migrate(v, pause, resume);
		break;
	case LPT_SIM_LPT:
	case LPT_SIM_TRAP: {
		struct lpt_resume res = {
			.native_hz = s->host->hz, .native = resume, .downtime_ns = s->downtime_ns,
			.width = s->host->width, .downtime = v->downtime,
		};

		r = lpt_map_rebase(&v->virt, &v->virt, pause, &res);
		if (!r)
			r = lpt_map_rebase(&v->phys, &v->phys, pause, &res);
		if (!r)
			r = lpt_timer_reprogram(&v->tv, &v->virt);
		if (!r)
			r = lpt_timer_reprogram(&v->tp, &v->phys);
		if (!r && v->kind == LPT_SIM_LPT)
			r = lpt_page(v);
		break;
	}
	default:
		break;
	}
	return r;
}

int64_t lpt_sim_firmware_error(struct lpt_sim_vcpu *v, uint64_t stall_ns)
{
	const struct lpt_sim_stay *s = stay_of(v);
	uint64_t t0 = s->start_ns, ticks = lpt_scale_ceil(&v->to_fw_ticks, stall_ns), t;

	switch (v->kind) {
	case LPT_SIM_TRAP: {	/* counter reads trapped: the PV counter */
		uint64_t pv = lpt_map_native_to_pv(&v->virt, native_at(v, t0)) + ticks;

		t = lpt_sim_raw_time(s, lpt_timer_native_cval(&v->virt, pv));
		break;
	}
	case LPT_SIM_IDEAL:
		t = lpt_sim_ideal_pv_time(v->tl, s, lpt_sim_ideal_pv(v->tl, s, t0) + ticks);
		break;
	default:		/* the raw counter */
		t = lpt_sim_raw_time(s, lpt_sim_raw(s, t0) + ticks);
		break;
	}
	if (t == LPT_SIM_NEVER)
		return INT64_MAX;
	return (int64_t)(t - t0) - (int64_t)stall_ns;
}

double lpt_sim_evtstrm_ratio(const struct lpt_sim_vcpu *v, uint32_t guest_cntkctl)
{
	const struct lpt_sim_host *h = stay_of(v)->host;
	uint32_t bit = lpt_evtstrm_bit(guest_cntkctl), native_bit;
	double asked = (double)(2ULL << bit) / (double)v->guest_hz;
	struct lpt_evtstrm e;

	switch (v->kind) {
	case LPT_SIM_NONE:	/* programmed as the guest wrote it */
		native_bit = lpt_evtstrm_bit(h->ecv ? guest_cntkctl :
					     guest_cntkctl & ~LPT_CNTKCTL_EVNTIS);
		break;
	case LPT_SIM_RFC: {	/* the RFC's guest, translated by the boot host's page */
		uint32_t native = lpt_rfc_parse_cntkctl(guest_cntkctl,
			lpt_rfc_evtstrm_shift((uint32_t)v->tl->stays[0].host->hz,
					      (uint32_t)v->guest_hz), false);

		native_bit = lpt_evtstrm_bit(h->ecv ? native : native & ~LPT_CNTKCTL_EVNTIS);
		break;
	}
	case LPT_SIM_IDEAL:	/* the scaled counter's own bit */
		return (double)h->hz / (double)h->actual_hz;
	default:
		if (lpt_evtstrm_translate(&e, guest_cntkctl, v->guest_hz, h->hz, h->ecv))
			return 0;
		native_bit = e.native_bit;
		break;
	}
	return (double)(2ULL << native_bit) / (double)h->actual_hz / asked;
}
