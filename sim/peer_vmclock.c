// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#include "peer_vmclock.h"

#include <lpt/math128.h>

#define NSEC_PER_SEC	UINT64_C(1000000000)

int lpt_sim_vmclock_period(uint64_t hz, uint64_t *period, uint8_t *shift)
{
	uint64_t q, rem;
	unsigned int s;

	if (hz < 2)
		return -1;
	/* 2^(64 + s) / hz < 2^64 needs 2^s < hz. */
	s = 63 - (unsigned int)__builtin_clzll(hz);
	if (!(hz & (hz - 1)))
		s--;
	q = lpt_div_u128_u64(UINT64_C(1) << s, 0, hz, &rem);
	/* Nearest: up when the remainder is at least half the divisor. */
	if (rem >= hz - rem) {
		if (q == UINT64_MAX)	/* cannot happen for 2^s < hz; never wraps */
			return -1;
		q++;
	}
	*period = q;
	*shift = (uint8_t)s;
	return 0;
}

int lpt_sim_vmclock_publish(struct lpt_sim_vmclock *c, uint64_t counter, uint64_t time_ns,
			    uint64_t hz, bool disrupted)
{
	uint64_t period, ns = time_ns % NSEC_PER_SEC, frac, rem;
	uint8_t shift;

	if (lpt_sim_vmclock_period(hz, &period, &shift))
		return -1;
	/* ceil(ns * 2^64 / 10^9): ns < 10^9, so the quotient fits. */
	frac = lpt_div_u128_u64(ns, 0, NSEC_PER_SEC, &rem) + (rem != 0);
	c->seq_count |= 1;		/* update in progress */
	if (disrupted)
		c->disruption_marker++;
	c->counter_period_shift = shift;
	c->counter_value = counter;
	c->counter_period_frac_sec = period;
	c->time_sec = time_ns / NSEC_PER_SEC;
	c->time_frac_sec = frac;
	c->seq_count++;			/* even: done */
	return 0;
}
