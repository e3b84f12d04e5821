// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * bench_scale: nanoseconds per exact conversion (lpt_scale_floor, lpt_scale_ceil)
 * against the plain 64-bit multiply-and-shift of a clocksource, (x * mult) >> shift,
 * measured in one process on the same inputs. Two loop shapes: independent conversions
 * (throughput) and a dependent chain (latency). Reports the median of repeated runs, the
 * spread (min..max) and the ratio of medians to the baseline.
 *
 * usage: bench_scale [--quick]
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lpt/scale.h>

#define INPUTS 4096
#define RUNS 31

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

/* A clocksource-style 32-bit mult and shift, as a kernel would pick for 25 MHz -> ns. */
struct mulshift {
	uint64_t mult;
	unsigned int shift;
};

static inline uint64_t conv_mulshift(const void *ctx, uint64_t x)
{
	const struct mulshift *m = ctx;

	return (x * m->mult) >> m->shift;
}

static inline uint64_t conv_floor(const void *ctx, uint64_t x)
{
	return lpt_scale_floor(ctx, x);
}

static inline uint64_t conv_ceil(const void *ctx, uint64_t x)
{
	return lpt_scale_ceil(ctx, x);
}

#define DEFINE_LOOPS(name)								\
static double thr_##name(const void *ctx, unsigned int reps)				\
{											\
	uint64_t acc = 0;								\
	double t0 = now_ns();								\
											\
	for (unsigned int r = 0; r < reps; r++)						\
		for (unsigned int i = 0; i < INPUTS; i++) {				\
			uint64_t x = inputs[i];						\
											\
			OPAQUE(x);							\
			acc += conv_##name(ctx, x);					\
		}									\
	sink = acc;									\
	return (now_ns() - t0) / ((double)reps * INPUTS);				\
}											\
static double lat_##name(const void *ctx, unsigned int reps)				\
{											\
	uint64_t x = inputs[0];								\
	double t0 = now_ns();								\
											\
	for (unsigned int r = 0; r < reps; r++)						\
		for (unsigned int i = 0; i < INPUTS; i++)				\
			x = conv_##name(ctx, x ^ inputs[i]);				\
	sink = x;									\
	return (now_ns() - t0) / ((double)reps * INPUTS);				\
}

DEFINE_LOOPS(mulshift)
DEFINE_LOOPS(floor)
DEFINE_LOOPS(ceil)

typedef double (*loop_fn)(const void *ctx, unsigned int reps);

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct result {
	double median, min, max;
};

/* Interleaves the candidates run by run so that drift hits them alike. */
static void measure(loop_fn *fns, const void **ctx, unsigned int n, unsigned int reps,
		    unsigned int runs, struct result *out)
{
	double t[8][RUNS];

	for (unsigned int r = 0; r < runs; r++)
		for (unsigned int k = 0; k < n; k++)
			t[k][r] = fns[k](ctx[k], reps);
	for (unsigned int k = 0; k < n; k++) {
		qsort(t[k], runs, sizeof(double), cmp_double);
		out[k].median = t[k][runs / 2];
		out[k].min = t[k][0];
		out[k].max = t[k][runs - 1];
	}
}

int main(int argc, char **argv)
{
	int quick = argc > 1 && !strcmp(argv[1], "--quick");
	unsigned int reps = quick ? 4 : 200, runs = quick ? 3 : RUNS;
	struct mulshift ms = { .mult = 2684354560ULL, .shift = 26 }; /* 40 ns per tick, 25 MHz */
	struct lpt_scale sc;
	uint64_t state = 0x4c5054;
	const char *names[] = { "mul+shift (baseline)", "lpt_scale_floor", "lpt_scale_ceil" };
	loop_fn thr[] = { thr_mulshift, thr_floor, thr_ceil };
	loop_fn lat[] = { lat_mulshift, lat_floor, lat_ceil };
	const void *ctx[] = { &ms, &sc, &sc };
	struct result rt[3], rl[3];

	if (lpt_scale_init(&sc, 19200000, 1000000000))
		return 1;
	for (unsigned int i = 0; i < INPUTS; i++) {
		state = state * 6364136223846793005ULL + 1442695040888963407ULL;
		inputs[i] = state >> 8; /* counter-like values, below 2^56 */
	}
	measure(thr, ctx, 3, reps, runs, rt);
	measure(lat, ctx, 3, reps, runs, rl);

	printf("# bench_scale: %u runs x %u x %u conversions, 19.2 MHz -> 1 GHz%s\n", runs, reps,
	       INPUTS, quick ? " (quick smoke run: figures not meaningful)" : "");
	printf("| conversion | throughput ns (min..max) | ratio | latency ns (min..max) | ratio |\n");
	printf("|---|---|---|---|---|\n");
	for (unsigned int k = 0; k < 3; k++)
		printf("| %s | %.3f (%.3f..%.3f) | %.2f | %.3f (%.3f..%.3f) | %.2f |\n", names[k],
		       rt[k].median, rt[k].min, rt[k].max, rt[k].median / rt[0].median,
		       rl[k].median, rl[k].min, rl[k].max, rl[k].median / rl[0].median);
	return 0;
}
