/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * What the rig's VMM (vmm/vmm.c) and probe guest (probe/probe.c) agree on: the guest's
 * memory layout and the report channel. The probe reports by storing a 64-bit value at
 * RIG_REPORT_BASE + 8 * tag, outside guest memory: each store is an MMIO exit the VMM
 * prints and checks.
 */
#ifndef LPT_RIG_H
#define LPT_RIG_H

#define RIG_RAM_BASE	0x40000000UL	/* the probe is loaded and entered here */
#define RIG_RAM_SIZE	0x00400000UL	/* 4 MiB */
#define RIG_PAGE_IPA	0x40300000UL	/* the LPT page the VMM places */
#define RIG_REPORT_BASE	0x0a000000UL	/* device memory, no memslot: MMIO exits */

/* Report tags (the value stored is the report's). */
enum rig_tag {
	RIG_HELLO = 0,		/* the probe's phase: 0 on the first host, then 1, 2, ... */
	RIG_CNTFRQ,		/* CNTFRQ_EL0 */
	RIG_FEATURES,		/* KVM's vendor services 64-95: bit 16 (LPT, 80) when published */
	RIG_IPA,		/* ARM_SMCCC_VENDOR_HYP_KVM_LPT_FUNC_ID: the page's IPA */
	RIG_SNAP_ERR,		/* lpt_reader_begin()'s result (0 or -LPT_E...) */
	RIG_REVISION,
	RIG_GENERATION,
	RIG_NATIVE_HZ,		/* the page's native frequency */
	RIG_PV_HZ,
	RIG_PV,			/* a virtual PV counter read (rate and continuity checks) */
	RIG_NATIVE,		/* the virtual counter the previous PV read converted */
	RIG_TIMERS,		/* timers run in this phase's loop */
	RIG_EARLY,		/* of which fired early (PV at status < PV compare value) */
	RIG_CVAL_BAD,		/* compare values not equal to lpt_timer_native_cval() */
	RIG_LATE_MAX,		/* the latest, in PV ticks after the compare value */
	RIG_TIMEOUT,		/* timers that never fired within their timeout */
	RIG_PV_LAST,		/* the last PV read before the save */
	RIG_PV_FIRST,		/* the first PV read after the restore */
	RIG_MIG_CVAL_OK,	/* bit 0 virtual, bit 1 physical: CVAL re-programmed as the core computes */
	RIG_MIG_EARLY,		/* bit 0 virtual, bit 1 physical: the carried timer fired early */
	RIG_MIG_TIMEOUT,	/* bit 0 virtual, bit 1 physical: the carried timer never fired */
	RIG_MIG_LATE_V,		/* PV ticks the carried virtual timer fired after its compare value */
	RIG_MIG_LATE_P,		/* the physical one's */
	RIG_ERROR,		/* the probe gave up: the value says where */
	RIG_SAVE,		/* the probe asks to be saved (value: its phase) */
	RIG_DONE,
	RIG_NTAGS
};

#endif /* LPT_RIG_H */
