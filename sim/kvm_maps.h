/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * KVM's maps of a VM's PV counters as the scaling strategies keep them (lpt, trap):
 * the virtual and physical native->PV maps, the guest's timers on them, re-based and
 * re-programmed at each migration by the library.
 */
#ifndef LPT_SIM_KVM_MAPS_H
#define LPT_SIM_KVM_MAPS_H

#include <stdbool.h>
#include <stdint.h>

#include <lpt/lpt.h>

#include "strategy.h"

/**
 * struct lpt_sim_kvm_maps - KVM's maps and timers of one VM.
 * @virt: the virtual counter's map.
 * @phys: the physical counter's.
 * @tv: the virtual timer (guest CVAL and native CVAL).
 * @tp: the physical timer.
 */
struct lpt_sim_kvm_maps {
	struct lpt_map virt;
	struct lpt_map phys;
	struct lpt_timer tv;
	struct lpt_timer tp;
};

/* Both counters start at boot: the virtual at 0, the physical at the host counter's
 * value in PV ticks. Returns 0 or a negated liblpt error. */
int lpt_sim_kvm_maps_boot(struct lpt_sim_kvm_maps *m, const struct lpt_sim_vcpu *v,
			  uint64_t pv_hz);

/* Re-bases both maps from the old host's counter at @pause to the new host's at
 * @resume and re-programs both timers. Returns 0 or a negated liblpt error. */
int lpt_sim_kvm_maps_migrate(struct lpt_sim_kvm_maps *m, const struct lpt_sim_vcpu *v,
			     uint64_t pause, uint64_t resume);

/* When the hardware raises a timer during the current stay. */
static inline uint64_t lpt_sim_kvm_maps_fire(const struct lpt_sim_kvm_maps *m,
					     const struct lpt_sim_vcpu *v, bool phys)
{
	return lpt_sim_raw_time(lpt_sim_vcpu_stay(v),
				phys ? m->tp.native_cval : m->tv.native_cval);
}

#endif /* LPT_SIM_KVM_MAPS_H */
