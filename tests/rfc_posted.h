/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The Aug 2020 LPT RFC's code ("[RFC PATCH 0/5] KVM: arm64: Add pvtime LPT support",
 * Keqian Zhu, kvmarm, 17 Aug 2020), transcribed into userspace C as posted, for the
 * tests to check liblpt's reproduction against (include/lpt/rfc.h, lib/restore.c).
 * Only types are changed (u32 -> uint32_t, ...); control flow, operand widths and
 * truncations are the posted code's. Nothing here calls liblpt.
 */
#ifndef LPT_TEST_RFC_POSTED_H
#define LPT_TEST_RFC_POSTED_H

#include <stdint.h>

/* Linux include/asm-generic/div64.h, do_div() for BITS_PER_LONG == 64. */
#define posted_do_div(n, base) ({				\
	uint32_t __base = (base);				\
	uint32_t __rem;						\
	__rem = ((uint64_t)(n)) % __base;			\
	(n) = ((uint64_t)(n)) / __base;				\
	__rem;							\
})

/* Linux include/linux/math64.h: mul_u32_u32(). */
static inline uint64_t posted_mul_u32_u32(uint32_t a, uint32_t b)
{
	return (uint64_t)a * b;
}

/*
 * Linux include/linux/math64.h (6.1, as in 5.8): the generic mul_u64_u32_div(), which
 * arm64 uses (only x86 overrides it). __BIG_ENDIAN becomes the compiler's byte order.
 */
static inline uint64_t posted_mul_u64_u32_div(uint64_t a, uint32_t mul, uint32_t divisor)
{
	union {
		uint64_t ll;
		struct {
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
			uint32_t high, low;
#else
			uint32_t low, high;
#endif
		} l;
	} u, rl, rh;

	u.ll = a;
	rl.ll = posted_mul_u32_u32(u.l.low, mul);
	rh.ll = posted_mul_u32_u32(u.l.high, mul) + rl.l.high;

	/* Bits 32-63 of the result will be in rh.l.low. */
	rl.l.high = posted_do_div(rh.ll, divisor);

	/* Bits 0-31 of the result will be in rl.l.low.	*/
	posted_do_div(rl.ll, divisor);

	rl.l.high = rh.l.low;
	return rl.ll;
}

/* Linux's fls(): 1-based position of the highest set bit, 0 for 0. */
static inline int posted_fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

/*
 * RFC patch 5/5, arch/arm64/include/asm/arch_timer.h: cntkctl_evnti_shift(), with the
 * page's two frequencies passed in instead of read from lpt_info.
 */
static inline int posted_cntkctl_evnti_shift(uint32_t native_freq, uint32_t pv_freq)
{
	int div, shift;

	if (pv_freq >= native_freq)
		div = pv_freq / native_freq;
	else
		div = native_freq / pv_freq;

	/* Find the closest power of two to the divisor */
	shift = posted_fls(div);
	if ((shift == 1) || (shift > 1 && !(shift & (1 << (shift - 2)))))
		shift--;

	return pv_freq >= native_freq ? shift : -shift;
}

/* RFC patch 5/5: parse_cntkctl(), the same way; ARCH_TIMER_EVT_TRIGGER_SHIFT is 4. */
static inline uint64_t posted_parse_cntkctl(uint64_t val, int shift, int native_to_pv)
{
	int evnti = (val >> 4) & 0xF;

	if (native_to_pv)
		evnti = evnti + shift;
	else
		evnti = evnti - shift;

	evnti = evnti < 0 ? 0 : evnti > 15 ? 15 : evnti;	/* min(15, max(0, evnti)) */
	val &= ~(uint64_t)(0xF << 4);
	val |= (uint64_t)evnti << 4;

	return val;
}

/* The parts of struct pvclock_vm_lpt_time and of a vCPU that the host update uses. */
struct posted_vtimer {
	uint64_t cntvoff;	/* vtimer->cntvoff */
	uint64_t cnt_cval;	/* vtimer->cnt_cval: the virtual CVAL */
};

/*
 * RFC patch 2/5, arch/arm64/kvm/pvtime.c: pvclock_lpt_update_vtimer() for one vCPU,
 * with the page's fields, the VMM's PV frequency (kvm->arch.lpt.fpv), this host's rate
 * (arch_timer_get_rate()) and its physical counter (kvm_phys_timer_read()) passed in.
 * Returns 0 or -14 (-EFAULT).
 */
static inline int posted_update_vtimer(uint64_t sequence_number, uint32_t page_native_freq,
				       uint32_t page_pv_freq, uint32_t fpv,
				       uint32_t current_freq, uint64_t current_time,
				       struct posted_vtimer *vtimer)
{
	uint32_t previous_freq;

	/* The first run? */
	if (sequence_number == 0)
		return 0;

	/* PV frequency must not change! */
	if (page_pv_freq != fpv)
		return -14;

	previous_freq = page_native_freq;
	if (previous_freq == current_freq)
		return 0;

	{
		uint64_t cntvct, new_cntvct;
		uint32_t cnt_tval, new_cnt_tval;

		/* Update cntvoff based on new cntvct */
		cntvct = current_time - vtimer->cntvoff;
		new_cntvct = posted_mul_u64_u32_div(cntvct,
					current_freq,
					previous_freq);
		vtimer->cntvoff = current_time - new_cntvct;

		/* Update cnt_cval based on new cnt_tval */
		cnt_tval = vtimer->cnt_cval - cntvct;
		new_cnt_tval = posted_mul_u64_u32_div(cnt_tval,
					current_freq,
					previous_freq);
		vtimer->cnt_cval = new_cntvct + new_cnt_tval;
	}

	return 0;
}

#endif /* LPT_TEST_RFC_POSTED_H */
