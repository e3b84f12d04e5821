/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The probe's one read of its virtual PV counter through the LPT page, kept in this one
 * place: when the core's reader API moves (the counter read between the page's sequence
 * reads), only this helper changes.
 */
#ifndef LPT_RIG_PV_READ_H
#define LPT_RIG_PV_READ_H

#include <lpt/page.h>

#include "sysreg.h"

/**
 * probe_read_pv() - The virtual PV counter now.
 * @r: the reader attached to the page.
 * @pv: the PV value.
 * @native: the virtual counter value it was converted from.
 *
 * Return: 0, or lpt_reader_native_to_pv()'s error.
 */
static inline int probe_read_pv(struct lpt_reader *r, uint64_t *pv, uint64_t *native)
{
	uint64_t n = read_cntvct();

	*native = n;
	return lpt_reader_native_to_pv(r, n, pv);
}

#endif /* LPT_RIG_PV_READ_H */
