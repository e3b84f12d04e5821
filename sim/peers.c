// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Building each peer scheme's multiplier, from its published definition.
 */
#include "peers.h"

static const char *const names[PEER_COUNT] = {
	[PEER_CLOCKSOURCE] = "Linux mult/shift, one multiply",
	[PEER_TIMEKEEPING] = "Linux timekeeping",
	[PEER_KVMCLOCK] = "kvmclock, master clock",
	[PEER_KVMCLOCK_ANCHORED] = "kvmclock, re-anchored",
	[PEER_HYPERV] = "Hyper-V page, ideal scale",
	[PEER_KVM_HYPERV] = "KVM's Hyper-V page",
	[PEER_VMX] = "TSC ratio VMX",
	[PEER_SVM] = "TSC ratio SVM",
	[PEER_RFC] = "LPT RFC (rev 0)",
	[PEER_DOUBLE] = "double",
	[PEER_EXACT] = "liblpt exact",
};

const char *bench_peer_name(enum bench_peer_id id)
{
	return id < PEER_COUNT ? names[id] : "?";
}

/*
 * Linux's clocks_calc_mult_shift(): the largest shift (at most 32) whose multiplier,
 * to * 2^shift / from rounded to nearest, still lets maxsec seconds of input be
 * multiplied without passing 2^64.
 */
static void clocksource_init(struct bench_peer *p, uint64_t from, uint64_t to, uint64_t maxsec)
{
	int room = 32;
	uint64_t span = (maxsec * from) >> 32, mult = 0;
	int shift;

	for (; span; span >>= 1)
		room--;
	for (shift = 32; shift > 0; shift--) {
		mult = ((to << shift) + from / 2) / from;
		if (!(mult >> room))
			break;
	}
	p->mult = mult;
	p->shift = shift;
	p->max_input = mult ? UINT64_MAX / mult : UINT64_MAX;
}

/*
 * x86 KVM's kvm_get_time_scale(): halve the base rate until it is below twice the
 * target and fits 32 bits; then double it (or halve the target) until it exceeds the
 * target, counting the shift both ways; the multiplier is (target << 32) / base,
 * rounded down. pvclock_scale_delta() pre-shifts the input, then multiplies.
 */
static void kvmclock_init(struct bench_peer *p, uint64_t from, uint64_t to)
{
	uint64_t base = from, target = to;
	int shift = 0;

	while (base > 2 * target || (base >> 32)) {
		base >>= 1;
		shift--;
	}
	while (base <= target || (target >> 32)) {
		if ((target >> 32) || (base & 0x80000000u))
			target >>= 1;
		else
			base <<= 1;
		shift++;
	}
	p->mult = (target << 32) / base;
	p->shift = shift;
	p->max_input = shift > 0 ? UINT64_MAX >> shift : UINT64_MAX;
}

uint64_t lpt_sim_mul_u64_u32_div(uint64_t a, uint32_t mul, uint32_t divisor)
{
	/* the union's 32-bit halves, as shifts and masks */
	uint64_t rl, rh;
	uint32_t rem;

	rl = (uint64_t)(uint32_t)a * mul;
	rh = (a >> 32) * mul + (rl >> 32);

	/* Bits 32-63 of the result will be in rh.l.low. */
	rem = (uint32_t)(rh % divisor);
	rh /= divisor;
	rl = ((uint64_t)rem << 32) | (uint32_t)rl;

	/* Bits 0-31 of the result will be in rl.l.low. */
	rl /= divisor;
	return (rh << 32) | (uint32_t)rl;
}

bool lpt_sim_kvm_hv_tsc_page(const struct bench_pvclock *hv_clock, uint64_t *tsc_scale,
			     int64_t *tsc_offset)
{
	uint64_t max_mul, scale, offset;

	if (!(hv_clock->flags & BENCH_PVCLOCK_TSC_STABLE_BIT))
		return false;

	/*
	 * check if scale would overflow, if so we use the time ref counter
	 *    tsc_to_system_mul * 2^(tsc_shift+32) / 100 >= 2^64
	 *    tsc_to_system_mul / 100 >= 2^(32-tsc_shift)
	 *    tsc_to_system_mul >= 100 * 2^(32-tsc_shift)
	 */
	max_mul = 100ull << (32 - hv_clock->tsc_shift);
	if (hv_clock->tsc_to_system_mul >= max_mul)
		return false;

	/*
	 * Otherwise compute the scale and offset according to the formulas
	 * derived above.
	 */
	scale = lpt_sim_mul_u64_u32_div(1ULL << (32 + hv_clock->tsc_shift),
					hv_clock->tsc_to_system_mul, 100);

	offset = hv_clock->system_time;
	offset /= 100;				/* do_div() */
	offset -= lpt_mul_u64_u64(hv_clock->tsc_timestamp, scale).hi;	/* mul_u64_u64_shr(, 64) */
	*tsc_scale = scale;
	*tsc_offset = (int64_t)offset;
	return true;
}

/* KVM's Hyper-V page: kvmclock's scale to ns, then compute_tsc_page_parameters(). */
static void kvm_hyperv_init(struct bench_peer *p, uint64_t from, uint64_t to)
{
	struct bench_pvclock pvti = { .flags = BENCH_PVCLOCK_TSC_STABLE_BIT };
	int64_t offset;

	p->valid = to == 10000000;
	if (!p->valid)
		return;
	kvmclock_init(p, from, 1000000000);
	pvti.tsc_to_system_mul = (uint32_t)p->mult;
	pvti.tsc_shift = (int8_t)p->shift;
	p->valid = lpt_sim_kvm_hv_tsc_page(&pvti, &p->mult, &offset);
	p->shift = 0;
	p->max_input = UINT64_MAX;
}

/* floor(to * 2^frac / from), valid while it fits 64 bits (VMX: 64-bit ratio field). */
static void tsc_ratio_init(struct bench_peer *p, uint64_t from, uint64_t to, int frac, int int_bits)
{
	uint64_t rem;

	p->shift = frac;
	p->valid = (to / from) >> int_bits == 0;
	if (!p->valid)
		return;
	p->mult = lpt_div_u128_u64(to >> (64 - frac), to << frac, from, &rem);
}

void bench_peer_init(struct bench_peer *p, enum bench_peer_id id, uint64_t from, uint64_t to)
{
	uint64_t rem;

	p->id = id;
	p->valid = true;
	p->max_input = UINT64_MAX;
	p->mult = 0;
	p->shift = 0;
	p->anchor = 0;
	p->ratio = 0;
	switch (id) {
	case PEER_CLOCKSOURCE:
		clocksource_init(p, from, to, 600);
		break;
	case PEER_TIMEKEEPING:
		/* accumulated tick by tick: no span overflows it */
		clocksource_init(p, from, to, 600);
		p->max_input = UINT64_MAX;
		break;
	case PEER_KVMCLOCK:
		kvmclock_init(p, from, to);
		break;
	case PEER_KVMCLOCK_ANCHORED:
		kvmclock_init(p, from, to);
		p->anchor = 300 * from;
		p->valid = !lpt_scale_init(&p->exact, from, to);
		p->max_input = UINT64_MAX;
		break;
	case PEER_KVM_HYPERV:
		kvm_hyperv_init(p, from, to);
		break;
	case PEER_HYPERV:
		/* scale = floor(2^64 * to / from): only a ratio below 1 fits. */
		p->valid = to < from;
		if (p->valid)
			p->mult = lpt_div_u128_u64(to, 0, from, &rem);
		break;
	case PEER_VMX:
		tsc_ratio_init(p, from, to, 48, 16);
		break;
	case PEER_SVM:
		tsc_ratio_init(p, from, to, 32, 8);
		break;
	case PEER_RFC:
		p->valid = !lpt_rfc_scale_init(&p->rfc, from, to);
		break;
	case PEER_DOUBLE:
		p->ratio = (double)to / (double)from;
		/* Beyond 2^64 the conversion back to an integer is undefined. */
		p->max_input = (uint64_t)(18446744073709549568.0 / (p->ratio > 1 ? p->ratio : 1));
		break;
	default:
		p->valid = !lpt_scale_init(&p->exact, from, to);
		break;
	}
}
