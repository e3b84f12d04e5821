/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The timer event stream (CNTKCTL_EL1) on the PV counter.
 *
 * A guest selects a bit of the counter it sees: EVNTI (bits 7:4), plus 8 when EVNTIS
 * (bit 17, FEAT_ECV) is set; EVNTDIR (bit 3) picks the edge and EVNTEN (bit 2) enables
 * the stream. An event comes each time the selected bit toggles in that direction,
 * every 2^(bit + 1) ticks. On the PV counter the guest's bit means a period in PV
 * ticks; the host must program the native bit whose period is closest to it.
 */
#ifndef LPT_EVTSTRM_H
#define LPT_EVTSTRM_H

#include <lpt/port.h>
#include <lpt/errno.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LPT_CNTKCTL_EVNTEN		(1u << 2)
#define LPT_CNTKCTL_EVNTDIR		(1u << 3)
#define LPT_CNTKCTL_EVNTI_SHIFT		4
#define LPT_CNTKCTL_EVNTI_MASK		(0xfu << LPT_CNTKCTL_EVNTI_SHIFT)
#define LPT_CNTKCTL_EVNTIS		(1u << 17)

/* The highest counter bit a host can select: without FEAT_ECV, and with it. */
#define LPT_EVTSTRM_MAX_BIT		15
#define LPT_EVTSTRM_MAX_BIT_ECV		23

/**
 * lpt_evtstrm_bit() - The counter bit a CNTKCTL value selects.
 * @cntkctl: a CNTKCTL_EL1 value.
 *
 * Return: EVNTI, plus 8 when EVNTIS is set: 0 to 23.
 */
static inline uint32_t lpt_evtstrm_bit(uint32_t cntkctl)
{
	return ((cntkctl & LPT_CNTKCTL_EVNTI_MASK) >> LPT_CNTKCTL_EVNTI_SHIFT) +
	       (cntkctl & LPT_CNTKCTL_EVNTIS ? 8 : 0);
}

/**
 * lpt_evtstrm_set_bit() - A CNTKCTL value with its event-stream bit replaced.
 * @cntkctl: a CNTKCTL_EL1 value; its other fields are kept.
 * @bit: the counter bit to select, 0 to 23; above 15 it sets EVNTIS and EVNTI = bit - 8,
 *	at or below 15 it clears EVNTIS.
 *
 * Return: the new CNTKCTL value.
 */
static inline uint32_t lpt_evtstrm_set_bit(uint32_t cntkctl, uint32_t bit)
{
	cntkctl &= ~(LPT_CNTKCTL_EVNTI_MASK | LPT_CNTKCTL_EVNTIS);
	if (bit > 15)
		return cntkctl | LPT_CNTKCTL_EVNTIS | ((bit - 8) << LPT_CNTKCTL_EVNTI_SHIFT);
	return cntkctl | (bit << LPT_CNTKCTL_EVNTI_SHIFT);
}

/**
 * lpt_evtstrm_nearest_bit() - The native counter bit whose event period is closest to
 * a PV counter bit's.
 * @pv_bit: the bit the guest selected on the PV counter, 0 to 23.
 * @pv_hz: PV counter frequency, 1 Hz to 2^40 Hz.
 * @native_hz: native counter frequency, 1 Hz to 2^40 Hz.
 * @max_bit: the highest bit the host can select (LPT_EVTSTRM_MAX_BIT or _ECV), <= 23.
 *
 * Closest in log scale, i.e. minimising |log(native period / PV period)|, exactly (in
 * integers); of two equally close bits the lower, the faster stream (an extra wake-up is
 * harmless, a missing one can hang a WFE loop); clamped to 0..@max_bit. Arguments out of
 * range are clamped into it.
 *
 * Return: the native bit.
 */
uint32_t lpt_evtstrm_nearest_bit(uint32_t pv_bit, uint64_t pv_hz, uint64_t native_hz,
				 uint32_t max_bit);

/**
 * struct lpt_evtstrm - A guest's event stream and its native translation.
 * @guest_cntkctl: CNTKCTL as the guest wrote it; what its reads return.
 * @native_cntkctl: CNTKCTL to program: the guest's value with EVNTI/EVNTIS replaced.
 * @pv_bit: the counter bit the guest selected.
 * @native_bit: the counter bit programmed.
 * @pv_period_ps: the period the guest asked for, 2^(pv_bit + 1) / pv_hz, in picoseconds
 *	rounded to nearest.
 * @native_period_ps: the period achieved, 2^(native_bit + 1) / native_hz, likewise.
 * @ratio_q32: achieved / requested period as a 32.32 fixed-point number, rounded to
 *	nearest, saturating at 2^64 - 1.
 */
struct lpt_evtstrm {
	uint32_t guest_cntkctl;
	uint32_t native_cntkctl;
	uint32_t pv_bit;
	uint32_t native_bit;
	uint64_t pv_period_ps;
	uint64_t native_period_ps;
	uint64_t ratio_q32;
};

/**
 * lpt_evtstrm_translate() - Translate a guest's CNTKCTL write.
 * @e: where the translation is stored.
 * @guest_cntkctl: the value the guest wrote.
 * @pv_hz: PV counter frequency, 1 Hz to 2^40 Hz.
 * @native_hz: native counter frequency, 1 Hz to 2^40 Hz.
 * @host_ecv: whether the host has FEAT_ECV (EVNTIS: native bits up to 23, else 15).
 *
 * Return: 0, or -LPT_EINVAL for a NULL @e or a frequency out of range (*@e unchanged).
 */
int lpt_evtstrm_translate(struct lpt_evtstrm *e, uint32_t guest_cntkctl, uint64_t pv_hz,
			  uint64_t native_hz, bool host_ecv);

/**
 * lpt_evtstrm_linux_cntkctl() - The event-stream bits Linux 6.1 programs at boot.
 * @counter_hz: the counter frequency Linux sees (CNTFRQ), 1 Hz to 2^40 Hz.
 * @stream_hz: the target stream frequency (Linux: 10000), 1 Hz to @counter_hz.
 * @ecv: whether the CPU has FEAT_ECV.
 * @cntkctl: where EVNTEN, EVNTI and EVNTIS are stored, as Linux sets them.
 *
 * Linux's arithmetic, reproduced: divider = counter_hz / stream_hz / 2 (integer), then
 * the "closest power of two" by its next-lower bit (linear rounding at 1.5 x 2^k, not
 * log-scale), at least 0; with ECV and a divider above 15, EVNTIS and divider - 8; at
 * most 15.
 *
 * Return: 0, or -LPT_EINVAL for a NULL @cntkctl or frequencies out of range.
 */
int lpt_evtstrm_linux_cntkctl(uint64_t counter_hz, uint64_t stream_hz, bool ecv,
			      uint32_t *cntkctl);

#ifdef __cplusplus
}
#endif

#endif /* LPT_EVTSTRM_H */
