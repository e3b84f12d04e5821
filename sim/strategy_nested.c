// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * l2_lazy, l2_event: the guest is an L2 VM of an L1 hypervisor that is itself an LPT
 * guest of L0 (KVM on the host). L0 gives L1 a PV counter at the VM's l1_pv_hz through
 * L0's page; L1 gives L2 a PV counter at pv_hz through a page of its own whose maps go
 * from the host's counter straight to L2's PV counter: the core's composition
 * (lpt_map_compose()) of the maps in L0's page, as L1's reader holds them, with L1's
 * maps of its own PV counters to L2's. L1's PV counters never jump, so L1's maps never
 * change; at a migration only L0's do, and L1 composes again.
 *
 * The counter both read is the host's less the VM-wide offset the VMM restores at each
 * migration so that it continues (upstream's, kvm_offset.h): a page left stale meets a
 * counter that goes on, at the new host's rate.
 *
 * At a migration L0 re-bases its maps, publishes L0's page, and re-programs every
 * compare value of L1's context as L1 time: L2's timers too, which the hardware holds
 * as the native values L2's glue computed from L2's page (converted to L1's PV counter
 * by L0's old map, back by the new one: all L0 can do without L2's page). Then:
 * - l2_event: L0 delivers the migration to L1 before it resumes L2 (an exit or event,
 *   as proposed for SDEI): L1 reads its page, composes, publishes L2's page and
 *   re-programs L2's timers from their PV compare values, all before L2 runs again;
 * - l2_lazy: L0 resumes L2 where it was; L1 runs l1_latency later (its own tick) and
 *   only then finds the new page. Until then L2 reads the old host's maps on the new
 *   host's counter, and its timers fire where L0 put them (L2's interrupts are taken
 *   by L0 and injected into L2 without running L1: the model's assumption).
 */
#include "kvm_offset.h"
#include "run.h"
#include "strategy.h"
#include "strategy_nested.h"
#include "vm_page.h"

/**
 * struct nested_state - L0's and L1's maps, both pages, L2's timers.
 * @off: the VMM's counter offset (L1's and L2's counter).
 * @inner_v: L0's map of L1's virtual counter.
 * @inner_p: L0's map of L1's physical counter.
 * @outer_v: L1's map of its virtual PV counter to L2's.
 * @outer_p: L1's map of its physical PV counter to L2's.
 * @fresh_v: the composition of L0's current maps: what L1 publishes when it runs.
 * @tv: L2's virtual timer as L1 keeps it (PV compare value, native on L2's page).
 * @tp: L2's physical timer.
 * @hw: the compare values the hardware holds for L2's timers, virtual then physical.
 * @gen0: L0's page generation.
 * @gen2: L1's page generation.
 * @lazy: l2_lazy.
 * @latency_ns: l2_lazy: how long after a resume L1 runs.
 * @l1_at: when L1 runs to rewrite L2's page; LPT_SIM_NEVER when it is current.
 * @stale_since: when L2 first ran on a stale page.
 * @pg0: L0's page for L1 (its reader is L1's).
 * @pg2: L1's page for L2 (its reader is L2's).
 */
struct nested_state {
	struct lpt_sim_kvm_offset off;
	struct lpt_map inner_v;
	struct lpt_map inner_p;
	struct lpt_map outer_v;
	struct lpt_map outer_p;
	struct lpt_map fresh_v;
	struct lpt_timer tv;
	struct lpt_timer tp;
	uint64_t hw[2];
	uint64_t gen0;
	uint64_t gen2;
	bool lazy;
	uint64_t latency_ns;
	uint64_t l1_at;
	uint64_t stale_since;
	struct lpt_sim_page pg0;
	struct lpt_sim_page pg2;
};
LPT_SIM_DEFINE_PRIV(struct nested_state)

/* L1 runs: reads L0's page, composes L2's maps, publishes L2's page and (after a
 * migration) re-programs L2's timers from their PV compare values. */
static int l1_run(struct lpt_sim_vcpu *v, uint64_t t, bool boot)
{
	struct nested_state *st = state(v);
	struct lpt_map comp_v, comp_p;
	const struct lpt_snapshot *snap;
	uint64_t seq;
	int r;

	do {
		r = lpt_reader_begin(&st->pg0.rd, &seq);
		if (r)
			return r;
		snap = lpt_reader_snapshot(&st->pg0.rd);
		r = lpt_map_compose(&comp_v, &snap->virt, &st->outer_v);
		if (!r)
			r = lpt_map_compose(&comp_p, &snap->phys, &st->outer_p);
	} while (!r && lpt_reader_retry(&st->pg0.rd, seq));
	if (!r)
		r = lpt_sim_page_publish_rev1(&st->pg2, &comp_v, &comp_p, ++st->gen2, boot);
	if (r || boot)
		return r;
	r = lpt_timer_reprogram(&st->tv, &comp_v);
	if (!r)
		r = lpt_timer_reprogram(&st->tp, &comp_p);
	st->hw[0] = st->tv.native_cval;
	st->hw[1] = st->tp.native_cval;
	if (st->l1_at != LPT_SIM_NEVER) {
		uint64_t w = t - st->stale_since;

		v->nested.stale_ns += w;
		if (w > v->nested.stale_max_ns)
			v->nested.stale_max_ns = w;
		st->l1_at = LPT_SIM_NEVER;
	}
	return r;
}

static int nested_boot(struct lpt_sim_vcpu *v, const struct lpt_sim_vm *vm, bool lazy)
{
	const struct lpt_sim_host *h = lpt_sim_vcpu_stay(v)->host;
	struct nested_state *st = state(v);
	int r;

	st->lazy = lazy;
	st->latency_ns = vm->l1_latency_ns;
	st->l1_at = LPT_SIM_NEVER;
	/* The counters from 0; L1's PV counters from 0, and L2's from 0 at L1's 0. */
	lpt_sim_kvm_offset_boot(&st->off, v);
	r = lpt_map_init(&st->inner_v, h->hz, vm->l1_pv_hz, h->width, 0, 0);
	if (!r)
		r = lpt_map_init(&st->outer_v, vm->l1_pv_hz, vm->pv_hz, 64, 0, 0);
	if (r)
		return r;
	lpt_map_copy(&st->inner_p, &st->inner_v);
	lpt_map_copy(&st->outer_p, &st->outer_v);
	r = lpt_sim_page_publish_rev1(&st->pg0, &st->inner_v, &st->inner_p, ++st->gen0, true);
	return r ? r : l1_run(v, 0, true);
}

static int l2_lazy_boot(struct lpt_sim_vcpu *v, const struct lpt_sim_vm *vm)
{
	return nested_boot(v, vm, true);
}

static int l2_event_boot(struct lpt_sim_vcpu *v, const struct lpt_sim_vm *vm)
{
	return nested_boot(v, vm, false);
}

static uint64_t magnitude(int64_t d)
{
	return d < 0 ? -(uint64_t)d : (uint64_t)d;
}

/* What L2's virtual counter read shows: against the current page's composition while
 * stale, against two rounded maps in a row otherwise. */
static void nested_account(struct lpt_sim_vcpu *v, uint64_t t, uint64_t pv)
{
	struct nested_state *st = state(v);
	uint64_t n = lpt_sim_kvm_offset_read(&st->off, v, t);
	int64_t d;
	int64_t *worst;

	if (st->l1_at != LPT_SIM_NEVER) {
		v->nested.stale_reads++;
		d = (int64_t)(pv - lpt_map_native_to_pv(&st->fresh_v, n));
		worst = &v->nested.stale_err;
	} else {
		d = (int64_t)(pv - lpt_map_native_to_pv(&st->outer_v,
							lpt_map_native_to_pv(&st->inner_v, n)));
		worst = &v->nested.two_maps;
	}
	if (magnitude(d) > magnitude(*worst))
		*worst = d;
}

static uint64_t nested_read_v(struct lpt_sim_vcpu *v, uint64_t t)
{
	uint64_t pv = lpt_sim_page_read(&state(v)->pg2, v, t, state(v)->off.off, false);

	nested_account(v, t, pv);
	return pv;
}

static uint64_t nested_read_p(struct lpt_sim_vcpu *v, uint64_t t)
{
	return lpt_sim_page_read(&state(v)->pg2, v, t, state(v)->off.off, true);
}

/* L2's glue, with the map L2's page holds (stale or not). */
static void nested_write_cval_v(struct lpt_sim_vcpu *v, uint64_t cval)
{
	struct nested_state *st = state(v);

	v->cval_v = cval;
	lpt_sim_page_write_cval(&st->pg2, v, &st->tv, cval);
	st->hw[0] = st->tv.native_cval;
}

static void nested_write_tval_p(struct lpt_sim_vcpu *v, uint64_t t, int32_t tval)
{
	struct nested_state *st = state(v);

	lpt_sim_page_write_tval(&st->pg2, v, &st->tp, t, st->off.off, tval);
	v->cval_p = lpt_timer_read_cval(&st->tp);
	st->hw[1] = st->tp.native_cval;
}

static uint64_t nested_fire_time(const struct lpt_sim_vcpu *v, bool phys)
{
	const struct nested_state *st = cstate(v);

	return lpt_sim_raw_time(lpt_sim_vcpu_stay(v), st->hw[phys] + st->off.off);
}

/* L0 keeps a native compare value of L1's context as L1 time across the re-base. */
static void l0_carry(uint64_t *hw, const struct lpt_map *old, const struct lpt_map *m)
{
	struct lpt_timer l0;

	if (*hw > old->native_mask)	/* never reached */
		return;
	lpt_timer_write_cval(&l0, m, lpt_map_native_to_pv(old, *hw));
	*hw = l0.native_cval;
}

static int nested_migrate(struct lpt_sim_vcpu *v, uint64_t pause, uint64_t resume)
{
	const struct lpt_sim_stay *s = lpt_sim_vcpu_stay(v);
	struct nested_state *st = state(v);
	uint64_t at_pause = (pause - st->off.off) & st->inner_v.native_mask;
	struct lpt_map old_v, old_p;
	struct lpt_resume res;
	int r;

	lpt_map_copy(&old_v, &st->inner_v);
	lpt_map_copy(&old_p, &st->inner_p);
	lpt_sim_kvm_offset_migrate(&st->off, v, pause, resume);
	res = (struct lpt_resume){
		.native_hz = s->host->hz, .downtime_ns = s->downtime_ns,
		.native = (resume - st->off.off) & lpt_counter_mask(s->host->width),
		.width = s->host->width, .downtime = v->downtime,
	};
	r = lpt_map_rebase(&st->inner_v, &st->inner_v, at_pause, &res);
	if (!r)
		r = lpt_map_rebase(&st->inner_p, &st->inner_p, at_pause, &res);
	if (!r)
		r = lpt_sim_page_publish_rev1(&st->pg0, &st->inner_v, &st->inner_p, ++st->gen0,
					      false);
	if (!r)
		r = lpt_map_compose(&st->fresh_v, &st->inner_v, &st->outer_v);
	if (r)
		return r;
	l0_carry(&st->hw[0], &old_v, &st->inner_v);
	l0_carry(&st->hw[1], &old_p, &st->inner_p);
	if (!st->lazy)		/* the event: L1 runs before L2 does */
		return l1_run(v, s->start_ns, false);
	if (st->l1_at == LPT_SIM_NEVER) {
		st->stale_since = s->start_ns;
		/* none if L1 runs at the resume: before L2 does (the engine's order) */
		v->nested.windows += st->latency_ns != 0;
	}
	st->l1_at = s->start_ns + st->latency_ns;
	return 0;
}

static uint64_t nested_hv_event_at(const struct lpt_sim_vcpu *v)
{
	return cstate(v)->l1_at;
}

static int nested_hv_event(struct lpt_sim_vcpu *v, uint64_t t)
{
	return l1_run(v, t, false);
}

/*
 * An LPT-aware firmware in L2 reads L2's page. A lazy L1 may rewrite it during the
 * wait: the polls from then on read the new content, against the PV value the first
 * read set.
 */
static uint64_t nested_firmware_pv_end(struct lpt_sim_vcpu *v, uint64_t t0, uint64_t stall_ns)
{
	struct nested_state *st = state(v);
	uint64_t target, t, after;

	t = lpt_sim_page_firmware_end(&st->pg2, v, st->off.off, t0, stall_ns, &target);
	if (st->l1_at == LPT_SIM_NEVER || t <= st->l1_at)
		return t;
	after = lpt_sim_raw_time(lpt_sim_vcpu_stay(v),
				 lpt_timer_native_cval(&st->fresh_v, target) + st->off.off);
	return after > st->l1_at ? after : st->l1_at;
}

/* L2 asked for its stream on its PV counter; the host translates it (as lpt). */
#define NESTED_OPS(kind)						\
	{								\
		.name = #kind,						\
		.boot = kind##_boot,					\
		.read_v = nested_read_v,				\
		.read_p = nested_read_p,				\
		.write_cval_v = nested_write_cval_v,			\
		.write_tval_p = nested_write_tval_p,			\
		.fire_time = nested_fire_time,				\
		.migrate = nested_migrate,				\
		.firmware_pv_end = nested_firmware_pv_end,		\
		.hv_event_at = nested_hv_event_at,			\
		.hv_event = nested_hv_event,				\
		.evtstrm_ratio = lpt_sim_evtstrm_translated,		\
		.run_guest = kind##_run_guest,				\
	}

LPT_SIM_DEFINE_RUN_GUEST(l2_lazy)
LPT_SIM_DEFINE_RUN_GUEST(l2_event)

const struct lpt_sim_strategy_ops lpt_sim_strategy_l2_lazy = NESTED_OPS(l2_lazy);
const struct lpt_sim_strategy_ops lpt_sim_strategy_l2_event = NESTED_OPS(l2_event);

void lpt_sim_nested_view(const struct lpt_sim_vcpu *v, struct lpt_sim_nested_view *view)
{
	const struct nested_state *st = cstate(v);

	lpt_map_copy(&view->inner_v, &st->inner_v);
	lpt_map_copy(&view->outer_v, &st->outer_v);
	lpt_page_maps(&st->pg2.fields, &view->published_v, &view->published_p);
	view->gen0 = st->gen0;
	view->gen2 = st->gen2;
	view->counter_off = st->off.off;
	view->stale = st->l1_at != LPT_SIM_NEVER;
}
