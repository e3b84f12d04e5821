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

/*
 * ptp_vmclock's mul_u64_u64_shr_add_u64(): delta * period over 128 bits, shifted
 * right, plus frac_sec; the high half is whole seconds, the low the fraction.
 */
static uint64_t mul_shr_add(uint64_t *res_hi, uint64_t delta, uint64_t period,
			    uint8_t shift, uint64_t frac_sec)
{
	struct lpt_u128 r = lpt_mul_u64_u64(delta, period);

	if (shift >= 128) {
		r.hi = r.lo = 0;
	} else if (shift >= 64) {
		r.lo = r.hi >> (shift - 64);
		r.hi = 0;
	} else if (shift) {
		r.lo = (r.lo >> shift) | (r.hi << (64 - shift));
		r.hi >>= shift;
	}
	r.lo += frac_sec;
	r.hi += r.lo < frac_sec;
	*res_hi = r.hi;
	return r.lo;
}

int lpt_sim_vmclock_time(const struct lpt_sim_vmclock *c, uint64_t counter, uint64_t *sec,
			 uint64_t *nsec)
{
	uint64_t delta, frac;

	if (c->seq_count & 1)
		return -1;
	delta = counter - c->counter_value;
	frac = mul_shr_add(sec, delta, c->counter_period_frac_sec, c->counter_period_shift,
			   c->time_frac_sec);
	/* mul_u64_u64_shr(frac_sec, NSEC_PER_SEC, 64) */
	*nsec = lpt_mul_u64_u64(frac, NSEC_PER_SEC).hi;
	*sec += c->time_sec;
	return 0;
}

uint64_t lpt_sim_vmclock_ns(const struct lpt_sim_vmclock *c, uint64_t counter)
{
	uint64_t sec, nsec;

	if (lpt_sim_vmclock_time(c, counter, &sec, &nsec))
		return 0;
	return sec * NSEC_PER_SEC + nsec;
}
