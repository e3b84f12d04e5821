/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * One strategy's machinery for one VM: what the guest's counters read, where its timers
 * fire, what the VMM and KVM do at a migration, what an LPT-unaware firmware sees. The
 * rfc and lpt strategies go through a real shared page, written with the library's
 * updater and read with its reader; every conversion is a liblpt call.
 */
#ifndef LPT_SIM_STRATEGY_H
#define LPT_SIM_STRATEGY_H

#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>

#include <lpt/lpt.h>

#include "scenario.h"
#include "timeline.h"

/**
 * struct lpt_sim_vcpu - A VM under one strategy (its vCPU, its VMM's page, KVM's view).
 * @kind: the strategy.
 * @tl: the VM's stays.
 * @stay: index of the current stay.
 * @downtime: enum lpt_downtime.
 * @guest_hz: the frequency the guest believes its counter has.
 * @fw_hz: the frequency the firmware uses (read at boot).
 * @to_guest_ticks: ns -> guest counter ticks (the guest's timer arithmetic).
 * @to_fw_ticks: ns -> firmware counter ticks.
 * @off: none: the VMM's counter offset (virtual counter = host counter - @off);
 *	rfc: CNTVOFF.
 * @fields: rfc and lpt: the page's content as KVM last built it.
 * @virt: lpt and trap: KVM's map of the virtual counter.
 * @phys: lpt and trap: KVM's map of the physical counter.
 * @tv: lpt and trap: the virtual timer (guest CVAL and native CVAL).
 * @tp: lpt and trap: the physical timer.
 * @cval_v: the virtual timer's compare value in guest counter ticks.
 * @cval_p: the physical timer's.
 * @hw_v: none and rfc: the virtual timer's compare value in host counter ticks.
 * @hw_p: none and rfc: the physical timer's.
 * @generation: lpt: the page generation last published.
 * @page: rfc and lpt: the shared page.
 * @up: the VMM's updater of @page.
 * @rd: the guest's reader of @page.
 * @traps: trap: trapped accesses.
 * @errors: page reads that failed (reported; none are expected).
 */
struct lpt_sim_vcpu {
	enum lpt_sim_strategy kind;
	const struct lpt_sim_timeline *tl;
	uint32_t stay;
	uint32_t downtime;
	uint64_t guest_hz;
	uint64_t fw_hz;
	struct lpt_scale to_guest_ticks;
	struct lpt_scale to_fw_ticks;
	uint64_t off;
	struct lpt_page_fields fields;
	struct lpt_map virt;
	struct lpt_map phys;
	struct lpt_timer tv;
	struct lpt_timer tp;
	uint64_t cval_v;
	uint64_t cval_p;
	uint64_t hw_v;
	uint64_t hw_p;
	uint64_t generation;
	alignas(LPT_PAGE_ALIGN) unsigned char page[LPT_PAGE_REV1_SIZE];
	struct lpt_updater up;
	struct lpt_reader rd;
	uint64_t traps;
	uint64_t errors;
};

/* Boots the VM on its first stay. Returns 0 or a negated liblpt error. */
int lpt_sim_vcpu_boot(struct lpt_sim_vcpu *v, enum lpt_sim_strategy kind,
		      const struct lpt_sim_timeline *tl, const struct lpt_sim_vm *vm);

/* The stay the VM is on. */
static inline const struct lpt_sim_stay *lpt_sim_vcpu_stay(const struct lpt_sim_vcpu *v)
{
	return &v->tl->stays[v->stay];
}

/* The guest reads its virtual counter at true time @t. */
uint64_t lpt_sim_read_v(struct lpt_sim_vcpu *v, uint64_t t);

/* The guest reads its physical counter at true time @t. */
uint64_t lpt_sim_read_p(struct lpt_sim_vcpu *v, uint64_t t);

/* The guest's kernel arms its virtual timer @ticks after @counter, the counter value it
 * read at @t: by CVAL (Linux 6.1: none, lpt, trap, ideal), by TVAL (Linux 5.8, the
 * RFC's guest: rfc). */
void lpt_sim_arm_v(struct lpt_sim_vcpu *v, uint64_t t, uint64_t counter, uint64_t ticks);

/* The guest writes the virtual timer's CVAL (guest ticks). */
void lpt_sim_write_cval_v(struct lpt_sim_vcpu *v, uint64_t cval);

/* The guest writes the physical timer's TVAL (guest ticks) at @t. */
void lpt_sim_write_tval_p(struct lpt_sim_vcpu *v, uint64_t t, int32_t tval);

/* The first true time the hardware raises the virtual (@phys false) or physical timer
 * during the current stay, or LPT_SIM_NEVER; may be in the past (fires at once). */
uint64_t lpt_sim_fire_time(const struct lpt_sim_vcpu *v, bool phys);

/* Pauses the VM at its stay's end, moves it to the next stay and resumes it there: the
 * VMM's and KVM's part of a live migration. Returns 0 or a negated liblpt error. */
int lpt_sim_migrate(struct lpt_sim_vcpu *v);

/* At the current stay's start, the firmware waits @stall_ns by its counter and
 * frequency: how much longer (positive) or shorter it really took, ns. */
int64_t lpt_sim_firmware_error(struct lpt_sim_vcpu *v, uint64_t stall_ns);

/* The event stream on the current host for the guest's CNTKCTL: achieved period over
 * the period the guest asked for. */
double lpt_sim_evtstrm_ratio(const struct lpt_sim_vcpu *v, uint32_t guest_cntkctl);

#endif /* LPT_SIM_STRATEGY_H */
