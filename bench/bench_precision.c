// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * bench_precision: how far each scheme's conversion is from the exact rational result,
 * for every ordered pair of real counter rates, by the big-integer oracle of tests/.
 *
 *  - Per scheme, the pairs it converts (all 64, or the 8 a direction of its own:
 *    counter -> ns, ns -> counter, counter -> 100 ns), and elapsed span (1 s, 10 min,
 *    1 h, 1 day, 1 year, 10 years, the full 64-bit input range): the largest |error| in
 *    output ticks over the span's end, the values just below it and random values
 *    within it; "ovf" where the span passes what the scheme can convert without
 *    overflowing its own arithmetic ("clamped" where the kernel never converts that
 *    much at once), "n/a" where it cannot express the pair. And the rate error of its
 *    multiplier in ppb.
 *  - A chain of 1000 migrations across random real-rate hosts (stays of 1 s to 10 min)
 *    where each re-base converts the stay with the scheme's own arithmetic: the
 *    accumulated error of a 1 GHz PV counter against true time.
 *
 * usage: bench_precision [--quick] [--pairs FILE] [--plot FILE]
 *   --pairs FILE: the per-pair table; --plot FILE: data for the error-vs-span plot
 *   (pair 19.2 MHz -> 1 GHz, spans from 1 ms to 10 years).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/oracle.h"
#include "peer_vmclock.h"
#include "peers.h"
#include "rng.h"

static const uint64_t hz[] = {
	19200000, 24000000, 25000000, 50000000, 62500000, 100000000, 200000000, 1000000000,
};
#define NHZ 8
static const uint64_t span_s[] = { 1, 600, 3600, 86400, 31536000, 315360000, 0 };
static const char *const span_name[] = {
	"1 s", "10 min", "1 h", "1 day", "1 year", "10 years", "full range",
};
#define NSPAN 7

/* Which ordered pairs of rates a row converts. */
enum pairs {
	PAIRS_ALL,	/* the 64 ordered pairs of hz[] */
	PAIRS_TO_NS,	/* hz[] -> 1 GHz: a counter to ns */
	PAIRS_FROM_NS,	/* 1 GHz -> hz[]: ns to a counter */
	PAIRS_TO_100NS,	/* hz[] -> 10 MHz: a counter to Hyper-V's 100 ns units */
};

/**
 * struct row - One row of the table.
 * @label: the scheme, as the table names it.
 * @converts: the direction and pairs, as the table says them.
 * @id: the scheme's arithmetic (sim/peers.h).
 * @pairs: which pairs.
 * @clamped: past its range the kernel never converts at once ("clamped", not "ovf").
 * @chain: whether the 1000 migrations (into a 1 GHz PV counter) apply.
 */
struct row {
	const char *label, *converts;
	enum bench_peer_id id;
	enum pairs pairs;
	bool clamped, chain;
};

static const struct row rows[] = {
	{ "Linux timekeeping (clocksource mult/shift, accumulated per tick)", "counter -> ns (8)",
	  PEER_TIMEKEEPING, PAIRS_TO_NS, false, true },
	{ "Linux timekeeping's arithmetic on any pair", "counter -> counter (64)",
	  PEER_TIMEKEEPING, PAIRS_ALL, false, true },
	{ "Linux clockevent (mult/shift, one multiply, at most 600 s)", "ns -> counter (8)",
	  PEER_CLOCKSOURCE, PAIRS_FROM_NS, true, false },
	{ "kvmclock, master clock (one anchor)", "any pair (64; pvclock: TSC -> ns)",
	  PEER_KVMCLOCK, PAIRS_ALL, false, true },
	{ "kvmclock, re-anchored every 300 s", "any pair (64; pvclock: TSC -> ns)",
	  PEER_KVMCLOCK_ANCHORED, PAIRS_ALL, false, true },
	{ "Hyper-V page, ideal scale", "any pair scaling down (28 of 64)",
	  PEER_HYPERV, PAIRS_ALL, false, true },
	{ "Hyper-V page, ideal scale", "counter -> 100 ns (8)",
	  PEER_HYPERV, PAIRS_TO_100NS, false, false },
	{ "KVM's Hyper-V page (scale from kvmclock's)", "counter -> 100 ns (8)",
	  PEER_KVM_HYPERV, PAIRS_TO_100NS, false, false },
	{ "TSC ratio VMX", "counter -> counter (64)", PEER_VMX, PAIRS_ALL, false, true },
	{ "TSC ratio SVM", "counter -> counter (64)", PEER_SVM, PAIRS_ALL, false, true },
	{ "LPT RFC (rev 0)", "counter -> counter (64)", PEER_RFC, PAIRS_ALL, false, true },
	{ "double", "any pair (64)", PEER_DOUBLE, PAIRS_ALL, false, true },
	{ "liblpt exact", "counter -> counter (64)", PEER_EXACT, PAIRS_ALL, false, true },
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* The row's k-th pair; false past its last. */
static bool row_pair(const struct row *r, unsigned int k, uint64_t *from, uint64_t *to)
{
	if (r->pairs == PAIRS_ALL) {
		if (k >= NHZ * NHZ)
			return false;
		*from = hz[k / NHZ];
		*to = hz[k % NHZ];
		return true;
	}
	if (k >= NHZ)
		return false;
	*from = r->pairs == PAIRS_FROM_NS ? 1000000000 : hz[k];
	*to = r->pairs == PAIRS_TO_NS ? 1000000000 : r->pairs == PAIRS_TO_100NS ? 10000000 : hz[k];
	return true;
}

/* The project's one seeded generator (sim/rng.h): the same draws as ever for a state. */
static struct lpt_sim_rng rng_state = { 0x4c5054 };

static uint64_t rng(void)
{
	return lpt_sim_rng_next(&rng_state);
}

/* |peer(x) - exact(x)|, exact taken modulo 2^64 like every scheme's result. */
static uint64_t abs_error(const struct bench_peer *p, uint64_t x, uint64_t exact)
{
	uint64_t got = bench_peer_conv(p, x);
	int64_t d = (int64_t)(got - exact);

	return d < 0 ? (uint64_t)-d : (uint64_t)d;
}

#define OVF UINT64_MAX
#define NA (UINT64_MAX - 1)

/* Largest error over a span; OVF past the scheme's range, NA if it cannot express it. */
static uint64_t span_error(const struct bench_peer *p, uint64_t from, uint64_t to, uint64_t end,
			   unsigned int samples)
{
	uint64_t worst = 0;

	if (!p->valid)
		return NA;
	if (end > p->max_input)
		return OVF;
	for (unsigned int k = 0; k < 2 * samples; k++) {
		uint64_t x = k < samples ? end - (k < end ? k : end) : rng() % (end == UINT64_MAX ? end : end + 1);
		uint64_t e = abs_error(p, x, oracle_floor(x, to, from));

		worst = e > worst ? e : worst;
	}
	return worst;
}

/*
 * Rate error of the multiplier in ppb, from the largest convertible input up to a year
 * (re-anchored kvmclock: up to an anchor's stretch).
 */
static double rate_ppb(const struct bench_peer *p, uint64_t from, uint64_t to)
{
	uint64_t x = 31536000ULL * from, exact;
	struct oracle_quot q;

	if (x > p->max_input)
		x = p->max_input;
	/* re-anchored: the multiplier runs for one stretch between anchors at most */
	if (p->anchor && x >= p->anchor)
		x = p->anchor - 1;
	q = oracle_muldiv(x, to, from);
	exact = q.lo;
	if (q.hi || !exact)
		return 0;
	return 1e9 * (double)abs_error(p, x, exact) / (double)exact;
}

static void print_cell(FILE *f, uint64_t v, bool clamped)
{
	if (v == OVF)
		fprintf(f, clamped ? " clamped |" : " ovf |");
	else if (v == NA)
		fprintf(f, " n/a |");
	else
		fprintf(f, " %llu |", (unsigned long long)v);
}

/* 1000 migrations; returns the accumulated error in PV ticks (1 GHz) against true time. */
static int64_t chain_error(enum bench_peer_id id, bool *valid)
{
	const uint64_t pv = 1000000000ULL;
	uint64_t sum = 0, lcm = 1, frac_num = 0;
	struct bench_peer p[NHZ];

	*valid = true;
	for (unsigned int i = 0; i < NHZ; i++) {
		uint64_t a = lcm, b = hz[i];

		bench_peer_init(&p[i], id, hz[i], pv);
		*valid &= p[i].valid;
		while (b) {
			uint64_t t = a % b;

			a = b;
			b = t;
		}
		lcm = lcm / a * hz[i];
	}
	rng_state.state = 0x6d6967;
	for (unsigned int hop = 0; hop < 1000; hop++) {
		unsigned int h = rng() % NHZ;
		uint64_t stay = (1 + rng() % 600) * hz[h] + rng() % hz[h];
		struct oracle_quot q = oracle_muldiv(stay, pv, hz[h]);

		/* True time: q.lo + rem / hz, kept as a fraction over the rates' lcm. */
		frac_num += q.rem * (lcm / hz[h]);
		sum += q.lo + frac_num / lcm;
		frac_num %= lcm;
		if (*valid && stay <= p[h].max_input)
			sum -= bench_peer_conv(&p[h], stay);
		else
			*valid = false;
	}
	return -(int64_t)sum;
}

/*
 * VMClock converts a counter to time only (towards ns: the 8 pairs into 1 GHz), with a
 * page published at counter 0, time 0; re-published at each migration, so the chain
 * converts each stay from its own start. Printed as one more row of the table.
 */
static void vmclock_row(unsigned int samples)
{
	uint64_t worst[NSPAN] = { 0 }, sum = 0, lcm = 1, frac_num = 0;
	struct lpt_sim_vmclock c[NHZ];
	double ppb = 0;

	for (unsigned int i = 0; i < NHZ; i++) {
		uint64_t a = lcm, b = hz[i], x = 31536000ULL * hz[i], exact;

		if (lpt_sim_vmclock_publish(&c[i], 0, 0, hz[i], false))
			return;
		for (int s = 0; s < NSPAN; s++) {
			uint64_t end = span_s[s] ? span_s[s] * hz[i] : UINT64_MAX;

			for (unsigned int k = 0; k < 2 * samples; k++) {
				uint64_t v = k < samples ? end - (k < end ? k : end) :
					rng() % (end == UINT64_MAX ? end : end + 1);
				int64_t d = (int64_t)(lpt_sim_vmclock_ns(&c[i], v) -
						      oracle_floor(v, 1000000000ULL, hz[i]));
				uint64_t e = d < 0 ? (uint64_t)-d : (uint64_t)d;

				worst[s] = e > worst[s] ? e : worst[s];
			}
		}
		exact = oracle_floor(x, 1000000000ULL, hz[i]);
		{
			int64_t d = (int64_t)(lpt_sim_vmclock_ns(&c[i], x) - exact);
			double r = 1e9 * (double)(d < 0 ? -(uint64_t)d : (uint64_t)d) / (double)exact;

			ppb = r > ppb ? r : ppb;
		}
		while (b) {
			uint64_t t = a % b;

			a = b;
			b = t;
		}
		lcm = lcm / a * hz[i];
	}
	rng_state.state = 0x6d6967;	/* the same chain as chain_error()'s */
	for (unsigned int hop = 0; hop < 1000; hop++) {
		unsigned int h = rng() % NHZ;
		uint64_t stay = (1 + rng() % 600) * hz[h] + rng() % hz[h];
		struct oracle_quot q = oracle_muldiv(stay, 1000000000ULL, hz[h]);

		frac_num += q.rem * (lcm / hz[h]);
		sum += q.lo + frac_num / lcm;
		frac_num %= lcm;
		sum -= lpt_sim_vmclock_ns(&c[h], stay);
	}
	printf("| VMClock (ptp_vmclock) | counter -> ns (8) |");
	for (int s = 0; s < NSPAN; s++)
		printf(" %llu |", (unsigned long long)worst[s]);
	printf(" %.3g | %lld |\n", ppb, (long long)-(int64_t)sum);
}

int main(int argc, char **argv)
{
	unsigned int samples = 1000;
	const char *pairs_path = NULL, *plot_path = NULL;
	FILE *pairs = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick"))
			samples = 20;
		else if (!strcmp(argv[i], "--pairs") && i + 1 < argc)
			pairs_path = argv[++i];
		else if (!strcmp(argv[i], "--plot") && i + 1 < argc)
			plot_path = argv[++i];
		else
			return fprintf(stderr, "usage: bench_precision [--quick] [--pairs FILE] [--plot FILE]\n"), 2;
	}
	if (pairs_path) {
		pairs = fopen(pairs_path, "w");
		if (!pairs)
			return perror(pairs_path), 1;
		fprintf(pairs, "| from -> to | scheme |");
		for (int s = 0; s < NSPAN; s++)
			fprintf(pairs, " %s |", span_name[s]);
		fprintf(pairs, " rate error (ppb) |\n|---|---|");
		for (int s = 0; s < NSPAN; s++)
			fprintf(pairs, "---|");
		fprintf(pairs, "---|\n");
	}

	printf("Largest |error| in output ticks over the pairs of real counter rates each row "
	       "converts (19.2, 24, 25, 50, 62.5, 100, 200 MHz and 1 GHz; ns are a 1 GHz "
	       "counter, Hyper-V's 100 ns units a 10 MHz one); in brackets, how many pairs "
	       "overflow the scheme's arithmetic over the span (ovf) or cannot be expressed by "
	       "it at all (n/a); \"clamped\": the kernel never converts that span at once%s. "
	       "\"Error after 1000 migrations\": a 1 GHz PV counter carried across one seeded "
	       "chain of 1000 migrations between those rates (stays of 1 s to 10 min, the same "
	       "chain for every row), each stay converted by the scheme's own arithmetic and "
	       "added up, less true time at the end, in ns (negative: behind); n/a where the "
	       "scheme does not convert a counter into a 1 GHz one or a stay overflows its "
	       "arithmetic.\n\n",
	       samples < 1000 ? " [quick run: few samples]" : "");
	printf("| scheme | converts (pairs) |");
	for (int s = 0; s < NSPAN; s++)
		printf(" %s |", span_name[s]);
	printf(" rate error (ppb) | error after 1000 migrations (ns) |\n|---|---|");
	for (int s = 0; s < NSPAN; s++)
		printf("---|");
	printf("---|---|\n");
	for (unsigned int r = 0; r < NROWS; r++) {
		const struct row *row = &rows[r];
		uint64_t worst[NSPAN] = { 0 }, from, to;
		unsigned int n_ovf[NSPAN] = { 0 }, n_na[NSPAN] = { 0 }, n = 0;
		double ppb = 0;
		bool valid;
		int64_t ce;

		for (unsigned int k = 0; row_pair(row, k, &from, &to); k++, n++) {
			struct bench_peer p;
			double rate;

			bench_peer_init(&p, row->id, from, to);
			if (pairs)
				fprintf(pairs, "| %g -> %g MHz | %s, %s |", from / 1e6, to / 1e6,
					row->label, row->converts);
			for (int s = 0; s < NSPAN; s++) {
				uint64_t end = span_s[s] ? span_s[s] * from : UINT64_MAX;
				uint64_t e = span_error(&p, from, to, end, samples);

				if (pairs)
					print_cell(pairs, e, row->clamped);
				if (e == OVF)
					n_ovf[s]++;
				else if (e == NA)
					n_na[s]++;
				else if (e > worst[s])
					worst[s] = e;
			}
			rate = p.valid ? rate_ppb(&p, from, to) : 0;
			if (rate > ppb)
				ppb = rate;
			if (pairs)
				fprintf(pairs, " %.3g |\n", rate);
		}

		printf("| %s | %s |", row->label, row->converts);
		for (int s = 0; s < NSPAN; s++) {
			if (n_ovf[s] + n_na[s] == n) {
				print_cell(stdout, n_ovf[s] ? OVF : NA, row->clamped);
				continue;
			}
			printf(" %llu", (unsigned long long)worst[s]);
			if (n_ovf[s])
				printf(row->clamped ? " (%u clamped)" : " (%u ovf)", n_ovf[s]);
			if (n_na[s] && row->pairs == PAIRS_ALL && row->id != PEER_HYPERV)
				printf(" (%u n/a)", n_na[s]);
			printf(" |");
		}
		printf(" %.3g |", ppb);
		ce = row->chain ? chain_error(row->id, &valid) : 0;
		if (row->chain && valid)
			printf(" %lld |\n", (long long)ce);
		else
			printf(" n/a |\n");
	}
	vmclock_row(samples);
	if (pairs)
		fclose(pairs);

	if (plot_path) {
		FILE *f = fopen(plot_path, "w");
		struct bench_peer p[PEER_COUNT];

		if (!f)
			return perror(plot_path), 1;
		/* the schemes that can convert the pair, one column each */
		fprintf(f, "span_s");
		for (int id = 0; id < PEER_COUNT; id++) {
			bench_peer_init(&p[id], id, 19200000, 1000000000);
			if (p[id].valid)
				fprintf(f, " \"%s\"", bench_peer_name(id));
		}
		fprintf(f, "\n");
		/* 19.2 MHz host, 1 GHz PV counter: spans 1 ms .. 10 years, 4 per decade. */
		for (double span = 1e-3; span < 3.2e8; span *= 1.7782794) {
			uint64_t end = (uint64_t)(span * 19200000.0);

			fprintf(f, "%g", span);
			for (int id = 0; id < PEER_COUNT; id++) {
				uint64_t e;

				if (!p[id].valid)
					continue;
				e = span_error(&p[id], 19200000, 1000000000, end, samples);
				/* Log axes: an exact 0 plots at 0.1, an overflow not at all. */
				if (e >= NA)
					fprintf(f, " NaN");
				else
					fprintf(f, " %g", e ? (double)e : 0.1);
			}
			fprintf(f, "\n");
		}
		fclose(f);
	}
	return 0;
}
