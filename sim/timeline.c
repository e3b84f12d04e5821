// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#include "timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

#define NSEC_PER_SEC	UINT64_C(1000000000)
/* Host uptimes at true time 0 are drawn below this many ticks. */
#define PHASE_MAX	(1ULL << 50)

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

uint64_t lpt_sim_lcm(uint64_t a, uint64_t b)
{
	uint64_t q = a / gcd(a, b);
	struct lpt_u128 p = lpt_mul_u64_u64(q, b);

	return p.hi ? 0 : p.lo;
}

/* The seeded migrations of one VM instance: evenly spread, jittered by a quarter. */
static void random_migrations(struct lpt_sim_migration *m, const struct lpt_sim_scenario *sc,
			      const struct lpt_sim_vm *vm, uint32_t vmi, uint32_t instance)
{
	struct lpt_sim_rng r = lpt_sim_rng_for(sc->seed, 1, vmi, instance);
	uint64_t seg = sc->duration_ns / (vm->random_migrations + 1);
	uint32_t host = vm->boot_host;

	for (uint32_t i = 0; i < vm->random_migrations; i++) {
		uint64_t jitter = lpt_sim_rng_range(&r, 0, seg / 2);
		uint32_t next = (uint32_t)lpt_sim_rng_range(&r, 0, sc->nhosts - 2);

		m[i].at_ns = (i + 1) * seg - seg / 4 + jitter;
		m[i].host = next >= host ? next + 1 : next;
		m[i].downtime_ns = lpt_sim_rng_range(&r, vm->random_downtime_min_ns,
						     vm->random_downtime_max_ns);
		m[i].line = 0;
		host = m[i].host;
	}
}

/*
 * The refuse policy (cloud-hypervisor's): a migration to a host whose advertised counter
 * frequency differs from the current host's does not happen; the VM stays, and the
 * refusal is counted. Keeps the migrations that happen, in order; returns how many.
 */
static uint32_t refuse_migrations(struct lpt_sim_timeline *tl, struct lpt_sim_migration *m,
				  uint32_t n, const struct lpt_sim_scenario *sc,
				  const struct lpt_sim_vm *vm)
{
	uint32_t host = vm->boot_host, kept = 0;

	for (uint32_t i = 0; i < n; i++) {
		if (sc->hosts[m[i].host].hz != sc->hosts[host].hz) {
			tl->refused++;
			continue;
		}
		host = m[i].host;
		m[kept++] = m[i];
	}
	return kept;
}

/* The ideal PV counter @k host ticks after @s's start, without division (@ideal_fast,
 * k at most raw_max - raw0): qa + m + (ra + rk * d_per_tick >= D), where m and rk are
 * the quotient and remainder of k * pv_hz / hz (rk * d_per_tick < hz * d_per_tick = D). */
static uint64_t ideal_pv_fast(const struct lpt_sim_timeline *tl, const struct lpt_sim_stay *s,
			      uint64_t k)
{
	uint64_t m = lpt_scale_floor(&s->tick_to_pv, k);
	uint64_t rk = k * tl->pv_hz - m * s->host->hz;

	return s->ideal_qa + m + (rk * s->d_per_tick >= tl->d - s->ideal_ra);
}

/* The stay's division-free ideal counter (struct lpt_sim_stay, @ideal_fast), where it
 * gives what the division gives. */
static void ideal_fast_init(const struct lpt_sim_timeline *tl, struct lpt_sim_stay *s)
{
	uint64_t kmax = s->raw_max - s->raw0, e_max;
	struct lpt_u128 p;

	s->ideal_fast = false;
	if (s->raw_max < s->raw0 ||
	    __builtin_mul_overflow(kmax, s->d_per_tick, &e_max) ||
	    __builtin_add_overflow(e_max, s->ideal_e0, &e_max))
		return;
	p = lpt_mul_u64_u64(e_max, tl->pv_hz);
	if (p.hi >= tl->d || lpt_scale_init(&s->tick_to_pv, s->host->hz, tl->pv_hz) ||
	    lpt_scale_init(&s->pv_to_tick, tl->pv_hz, s->host->hz))
		return;
	p = lpt_mul_u64_u64(s->ideal_e0, tl->pv_hz);
	s->ideal_qa = lpt_div_u128_u64(p.hi, p.lo, tl->d, &s->ideal_ra);
	s->ideal_fast = true;
	s->ideal_pv_max = ideal_pv_fast(tl, s, kmax);
}

int lpt_sim_timeline_build(struct lpt_sim_timeline *tl, const struct lpt_sim_scenario *sc,
			   uint32_t vmi, uint32_t instance, char *err, size_t errlen)
{
	const struct lpt_sim_vm *vm = &sc->vms[vmi];
	uint32_t n = vm->random_migrations ? vm->random_migrations : vm->nmigrations;
	struct lpt_sim_migration *m = vm->migrations;
	struct lpt_sim_rng r = lpt_sim_rng_for(sc->seed, 2, vmi, instance);
	uint64_t d = NSEC_PER_SEC;

	memset(tl, 0, sizeof(*tl));
	for (uint32_t i = 0; i < sc->nhosts; i++)
		if (d)
			d = lpt_sim_lcm(d, sc->hosts[i].hz);
	if (!d) {
		snprintf(err, errlen, "%s: the host frequencies' least common multiple with "
			 "10^9 exceeds 2^64: the ideal strategy cannot count them exactly", sc->file);
		return -1;
	}
	tl->stays = calloc(n + 1, sizeof(*tl->stays));
	if (vm->random_migrations || vm->refuse)
		m = calloc(n ? n : 1, sizeof(*m));
	/* No migrations: no list, and nothing missing. */
	if (!tl->stays || (n && !m)) {
		free(tl->stays);
		if (m != vm->migrations)
			free(m);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (vm->random_migrations)
		random_migrations(m, sc, vm, vmi, instance);
	else if (m != vm->migrations && n)
		memcpy(m, vm->migrations, n * sizeof(*m));
	if (vm->refuse)
		n = refuse_migrations(tl, m, n, sc, vm);
	tl->nstays = n + 1;
	tl->pv_hz = vm->pv_hz;
	tl->d = d;
	tl->d_per_ns = d / NSEC_PER_SEC;
	tl->duration_ns = sc->duration_ns;

	for (uint32_t i = 0; i <= n; i++) {
		struct lpt_sim_stay *s = &tl->stays[i];

		s->host = &sc->hosts[i ? m[i - 1].host : vm->boot_host];
		s->start_ns = i ? m[i - 1].at_ns + m[i - 1].downtime_ns : 0;
		s->end_ns = i < n ? m[i].at_ns : sc->duration_ns;
		s->downtime_ns = i ? m[i - 1].downtime_ns : 0;
		s->phase = lpt_sim_rng_next(&r) % PHASE_MAX;
		lpt_scale_init(&s->ns_to_native, NSEC_PER_SEC, s->host->actual_hz);
		lpt_scale_init(&s->native_to_ns, s->host->actual_hz, NSEC_PER_SEC);
		s->raw0 = lpt_sim_raw(s, s->start_ns);
		s->raw_max = lpt_sim_raw(s, sc->duration_ns);
		s->d_per_tick = d / s->host->hz;
		s->mask = lpt_counter_mask(s->host->width);
		s->every_value = s->host->actual_hz <= NSEC_PER_SEC;
		if (s->raw_max > s->mask) {
			snprintf(err, errlen, "%s: host %s's counter would wrap during the run; the "
				 "simulator does not model wrapping (the unit tests do)", sc->file,
				 s->host->name);
			lpt_sim_timeline_free(tl);
			if (m != vm->migrations)
				free(m);
			return -1;
		}
		if (i) {
			const struct lpt_sim_stay *p = &tl->stays[i - 1];

			s->ideal_e0 = lpt_sim_ideal_e(tl, p, p->end_ns);
			if (vm->downtime == LPT_DOWNTIME_COUNT)
				s->ideal_e0 += s->downtime_ns * tl->d_per_ns;
		}
		/* Its cost (three divisions a stay) only where the ideal strategy runs. */
		if (sc->strategies & (1u << LPT_SIM_IDEAL))
			ideal_fast_init(tl, s);
	}
	if (m != vm->migrations)
		free(m);
	return 0;
}

void lpt_sim_timeline_free(struct lpt_sim_timeline *tl)
{
	free(tl->stays);
	tl->stays = NULL;
	tl->nstays = 0;
}

uint64_t lpt_sim_ideal_e(const struct lpt_sim_timeline *tl, const struct lpt_sim_stay *s,
			 uint64_t t)
{
	(void)tl;
	return s->ideal_e0 + (lpt_sim_raw(s, t) - s->raw0) * s->d_per_tick;
}

uint64_t lpt_sim_ideal_pv(const struct lpt_sim_timeline *tl, const struct lpt_sim_stay *s,
			  uint64_t t)
{
	uint64_t k = lpt_sim_raw(s, t) - s->raw0, rem;
	struct lpt_u128 p;

	if (s->ideal_fast && k <= s->raw_max - s->raw0)
		return ideal_pv_fast(tl, s, k);
	p = lpt_mul_u64_u64(lpt_sim_ideal_e(tl, s, t), tl->pv_hz);
	return lpt_div_u128_u64(p.hi, p.lo, tl->d, &rem);
}

uint64_t lpt_sim_ideal_ns(const struct lpt_sim_timeline *tl, const struct lpt_sim_stay *s,
			  uint64_t t)
{
	return lpt_sim_ideal_e(tl, s, t) / tl->d_per_ns;
}

uint64_t lpt_sim_ideal_pv_time(const struct lpt_sim_timeline *tl, const struct lpt_sim_stay *s,
			       uint64_t pv)
{
	struct lpt_u128 p;
	uint64_t rem, e, ticks;

	/*
	 * Without division where the answer is the same: a value at or below the stay's
	 * first is reached at its start; one it reaches is the first k whose ideal counter
	 * (ideal_pv_fast()) reaches it: ceil((pv - qa) * hz / pv_hz) or, with hz at most
	 * pv_hz, the one before.
	 */
	if (s->ideal_fast && pv <= s->ideal_pv_max && s->host->hz <= tl->pv_hz) {
		uint64_t kmax = s->raw_max - s->raw0, k;

		if (pv <= s->ideal_qa)
			return s->start_ns;
		k = lpt_scale_ceil(&s->pv_to_tick, pv - s->ideal_qa);
		if (k > kmax)
			k = kmax;
		while (k && ideal_pv_fast(tl, s, k - 1) >= pv)
			k--;
		return lpt_sim_raw_time(s, s->raw0 + k);
	}
	p = lpt_mul_u64_u64(pv, tl->d);
	if (p.hi >= tl->pv_hz)
		return LPT_SIM_NEVER;
	e = lpt_div_u128_u64(p.hi, p.lo, tl->pv_hz, &rem);
	e += rem != 0;
	if (e <= s->ideal_e0)
		return s->start_ns;
	ticks = (e - s->ideal_e0 + s->d_per_tick - 1) / s->d_per_tick;
	if (ticks > s->raw_max - s->raw0)
		return LPT_SIM_NEVER;
	return lpt_sim_raw_time(s, s->raw0 + ticks);
}
