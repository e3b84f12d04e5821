/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * VMClock, the peer: the counter->time fields of Linux's VMClock page
 * (include/uapi/linux/vmclock-abi.h, struct vmclock_abi) and the guest's conversion,
 * transcribed from drivers/ptp/ptp_vmclock.c (vmclock_get_crosststamp() and its
 * mul_u64_u64_shr_add_u64()); the host's side (which shift, how the period and the
 * time are rounded into the fields) is not in upstream Linux and is this project's
 * choice, stated on each function. The 128-bit products are the core's. The guest's
 * conversion is inline, as the other peers' are (the simulator's clock reads,
 * bench_speed).
 */
#ifndef LPT_SIM_PEER_VMCLOCK_H
#define LPT_SIM_PEER_VMCLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include <lpt/math128.h>

/**
 * struct lpt_sim_vmclock - The fields of struct vmclock_abi the clock is read from.
 * @seq_count: odd while the host updates the fields (the guest retries).
 * @disruption_marker: changes to a value not seen before at each disruption of the
 *	counter (a live migration).
 * @counter_period_shift: the period's extra fraction bits.
 * @counter_value: the counter at the reference instant.
 * @counter_period_frac_sec: the counter's period in units of 2^-(64 + shift) s.
 * @time_sec: the time at @counter_value, seconds.
 * @time_frac_sec: and its fraction, units of 2^-64 s.
 */
struct lpt_sim_vmclock {
	uint32_t seq_count;
	uint64_t disruption_marker;
	uint8_t counter_period_shift;
	uint64_t counter_value;
	uint64_t counter_period_frac_sec;
	uint64_t time_sec;
	uint64_t time_frac_sec;
};

/**
 * lpt_sim_vmclock_period() - A counter's period in VMClock's fixed point (host side).
 * @hz: the counter's frequency, 2 to 2^63 Hz.
 * @period: 2^(64 + @shift) / @hz rounded to nearest (ties up).
 * @shift: the largest shift for which @period fits 64 bits (the project's choice:
 *	the most precise representation; the ABI leaves it to the host).
 *
 * Return: 0, or -1 for a frequency below 2 Hz (no shift fits).
 */
int lpt_sim_vmclock_period(uint64_t hz, uint64_t *period, uint8_t *shift);

/**
 * lpt_sim_vmclock_publish() - The host (re)publishes the clock.
 * @c: the fields.
 * @counter: the guest's counter at the reference instant.
 * @time_ns: the time then, ns; its fraction of a second is stored rounded up, the
 *	smallest 2^-64 s fraction that the guest reads back as the same ns (the
 *	project's choice).
 * @hz: the counter's frequency (lpt_sim_vmclock_period()).
 * @disrupted: a migration: the disruption marker changes.
 *
 * The update protocol of the ABI: @seq_count made odd, the fields written, @seq_count
 * made even again (one step further).
 *
 * Return: 0, or -1 if @hz cannot be expressed (nothing changed then).
 */
int lpt_sim_vmclock_publish(struct lpt_sim_vmclock *c, uint64_t counter, uint64_t time_ns,
			    uint64_t hz, bool disrupted);

/*
 * ptp_vmclock's mul_u64_u64_shr_add_u64(): delta * period over 128 bits, shifted
 * right, plus frac_sec; the high half is whole seconds, the low the fraction.
 */
static inline uint64_t lpt_sim_vmclock_mul_shr_add(uint64_t *res_hi, uint64_t delta,
						   uint64_t period, uint8_t shift,
						   uint64_t frac_sec)
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

/**
 * lpt_sim_vmclock_time() - The guest's time at counter @counter, as ptp_vmclock.
 * @c: the fields (an even @seq_count).
 * @counter: the counter read (get_cycles(): CNTVCT on arm64).
 * @sec: seconds: time_sec plus the carry of the fraction.
 * @nsec: ns within the second: the fraction times 10^9, shifted right by 64 (floor).
 *
 * delta = counter - counter_value (modulo 2^64); frac = (delta * period >> shift) +
 * time_frac_sec over 128 bits, its high half the seconds.
 *
 * Return: 0, or -1 while the host is updating (odd @seq_count: the guest retries).
 */
static inline int lpt_sim_vmclock_time(const struct lpt_sim_vmclock *c, uint64_t counter,
					uint64_t *sec, uint64_t *nsec)
{
	uint64_t delta, frac;

	if (c->seq_count & 1)
		return -1;
	delta = counter - c->counter_value;
	frac = lpt_sim_vmclock_mul_shr_add(sec, delta, c->counter_period_frac_sec,
					   c->counter_period_shift, c->time_frac_sec);
	/* mul_u64_u64_shr(frac_sec, NSEC_PER_SEC, 64) */
	*nsec = lpt_mul_u64_u64(frac, UINT64_C(1000000000)).hi;
	*sec += c->time_sec;
	return 0;
}

/* The same time in ns (modulo 2^64), 0 while the host is updating. */
static inline uint64_t lpt_sim_vmclock_ns(const struct lpt_sim_vmclock *c, uint64_t counter)
{
	uint64_t sec = 0, nsec = 0;	/* set unless it returns -1 (gcc cannot tell) */

	if (lpt_sim_vmclock_time(c, counter, &sec, &nsec))
		return 0;
	return sec * UINT64_C(1000000000) + nsec;
}

#endif /* LPT_SIM_PEER_VMCLOCK_H */
