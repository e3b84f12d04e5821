// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#include "engine.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lpt/lpt.h>

#include "peers.h"
#include "rng.h"
#include "strategy.h"
#include "timeline.h"

#define NSEC_PER_SEC	UINT64_C(1000000000)

static uint32_t hist_index(uint64_t v)
{
	uint32_t exp;

	if (v < 16)
		return (uint32_t)v;
	exp = 63 - (uint32_t)__builtin_clzll(v);
	/* 16 + (exp - 4) * 16 + the 4 bits below the top one: v >> (exp - 4) is 16 + them */
	return exp * 16 - 64 + (uint32_t)(v >> (exp - 4));
}

static int64_t hist_lower(uint32_t i)
{
	uint32_t exp;

	if (i < 16)
		return i;
	exp = (i - 16) / 16 + 4;
	return (int64_t)((16ULL + (i - 16) % 16) << (exp - 4));
}

void lpt_sim_hist_add(struct lpt_sim_hist *h, int64_t v)
{
	if (v < 0)
		h->neg[hist_index(-(uint64_t)v)]++;
	else
		h->pos[hist_index((uint64_t)v)]++;
	h->count++;
}

int64_t lpt_sim_hist_quantile(const struct lpt_sim_hist *h, double q)
{
	uint64_t want = (uint64_t)(q * (double)h->count), seen = 0;

	if (!h->count)
		return 0;
	if (want >= h->count)
		want = h->count - 1;
	for (uint32_t i = LPT_SIM_HIST_BUCKETS; i-- > 0;) {
		seen += h->neg[i];
		if (seen > want)
			return -hist_lower(i);
	}
	for (uint32_t i = 0; i < LPT_SIM_HIST_BUCKETS; i++) {
		seen += h->pos[i];
		if (seen > want)
			return hist_lower(i);
	}
	return 0;
}

/* Of two values the one of larger magnitude; of equal magnitudes the negative one, so
 * that the order in which results are merged does not matter. */
static int64_t abs_max(int64_t a, int64_t b)
{
	uint64_t ma = a < 0 ? -(uint64_t)a : (uint64_t)a, mb = b < 0 ? -(uint64_t)b : (uint64_t)b;

	if (ma != mb)
		return mb > ma ? b : a;
	return a < b ? a : b;
}

/* How far from 1 a period ratio is, in log scale (a ratio and its inverse tie: the
 * smaller wins, again so that merging is order-free). */
static double evt_further(double a, double b)
{
	double da = a > 1 ? a : 1 / a, db = b > 1 ? b : 1 / b;

	if (da != db)
		return db > da ? b : a;
	return a < b ? a : b;
}

/*
 * The guest kernel's clock, as Linux's timekeeping keeps it: cycles since the last read
 * times the clocksource's mult, shifted, with the fraction carried. A counter that
 * reads below the last value leaves the clock where it is and is counted.
 */
struct guest_clock {
	struct bench_peer cs;
	uint64_t step;		/* the largest step: half the clocksource's max_input */
	uint64_t one;		/* a second, shifted */
	uint64_t last;
	uint64_t last_ns;	/* clock_ns strategies: the last time read */
	uint64_t sec;
	uint64_t nsec_shifted;
};

static void clock_init(struct guest_clock *c, uint64_t hz, uint64_t counter)
{
	memset(c, 0, sizeof(*c));
	bench_peer_init(&c->cs, PEER_CLOCKSOURCE, hz, NSEC_PER_SEC);
	c->step = c->cs.max_input / 2;
	c->one = NSEC_PER_SEC << c->cs.shift;
	c->last = counter;
}

static uint64_t clock_ns(const struct guest_clock *c)
{
	return c->sec * NSEC_PER_SEC + (c->nsec_shifted >> c->cs.shift);
}

/* One VM instance under one strategy. */
struct run {
	const struct lpt_sim_scenario *sc;
	const struct lpt_sim_vm *vm;
	const struct lpt_sim_timeline *tl;
	struct lpt_sim_vcpu *v;
	struct lpt_sim_stats *st;
	struct guest_clock clock;
	int64_t *series;		/* instance 0: errors at the samples */
	int64_t *fw_series;		/* instance 0: firmware errors */
	int64_t *fw_aware_series;	/* instance 0: the LPT-aware firmware's */
	struct lpt_sim_rng sleep_rng;
	bool strategy_clock;		/* the strategy has clock_ns */
	uint32_t guest_cntkctl;
	uint64_t tick_ns, tick_ticks;	/* the tick's period */
	uint64_t tick_armed, tick_fire;	/* when it was armed, when it fires */
	uint64_t sleep_ns, sleep_armed, sleep_fire;
	uint64_t next_read;		/* the programs' clock reads: the next one's time */
	uint64_t read_rem;		/* its numerator's remainder (read_step()) */
	uint64_t read_whole, read_frac;	/* 10^9 / reads_hz and 10^9 % reads_hz */
	uint64_t next_sample, nsample;
	uint64_t hv_at;			/* the hypervisor's next change of its own */
	uint64_t next_rare;		/* the earlier of next_sample and hv_at */
	int64_t err_hi, err_lo;		/* the guest clock's largest and smallest errors */
};

uint64_t lpt_sim_nth_event_ns(uint64_t n, uint64_t hz)
{
	struct lpt_u128 p = lpt_mul_u64_u64(n, NSEC_PER_SEC);
	uint64_t rem;

	if (p.hi >= hz)
		return LPT_SIM_NEVER;
	return lpt_div_u128_u64(p.hi, p.lo, hz, &rem);
}

/*
 * The programs' next clock read: lpt_sim_nth_event_ns() of the next n, without its
 * division. next_read is floor(n * 10^9 / hz) and read_rem the remainder; each step
 * adds 10^9 / hz and 10^9 % hz to them, the remainder carrying when it reaches hz. A
 * quotient past 2^64 - 1 is LPT_SIM_NEVER, as there, and stays so.
 */
static void read_step(struct run *r)
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
 * abs_max() of the two at the run's end is abs_max() of them all. */
static inline void track_err(struct run *r, int64_t err)
{
	r->err_hi = err > r->err_hi ? err : r->err_hi;
	r->err_lo = err < r->err_lo ? err : r->err_lo;
}

/* The clock advances by @d counter ticks (at most the clocksource's step). */
static inline void clock_add(struct guest_clock *c, uint64_t d)
{
	c->nsec_shifted += d * c->cs.mult;
	while (c->nsec_shifted >= c->one) {	/* as Linux: no division */
		c->nsec_shifted -= c->one;
		c->sec++;
	}
}

/* A clock read from the strategy's own time (a VMClock page), in ns; one below the
 * previous read leaves the clock where it is and is counted. */
static uint64_t strategy_clock_read(struct run *r, uint64_t t)
{
	struct guest_clock *c = &r->clock;
	uint64_t ns = r->v->ops->clock_ns(r->v, t);

	if (ns < c->last_ns) {
		r->st->back_steps++;
		if (c->last_ns - ns > r->st->back_max_ns)
			r->st->back_max_ns = c->last_ns - ns;
		ns = c->last_ns;
	}
	c->last_ns = ns;
	track_err(r, (int64_t)(ns - t));
	return ns;
}

/* The guest reads its clock: counter, then ns. */
static inline __attribute__((always_inline)) uint64_t guest_clock_read(struct run *r, uint64_t t,
								      uint64_t counter)
{
	struct guest_clock *c = &r->clock;
	uint64_t ns;

	if (r->strategy_clock)
		return strategy_clock_read(r, t);
	if (counter < c->last) {
		uint64_t back = ((c->last - counter) * c->cs.mult) >> c->cs.shift;

		r->st->back_steps++;
		if (back > r->st->back_max_ns)
			r->st->back_max_ns = back;
	} else {
		uint64_t delta = counter - c->last;

		/* In steps the clocksource's range allows (Linux would overflow instead). */
		if (lpt_likely(delta <= c->step)) {
			clock_add(c, delta);
		} else {
			while (delta) {
				uint64_t d = delta < c->step ? delta : c->step;

				clock_add(c, d);
				delta -= d;
			}
		}
		c->last = counter;
	}
	ns = clock_ns(c);
	track_err(r, (int64_t)(ns - t));
	return ns;
}

static uint64_t read_clock(struct run *r, uint64_t t)
{
	r->st->reads++;
	if (r->strategy_clock)		/* it reads the counter itself */
		return strategy_clock_read(r, t);
	return guest_clock_read(r, t, lpt_sim_read_v(r->v, t));
}

static uint64_t later(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static void arm_tick(struct run *r, uint64_t t, uint64_t counter)
{
	lpt_sim_arm_v(r->v, t, counter, r->tick_ticks);
	r->tick_armed = t;
	r->tick_fire = later(t, lpt_sim_fire_time(r->v, false));
}

/*
 * A timer re-armed by its own interrupt handler at @t to fire at @t again (the rfc
 * strategy's rounded-down conversion can make a whole interval 0 native ticks): the
 * hardware keeps raising it until the counter moves, so the next interrupt counted is
 * at the counter's next tick. (Time does not pass in a handler here: taking it again
 * at @t would never end.)
 */
static uint64_t after_handler(const struct run *r, uint64_t t, uint64_t fire)
{
	const struct lpt_sim_stay *s = lpt_sim_vcpu_stay(r->v);

	return fire > t ? fire : lpt_sim_raw_time(s, lpt_sim_raw(s, t) + 1);
}

static void arm_sleep(struct run *r, uint64_t t)
{
	const struct lpt_sim_vm *vm = r->vm;
	uint64_t ticks;

	r->sleep_ns = lpt_sim_rng_range(&r->sleep_rng, vm->sleep_min_ns, vm->sleep_max_ns);
	ticks = lpt_scale_ceil(&r->v->to_guest_ticks, r->sleep_ns);
	lpt_sim_write_tval_p(r->v, t, (int32_t)ticks);
	r->sleep_armed = t;
	r->sleep_fire = later(t, lpt_sim_fire_time(r->v, true));
}

/* A timer interrupt: its lateness in true time against the duration asked for. */
static void record_fire(struct run *r, uint64_t t, uint64_t armed, uint64_t asked_ns)
{
	int64_t late = (int64_t)(t - armed - asked_ns);

	r->st->fires++;
	if (r->v->irq_traps)
		r->v->traps += r->sc->traps_per_irq;
	lpt_sim_hist_add(&r->st->late, late);
	if (late > r->st->late_max_ns)
		r->st->late_max_ns = late;
	if (late < r->st->late_min_ns)
		r->st->late_min_ns = late;
}

static void on_tick(struct run *r, uint64_t t)
{
	uint64_t g = lpt_sim_read_v(r->v, t);

	r->st->reads++;
	record_fire(r, t, r->tick_armed, r->tick_ns);
	if (g < r->v->cval_v)
		r->st->early_v++;
	guest_clock_read(r, t, g);
	arm_tick(r, t, g);
	r->tick_fire = after_handler(r, t, r->tick_fire);
}

static void on_sleep(struct run *r, uint64_t t)
{
	uint64_t gp = lpt_sim_read_p(r->v, t);

	r->st->reads++;
	record_fire(r, t, r->sleep_armed, r->sleep_ns);
	if (gp < r->v->cval_p)
		r->st->early_p++;
	read_clock(r, t);
	arm_sleep(r, t);
	r->sleep_fire = after_handler(r, t, r->sleep_fire);
}

static void on_sample(struct run *r, uint64_t t)
{
	uint64_t ns = read_clock(r, t);
	int64_t dev = (int64_t)(ns - lpt_sim_ideal_ns(r->tl, lpt_sim_vcpu_stay(r->v), t));

	r->st->max_dev_ns = abs_max(r->st->max_dev_ns, dev);
	if (r->series)
		r->series[r->nsample] = (int64_t)(ns - t);
}

/* The timers as the hardware now holds them, and the hypervisor's next change. */
static void refresh(struct run *r, uint64_t t)
{
	if (r->vm->tick_hz)
		r->tick_fire = later(t, lpt_sim_fire_time(r->v, false));
	if (r->vm->sleep_max_ns)
		r->sleep_fire = later(t, lpt_sim_fire_time(r->v, true));
	r->hv_at = r->v->ops->hv_event_at ? r->v->ops->hv_event_at(r->v) : LPT_SIM_NEVER;
	r->next_rare = r->hv_at < r->next_sample ? r->hv_at : r->next_sample;
}

/* The hypervisor changes the vCPU's state on its own at @t (rare: out of line, so
 * that the event loop stays as it was). */
static __attribute__((noinline, cold)) int on_hv(struct run *r, uint64_t t)
{
	if (r->v->ops->hv_event(r->v, t))
		return -1;
	refresh(r, t);
	return 0;
}

static void on_stay(struct run *r, uint64_t t)
{
	double e = lpt_sim_evtstrm_ratio(r->v, r->guest_cntkctl);

	if (r->vm->evtstrm_hz && e > 0)
		r->st->evt_worst = evt_further(r->st->evt_worst, e);
	refresh(r, t);
}

/* The firmware's wait after a migration, unaware and LPT-aware. */
static __attribute__((noinline)) void on_firmware(struct run *r, uint32_t m)
{
	int64_t fw = lpt_sim_firmware_error(r->v, r->vm->firmware_stall_ns, false);
	/* without a page to read, the aware firmware waits as the other */
	int64_t aware = r->v->ops->firmware_pv_end ?
			lpt_sim_firmware_error(r->v, r->vm->firmware_stall_ns, true) : fw;

	r->st->fw_max_err_ns = abs_max(r->st->fw_max_err_ns, fw);
	r->st->fw_aware_max_err_ns = abs_max(r->st->fw_aware_max_err_ns, aware);
	if (r->fw_series) {
		r->fw_series[m] = fw;
		r->fw_aware_series[m] = aware;
	}
}

/* Moves the periodic events past a pause; samples in it are marked missing. */
static void skip_pause(struct run *r, uint64_t resume)
{
	while (r->next_read < resume)
		read_step(r);
	while (r->next_sample < resume) {
		if (r->series)
			r->series[r->nsample] = INT64_MIN;
		r->nsample++;
		r->next_sample = r->nsample * r->sc->sample_ns;
	}
}

static void nested_merge(struct lpt_sim_nested *dst, const struct lpt_sim_nested *src)
{
	dst->windows += src->windows;
	dst->stale_ns += src->stale_ns;
	if (src->stale_max_ns > dst->stale_max_ns)
		dst->stale_max_ns = src->stale_max_ns;
	dst->stale_reads += src->stale_reads;
	dst->stale_err = abs_max(dst->stale_err, src->stale_err);
	dst->two_maps = abs_max(dst->two_maps, src->two_maps);
}

static int run_one(struct run *r)
{
	const struct lpt_sim_vm *vm = r->vm;
	const struct lpt_sim_timeline *tl = r->tl;
	struct lpt_sim_stats *st = r->st;
	int64_t fin;

	r->strategy_clock = r->v->ops->clock_ns != NULL;
	r->next_read = vm->reads_hz ? 0 : LPT_SIM_NEVER;
	r->read_rem = 0;
	if (vm->reads_hz) {
		r->read_whole = NSEC_PER_SEC / vm->reads_hz;
		r->read_frac = NSEC_PER_SEC % vm->reads_hz;
	}
	r->next_sample = 0;
	r->tick_fire = r->sleep_fire = LPT_SIM_NEVER;
	clock_init(&r->clock, r->v->guest_hz, lpt_sim_read_v(r->v, 0));
	st->reads++;
	if (vm->evtstrm_hz &&
	    lpt_evtstrm_linux_cntkctl(r->v->guest_hz, vm->evtstrm_hz, tl->stays[0].host->ecv,
				      &r->guest_cntkctl))
		return -1;
	if (vm->tick_hz) {
		r->tick_ns = NSEC_PER_SEC / vm->tick_hz;
		r->tick_ticks = lpt_scale_ceil(&r->v->to_guest_ticks, r->tick_ns);
		arm_tick(r, 0, lpt_sim_read_v(r->v, 0));
		st->reads++;
	}
	if (vm->sleep_max_ns)
		arm_sleep(r, 0);
	on_stay(r, 0);
	for (uint32_t i = 0; i < tl->nstays; i++) {
		const struct lpt_sim_stay *s = &tl->stays[i];

		if (i) {
			skip_pause(r, s->start_ns);
			if (lpt_sim_migrate(r->v))
				return -1;
			st->migrations++;
			/* At one time the hypervisor's change comes before the guest's reads,
			 * its firmware's too (a lazy L1 with no latency republishes first). */
			if (r->v->ops->hv_event_at && r->v->ops->hv_event_at(r->v) <= s->start_ns &&
			    on_hv(r, s->start_ns))
				return -1;
			if (vm->firmware_stall_ns)
				on_firmware(r, i - 1);
			on_stay(r, s->start_ns);
		}
		st->run_ns += s->end_ns - s->start_ns;
		for (;;) {
			/* Samples and the hypervisor's own changes are rare: one time for both. */
			uint64_t t = r->next_rare;

			t = r->next_read < t ? r->next_read : t;
			t = r->tick_fire < t ? r->tick_fire : t;
			t = r->sleep_fire < t ? r->sleep_fire : t;
			if (t >= s->end_ns)
				break;
			if (t == r->next_rare) {
				if (t == r->hv_at) {	/* before the guest's own events at t */
					if (on_hv(r, t))
						return -1;
				} else {
					on_sample(r, t);
					r->nsample++;
					r->next_sample = r->nsample * r->sc->sample_ns;
				}
				r->next_rare = r->hv_at < r->next_sample ? r->hv_at : r->next_sample;
			} else if (t == r->next_read) {
				read_clock(r, t);
				read_step(r);
			} else if (t == r->tick_fire) {
				on_tick(r, t);
			} else {
				on_sleep(r, t);
			}
		}
	}
	/* The run's end: the last sample, the final error, timers that never came. */
	if (r->nsample * r->sc->sample_ns == tl->duration_ns)
		on_sample(r, tl->duration_ns);
	fin = (int64_t)(read_clock(r, tl->duration_ns) - tl->duration_ns);
	st->final_err_ns = abs_max(st->final_err_ns, fin);
	if (vm->tick_hz && r->tick_fire == LPT_SIM_NEVER &&
	    r->tick_armed + r->tick_ns < tl->duration_ns)
		st->lost++;
	if (vm->sleep_max_ns && r->sleep_fire == LPT_SIM_NEVER &&
	    r->sleep_armed + r->sleep_ns < tl->duration_ns)
		st->lost++;
	st->max_err_ns = abs_max(st->max_err_ns, abs_max(r->err_hi, r->err_lo));
	st->traps += r->v->traps;
	st->refused += tl->refused;
	st->errors += r->v->errors;
	nested_merge(&st->nested, &r->v->nested);
	st->vms++;
	return 0;
}

static int series_alloc(struct lpt_sim_series *se, const struct lpt_sim_scenario *sc,
			const struct lpt_sim_timeline *tl)
{
	uint64_t n = sc->duration_ns / sc->sample_ns + 1;

	/* The parser bounds the count; a scenario built otherwise is refused, never cut. */
	if (n > LPT_SIM_SAMPLES_MAX)
		return -1;
	se->nsamples = (uint32_t)n;
	se->nmigrations = tl->nstays - 1;
	se->mig_at_ns = calloc(se->nmigrations + 1, sizeof(*se->mig_at_ns));
	se->mig_host = calloc(se->nmigrations + 1, sizeof(*se->mig_host));
	if (!se->mig_at_ns || !se->mig_host)
		return -1;
	for (uint32_t m = 0; m < se->nmigrations; m++) {
		se->mig_at_ns[m] = tl->stays[m].end_ns;
		se->mig_host[m] = tl->stays[m + 1].host->name;
	}
	for (int s = 0; s < LPT_SIM_STRATEGIES; s++) {
		if (!(sc->strategies & (1u << s)))
			continue;
		se->err_ns[s] = calloc(se->nsamples, sizeof(int64_t));
		se->fw_err_ns[s] = calloc(se->nmigrations + 1, sizeof(int64_t));
		se->fw_aware_err_ns[s] = calloc(se->nmigrations + 1, sizeof(int64_t));
		if (!se->err_ns[s] || !se->fw_err_ns[s] || !se->fw_aware_err_ns[s])
			return -1;
		for (uint32_t i = 0; i < se->nsamples; i++)
			se->err_ns[s][i] = INT64_MIN;
	}
	return 0;
}

static void stats_init(struct lpt_sim_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->late_min_ns = INT64_MAX;
	st->evt_worst = 1;
}

/* Adds @src's results into @dst; the order of merging does not change the result. */
static void stats_merge(struct lpt_sim_stats *dst, const struct lpt_sim_stats *src)
{
	dst->vms += src->vms;
	dst->reads += src->reads;
	dst->max_err_ns = abs_max(dst->max_err_ns, src->max_err_ns);
	dst->final_err_ns = abs_max(dst->final_err_ns, src->final_err_ns);
	dst->max_dev_ns = abs_max(dst->max_dev_ns, src->max_dev_ns);
	dst->back_steps += src->back_steps;
	if (src->back_max_ns > dst->back_max_ns)
		dst->back_max_ns = src->back_max_ns;
	dst->fires += src->fires;
	dst->early_v += src->early_v;
	dst->early_p += src->early_p;
	dst->lost += src->lost;
	for (uint32_t i = 0; i < LPT_SIM_HIST_BUCKETS; i++) {
		dst->late.neg[i] += src->late.neg[i];
		dst->late.pos[i] += src->late.pos[i];
	}
	dst->late.count += src->late.count;
	if (src->late_max_ns > dst->late_max_ns)
		dst->late_max_ns = src->late_max_ns;
	if (src->late_min_ns < dst->late_min_ns)
		dst->late_min_ns = src->late_min_ns;
	dst->evt_worst = evt_further(dst->evt_worst, src->evt_worst);
	dst->traps += src->traps;
	dst->run_ns += src->run_ns;
	dst->fw_max_err_ns = abs_max(dst->fw_max_err_ns, src->fw_max_err_ns);
	dst->fw_aware_max_err_ns = abs_max(dst->fw_aware_max_err_ns, src->fw_aware_max_err_ns);
	nested_merge(&dst->nested, &src->nested);
	dst->migrations += src->migrations;
	dst->refused += src->refused;
	dst->errors += src->errors;
}

/* One thread's share of one VM kind's instances. */
struct job {
	pthread_t thread;
	bool threaded;
	const struct lpt_sim_scenario *sc;
	struct lpt_sim_report *rep;
	uint32_t vmi;
	uint32_t first;
	uint32_t end;
	struct lpt_sim_stats st[LPT_SIM_STRATEGIES];
	atomic_uint_fast64_t *done;
	uint64_t total;
	lpt_sim_progress_fn progress;	/* called by the first job only */
	void *arg;
	int ret;
	char err[256];
};

static int run_instance(struct job *j, struct lpt_sim_vcpu *v, uint32_t inst)
{
	const struct lpt_sim_scenario *sc = j->sc;
	const struct lpt_sim_vm *vm = &sc->vms[j->vmi];
	struct lpt_sim_series *se = &j->rep->series[j->vmi];
	struct lpt_sim_timeline tl;
	int ret = 0;

	if (lpt_sim_timeline_build(&tl, sc, j->vmi, inst, j->err, sizeof(j->err)))
		return -1;
	if (inst == 0 && series_alloc(se, sc, &tl)) {
		snprintf(j->err, sizeof(j->err), "[vm %s]: its time series (%llu samples): out of "
			 "memory, or above %d samples", vm->name,
			 (unsigned long long)(sc->duration_ns / sc->sample_ns + 1), LPT_SIM_SAMPLES_MAX);
		ret = -1;
	}
	for (int s = 0; s < LPT_SIM_STRATEGIES && !ret; s++) {
		struct run r = {
			.sc = sc, .vm = vm, .tl = &tl, .v = v, .st = &j->st[s],
			.series = inst ? NULL : se->err_ns[s],
			.fw_series = inst ? NULL : se->fw_err_ns[s],
			.fw_aware_series = inst ? NULL : se->fw_aware_err_ns[s],
			.sleep_rng = lpt_sim_rng_for(sc->seed, 3, j->vmi, inst),
		};

		if (!(sc->strategies & (1u << s)))
			continue;
		if (lpt_sim_vcpu_boot(v, (enum lpt_sim_strategy)s, &tl, vm) || run_one(&r)) {
			snprintf(j->err, sizeof(j->err), "[vm %s] %s: the library refused a step "
				 "(a bug in the simulator)", vm->name,
				 lpt_sim_strategy_name((enum lpt_sim_strategy)s));
			ret = -1;
		}
	}
	lpt_sim_timeline_free(&tl);
	return ret;
}

static void *job_main(void *arg)
{
	struct job *j = arg;
	struct lpt_sim_vcpu *v = aligned_alloc(LPT_PAGE_ALIGN,
		(sizeof(*v) + LPT_PAGE_ALIGN - 1) / LPT_PAGE_ALIGN * LPT_PAGE_ALIGN);

	if (!v) {
		snprintf(j->err, sizeof(j->err), "out of memory");
		j->ret = -1;
		return NULL;
	}
	for (uint32_t inst = j->first; inst < j->end && !j->ret; inst++) {
		uint64_t done;

		j->ret = run_instance(j, v, inst);
		done = atomic_fetch_add(j->done, 1) + 1;
		if (j->progress)
			j->progress(done, j->total, j->arg);
	}
	free(v);
	return NULL;
}

int lpt_sim_run(const struct lpt_sim_scenario *sc, struct lpt_sim_report *rep,
		unsigned int jobs, lpt_sim_progress_fn progress, void *arg, char *err,
		size_t errlen)
{
	struct job *j = calloc(jobs ? jobs : 1, sizeof(*j));
	atomic_uint_fast64_t done = 0;
	uint64_t total = 0;
	int ret = 0;

	memset(rep, 0, sizeof(*rep));
	if (!j || !jobs) {
		snprintf(err, errlen, !j ? "out of memory" : "at least one job");
		free(j);
		return -1;
	}
	for (uint32_t i = 0; i < sc->nvms; i++)
		total += sc->vms[i].count;
	for (uint32_t vmi = 0; vmi < sc->nvms && !ret; vmi++) {
		uint32_t count = sc->vms[vmi].count, n = jobs < count ? jobs : count;

		for (int s = 0; s < LPT_SIM_STRATEGIES; s++)
			stats_init(&rep->stats[vmi][s]);
		for (uint32_t k = 0; k < n; k++) {
			memset(&j[k], 0, sizeof(j[k]));
			j[k].sc = sc;
			j[k].rep = rep;
			j[k].vmi = vmi;
			j[k].first = (uint32_t)((uint64_t)count * k / n);
			j[k].end = (uint32_t)((uint64_t)count * (k + 1) / n);
			j[k].done = &done;
			j[k].total = total;
			j[k].progress = k ? NULL : progress;
			j[k].arg = arg;
			for (int s = 0; s < LPT_SIM_STRATEGIES; s++)
				stats_init(&j[k].st[s]);
		}
		for (uint32_t k = 1; k < n; k++) {
			j[k].threaded = !pthread_create(&j[k].thread, NULL, job_main, &j[k]);
			if (!j[k].threaded)
				job_main(&j[k]);	/* no thread: run it here */
		}
		job_main(&j[0]);
		for (uint32_t k = 1; k < n; k++)
			if (j[k].threaded)
				pthread_join(j[k].thread, NULL);
		for (uint32_t k = 0; k < n; k++) {
			for (int s = 0; s < LPT_SIM_STRATEGIES; s++)
				stats_merge(&rep->stats[vmi][s], &j[k].st[s]);
			if (j[k].ret && !ret) {
				snprintf(err, errlen, "%s", j[k].err);
				ret = -1;
			}
		}
	}
	if (progress && !ret)
		progress(total, total, arg);
	free(j);
	return ret;
}

void lpt_sim_report_free(struct lpt_sim_report *rep, const struct lpt_sim_scenario *sc)
{
	for (uint32_t i = 0; i < sc->nvms; i++) {
		struct lpt_sim_series *se = &rep->series[i];

		for (int s = 0; s < LPT_SIM_STRATEGIES; s++) {
			free(se->err_ns[s]);
			free(se->fw_err_ns[s]);
			free(se->fw_aware_err_ns[s]);
		}
		free(se->mig_at_ns);
		free(se->mig_host);
	}
}
