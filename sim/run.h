/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * One VM instance under one strategy, and the guest's part of it: between the engine's
 * rare events (a sample, a migration, the hypervisor's own change) the guest reads its
 * clock, takes its tick and its sleeps, in true-time order. That loop is written once,
 * here, over a strategy's table of operations; each strategy instantiates it in its
 * file with its own table (LPT_SIM_DEFINE_RUN_GUEST()), where the compiler calls the
 * operations directly or inlines them instead of going through the table at every
 * read. The engine (engine.c) sets a run up, handles the rare events and calls the
 * strategy's @run_guest between them.
 */
#ifndef LPT_SIM_RUN_H
#define LPT_SIM_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include <lpt/lpt.h>

#include "engine.h"
#include "peers.h"
#include "rng.h"
#include "scenario.h"
#include "strategy.h"
#include "timeline.h"

#define LPT_SIM_NSEC_PER_SEC	UINT64_C(1000000000)

/**
 * struct lpt_sim_guest_clock - The guest kernel's clock, as Linux's timekeeping keeps it.
 * @cs: the clocksource's mult and shift.
 * @step: the largest step: half the clocksource's max_input.
 * @one: a second, shifted.
 * @last: the counter at the last read.
 * @last_ns: clock_ns strategies: the last time read.
 * @sec: seconds.
 * @nsec_shifted: and the shifted ns within the second.
 *
 * Cycles since the last read times the clocksource's mult, shifted, with the fraction
 * carried. A counter that reads below the last value leaves the clock where it is and
 * is counted.
 */
struct lpt_sim_guest_clock {
	struct bench_peer cs;
	uint64_t step;
	uint64_t one;
	uint64_t last;
	uint64_t last_ns;
	uint64_t sec;
	uint64_t nsec_shifted;
};

/**
 * struct lpt_sim_run - One VM instance under one strategy.
 * @sc: the scenario.
 * @vm: the VM.
 * @tl: its stays.
 * @v: the vCPU (the strategy's state).
 * @st: the strategy's results for the VM, added to.
 * @clock: the guest's clock.
 * @series: instance 0: the errors at the samples.
 * @fw_series: instance 0: the firmware's errors.
 * @fw_aware_series: instance 0: the LPT-aware firmware's.
 * @sleep_rng: the sleeps' durations.
 * @guest_cntkctl: the event stream the guest asks for.
 * @tick_ns: the tick's period.
 * @tick_ticks: the same in guest counter ticks.
 * @tick_step_ns: on the current stay, floor(@tick_ticks * 10^9 / actual_hz): the
 *	true time between two of the tick's interrupts, rounded down, where the guest's
 *	counter is the host's (lpt_sim_run_ticks_closed()).
 * @tick_armed: when the tick was armed.
 * @tick_fire: when it fires.
 * @sleep_ns: the current sleep's duration.
 * @sleep_armed: when it was armed.
 * @sleep_fire: when it fires.
 * @sleep_exact: it fires when the host counter reaches the physical timer's compare
 *	value (on the strategy's terms, @phys_offset): the physical counter reads
 *	its CVAL then. Cleared where the engine asks the fire time again; never with
 *	@sc->per_tick.
 * @sleep_next_ns: the next sleep's duration, drawn one sleep ahead (the same draws
 *	in the same order: nothing waits for the draw and its division when a sleep is
 *	armed).
 * @sleep_next_ticks: the same in guest counter ticks.
 * @next_read: the programs' clock reads: the next one's time.
 * @read_rem: its numerator's remainder (lpt_sim_run_read_step()).
 * @read_whole: 10^9 / reads_hz.
 * @read_frac: 10^9 % reads_hz.
 * @next_sample: the next sample's time.
 * @nsample: its index.
 * @hv_at: the hypervisor's next change of its own.
 * @next_rare: the earlier of @next_sample and @hv_at.
 * @ticks_open_end: a bound before which the tick's interrupts are taken one by one:
 *	their errors did not allow the closed form up to it (lpt_sim_run_ticks_closed()).
 * @err_hi: the guest clock's largest error.
 * @err_lo: and its smallest.
 */
struct lpt_sim_run {
	const struct lpt_sim_scenario *sc;
	const struct lpt_sim_vm *vm;
	const struct lpt_sim_timeline *tl;
	struct lpt_sim_vcpu *v;
	struct lpt_sim_stats *st;
	struct lpt_sim_guest_clock clock;
	int64_t *series;
	int64_t *fw_series;
	int64_t *fw_aware_series;
	struct lpt_sim_rng sleep_rng;
	uint32_t guest_cntkctl;
	uint64_t tick_ns, tick_ticks, tick_step_ns;
	uint64_t tick_armed, tick_fire;
	uint64_t sleep_ns, sleep_armed, sleep_fire;
	bool sleep_exact;
	uint64_t sleep_next_ns, sleep_next_ticks;
	uint64_t next_read;
	uint64_t read_rem;
	uint64_t read_whole, read_frac;
	uint64_t next_sample, nsample;
	uint64_t hv_at;
	uint64_t next_rare;
	uint64_t ticks_open_end;
	int64_t err_hi, err_lo;
};

/*
 * The programs' next clock read: lpt_sim_nth_event_ns() of the next n, without its
 * division. next_read is floor(n * 10^9 / hz) and read_rem the remainder; each step
 * adds 10^9 / hz and 10^9 % hz to them, the remainder carrying when it reaches hz. A
 * quotient past 2^64 - 1 is LPT_SIM_NEVER, as there, and stays so.
 */
static inline void lpt_sim_run_read_step(struct lpt_sim_run *r)
{
	uint64_t hz = r->vm->reads_hz, carry = r->read_rem >= hz - r->read_frac;
	uint64_t next;

	if (r->next_read == LPT_SIM_NEVER)
		return;
	r->read_rem = carry ? r->read_rem - (hz - r->read_frac) : r->read_rem + r->read_frac;
	if (__builtin_add_overflow(r->next_read, r->read_whole + carry, &next))
		next = LPT_SIM_NEVER;
	r->next_read = next;
}

/* The guest clock's error @err at a read. The largest and the smallest (both from 0):
 * the one of larger magnitude of the two at the run's end is that of them all. */
static inline void lpt_sim_run_track_err(struct lpt_sim_run *r, int64_t err)
{
	r->err_hi = err > r->err_hi ? err : r->err_hi;
	r->err_lo = err < r->err_lo ? err : r->err_lo;
}

/* The clock advances by @d counter ticks (at most the clocksource's step). */
static inline void lpt_sim_clock_add(struct lpt_sim_guest_clock *c, uint64_t d)
{
	/* a second carried or not, as the reads fall: without a branch */
	uint64_t carry;

	c->nsec_shifted += d * c->cs.mult;
	carry = c->nsec_shifted >= c->one;
	c->nsec_shifted -= c->one & -carry;
	c->sec += carry;
	while (c->nsec_shifted >= c->one) {	/* as Linux: no division */
		c->nsec_shifted -= c->one;
		c->sec++;
	}
}

static inline uint64_t lpt_sim_clock_ns(const struct lpt_sim_guest_clock *c)
{
	return c->sec * LPT_SIM_NSEC_PER_SEC + (c->nsec_shifted >> c->cs.shift);
}

/*
 * What the clock would read with the counter at @counter (at or above the last read's),
 * without reading it: the same as lpt_sim_clock_advance() then lpt_sim_clock_ns(), as
 * the shifted ns are the sum of the ticks times mult however they are added.
 */
static inline uint64_t lpt_sim_clock_peek(const struct lpt_sim_guest_clock *c,
					  uint64_t counter)
{
	struct lpt_u128 p = lpt_mul_u64_u64(counter - c->last, c->cs.mult);

	p.lo += c->nsec_shifted;
	p.hi += p.lo < c->nsec_shifted;
	/* shift is below 64 (a clocksource's) */
	return c->sec * LPT_SIM_NSEC_PER_SEC +
	       ((p.lo >> c->cs.shift) | (c->cs.shift ? p.hi << (64 - c->cs.shift) : 0));
}

/*
 * The clock read with the counter at @counter: advanced by the ticks since the last
 * read, in steps the clocksource's range allows (Linux would overflow instead). A
 * counter below the last leaves it as it was: false. The clock is the sum of the
 * ticks times mult, shifted: where the reads fall between does not change it.
 */
static inline bool lpt_sim_clock_advance(struct lpt_sim_guest_clock *c, uint64_t counter)
{
	uint64_t delta = counter - c->last;

	if (counter < c->last)
		return false;
	if (lpt_likely(delta <= c->step)) {
		lpt_sim_clock_add(c, delta);
	} else {
		while (delta) {
			uint64_t d = delta < c->step ? delta : c->step;

			lpt_sim_clock_add(c, d);
			delta -= d;
		}
	}
	c->last = counter;
	return true;
}

/* A clock read from the strategy's own time (a VMClock page) at @t, the virtual
 * counter reading @counter, in ns; one below the previous read leaves the clock where
 * it is and is counted. */
static inline uint64_t lpt_sim_run_strategy_clock(struct lpt_sim_run *r,
						  const struct lpt_sim_strategy_ops *ops,
						  uint64_t t, uint64_t counter)
{
	struct lpt_sim_guest_clock *c = &r->clock;
	uint64_t ns = ops->clock_ns(r->v, counter);

	if (ns < c->last_ns) {
		r->st->back_steps++;
		if (c->last_ns - ns > r->st->back_max_ns)
			r->st->back_max_ns = c->last_ns - ns;
		ns = c->last_ns;
	}
	c->last_ns = ns;
	lpt_sim_run_track_err(r, (int64_t)(ns - t));
	return ns;
}

/* The guest reads its clock at @t, the counter having read @counter: ns. */
static inline __attribute__((always_inline)) uint64_t
lpt_sim_run_clock(struct lpt_sim_run *r, const struct lpt_sim_strategy_ops *ops, uint64_t t,
		  uint64_t counter)
{
	struct lpt_sim_guest_clock *c = &r->clock;
	uint64_t ns;

	if (ops->clock_ns)
		return lpt_sim_run_strategy_clock(r, ops, t, counter);
	if (!lpt_sim_clock_advance(c, counter)) {
		uint64_t back = ((c->last - counter) * c->cs.mult) >> c->cs.shift;

		r->st->back_steps++;
		if (back > r->st->back_max_ns)
			r->st->back_max_ns = back;
	}
	ns = lpt_sim_clock_ns(c);
	lpt_sim_run_track_err(r, (int64_t)(ns - t));
	return ns;
}

/* A program reads the clock at @t: the counter, then ns. */
static inline __attribute__((always_inline)) uint64_t
lpt_sim_run_read_clock(struct lpt_sim_run *r, const struct lpt_sim_strategy_ops *ops,
		       uint64_t t)
{
	r->st->reads++;
	return lpt_sim_run_clock(r, ops, t, ops->read_v(r->v, t));
}

static inline uint64_t lpt_sim_later(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* The guest's kernel arms its tick at @t, @counter the counter it read then. */
static inline __attribute__((always_inline)) void
lpt_sim_run_arm_tick(struct lpt_sim_run *r, const struct lpt_sim_strategy_ops *ops, uint64_t t,
		     uint64_t counter)
{
	lpt_sim_ops_arm_v(ops, r->v, t, counter, r->tick_ticks);
	r->tick_armed = t;
	r->tick_fire = lpt_sim_later(t, ops->fire_time(r->v, false));
}

/*
 * A timer re-armed by its own interrupt handler at @t to fire at @t again (the rfc
 * strategy's rounded-down conversion can make a whole interval 0 native ticks): the
 * hardware keeps raising it until the counter moves, so the next interrupt counted is
 * at the counter's next tick. (Time does not pass in a handler here: taking it again
 * at @t would never end.)
 */
static inline uint64_t lpt_sim_run_after_handler(const struct lpt_sim_run *r, uint64_t t,
						 uint64_t fire)
{
	const struct lpt_sim_stay *s = lpt_sim_vcpu_stay(r->v);

	return fire > t ? fire : lpt_sim_raw_time(s, lpt_sim_raw(s, t) + 1);
}

/* The next sleep's duration drawn, in ns and in guest counter ticks. */
static inline void lpt_sim_run_draw_sleep(struct lpt_sim_run *r)
{
	const struct lpt_sim_vm *vm = r->vm;

	r->sleep_next_ns = lpt_sim_rng_range(&r->sleep_rng, vm->sleep_min_ns, vm->sleep_max_ns);
	r->sleep_next_ticks = lpt_scale_ceil(&r->v->to_guest_ticks, r->sleep_next_ns);
}

/*
 * The guest arms a sleep of a random duration at @t, on its physical timer: by TVAL,
 * or, where it is @exact, by the compare value it makes from the physical counter
 * @gp read then, the host counter being that plus @offp (@phys_offset).
 */
static inline __attribute__((always_inline)) void
lpt_sim_run_arm_sleep(struct lpt_sim_run *r, const struct lpt_sim_strategy_ops *ops, uint64_t t,
		      bool exact, uint64_t gp, uint64_t offp)
{
	const struct lpt_sim_stay *s = lpt_sim_vcpu_stay(r->v);
	uint64_t ticks = r->sleep_next_ticks;

	r->sleep_ns = r->sleep_next_ns;
	lpt_sim_run_draw_sleep(r);
	r->sleep_armed = t;
	if (exact) {
		/* the host counter at h > its value now: raw_time(h) > t, and reads h */
		ops->write_cval_p(r->v, gp + ticks);
		r->sleep_fire = lpt_sim_raw_time(s, r->v->cval_p + offp);
	} else {
		ops->write_tval_p(r->v, t, (int32_t)ticks);
		r->sleep_fire = lpt_sim_later(t, ops->fire_time(r->v, true));
	}
	/* a counter that reads every value reads h at raw_time(h) */
	r->sleep_exact = ops->phys_offset && !r->sc->per_tick && s->every_value &&
			 r->sleep_fire != LPT_SIM_NEVER && ops->phys_offset(r->v, &offp);
}

/* A timer interrupt at @t: its lateness in true time against the duration asked for,
 * and the handler's read of the timer's counter, @counter (below the timer's CVAL
 * *@cval: counted in *@early). */
static inline void lpt_sim_run_fire(struct lpt_sim_run *r, uint64_t t, uint64_t armed,
				    uint64_t asked_ns, uint64_t counter, const uint64_t *cval,
				    uint64_t *early)
{
	int64_t late = (int64_t)(t - armed - asked_ns);

	r->st->reads++;
	r->st->fires++;
	if (r->v->irq_traps)
		r->v->traps += r->sc->traps_per_irq;
	lpt_sim_hist_add(&r->st->late, late);
	if (late > r->st->late_max_ns)
		r->st->late_max_ns = late;
	if (late < r->st->late_min_ns)
		r->st->late_min_ns = late;
	if (counter < *cval)
		(*early)++;
}

/* The tick's interrupt at @t: the handler reads the counter and re-arms the tick. */
static inline __attribute__((always_inline)) void
lpt_sim_run_tick(struct lpt_sim_run *r, const struct lpt_sim_strategy_ops *ops, uint64_t t)
{
	uint64_t g = ops->read_v(r->v, t);

	lpt_sim_run_fire(r, t, r->tick_armed, r->tick_ns, g, &r->v->cval_v, &r->st->early_v);
	lpt_sim_run_clock(r, ops, t, g);
	lpt_sim_run_arm_tick(r, ops, t, g);
	r->tick_fire = lpt_sim_run_after_handler(r, t, r->tick_fire);
}

/*
 * A sleep's end at @t: the physical counter checked, the clock read, the next sleep.
 * Where it fires as the host counter reaches the compare value (@r->sleep_exact), the
 * counters are known without reading them: the physical one reads its CVAL, the
 * virtual one the host counter less @native_offset's offset.
 */
static inline __attribute__((always_inline)) void
lpt_sim_run_sleep(struct lpt_sim_run *r, const struct lpt_sim_strategy_ops *ops, uint64_t t)
{
	uint64_t offp = 0, offv = 0, gp, gv;
	bool exact = ops->phys_offset && r->sleep_exact && ops->phys_offset(r->v, &offp) &&
		     ops->native_offset(r->v, &offv);

	gp = exact ? r->v->cval_p : ops->read_p(r->v, t);
	lpt_sim_run_fire(r, t, r->sleep_armed, r->sleep_ns, gp, &r->v->cval_p, &r->st->early_p);
	r->st->reads++;
	gv = exact ? gp + offp - offv : ops->read_v(r->v, t);
	lpt_sim_run_clock(r, ops, t, gv);
	lpt_sim_run_arm_sleep(r, ops, t, exact, gp, offp);
	r->sleep_fire = lpt_sim_run_after_handler(r, t, r->sleep_fire);
}

/**
 * lpt_sim_run_ticks_closed() - The tick's interrupts before @end, in closed form.
 * @r: the run, its tick due at @r->tick_fire, before @end.
 * @ops: its strategy, with @native_offset or @tick_affine (its @read_v changes
 *	nothing).
 * @end: the first true time not run (lpt_sim_run_guest()): the interrupts taken are
 *	those before @end; the programs' reads and the sleeps among them are taken
 *	too, one by one, in order.
 *
 * Where the strategy's virtual counter is the host counter less an offset (or times an
 * integer m that divides T, plus a constant: @tick_affine) and the host counter reads
 * every value it passes (@every_value), a tick due when the host counter first reaches
 * its compare value H, there reading its CVAL, is re-armed T later (T = @tick_ticks),
 * T / m host ticks; its k-th interrupt from there comes at
 * t_k = lpt_sim_raw_time(H + (k - 1) T / m), the ceiling of an affine function of k,
 * reading CVAL + (k - 1) T. So the n interrupts before the bound are taken at once:
 * - the first as it comes; each later one (T / m) * 10^9 / actual_hz ns after the one
 *   before, rounded down or up (a ceiling's steps: how many of each from t_n - t_1);
 *   none early (the counter reads the CVAL);
 * - the guest clock after them is that after the last (the sum of the ticks: where
 *   the reads fall does not change it), none of them below the one before, so
 *   that the other events among them (the programs' reads, the sleeps: nothing of
 *   the tick's) read it as they would between the interrupts;
 * - its errors are the floor of an affine function of k (to within 1 + 2^-32 ns)
 *   less the ceiling of another: err_k lies in (L_k - 2 - e, L_k], L affine in k of
 *   slope s. A slope above 1 + e in magnitude makes each step of the integer err_k
 *   at least 0 in its direction, the extremes at k = 1 and k = n; from those two
 *   errors alone, |err_n - err_1| >= 2 n + 1 proves it (|s| (n - 1) >
 *   |err_n - err_1| - 2 - e). Strictly so where e = 0 (tests/test_sim.c's lemma).
 *   Whatever the slope, each err_k lies between L_1 and L_n less 2 + e, so within
 *   [min(err_1, err_n) - 2, max(err_1, err_n) + 2] (integers, e < 1): where the
 *   errors so far already reach both ends of that, the run changes neither extreme.
 * Returns false, having changed nothing but @r->ticks_open_end where the errors decided
 * it, where neither holds (or n < 3): the loop takes the interrupts one by one, and
 * tries again only with another @end once the errors decided it. The results are
 * those of taking each one (lpt-sim --per-tick gives the same bytes: tests/test_sim.c).
 */
static inline __attribute__((always_inline)) bool
lpt_sim_run_ticks_closed(struct lpt_sim_run *r, const struct lpt_sim_strategy_ops *ops,
			 uint64_t end)
{
	const struct lpt_sim_stay *s = lpt_sim_vcpu_stay(r->v);
	struct lpt_sim_stats *st = r->st;
	uint64_t T = r->tick_ticks, t1 = r->tick_fire, g1 = r->v->cval_v;
	uint64_t q = r->tick_step_ns, mult = 1, add, off, th = T, h1, rl, n, tn, gn, up, ns1, nsn;
	uint64_t w;
	int64_t e1, en, lo, hi, late;
	bool count_reads;

	/* none where the interrupts trap (no strategy traps them where nothing scales) */
	if (end == r->ticks_open_end || ops->arm_v || (ops->clock_ns && !ops->clock_affine) ||
	    !s->every_value || !T || r->v->irq_traps)
		return false;
	if (ops->native_offset) {
		if (!ops->native_offset(r->v, &off))
			return false;
		add = -off;
	} else if (!ops->tick_affine(r->v, &mult, &add) || T % mult) {
		return false;
	} else {
		/* T guest ticks are T / mult host ticks */
		th = T / mult;
		q = lpt_scale_floor(&s->native_to_ns, th);
	}
	/* at least three interrupts before the bound, the first at t1: t1 + 2 q < end */
	if (t1 + 2 * q >= end)
		return false;
	/* the first where the counter reads its CVAL: at h1 (below the mask: never
	 * wrapped), the time the host counter reaches h1 (else it reaches the CVAL at
	 * h1 + 1 or later, and another value a ns is reached at another time) */
	h1 = (g1 - add) / mult;
	rl = lpt_sim_raw(s, end - 1);
	if (rl < h1 || (rl - h1) / th < 2 || lpt_sim_raw_time(s, h1) != t1)
		return false;
	n = (rl - h1) / th + 1;
	gn = g1 + (n - 1) * T;
	tn = lpt_sim_raw_time(s, h1 + (n - 1) * th);
	if (ops->clock_ns) {
		ns1 = ops->clock_ns(r->v, g1);
		nsn = ops->clock_ns(r->v, gn);
		if (ns1 < r->clock.last_ns)
			return false;
	} else {
		if (g1 < r->clock.last)
			return false;
		ns1 = lpt_sim_clock_peek(&r->clock, g1);
		nsn = lpt_sim_clock_peek(&r->clock, gn);
	}
	e1 = (int64_t)(ns1 - t1);
	en = (int64_t)(nsn - tn);
	lo = e1 < en ? e1 : en;
	hi = e1 < en ? en : e1;
	if ((uint64_t)hi - (uint64_t)lo < 2 * n + 1 &&
	    (r->err_lo > lo - 2 || r->err_hi < hi + 2)) {
		r->ticks_open_end = end;
		return false;
	}

	/* the first as the handler takes it (its counter the CVAL), the others counted */
	lpt_sim_run_fire(r, t1, r->tick_armed, r->tick_ns, g1, &r->v->cval_v, &st->early_v);
	st->reads += n - 1;
	st->fires += n - 1;
	st->closed_fires += n;
	up = (tn - t1) - (n - 1) * q;	/* intervals of q + 1 ns, of n - 1 */
	late = (int64_t)(q - r->tick_ns);
	if (n - 1 - up)
		lpt_sim_hist_add_n(&st->late, late, n - 1 - up);
	if (up)
		lpt_sim_hist_add_n(&st->late, late + 1, up);
	if (late + (up != 0) > st->late_max_ns)
		st->late_max_ns = late + (up != 0);
	if (late + (up == n - 1) < st->late_min_ns)
		st->late_min_ns = late + (up == n - 1);
	/*
	 * The programs' reads and the sleeps among them, in order, one by one; a read only
	 * counted where its error cannot be a new extreme. At any time t of the run the
	 * counter is m floor(u(t)) + c (u affine), the clock the floor of an affine
	 * function of it of slope b ns a tick (within 1 + 2^-32), so its error lies in
	 * (L(t) - b m - 2, L(t)], L affine in t; at t_1 and t_n the counter reads u's
	 * value to within a host tick, so L there is below err + b m + 2: every error of
	 * the run lies within b m + 2 of [lo, hi], and b m <= (ns_n - ns_1 + 3) / ((n - 1)
	 * T / m). Where the errors so far reach w = that + 3 beyond both ends, a read
	 * changes no extreme; nor anything else (the clock is the sum of the ticks, the
	 * counter never steps back).
	 */
	w = (nsn - ns1 + 3) / ((n - 1) * th) + 3;
	count_reads = r->err_lo <= lo - (int64_t)w && r->err_hi >= hi + (int64_t)w;
	for (;;) {
		if (r->next_read <= r->sleep_fire) {
			if (r->next_read > tn)
				break;
			if (count_reads)
				st->reads++;
			else
				lpt_sim_run_read_clock(r, ops, r->next_read);
			lpt_sim_run_read_step(r);
		} else {
			if (r->sleep_fire > tn)
				break;
			lpt_sim_run_sleep(r, ops, r->sleep_fire);
		}
	}
	if (ops->clock_ns)
		r->clock.last_ns = nsn;
	else
		lpt_sim_clock_advance(&r->clock, gn);
	lpt_sim_run_track_err(r, e1);
	lpt_sim_run_track_err(r, en);
	lpt_sim_run_arm_tick(r, ops, tn, gn);
	return true;
}

/**
 * lpt_sim_run_guest() - The guest's events before a true time.
 * @r: the run.
 * @ops: the strategy's table (@r->v->ops): a constant where a strategy instantiates
 *	this, so that its operations are called directly.
 * @end: the first true time not run: the next rare event's, or the stay's end.
 *
 * The programs' clock reads, the tick and the sleeps in true-time order; of events at
 * the same time a read first, then the tick, then the sleep. The tick may come many
 * times before a read or a sleep (a guest whose counter runs faster than it thinks):
 * its interrupts up to the next of those are taken in a loop of their own.
 */
static inline __attribute__((always_inline)) void
lpt_sim_run_guest(struct lpt_sim_run *run, const struct lpt_sim_strategy_ops *ops, uint64_t end)
{
	/* The run's state in a copy of its own, which nothing the strategy writes can
	 * alias: the compiler keeps it in registers, written back at the end. */
	struct lpt_sim_run copy = *run, *r = &copy;

	for (;;) {
		uint64_t t = r->next_read < end ? r->next_read : end;

		/* neither a read nor a sleep moves during the ticks */
		while (r->tick_fire < t && r->tick_fire <= r->sleep_fire)
			if (!(ops->native_offset || ops->tick_affine) || r->sc->per_tick ||
			    !lpt_sim_run_ticks_closed(r, ops, end))
				lpt_sim_run_tick(r, ops, r->tick_fire);
		t = r->next_read;
		t = r->tick_fire < t ? r->tick_fire : t;
		t = r->sleep_fire < t ? r->sleep_fire : t;
		if (t >= end)
			break;
		if (t == r->next_read) {
			lpt_sim_run_read_clock(r, ops, t);
			lpt_sim_run_read_step(r);
		} else if (t == r->tick_fire) {
			lpt_sim_run_tick(r, ops, t);
		} else {
			lpt_sim_run_sleep(r, ops, t);
		}
	}
	*run = copy;
}

/*
 * Defines NAME_run_guest(), lpt_sim_run_guest() with the table lpt_sim_strategy_NAME,
 * for that table's @run_guest (in the strategy's file, where the table is defined).
 */
#define LPT_SIM_DEFINE_RUN_GUEST(name)						\
	static void name##_run_guest(struct lpt_sim_run *r, uint64_t end)		\
	{									\
		lpt_sim_run_guest(r, &lpt_sim_strategy_##name, end);		\
	}

#endif /* LPT_SIM_RUN_H */
