/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The probe's reads through the LPT page: its counter read inside the reader's window
 * (include/lpt/page_reader.h), as an LPT-aware firmware must read it.
 */
#ifndef LPT_RIG_PV_READ_H
#define LPT_RIG_PV_READ_H

#include <lpt/page_reader.h>

#include "sysreg.h"

/**
 * probe_read_pv() - The virtual or physical PV counter now.
 * @r: the reader attached to the page.
 * @phys: the physical counter (true) or the virtual one.
 * @pv: the PV value.
 * @native: the counter value it was converted from.
 *
 * Return: 0, or lpt_reader_begin()'s error (*@pv and *@native unchanged).
 */
static inline int probe_read_pv(struct lpt_reader *r, bool phys, uint64_t *pv,
				uint64_t *native)
{
	uint64_t seq, n, v;
	int err;

	do {
		err = lpt_reader_begin(r, &seq);
		if (err)
			return err;
		n = phys ? read_cntpct() : read_cntvct();
		v = lpt_reader_pv(r, n, phys);
	} while (lpt_reader_retry(r, seq));
	*pv = v;
	*native = n;
	return 0;
}

/**
 * probe_native_cval() - The native compare value for a PV compare value.
 * @r: the reader attached to the page.
 * @phys: the physical timer (true) or the virtual one.
 * @pv_cval: the compare value in PV ticks.
 * @cval: the native compare value.
 *
 * Return: 0, or lpt_reader_begin()'s error (*@cval unchanged).
 */
static inline int probe_native_cval(struct lpt_reader *r, bool phys, uint64_t pv_cval,
				    uint64_t *cval)
{
	uint64_t seq, c;
	int err;

	do {
		err = lpt_reader_begin(r, &seq);
		if (err)
			return err;
		c = lpt_reader_native_cval(r, pv_cval, phys);
	} while (lpt_reader_retry(r, seq));
	*cval = c;
	return 0;
}

#endif /* LPT_RIG_PV_READ_H */
