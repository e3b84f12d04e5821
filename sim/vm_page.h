/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * A VM's LPT page as the strategies that have one use it (rfc, lpt): the VMM writes it
 * with the library's updater, the guest reads it with the library's reader, its
 * counter read inside the reader's window.
 */
#ifndef LPT_SIM_VM_PAGE_H
#define LPT_SIM_VM_PAGE_H

#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>

#include <lpt/lpt.h>

#include "strategy.h"

/**
 * struct lpt_sim_page - The shared page of one VM.
 * @page: the page in guest memory.
 * @fields: its content as KVM last built it.
 * @up: the VMM's updater of @page.
 * @rd: the guest's reader of @page.
 */
struct lpt_sim_page {
	alignas(LPT_PAGE_ALIGN) unsigned char page[LPT_PAGE_REV1_SIZE];
	struct lpt_page_fields fields;
	struct lpt_updater up;
	struct lpt_reader rd;
};

/* The VMM publishes @p->fields for the guest's next run (one update per run), and at
 * boot (@boot) the guest's reader is set up. Returns 0 or a negated liblpt error. */
int lpt_sim_page_publish(struct lpt_sim_page *p, bool boot);

/* The VMM publishes a revision 1 page of @virt and @phys (generation @generation) as
 * lpt_sim_page_publish() does. Returns 0 or a negated liblpt error. */
int lpt_sim_page_publish_rev1(struct lpt_sim_page *p, const struct lpt_map *virt,
			      const struct lpt_map *phys, uint64_t generation, bool boot);

/*
 * The guest's glue writes a timer's compare value with the map the page holds (the
 * virtual timer's CVAL @cval into @tm), inside the reader's window; a failed read
 * counts an error in @v.
 */
void lpt_sim_page_write_cval(struct lpt_sim_page *p, struct lpt_sim_vcpu *v,
			     struct lpt_timer *tm, uint64_t cval);

/* Likewise the physical timer's TVAL @tval at true time @t, the counter (less @off)
 * read inside the window. */
void lpt_sim_page_write_tval(struct lpt_sim_page *p, struct lpt_sim_vcpu *v,
			     struct lpt_timer *tm, uint64_t t, uint64_t off, int32_t tval);

/*
 * An LPT-aware firmware (as the rig's probe, kernel-glue/rig/probe/) waits @stall_ns
 * from true time @t0 with a reader of its own on the page: it reads the virtual PV
 * counter (the counter less @off inside the window) and the PV frequency from the
 * page, and polls until the counter has advanced by ceil(@stall_ns * pv_hz / 10^9)
 * (*@target: the PV value it waits for). The true time that happens by the page's
 * content at @t0, or LPT_SIM_NEVER when the page cannot be read.
 */
uint64_t lpt_sim_page_firmware_end(struct lpt_sim_page *p, struct lpt_sim_vcpu *v, uint64_t off,
				   uint64_t t0, uint64_t stall_ns, uint64_t *target);

/*
 * The guest's read of its PV counter through the page at true time @t: the counter
 * (less @off, a virtual offset KVM keeps) read inside the reader's window. A read that
 * fails counts an error in @v and gives 0: what the reader's caller would get. (Inline:
 * the guest's every read.)
 */
static inline uint64_t lpt_sim_page_read(struct lpt_sim_page *p, struct lpt_sim_vcpu *v,
					 uint64_t t, uint64_t off, bool phys)
{
	uint64_t seq, pv;

	do {
		if (lpt_reader_begin(&p->rd, &seq)) {
			v->errors++;
			return 0;
		}
		pv = lpt_reader_pv(&p->rd, lpt_sim_native(v, t) - off, phys);
	} while (lpt_reader_retry(&p->rd, seq));
	return pv;
}

#endif /* LPT_SIM_VM_PAGE_H */
