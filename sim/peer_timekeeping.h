/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Linux's timekeeping, the peer: how the kernel turns a clocksource's counter into
 * nanoseconds over any span with a 32-bit mult and a shift that alone cover only 600 s
 * (clocks_calc_mult_shift()'s maxsec). Transcribed from Linux 6.1
 * kernel/time/timekeeping.c: tk_setup_internals() (the tick's cycle_interval and its
 * shifted ns), timekeeping_advance() with logarithmic_accumulation() (whole ticks folded
 * into xtime_sec and the shifted ns xtime_nsec, whose fraction is kept), and
 * timekeeping_forward_now(); the read is ktime_get_raw()'s
 * (base + timekeeping_delta_to_ns()).
 *
 * The raw clock (tk->tkr_raw, CLOCK_MONOTONIC_RAW) is modelled: NTP never steers it.
 * CLOCK_MONOTONIC (tkr_mono) is the same while NTP is idle and HZ divides 10^9 (the
 * NTP tick length is then NTP_INTERVAL_LENGTH << NTP_SCALE_SHIFT, equal to the
 * timekeeper's ntp_tick, so ntp_error stays 0 and timekeeping_adjust() keeps mult).
 */
#ifndef LPT_SIM_PEER_TIMEKEEPING_H
#define LPT_SIM_PEER_TIMEKEEPING_H

#include <stdint.h>

/**
 * struct lpt_sim_tk - The raw clock's part of Linux's struct timekeeper.
 * @mult: the clocksource's mult (tkr_raw.mult).
 * @shift: the clocksource's shift (tkr_raw.shift).
 * @maxshift: timekeeping_advance()'s bound on the doubling of the accumulated chunk.
 * @cycle_interval: counter cycles of one tick (NTP_INTERVAL_LENGTH ns, rounded).
 * @raw_interval: their shifted ns, @cycle_interval * @mult.
 * @cycle_last: the counter at the last accumulation (tkr_raw.cycle_last).
 * @raw_sec: whole seconds accumulated.
 * @xtime_nsec: ns accumulated within the second, shifted left by @shift (the
 *	fraction of a ns carried from tick to tick).
 */
struct lpt_sim_tk {
	uint32_t mult;
	uint32_t shift;
	int maxshift;
	uint64_t cycle_interval;
	uint64_t raw_interval;
	uint64_t cycle_last;
	uint64_t raw_sec;
	uint64_t xtime_nsec;
};

/**
 * lpt_sim_tk_setup() - tk_setup_internals() for a clocksource, at time 0.
 * @tk: the timekeeper.
 * @mult: the clocksource's mult.
 * @shift: its shift (at most 32).
 * @hz: the kernel's HZ (NTP_INTERVAL_FREQ), dividing 10^9 (see the file's head).
 * @cycle_now: the counter now (cycle_last).
 */
void lpt_sim_tk_setup(struct lpt_sim_tk *tk, uint32_t mult, uint32_t shift, uint32_t hz,
		      uint64_t cycle_now);

/**
 * lpt_sim_tk_advance() - timekeeping_advance(): accumulate the whole ticks up to @now.
 * @tk: the timekeeper.
 * @now: the counter now (a 64-bit counter: the clocksource's mask is all ones).
 *
 * Chunks of 2^k ticks, k from ilog2(offset) - ilog2(cycle_interval) down, at most
 * @tk->maxshift, as logarithmic_accumulation() makes them; less than a tick is left
 * for the next call.
 */
void lpt_sim_tk_advance(struct lpt_sim_tk *tk, uint64_t now);

/**
 * lpt_sim_tk_forward_now() - timekeeping_forward_now(): accumulate everything up to
 * @now, the part of a tick included (the kernel does it before a clock change).
 * @tk: the timekeeper.
 * @now: the counter now, at most 2^64 / mult cycles past the last accumulation.
 */
void lpt_sim_tk_forward_now(struct lpt_sim_tk *tk, uint64_t now);

/**
 * lpt_sim_tk_read() - ktime_get_raw() at counter @now: the accumulated seconds in ns
 * plus (delta * mult + xtime_nsec) >> shift for the cycles since the last accumulation.
 * @tk: the timekeeper.
 * @now: the counter; the kernel keeps @now - cycle_last within a few ticks.
 *
 * Return: ns since the timekeeper's time 0, modulo 2^64.
 */
static inline uint64_t lpt_sim_tk_read(const struct lpt_sim_tk *tk, uint64_t now)
{
	uint64_t delta = now - tk->cycle_last;

	return tk->raw_sec * UINT64_C(1000000000) +
	       ((delta * tk->mult + tk->xtime_nsec) >> tk->shift);
}

/**
 * lpt_sim_tk_ns() - What the timekeeper reads @x cycles after its time 0, however the
 * cycles were accumulated: floor(@x * @mult / 2^@shift) modulo 2^64, over 128 bits.
 * @mult: the clocksource's mult.
 * @shift: its shift (below 64).
 * @x: cycles since time 0.
 *
 * Each accumulation adds k * raw_interval to xtime_nsec and moves whole seconds of
 * shifted ns (10^9 << shift) into raw_sec, and the read adds delta * mult: the shifted
 * ns never lose a bit, so raw_sec * 10^9 * 2^shift + xtime_nsec + delta * mult is
 * exactly @x * @mult, and the read is its floor after the shift. The tests check it
 * against lpt_sim_tk_advance() and lpt_sim_tk_read() tick by tick.
 *
 * Return: the ns (modulo 2^64).
 */
uint64_t lpt_sim_tk_ns(uint32_t mult, uint32_t shift, uint64_t x);

#endif /* LPT_SIM_PEER_TIMEKEEPING_H */
