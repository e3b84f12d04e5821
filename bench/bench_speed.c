// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * bench_speed: nanoseconds per conversion for every scheme (sim/peers.h) on the same
 * inputs, in one process, runs interleaved: throughput (independent conversions) and
 * latency (each conversion feeding the next), median of repeated runs with min..max,
 * and ratios to the plain 64-bit multiply-and-shift of a Linux clocksource. Then the
 * page read (the reader's window around the counter read, bases, exact scale) against
 * a bare counter read plus the conversion, with the hardware counter and with a
 * counter taken from memory (so that the protocol's own cost shows), and the reader's
 * cost under a writer publishing never, at 1 kHz and continuously. Pair: a 19.2 MHz host counter, a 1 GHz PV counter.
 *
 * usage: bench_speed [--quick]
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lpt/errno.h>
#include <lpt/page_reader.h>
#include <lpt/page_writer.h>

#include "peer_vmclock.h"
#include "peers.h"

#define INPUTS 4096
#define MAX_RUNS 31
#define FROM_HZ 19200000ULL
#define TO_HZ 1000000000ULL

/* Keeps the compiler from vectorizing or folding the loops: v is opaque from here on. */
#define OPAQUE(v) __asm__ volatile("" : "+r"(v))

static uint64_t inputs[INPUTS];
static volatile uint64_t sink;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* The hardware counter the guest would read, where this host has one. */
static inline uint64_t counter_read(void)
{
#if defined(__x86_64__)
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
#elif defined(__aarch64__)
	uint64_t v;

	__asm__ volatile("mrs %0, cntvct_el0" : "=r"(v));
	return v;
#else
	return (uint64_t)now_ns();
#endif
}

static inline uint64_t conv_ceil(const struct bench_peer *p, uint64_t x)
{
	return lpt_scale_ceil(&p->exact, x);
}

#define DEFINE_LOOPS(name, fn)								\
static double thr_##name(const struct bench_peer *p, unsigned int reps)			\
{											\
	uint64_t acc = 0;								\
	double t0 = now_ns();								\
											\
	for (unsigned int r = 0; r < reps; r++)						\
		for (unsigned int i = 0; i < INPUTS; i++) {				\
			uint64_t x = inputs[i];						\
											\
			OPAQUE(x);							\
			acc += fn(p, x);						\
		}									\
	sink = acc;									\
	return (now_ns() - t0) / ((double)reps * INPUTS);				\
}											\
static double lat_##name(const struct bench_peer *p, unsigned int reps)			\
{											\
	uint64_t x = inputs[0];								\
	double t0 = now_ns();								\
											\
	for (unsigned int r = 0; r < reps; r++)						\
		for (unsigned int i = 0; i < INPUTS; i++)				\
			x = fn(p, x ^ inputs[i]);					\
	sink = x;									\
	return (now_ns() - t0) / ((double)reps * INPUTS);				\
}

DEFINE_LOOPS(clocksource, bench_conv_clocksource)
DEFINE_LOOPS(kvmclock, bench_conv_kvmclock)
DEFINE_LOOPS(tsc_ratio, bench_conv_tsc_ratio)
DEFINE_LOOPS(rfc, bench_conv_rfc)
DEFINE_LOOPS(dbl, bench_conv_double)
DEFINE_LOOPS(exact, bench_conv_exact)
DEFINE_LOOPS(ceil, conv_ceil)

/* VMClock: ptp_vmclock's counter -> time (sim/peer_vmclock.c, a call: not inlined). */
static struct lpt_sim_vmclock vmclock;

static inline uint64_t conv_vmclock(const struct bench_peer *p, uint64_t x)
{
	(void)p;
	return lpt_sim_vmclock_ns(&vmclock, x);
}
DEFINE_LOOPS(vmclock, conv_vmclock)

/* Linux timekeeping's read, ktime_get_raw()'s arithmetic (sim/peer_timekeeping.h). */
static struct lpt_sim_tk tk;

static inline uint64_t conv_tk(const struct bench_peer *p, uint64_t x)
{
	(void)p;
	return lpt_sim_tk_read(&tk, x);
}
DEFINE_LOOPS(tk, conv_tk)

typedef double (*loop_fn)(const struct bench_peer *p, unsigned int reps);

struct candidate {
	const char *name;
	enum bench_peer_id id;
	uint64_t from, to;
	loop_fn thr, lat;
};

/* Hyper-V's page only scales down: it is timed on the reverse pair. */
static const struct candidate candidates[] = {
	{ "Linux mult/shift, one multiply (baseline; the clockevent's ns -> counter alike)",
	  PEER_CLOCKSOURCE, FROM_HZ, TO_HZ, thr_clocksource, lat_clocksource },
	{ "Linux timekeeping read (ktime_get_raw: counter -> ns)", PEER_TIMEKEEPING, FROM_HZ, TO_HZ,
	  thr_tk, lat_tk },
	{ "kvmclock (counter -> ns; master clock and re-anchored alike)", PEER_KVMCLOCK, FROM_HZ,
	  TO_HZ, thr_kvmclock, lat_kvmclock },
	{ "Hyper-V page, ideal scale (1 GHz -> 19.2 MHz; KVM's page alike)", PEER_HYPERV, TO_HZ,
	  FROM_HZ, thr_tsc_ratio, lat_tsc_ratio },
	{ "TSC ratio VMX (counter -> counter)", PEER_VMX, FROM_HZ, TO_HZ, thr_tsc_ratio, lat_tsc_ratio },
	{ "TSC ratio SVM (counter -> counter)", PEER_SVM, FROM_HZ, TO_HZ, thr_tsc_ratio, lat_tsc_ratio },
	{ "LPT RFC (rev 0; counter -> counter)", PEER_RFC, FROM_HZ, TO_HZ, thr_rfc, lat_rfc },
	{ "double", PEER_DOUBLE, FROM_HZ, TO_HZ, thr_dbl, lat_dbl },
	{ "liblpt exact (lpt_scale_floor), counter -> counter", PEER_EXACT, FROM_HZ, TO_HZ,
	  thr_exact, lat_exact },
	{ "liblpt exact ceil (lpt_scale_ceil)", PEER_EXACT, FROM_HZ, TO_HZ, thr_ceil, lat_ceil },
	{ "VMClock (ptp_vmclock: counter -> s, ns)", PEER_EXACT, FROM_HZ, TO_HZ, thr_vmclock,
	  lat_vmclock },
};
#define NCAND (sizeof(candidates) / sizeof(candidates[0]))

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct stat3 {
	double median, min, max;
};

static struct stat3 stat_of(double *t, unsigned int n)
{
	struct stat3 s;

	qsort(t, n, sizeof(double), cmp_double);
	s.median = t[n / 2];
	s.min = t[0];
	s.max = t[n - 1];
	return s;
}

/* Hyper-V's conversion is a 64x64 high product: the TSC-ratio loop with shift 64 is not
 * expressible, so it gets its own loop body through bench_peer_conv's dispatch-free form. */
static uint64_t conv_hyperv_as_ratio(const struct bench_peer *p, uint64_t x)
{
	return bench_conv_hyperv(p, x);
}
DEFINE_LOOPS(hyperv, conv_hyperv_as_ratio)

/* ---- The page read ---- */

static union {
	struct lpt_page_rev1 rev1;
	unsigned char b[LPT_PAGE_REV1_SIZE];
} page __attribute__((aligned(LPT_PAGE_ALIGN)));
static struct lpt_reader reader;
static struct lpt_scale page_scale;
static struct lpt_map page_map;
static uint64_t busy, page_reads;
/* A counter in memory: one load, as cheap as a counter can be. */
static volatile uint64_t mem_counter = 0x123456789abULL;

static inline uint64_t mem_counter_read(void)
{
	return mem_counter;
}

static double bare_read(unsigned int reps)
{
	uint64_t acc = 0;
	double t0 = now_ns();

	for (unsigned int r = 0; r < reps * INPUTS; r++)
		acc += lpt_scale_floor(&page_scale, counter_read());
	sink = acc;
	return (now_ns() - t0) / ((double)reps * INPUTS);
}

/* The bare conversion the page read makes (the map's), of a counter in memory. */
static double bare_read_mem(unsigned int reps)
{
	uint64_t acc = 0;
	double t0 = now_ns();

	for (unsigned int r = 0; r < reps * INPUTS; r++)
		acc += lpt_map_native_to_pv(&page_map, mem_counter_read());
	sink = acc;
	return (now_ns() - t0) / ((double)reps * INPUTS);
}

#define DEFINE_PAGE_READ(name, read)						\
static double name(unsigned int reps)						\
{										\
	uint64_t acc = 0, pv = 0, seq;						\
	double t0 = now_ns();							\
										\
	for (unsigned int r = 0; r < reps * INPUTS; r++) {			\
		int err;							\
										\
		do {								\
			err = lpt_reader_begin(&reader, &seq);			\
			if (err)						\
				break;						\
			pv = lpt_reader_pv(&reader, read(), false);		\
		} while (lpt_reader_retry(&reader, seq));			\
		if (err == -LPT_EBUSY)						\
			busy++;							\
		else if (err)							\
			abort();						\
		acc += pv;							\
	}									\
	page_reads += (uint64_t)reps * INPUTS;					\
	sink = acc;								\
	return (now_ns() - t0) / ((double)reps * INPUTS);			\
}

DEFINE_PAGE_READ(page_read, counter_read)
DEFINE_PAGE_READ(page_read_mem, mem_counter_read)

static int publish(uint64_t generation)
{
	struct lpt_map v, p;
	struct lpt_page_fields f;

	return lpt_map_init(&v, FROM_HZ, TO_HZ, 64, generation * 1000, generation) ||
	       lpt_map_init(&p, FROM_HZ, TO_HZ, 64, generation * 1000, generation) ||
	       lpt_page_fields_rev1(&f, &v, &p, generation) ||
	       lpt_page_publish(&page, sizeof(page), &f);
}

static volatile int writer_stop;
static unsigned long writer_period_ns;

static void *writer(void *arg)
{
	uint64_t g = 2;

	(void)arg;
	while (!__atomic_load_n(&writer_stop, __ATOMIC_RELAXED)) {
		if (publish(g++))
			abort();
		if (writer_period_ns) {
			struct timespec ts = { 0, (long)writer_period_ns };

			nanosleep(&ts, NULL);
		}
	}
	return NULL;
}

static void reader_under_writer(const char *label, unsigned long period_ns, int with_writer,
				unsigned int reps)
{
	pthread_t w;
	uint64_t retries0 = reader.retries, reads0 = page_reads, busy0 = busy;
	double ns;

	writer_stop = 0;
	writer_period_ns = period_ns;
	if (with_writer)
		pthread_create(&w, NULL, writer, NULL);
	ns = page_read(reps);
	if (with_writer) {
		__atomic_store_n(&writer_stop, 1, __ATOMIC_RELAXED);
		pthread_join(w, NULL);
	}
	printf("| %s | %.2f | %.1f | %llu |\n", label, ns,
	       1e6 * (double)(reader.retries - retries0) / (double)(page_reads - reads0),
	       (unsigned long long)(busy - busy0));
}

int main(int argc, char **argv)
{
	int quick = argc > 1 && !strcmp(argv[1], "--quick");
	unsigned int reps = quick ? 2 : 200, runs = quick ? 3 : MAX_RUNS;
	double t[NCAND][MAX_RUNS], l[NCAND][MAX_RUNS], tb[MAX_RUNS], tp[MAX_RUNS];
	double tbm[MAX_RUNS], tpm[MAX_RUNS];
	struct bench_peer peers[NCAND];
	struct stat3 st[NCAND], sl[NCAND], sb, sp, sbm, spm;
	uint64_t state = 0x4c5054;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (unsigned int i = 0; i < INPUTS; i++) {
		state = state * 6364136223846793005ULL + 1442695040888963407ULL;
		inputs[i] = state >> 8; /* counter-like values below 2^56 */
	}
	if (lpt_sim_vmclock_publish(&vmclock, 0, 0, FROM_HZ, false))
		return 1;
	for (unsigned int k = 0; k < NCAND; k++) {
		bench_peer_init(&peers[k], candidates[k].id, candidates[k].from, candidates[k].to);
		if (!peers[k].valid)
			return 1;
		if (candidates[k].id == PEER_TIMEKEEPING)
			lpt_sim_tk_setup(&tk, (uint32_t)peers[k].mult, (uint32_t)peers[k].shift, 250, 0);
	}
	for (unsigned int r = 0; r < runs; r++)
		for (unsigned int k = 0; k < NCAND; k++) {
			loop_fn thr = candidates[k].id == PEER_HYPERV ? thr_hyperv : candidates[k].thr;
			loop_fn lat = candidates[k].id == PEER_HYPERV ? lat_hyperv : candidates[k].lat;

			t[k][r] = thr(&peers[k], reps);
			l[k][r] = lat(&peers[k], reps);
		}
	for (unsigned int k = 0; k < NCAND; k++) {
		st[k] = stat_of(t[k], runs);
		sl[k] = stat_of(l[k], runs);
	}

	printf("Conversions of counter-like values (below 2^56), 19.2 MHz -> 1 GHz; %u runs x %u "
	       "conversions%s.\n\n", runs, reps * INPUTS, quick ? " [quick run: not meaningful]" : "");
	printf("| scheme | throughput ns (min..max) | ratio | latency ns (min..max) | ratio |\n");
	printf("|---|---|---|---|---|\n");
	for (unsigned int k = 0; k < NCAND; k++)
		printf("| %s | %.3f (%.3f..%.3f) | %.2f | %.3f (%.3f..%.3f) | %.2f |\n",
		       candidates[k].name, st[k].median, st[k].min, st[k].max,
		       st[k].median / st[0].median, sl[k].median, sl[k].min, sl[k].max,
		       sl[k].median / sl[0].median);

	if (lpt_scale_init(&page_scale, FROM_HZ, TO_HZ) || publish(1) ||
	    lpt_map_init(&page_map, FROM_HZ, TO_HZ, 64, 1000, 1) ||
	    lpt_reader_init(&reader, &page, sizeof(page)))
		return 1;
	for (unsigned int r = 0; r < runs; r++) {
		tb[r] = bare_read(reps / 4 + 1);
		tp[r] = page_read(reps / 4 + 1);
		tbm[r] = bare_read_mem(reps / 4 + 1);
		tpm[r] = page_read_mem(reps / 4 + 1);
	}
	sb = stat_of(tb, runs);
	sp = stat_of(tp, runs);
	sbm = stat_of(tbm, runs);
	spm = stat_of(tpm, runs);
	printf("\n| read | ns (min..max) | ratio |\n|---|---|---|\n");
	printf("| counter read + lpt_scale_floor | %.2f (%.2f..%.2f) | 1.00 |\n", sb.median, sb.min, sb.max);
	printf("| page read: counter read inside the reader's window + lpt_reader_pv | %.2f (%.2f..%.2f) | %.2f |\n",
	       sp.median, sp.min, sp.max, sp.median / sb.median);
	printf("| counter from memory + lpt_map_native_to_pv (bare conversion) | %.2f (%.2f..%.2f) | 1.00 |\n",
	       sbm.median, sbm.min, sbm.max);
	printf("| page read, counter from memory | %.2f (%.2f..%.2f) | %.2f |\n",
	       spm.median, spm.min, spm.max, spm.median / sbm.median);

	printf("\n| writer | ns per page read | retries per million reads | reads given up (LPT_EBUSY) |\n"
	       "|---|---|---|---|\n");
	reader_under_writer("none", 0, 0, reps);
	reader_under_writer("1 kHz", 1000000, 1, reps);
	reader_under_writer("continuous", 0, 1, reps);
	return 0;
}
