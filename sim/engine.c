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
#include "run.h"
#include "strategy.h"
#include "timeline.h"

#define NSEC_PER_SEC	UINT64_C(1000000000)

static int64_t hist_lower(uint32_t i)
{
	uint32_t exp;

	if (i < 16)
		return i;
	exp = (i - 16) / 16 + 4;
	return (int64_t)((16ULL + (i - 16) % 16) << (exp - 4));
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

static void clock_init(struct lpt_sim_guest_clock *c, uint64_t hz, uint64_t counter)
{
	memset(c, 0, sizeof(*c));
	bench_peer_init(&c->cs, PEER_CLOCKSOURCE, hz, NSEC_PER_SEC);
	c->step = c->cs.max_input / 2;
	c->one = NSEC_PER_SEC << c->cs.shift;
	c->last = counter;
}

uint64_t lpt_sim_nth_event_ns(uint64_t n, uint64_t hz)
{
	struct lpt_u128 p = lpt_mul_u64_u64(n, NSEC_PER_SEC);
	uint64_t rem;

	if (p.hi >= hz)
		return LPT_SIM_NEVER;
	return lpt_div_u128_u64(p.hi, p.lo, hz, &rem);
}

static void on_sample(struct lpt_sim_run *r, uint64_t t)
{
	uint64_t ns = lpt_sim_run_read_clock(r, r->v->ops, t);
	int64_t dev = (int64_t)(ns - lpt_sim_ideal_ns(r->tl, lpt_sim_vcpu_stay(r->v), t));

	r->st->max_dev_ns = abs_max(r->st->max_dev_ns, dev);
	if (r->series)
		r->series[r->nsample] = (int64_t)(ns - t);
}

/* The timers as the hardware now holds them, and the hypervisor's next change. */
static void refresh(struct lpt_sim_run *r, uint64_t t)
{
	r->tick_step_ns = lpt_scale_floor(&lpt_sim_vcpu_stay(r->v)->native_to_ns, r->tick_ticks);
	if (r->vm->tick_hz)
		r->tick_fire = lpt_sim_later(t, lpt_sim_fire_time(r->v, false));
	if (r->vm->sleep_max_ns)
		r->sleep_fire = lpt_sim_later(t, lpt_sim_fire_time(r->v, true));
	r->sleep_exact = false;
	r->hv_at = r->v->ops->hv_event_at ? r->v->ops->hv_event_at(r->v) : LPT_SIM_NEVER;
	r->next_rare = r->hv_at < r->next_sample ? r->hv_at : r->next_sample;
}

/* The hypervisor changes the vCPU's state on its own at @t (rare: out of line, so
 * that the event loop stays as it was). */
static __attribute__((noinline, cold)) int on_hv(struct lpt_sim_run *r, uint64_t t)
{
	if (r->v->ops->hv_event(r->v, t))
		return -1;
	refresh(r, t);
	return 0;
}

static void on_stay(struct lpt_sim_run *r, uint64_t t)
{
	double e = lpt_sim_evtstrm_ratio(r->v, r->guest_cntkctl);

	if (r->vm->evtstrm_hz && e > 0)
		r->st->evt_worst = evt_further(r->st->evt_worst, e);
	refresh(r, t);
}

/* The firmware's wait after a migration, unaware and LPT-aware. */
static __attribute__((noinline)) void on_firmware(struct lpt_sim_run *r, uint32_t m)
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
static void skip_pause(struct lpt_sim_run *r, uint64_t resume)
{
	while (r->next_read < resume)
		lpt_sim_run_read_step(r);
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

static int run_one(struct lpt_sim_run *r)
{
	const struct lpt_sim_vm *vm = r->vm;
	const struct lpt_sim_timeline *tl = r->tl;
	struct lpt_sim_stats *st = r->st;
	int64_t fin;

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
		lpt_sim_run_arm_tick(r, r->v->ops, 0, lpt_sim_read_v(r->v, 0));
		st->reads++;
	}
	if (vm->sleep_max_ns) {
		lpt_sim_run_draw_sleep(r);
		lpt_sim_run_arm_sleep(r, r->v->ops, 0, false, 0, 0);
	}
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
			/* Samples and the hypervisor's own changes are rare: one time for both,
			 * before the guest's own events at that time. */
			uint64_t t = r->next_rare;

			r->v->ops->run_guest(r, t < s->end_ns ? t : s->end_ns);
			if (t >= s->end_ns)
				break;
			if (t == r->hv_at) {
				if (on_hv(r, t))
					return -1;
			} else {
				on_sample(r, t);
				r->nsample++;
				r->next_sample = r->nsample * r->sc->sample_ns;
			}
			r->next_rare = r->hv_at < r->next_sample ? r->hv_at : r->next_sample;
		}
	}
	/* The run's end: the last sample, the final error, timers that never came. */
	if (r->nsample * r->sc->sample_ns == tl->duration_ns)
		on_sample(r, tl->duration_ns);
	fin = (int64_t)(lpt_sim_run_read_clock(r, r->v->ops, tl->duration_ns) - tl->duration_ns);
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
	dst->closed_fires += src->closed_fires;
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
		struct lpt_sim_run r = {
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
