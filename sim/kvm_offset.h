/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Upstream KVM's VM-wide counter offset (Linux 6.4, KVM_ARM_SET_COUNTER_OFFSET): one
 * offset subtracted from both the virtual and the physical counter
 * (kvm_vm_ioctl_set_counter_offset() sets voffset and poffset alike), set by the VMM
 * at boot and at each restore so that the counter continues; nothing scales. The
 * timers' compare values are the guest's, in the offset counter's ticks. Shared by the
 * strategies whose counters are these (offset, vmclock).
 */
#ifndef LPT_SIM_KVM_OFFSET_H
#define LPT_SIM_KVM_OFFSET_H

#include <stdbool.h>
#include <stdint.h>

#include "strategy.h"

/**
 * struct lpt_sim_kvm_offset - The VM's counter offset.
 * @off: the offset (guest counter = host counter - @off, both views).
 */
struct lpt_sim_kvm_offset {
	uint64_t off;
};

/* At boot the VMM starts the counters at 0. */
static inline void lpt_sim_kvm_offset_boot(struct lpt_sim_kvm_offset *k,
					   const struct lpt_sim_vcpu *v)
{
	k->off = lpt_sim_native(v, 0);
}

/* The guest's counter (either view) at true time @t. */
static inline uint64_t lpt_sim_kvm_offset_read(const struct lpt_sim_kvm_offset *k,
					       const struct lpt_sim_vcpu *v, uint64_t t)
{
	return lpt_sim_native(v, t) - k->off;
}

/* When the hardware raises the virtual (@phys false) or physical timer: its compare
 * value in guest ticks (cval_v, cval_p) plus the offset. */
static inline uint64_t lpt_sim_kvm_offset_fire(const struct lpt_sim_kvm_offset *k,
					       const struct lpt_sim_vcpu *v, bool phys)
{
	return lpt_sim_raw_time(lpt_sim_vcpu_stay(v), (phys ? v->cval_p : v->cval_v) + k->off);
}

/* The VMM's restore: the counter's value at @pause (old host) plus, when counted, the
 * downtime in the new host's ticks, given from @resume on. */
void lpt_sim_kvm_offset_migrate(struct lpt_sim_kvm_offset *k, const struct lpt_sim_vcpu *v,
				uint64_t pause, uint64_t resume);

#endif /* LPT_SIM_KVM_OFFSET_H */
