/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The arithmetic of the Aug 2020 KVM arm64 LPT RFC ("[RFC PATCH 0/5] KVM: arm64: Add
 * pvtime LPT support"), reproduced from its posted code: the shared page's multipliers
 * (revision 0; patch 2/5, pvclock_lpt_update_structure(), and the guest's
 * native_to_pv_cycles()/pv_to_native_cycles(), patch 5/5), the host's rescale of the
 * virtual counter and timer when a VM first runs on a host of another frequency (patch
 * 2/5, pvclock_lpt_update_vtimer()) and the guest's event-stream translation (patch 5/5,
 * cntkctl_evnti_shift()). It is approximate, and in places wrong: docs/abi.md gives its
 * distance from the exact result, docs/timers.md the event-stream helper's bug. Kept so
 * that liblpt is a faithful reference of that proposal and so that benchmarks and the
 * simulator can put it beside liblpt's own arithmetic.
 */
#ifndef LPT_RFC_H
#define LPT_RFC_H

#include <lpt/port.h>
#include <lpt/errno.h>
#include <lpt/math128.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct lpt_rfc_scale - One direction of the RFC's scaling.
 * @mult: floor(2^fracbits * to_hz / from_hz).
 * @fracbits: 64 - intbits, where intbits = ilog2(to_hz / from_hz) + 1 when to_hz >=
 *	from_hz, else 1.
 */
struct lpt_rfc_scale {
	uint64_t mult;
	uint32_t fracbits;
};

/**
 * lpt_rfc_scale_init() - The RFC's multiplier from one frequency to another.
 * @s: the scale to fill in.
 * @from_hz: source frequency in Hz, 1 to 2^32 - 1 (the RFC's fields are 32 bits).
 * @to_hz: target frequency in Hz, 1 to 2^32 - 1.
 *
 * Reproduces pvclock_lpt_update_structure() (RFC patch 2/5): scale_mult and fracbits
 * with @from_hz = native_freq, @to_hz = pv_freq; rscale_mult and rfracbits the other
 * way round.
 *
 * Return: 0, or -LPT_EINVAL for a NULL @s or a frequency out of range (*@s unchanged).
 */
int lpt_rfc_scale_init(struct lpt_rfc_scale *s, uint64_t from_hz, uint64_t to_hz);

/**
 * lpt_rfc_scale_apply() - Convert a tick count the RFC's way.
 * @s: a scale from lpt_rfc_scale_init() (or read from a revision 0 page).
 * @x: ticks at from_hz.
 *
 * Reproduces the guest's native_to_pv_cycles() and pv_to_native_cycles() (RFC patch
 * 5/5, mul_u64_u64_shr()). Floor of the 128-bit product shifted right by fracbits,
 * modulo 2^64:
 * (mult * @x) >> fracbits. Never above the exact floor(@x * to / from); below it by at
 * most ceil(@x / 2^fracbits) ticks.
 *
 * Return: ticks at to_hz.
 */
static inline uint64_t lpt_rfc_scale_apply(const struct lpt_rfc_scale *s, uint64_t x)
{
	struct lpt_u128 p = lpt_mul_u64_u64(s->mult, x);
	uint32_t f = s->fracbits & 63;

	/* fracbits is 1..63 for any valid pair; two shifts keep 0 defined too. */
	return (p.lo >> f) | ((p.hi << (63 - f)) << 1);
}

/**
 * lpt_rfc_rescale_cntvct() - The RFC's virtual counter on a host of another frequency.
 * @cntvct: the virtual counter (CNTPCT - CNTVOFF) when the VM first runs on the host.
 * @prev_hz: the native frequency the page states (the previous host's), not 0.
 * @cur_hz: this host's native frequency.
 *
 * Reproduces pvclock_lpt_update_vtimer() (RFC patch 2/5):
 * new_cntvct = mul_u64_u32_div(cntvct, current_freq, previous_freq), with Linux's
 * generic mul_u64_u32_div() (include/linux/math64.h), which keeps the low 64 bits of the
 * quotient. One floor of the exact ratio, so the PV counter the new page gives for it
 * may be behind the one the old page gave (docs/kernel.md). The RFC then sets CNTVOFF
 * = now - new_cntvct.
 *
 * Return: floor(@cntvct * @cur_hz / @prev_hz) modulo 2^64; 0 for a @prev_hz of 0 (the
 * RFC would divide by zero; lpt_restore_init() never passes one).
 */
uint64_t lpt_rfc_rescale_cntvct(uint64_t cntvct, uint32_t prev_hz, uint32_t cur_hz);

/**
 * lpt_rfc_rescale_tval() - The RFC's virtual timer TVAL on a host of another frequency.
 * @tval: the virtual timer's CVAL - CNTVCT before the rescale, truncated to 32 bits
 *	(the RFC's u32 cnt_tval): an expired timer's negative distance becomes a large
 *	positive one.
 * @prev_hz: the native frequency the page states (the previous host's), not 0.
 * @cur_hz: this host's native frequency.
 *
 * Reproduces pvclock_lpt_update_vtimer() (RFC patch 2/5): new_cnt_tval =
 * mul_u64_u32_div(cnt_tval, current_freq, previous_freq), stored in a u32, and then
 * cnt_cval = new_cntvct + new_cnt_tval. Both truncations are the RFC's: an expired
 * timer is pushed up to 2^32 - 1 new ticks into the future (43 s on a 100 MHz host
 * coming from 25 MHz), and a deadline whose rescaled distance passes 2^32 ticks wraps
 * (5.2 s becomes 0.905 s on a 1 GHz host coming from 19.2 MHz). Only the virtual timer
 * is rescaled; the physical one keeps its compare value.
 *
 * Return: floor(@tval * @cur_hz / @prev_hz) modulo 2^32; 0 for a @prev_hz of 0.
 */
uint32_t lpt_rfc_rescale_tval(uint32_t tval, uint32_t prev_hz, uint32_t cur_hz);

/**
 * lpt_rfc_evtstrm_shift() - The RFC's event-stream translation, bug included.
 * @native_hz: the native frequency the page states, not 0.
 * @pv_hz: the PV frequency the page states, not 0.
 *
 * Reproduces cntkctl_evnti_shift() (RFC patch 5/5): div = max / min of the two
 * frequencies (integer division), shift = fls(div), decremented when shift == 1 or when
 * bit (shift - 2) of *shift* is clear, negated when pv_hz < native_hz. The RFC's guest
 * adds it to CNTKCTL.EVNTI on reads and subtracts it on writes, clamping EVNTI to 0..15;
 * the host never re-translates it at a migration.
 *
 * The comment above the posted code says "Find the closest power of two to the
 * divisor": the test was meant for bit (shift - 2) of div, the bit below its leading
 * one, as in Linux's arch_timer_configure_evtstream() of that time. Testing the shift
 * instead gives floor(log2(div)) + 1 for div 4 to 15 (bit 1 of 3 and bit 2 of 4 are set)
 * and floor(log2(div)) for every other div (bit (shift - 2) of shift is clear for
 * shift 2 and shift >= 5): a ratio of 4 translates as 8, one of 24 as 16, one of 48 as
 * 32 (1 GHz over 19.2 MHz, 52.08, as 32).
 *
 * Return: the signed number of counter bits, -32 to 32; 0 for a zero frequency (the RFC
 * would divide by zero).
 */
int lpt_rfc_evtstrm_shift(uint32_t native_hz, uint32_t pv_hz);

/**
 * lpt_rfc_parse_cntkctl() - The RFC guest's CNTKCTL translation.
 * @cntkctl: a CNTKCTL_EL1 value.
 * @shift: lpt_rfc_evtstrm_shift() of the page's frequencies.
 * @native_to_pv: true for a read (native value to the guest's), false for a write.
 *
 * Reproduces parse_cntkctl() (RFC patch 5/5): EVNTI (bits 7:4) plus @shift on a read,
 * minus @shift on a write, clamped to 0..15; every other bit (EVNTIS included) kept.
 * The RFC's guest translates at each CNTKCTL access; the host restores the native value
 * as it is after a migration, so the event stream keeps the boot host's translation.
 *
 * Return: the translated value.
 */
uint32_t lpt_rfc_parse_cntkctl(uint32_t cntkctl, int shift, bool native_to_pv);
#ifdef __cplusplus
}
#endif

#endif /* LPT_RFC_H */
