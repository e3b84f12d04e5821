/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The peers' arithmetic, the simulator's (CMake target lpt_peers): the schemes liblpt is
 * compared with, each written from its published definition: how it builds its
 * multiplier for a frequency pair and how it converts a tick count. The simulator's
 * guest clock uses Linux's clocksource mult/shift from here; the precision and speed
 * benchmarks, the instruction counts and the tests borrow it through the target.
 */
#ifndef LPT_SIM_PEERS_H
#define LPT_SIM_PEERS_H

#include <stdbool.h>
#include <stdint.h>

#include <lpt/math128.h>
#include <lpt/rfc.h>
#include <lpt/scale.h>

#include "peer_timekeeping.h"

enum bench_peer_id {
	PEER_CLOCKSOURCE,	/* Linux mult/shift, one multiply: 600 s headroom */
	PEER_TIMEKEEPING,	/* the same mult/shift accumulated tick by tick (timekeeping) */
	PEER_KVMCLOCK,		/* x86 kvmclock/pvclock: 32-bit fraction, signed pre-shift */
	PEER_KVMCLOCK_ANCHORED,	/* the same, re-anchored to the host's time every 300 s */
	PEER_HYPERV,		/* Hyper-V reference page: 64-bit fraction, ideal scale */
	PEER_KVM_HYPERV,	/* KVM's Hyper-V page: its scale from kvmclock's (to 10 MHz) */
	PEER_VMX,		/* x86 TSC scaling, VMX: 48 fraction bits */
	PEER_SVM,		/* x86 TSC scaling, SVM: 8.32 */
	PEER_RFC,		/* the Aug 2020 LPT RFC, this project's page revision 0 */
	PEER_DOUBLE,		/* double-precision floating point */
	PEER_EXACT,		/* liblpt */
	PEER_COUNT,
};

/**
 * struct bench_peer - One scheme's parameters for one frequency pair.
 * @id: which scheme.
 * @valid: whether the scheme can express the pair at all.
 * @max_input: the largest input it converts without overflowing its own arithmetic.
 * @mult: clocksource mult, kvmclock mul_frac, Hyper-V scale, TSC ratio.
 * @shift: clocksource shift, kvmclock shift (signed), TSC fraction bits.
 * @anchor: re-anchored kvmclock: cycles between anchors (300 s).
 * @ratio: the double scheme's to/from.
 * @rfc: the RFC's scale.
 * @exact: liblpt's scale (re-anchored kvmclock: the host's exact time at an anchor).
 */
struct bench_peer {
	enum bench_peer_id id;
	bool valid;
	uint64_t max_input;
	uint64_t mult;
	int shift;
	uint64_t anchor;
	double ratio;
	struct lpt_rfc_scale rfc;
	struct lpt_scale exact;
};

/* The scheme's short name, for tables and plots. */
const char *bench_peer_name(enum bench_peer_id id);

/*
 * Builds a scheme's parameters for from_hz -> to_hz (both below 2^32 Hz). KVM's Hyper-V
 * page converts to 100 ns units only: valid for to_hz = 10 MHz alone.
 */
void bench_peer_init(struct bench_peer *p, enum bench_peer_id id, uint64_t from_hz, uint64_t to_hz);

static inline uint64_t bench_conv_clocksource(const struct bench_peer *p, uint64_t x)
{
	return (x * p->mult) >> p->shift;
}

/* pvclock_scale_delta() (Linux 6.1 arch/x86/include/asm/pvclock.h). */
static inline uint64_t bench_kvmclock_scale(uint64_t delta, uint32_t mul_frac, int shift)
{
	struct lpt_u128 prod;

	delta = shift < 0 ? delta >> -shift : delta << shift;
	prod = lpt_mul_u64_u64(delta, mul_frac);
	return (prod.hi << 32) | (prod.lo >> 32);
}

static inline uint64_t bench_conv_kvmclock(const struct bench_peer *p, uint64_t x)
{
	return bench_kvmclock_scale(x, (uint32_t)p->mult, p->shift);
}

/* Timekeeping's read after any accumulation (sim/peer_timekeeping.h). */
static inline uint64_t bench_conv_timekeeping(const struct bench_peer *p, uint64_t x)
{
	return lpt_sim_tk_ns((uint32_t)p->mult, (uint32_t)p->shift, x);
}

/*
 * kvmclock re-anchored: the host rewrites system_time and tsc_timestamp at least every
 * 300 s (KVMCLOCK_SYNC_PERIOD's kvm_gen_kvmclock_update() outside master-clock mode);
 * here at each multiple of @anchor cycles, with the host's time taken as exact, so that
 * the row shows the conversion's own error over at most 300 s.
 */
static inline uint64_t bench_conv_kvmclock_anchored(const struct bench_peer *p, uint64_t x)
{
	uint64_t a = x - x % p->anchor;

	return lpt_scale_floor(&p->exact, a) +
	       bench_kvmclock_scale(x - a, (uint32_t)p->mult, p->shift);
}

static inline uint64_t bench_conv_hyperv(const struct bench_peer *p, uint64_t x)
{
	return lpt_mul_u64_u64(x, p->mult).hi;
}

static inline uint64_t bench_conv_tsc_ratio(const struct bench_peer *p, uint64_t x)
{
	struct lpt_u128 prod = lpt_mul_u64_u64(x, p->mult);

	return (prod.lo >> p->shift) | (prod.hi << (64 - p->shift));
}

static inline uint64_t bench_conv_rfc(const struct bench_peer *p, uint64_t x)
{
	return lpt_rfc_scale_apply(&p->rfc, x);
}

static inline uint64_t bench_conv_double(const struct bench_peer *p, uint64_t x)
{
	return (uint64_t)((double)x * p->ratio);
}

static inline uint64_t bench_conv_exact(const struct bench_peer *p, uint64_t x)
{
	return lpt_scale_floor(&p->exact, x);
}

/**
 * struct bench_pvclock - x86 kvmclock's per-vCPU page, struct pvclock_vcpu_time_info
 * (Linux 6.1 arch/x86/include/asm/pvclock-abi.h), 32 bytes.
 */
struct bench_pvclock {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad[2];
};

#define BENCH_PVCLOCK_TSC_STABLE_BIT	(1 << 0)
#define BENCH_PVCLOCK_GUEST_STOPPED	(1 << 1)

/**
 * lpt_sim_mul_u64_u32_div() - Linux 6.1's generic mul_u64_u32_div()
 * (include/linux/math64.h): @a * @mul / @divisor over 96 bits, in 32-bit halves.
 * @a: the multiplicand.
 * @mul: the multiplier.
 * @divisor: the divisor, not 0.
 *
 * x86-64's own (mulq; divq) gives the same whenever the quotient fits 64 bits.
 *
 * Return: floor(@a * @mul / @divisor) modulo 2^64.
 */
uint64_t lpt_sim_mul_u64_u32_div(uint64_t a, uint32_t mul, uint32_t divisor);

/**
 * lpt_sim_kvm_hv_tsc_page() - KVM's compute_tsc_page_parameters() (Linux 6.1
 * arch/x86/kvm/hyperv.c): the Hyper-V TSC page a KVM guest gets, built from its
 * kvmclock page.
 * @hv_clock: the vCPU's kvmclock page (tsc_to_system_mul, tsc_shift, tsc_timestamp,
 *	system_time, flags).
 * @tsc_scale: out: 2^(32 + tsc_shift) * tsc_to_system_mul / 100, floor; the guest
 *	reads (tsc * @tsc_scale >> 64) + @tsc_offset in 100 ns units.
 * @tsc_offset: out: system_time / 100 - (tsc_timestamp * @tsc_scale >> 64).
 *
 * Return: true; false (nothing written) without PVCLOCK_TSC_STABLE_BIT or when the
 * scale would pass 2^64: KVM then leaves the guest on the reference-count MSR.
 */
bool lpt_sim_kvm_hv_tsc_page(const struct bench_pvclock *hv_clock, uint64_t *tsc_scale,
			     int64_t *tsc_offset);

/*
 * kvmclock's read, as pvclock_clocksource_read() (Linux 6.1 arch/x86/kernel/pvclock.c)
 * makes it: pvclock_read_begin() (version with bit 0 cleared, then virt_rmb()),
 * __pvclock_read_cycles() (pvclock_scale_delta() of tsc - tsc_timestamp, plus
 * system_time), the flags, pvclock_read_retry() (virt_rmb(), version again); then, with
 * the stable bit set, the value is returned. The TSC is passed in (its read excluded,
 * as in liblpt's page read); a cleared stable bit or GUEST_STOPPED returns 0 here, where
 * Linux goes on to its global last-value check (never taken in the benchmark).
 */
static inline uint64_t bench_read_kvmclock(const struct bench_pvclock *src, uint64_t tsc)
{
	uint32_t version;
	uint64_t ret;
	uint8_t flags;

	/* Plain loads and virt_rmb() (here an acquire fence), as the kernel's. */
	do {
		version = src->version & ~1u;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		ret = src->system_time + bench_kvmclock_scale(tsc - src->tsc_timestamp,
							      src->tsc_to_system_mul,
							      src->tsc_shift);
		flags = src->flags;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while (version != src->version);
	if ((flags & BENCH_PVCLOCK_GUEST_STOPPED) || !(flags & BENCH_PVCLOCK_TSC_STABLE_BIT))
		return 0;
	return ret;
}

/* Any scheme, by its id (the precision benchmark's entry point). */
static inline uint64_t bench_peer_conv(const struct bench_peer *p, uint64_t x)
{
	switch (p->id) {
	case PEER_CLOCKSOURCE: return bench_conv_clocksource(p, x);
	case PEER_TIMEKEEPING: return bench_conv_timekeeping(p, x);
	case PEER_KVMCLOCK: return bench_conv_kvmclock(p, x);
	case PEER_KVMCLOCK_ANCHORED: return bench_conv_kvmclock_anchored(p, x);
	case PEER_HYPERV:
	case PEER_KVM_HYPERV: return bench_conv_hyperv(p, x);
	case PEER_VMX:
	case PEER_SVM: return bench_conv_tsc_ratio(p, x);
	case PEER_RFC: return bench_conv_rfc(p, x);
	case PEER_DOUBLE: return bench_conv_double(p, x);
	default: return bench_conv_exact(p, x);
	}
}

#endif /* LPT_SIM_PEERS_H */
