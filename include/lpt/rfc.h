/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The arithmetic of the Aug 2020 KVM arm64 LPT RFC, reproduced as specified there (the
 * shared page's revision 0). It is approximate: docs/abi.md gives its distance from the
 * exact result. Kept so that liblpt is a faithful reference of that proposal and so
 * that benchmarks and the simulator can put it beside the exact scale.
 */
#ifndef LPT_RFC_H
#define LPT_RFC_H

#include <lpt/port.h>
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
 * Return: 0, or -LPT_EINVAL for a NULL @s or a frequency out of range (*@s unchanged).
 */
int lpt_rfc_scale_init(struct lpt_rfc_scale *s, uint64_t from_hz, uint64_t to_hz);

/**
 * lpt_rfc_scale_apply() - Convert a tick count the RFC's way.
 * @s: a scale from lpt_rfc_scale_init() (or read from a revision 0 page).
 * @x: ticks at from_hz.
 *
 * Floor of the 128-bit product shifted right by fracbits, modulo 2^64:
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

#ifdef __cplusplus
}
#endif

#endif /* LPT_RFC_H */
