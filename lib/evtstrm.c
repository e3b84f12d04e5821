// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Event-stream translation (include/lpt/evtstrm.h).
 */
#include <lpt/evtstrm.h>
#include <lpt/errno.h>
#include <lpt/math128.h>
#include <lpt/scale.h>

#define LPT_PS_PER_SEC	1000000000000ULL

/**
 * lpt_u128_shl() - Shift a 128-bit value left.
 * @v: the value.
 * @s: shift count, 0 to 63.
 *
 * Return: (@v << @s) mod 2^128.
 */
static struct lpt_u128 lpt_u128_shl(struct lpt_u128 v, unsigned int s)
{
	struct lpt_u128 r;

	r.hi = (v.hi << s) | ((v.lo >> (63 - s)) >> 1);
	r.lo = v.lo << s;
	return r;
}

/**
 * lpt_u128_le() - Compare two 128-bit values.
 * @a: left side.
 * @b: right side.
 *
 * Return: true when @a <= @b.
 */
static bool lpt_u128_le(struct lpt_u128 a, struct lpt_u128 b)
{
	return a.hi < b.hi || (a.hi == b.hi && a.lo <= b.lo);
}

static uint64_t lpt_clamp_hz(uint64_t hz)
{
	if (hz < LPT_FREQ_MIN_HZ)
		return LPT_FREQ_MIN_HZ;
	return hz > LPT_FREQ_MAX_HZ ? LPT_FREQ_MAX_HZ : hz;
}

uint32_t lpt_evtstrm_nearest_bit(uint32_t pv_bit, uint64_t pv_hz, uint64_t native_hz,
				 uint32_t max_bit)
{
	struct lpt_u128 n2, p2, lhs;
	uint32_t b;

	if (max_bit > LPT_EVTSTRM_MAX_BIT_ECV)
		max_bit = LPT_EVTSTRM_MAX_BIT_ECV;
	if (pv_bit > LPT_EVTSTRM_MAX_BIT_ECV)
		pv_bit = LPT_EVTSTRM_MAX_BIT_ECV;
	pv_hz = lpt_clamp_hz(pv_hz);
	native_hz = lpt_clamp_hz(native_hz);
	/*
	 * The ideal native bit is t = pv_bit + log2(native_hz / pv_hz). Distance to t is
	 * unimodal in b, so the answer is the first b that is at least as close as b + 1:
	 * t - b <= b + 1 - t, i.e. 2t <= 2b + 1, i.e. in integers
	 * native_hz^2 * 2^(2 pv_bit) <= pv_hz^2 * 2^(2b + 1). Both sides stay below 2^127
	 * (frequencies < 2^41, shifts <= 47).
	 */
	n2 = lpt_mul_u64_u64(native_hz, native_hz);
	p2 = lpt_mul_u64_u64(pv_hz, pv_hz);
	lhs = lpt_u128_shl(n2, 2 * pv_bit);
	for (b = 0; b < max_bit; b++)
		if (lpt_u128_le(lhs, lpt_u128_shl(p2, 2 * b + 1)))
			break;
	return b;
}

/* round(2^bit * 2 * 10^12 / hz) in picoseconds; 2^24 * 10^12 < 2^64. */
static uint64_t lpt_period_ps(uint32_t bit, uint64_t hz)
{
	uint64_t rem, q = lpt_div_u128_u64(0, (LPT_PS_PER_SEC << 1) << bit, hz, &rem);

	return q + (rem >= hz - rem);
}

/* round(2^e * num / den), saturating; e <= 55, num, den < 2^41. */
static uint64_t lpt_ratio_q32(uint32_t e, uint64_t num, uint64_t den)
{
	struct lpt_u128 v = { 0, num };
	uint64_t q, rem;

	v = lpt_u128_shl(v, e);
	if (v.hi >= den)
		return LPT_U64_MAX;
	q = lpt_div_u128_u64(v.hi, v.lo, den, &rem);
	if (rem >= den - rem)
		q = q == LPT_U64_MAX ? q : q + 1;
	return q;
}

int lpt_evtstrm_translate(struct lpt_evtstrm *e, uint32_t guest_cntkctl, uint64_t pv_hz,
			  uint64_t native_hz, bool host_ecv)
{
	uint32_t pv_bit, native_bit;

	if (!e || !lpt_freq_valid(pv_hz) || !lpt_freq_valid(native_hz))
		return -LPT_EINVAL;
	pv_bit = lpt_evtstrm_bit(guest_cntkctl);
	native_bit = lpt_evtstrm_nearest_bit(pv_bit, pv_hz, native_hz, host_ecv ?
					     LPT_EVTSTRM_MAX_BIT_ECV : LPT_EVTSTRM_MAX_BIT);
	e->guest_cntkctl = guest_cntkctl;
	e->native_cntkctl = lpt_evtstrm_set_bit(guest_cntkctl, native_bit);
	e->pv_bit = pv_bit;
	e->native_bit = native_bit;
	e->pv_period_ps = lpt_period_ps(pv_bit, pv_hz);
	e->native_period_ps = lpt_period_ps(native_bit, native_hz);
	/* (2^(nb+1) / native_hz) / (2^(pb+1) / pv_hz) = 2^(nb - pb) * pv_hz / native_hz */
	e->ratio_q32 = lpt_ratio_q32(32 + native_bit - pv_bit, pv_hz, native_hz);
	return 0;
}

int lpt_evtstrm_linux_cntkctl(uint64_t counter_hz, uint64_t stream_hz, bool ecv,
			      uint32_t *cntkctl)
{
	uint64_t rem, div;
	int lsb = -1;
	uint32_t divider, v = LPT_CNTKCTL_EVNTEN;

	if (!cntkctl || !lpt_freq_valid(counter_hz) || !stream_hz || stream_hz > counter_hz)
		return -LPT_EINVAL;
	div = lpt_div_u128_u64(0, counter_hz, stream_hz, &rem) >> 1;
	/* lsb = fls(div) - 1; if (lsb > 0 && (div & BIT(lsb - 1))) lsb++; */
	while (div >> (lsb + 1))
		lsb++;
	if (lsb > 0 && (div >> (lsb - 1)) & 1)
		lsb++;
	divider = lsb < 0 ? 0 : (uint32_t)lsb;
	if (ecv && divider > 15) {
		v |= LPT_CNTKCTL_EVNTIS;
		divider -= 8;
	}
	if (divider > 15)
		divider = 15;
	*cntkctl = v | (divider << LPT_CNTKCTL_EVNTI_SHIFT);
	return 0;
}
