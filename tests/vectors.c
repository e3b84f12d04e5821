// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#include "vectors.h"

#define MHZ 1000000ULL
#define P40 (1ULL << 40)
/* Primes: 1000003, 999999937, 2^40 - 87 (the largest below 2^40), 2^31 - 1. */
#define PR_SMALL 1000003ULL
#define PR_1G 999999937ULL
#define PR_40 (P40 - 87)
#define PR_M31 2147483647ULL

const uint64_t lpt_vec_real_hz[] = {
	19200000, 24 * MHZ, 25 * MHZ, 50 * MHZ, 62500000, 100 * MHZ, 200 * MHZ, 1000 * MHZ,
};

const unsigned int lpt_vec_real_hz_count = sizeof(lpt_vec_real_hz) / sizeof(lpt_vec_real_hz[0]);

#define R(a, b) { a, b }, { b, a }
static const struct lpt_vec_pair extra_pairs[] = {
	{ 1, 1 }, { P40, P40 }, { PR_40, PR_40 },
	R(1, P40), R(1, PR_40), R(1, 2), R(1, 3), R(1, 19200000), R(1, 1000 * MHZ),
	R(P40, P40 - 1), R(P40, 3), R(P40, 19200000), R(P40, 1000 * MHZ),
	R(PR_40, P40), R(PR_40, PR_1G), R(PR_40, 7), R(PR_40, 24 * MHZ),
	R(PR_SMALL, PR_1G), R(PR_SMALL, 19200000), R(PR_SMALL, 1000 * MHZ),
	R(PR_1G, 1000 * MHZ), R(PR_1G, 62500000), R(PR_M31, PR_40), R(PR_M31, 25 * MHZ),
	R(3, 7), R(1000 * MHZ, 1000 * MHZ + 1), R(19200000, 19200001),
};
#undef R

#define EXTRA_COUNT (sizeof(extra_pairs) / sizeof(extra_pairs[0]))
#define REAL_COUNT (sizeof(lpt_vec_real_hz) / sizeof(lpt_vec_real_hz[0]))

unsigned int lpt_vec_pair_count(void)
{
	return REAL_COUNT * REAL_COUNT + EXTRA_COUNT;
}

struct lpt_vec_pair lpt_vec_pair_at(unsigned int i)
{
	struct lpt_vec_pair p;

	if (i < REAL_COUNT * REAL_COUNT) {
		p.from_hz = lpt_vec_real_hz[i / REAL_COUNT];
		p.to_hz = lpt_vec_real_hz[i % REAL_COUNT];
		return p;
	}
	return extra_pairs[(i - REAL_COUNT * REAL_COUNT) % EXTRA_COUNT];
}

unsigned int lpt_vec_edges(uint64_t *out, unsigned int max)
{
	unsigned int n = 0;
	unsigned int k;

#define PUT(v) do { if (n < max) out[n] = (v); n++; } while (0)
	PUT(0);
	PUT(1);
	for (k = 1; k < 64; k++) {
		uint64_t p = 1ULL << k;

		PUT(p - 1);
		PUT(p);
		PUT(p + 1);
	}
	PUT(~0ULL - 1);
	PUT(~0ULL);
#undef PUT
	return n;
}
