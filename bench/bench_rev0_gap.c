// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * bench_rev0_gap: how far the Aug 2020 RFC's arithmetic (page revision 0) is from the
 * exact result, for every ordered pair of real counter rates. For each elapsed span
 * (1 s, 1 h, 1 day, 1 year, 10 years, the full 64-bit range of the source counter) it
 * reports the largest shortfall found, in target ticks, of (mult * x) >> fracbits
 * against floor(x * to / from) (liblpt's exact scale), over the span's end, the 4096
 * values below it and 10^5 random values within it. In the PV->native direction, used
 * for timer compare values, it counts how often the RFC's floor lands before the first
 * native tick that reaches the PV value (a timer firing early).
 *
 * usage: bench_rev0_gap [--quick]
 */
#include <stdio.h>
#include <string.h>

#include <lpt/rfc.h>
#include <lpt/scale.h>

static const uint64_t hz[] = {
	19200000, 24000000, 25000000, 50000000, 62500000, 100000000, 200000000, 1000000000,
};
#define NHZ (sizeof(hz) / sizeof(hz[0]))
static const uint64_t span_s[] = { 1, 3600, 86400, 31536000, 315360000, 0 };
static const char *const span_name[] = { "1 s", "1 h", "1 day", "1 year", "10 years", "2^64 ticks" };
#define NSPAN 6

static uint64_t rng = 0x4c5054;

static uint64_t next(void)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return rng ^ (rng >> 29);
}

static uint64_t gap(const struct lpt_scale *ex, const struct lpt_rfc_scale *rfc, uint64_t x)
{
	return lpt_scale_floor(ex, x) - lpt_rfc_scale_apply(rfc, x);
}

int main(int argc, char **argv)
{
	int quick = argc > 1 && !strcmp(argv[1], "--quick");
	unsigned int tail = quick ? 64 : 4096, random = quick ? 1000 : 100000;
	uint64_t early = 0, timer_cases = 0;

	printf("| from -> to | fracbits |");
	for (int s = 0; s < NSPAN; s++)
		printf(" %s |", span_name[s]);
	printf("\n|---|---|");
	for (int s = 0; s < NSPAN; s++)
		printf("---|");
	printf("\n");
	for (unsigned int i = 0; i < NHZ; i++)
		for (unsigned int j = 0; j < NHZ; j++) {
			struct lpt_scale ex, back;
			struct lpt_rfc_scale rfc, rback;

			if (lpt_scale_init(&ex, hz[i], hz[j]) || lpt_rfc_scale_init(&rfc, hz[i], hz[j]) ||
			    lpt_scale_init(&back, hz[j], hz[i]) || lpt_rfc_scale_init(&rback, hz[j], hz[i]))
				return 1;
			printf("| %g -> %g MHz | %u |", hz[i] / 1e6, hz[j] / 1e6, rfc.fracbits);
			for (int s = 0; s < NSPAN; s++) {
				uint64_t end = span_s[s] ? span_s[s] * hz[i] : ~0ULL, worst = 0, g;

				for (uint64_t k = 0; k < tail && k <= end; k++) {
					g = gap(&ex, &rfc, end - k);
					worst = g > worst ? g : worst;
				}
				for (unsigned int k = 0; k < random; k++) {
					uint64_t x = next() % (end == ~0ULL ? end : end + 1);

					g = gap(&ex, &rfc, x);
					worst = g > worst ? g : worst;
					/* Timers: PV value x back to native, RFC floor vs exact first tick. */
					if (s == 3) {
						timer_cases++;
						early += lpt_rfc_scale_apply(&rback, x) < lpt_scale_ceil(&back, x);
					}
				}
				printf(" %llu |", (unsigned long long)worst);
			}
			printf("\n");
		}
	printf("\nPV -> native for timer compare values (random PV values within a year): the "
	       "RFC's floor is before the first reaching native tick in %llu of %llu cases "
	       "(%.1f%%): the timer fires early.\n", (unsigned long long)early,
	       (unsigned long long)timer_cases, 100.0 * early / timer_cases);
	return 0;
}
