// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#include "peer_timekeeping.h"

#include <lpt/math128.h>

#define NSEC_PER_SEC		UINT64_C(1000000000)
#define NTP_SCALE_SHIFT		32

static int ilog2_u64(uint64_t v)
{
	return 63 - __builtin_clzll(v);
}

void lpt_sim_tk_setup(struct lpt_sim_tk *tk, uint32_t mult, uint32_t shift, uint32_t hz,
		      uint64_t cycle_now)
{
	/* NTP_INTERVAL_LENGTH, and ntp_tick_length() with NTP idle (ntp_update_frequency()) */
	uint64_t ntp_interval_length = NSEC_PER_SEC / hz;
	uint64_t tick_length = (NSEC_PER_SEC << NTP_SCALE_SHIFT) / hz;
	uint64_t tmp;

	tk->mult = mult;
	tk->shift = shift;
	tk->cycle_last = cycle_now;
	tk->raw_sec = 0;
	tk->xtime_nsec = 0;

	/* Do the ns -> cycle conversion first, using original mult */
	tmp = ntp_interval_length << shift;
	tmp += mult / 2;
	tmp /= mult;
	if (tmp == 0)
		tmp = 1;
	tk->cycle_interval = tmp;
	/* Go back from cycles -> shifted ns */
	tk->raw_interval = tmp * mult;

	/* timekeeping_advance(): one less than what overflows tick_length */
	tk->maxshift = (64 - (ilog2_u64(tick_length) + 1)) - 1;
}

/* logarithmic_accumulation(), the raw clock's part. */
static uint64_t logarithmic_accumulation(struct lpt_sim_tk *tk, uint64_t offset, int shift)
{
	uint64_t interval = tk->cycle_interval << shift;
	uint64_t snsec_per_sec;

	/* If the offset is smaller than a shifted interval, do nothing */
	if (offset < interval)
		return offset;

	/* Accumulate one shifted interval */
	offset -= interval;
	tk->cycle_last += interval;

	/* Accumulate raw time */
	tk->xtime_nsec += tk->raw_interval << shift;
	snsec_per_sec = NSEC_PER_SEC << tk->shift;
	while (tk->xtime_nsec >= snsec_per_sec) {
		tk->xtime_nsec -= snsec_per_sec;
		tk->raw_sec++;
	}
	return offset;
}

void lpt_sim_tk_advance(struct lpt_sim_tk *tk, uint64_t now)
{
	uint64_t offset = now - tk->cycle_last;
	int shift;

	/* Check if there's really nothing to do */
	if (offset < tk->cycle_interval)
		return;

	shift = ilog2_u64(offset) - ilog2_u64(tk->cycle_interval);
	if (shift < 0)
		shift = 0;
	if (shift > tk->maxshift)
		shift = tk->maxshift;
	while (offset >= tk->cycle_interval) {
		offset = logarithmic_accumulation(tk, offset, shift);
		if (offset < tk->cycle_interval << shift)
			shift--;
	}
}

void lpt_sim_tk_forward_now(struct lpt_sim_tk *tk, uint64_t now)
{
	uint64_t delta = now - tk->cycle_last;

	tk->cycle_last = now;
	tk->xtime_nsec += delta * tk->mult;
	/* tk_normalize_xtime() */
	while (tk->xtime_nsec >= NSEC_PER_SEC << tk->shift) {
		tk->xtime_nsec -= NSEC_PER_SEC << tk->shift;
		tk->raw_sec++;
	}
}

uint64_t lpt_sim_tk_ns(uint32_t mult, uint32_t shift, uint64_t x)
{
	struct lpt_u128 p = lpt_mul_u64_u64(x, mult);

	return shift ? (p.lo >> shift) | (p.hi << (64 - shift)) : p.lo;
}
