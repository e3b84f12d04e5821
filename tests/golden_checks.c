// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The golden vectors against the library (tests/golden_checks.h). Freestanding: only
 * lpt/ headers, so that the kernel builds it as it is.
 */
#include <lpt/lpt.h>

#include "golden_checks.h"
#include "golden/lpt_vectors.h"

#define ROWS(t) (sizeof(t) / sizeof((t)[0]))

static unsigned int check_scale(lpt_golden_fail_fn fail, void *ctx)
{
	unsigned int i;

	for (i = 0; i < ROWS(lpt_golden_scale); i++) {
		struct lpt_scale s;

		if (lpt_scale_init(&s, lpt_golden_scale[i].from, lpt_golden_scale[i].to) ||
		    lpt_scale_floor(&s, lpt_golden_scale[i].x) != lpt_golden_scale[i].floor ||
		    lpt_scale_ceil(&s, lpt_golden_scale[i].x) != lpt_golden_scale[i].ceil)
			fail(ctx, "scale", i);
	}
	return i;
}

static unsigned int check_map(lpt_golden_fail_fn fail, void *ctx)
{
	unsigned int i;

	for (i = 0; i < ROWS(lpt_golden_map); i++) {
		struct lpt_map m;
		struct lpt_timer t;

		if (lpt_map_init(&m, lpt_golden_map[i].native_hz, lpt_golden_map[i].pv_hz,
				 (unsigned int)lpt_golden_map[i].width, lpt_golden_map[i].native_base,
				 lpt_golden_map[i].pv_base) ||
		    lpt_map_native_to_pv(&m, lpt_golden_map[i].n) != lpt_golden_map[i].pv ||
		    lpt_map_pv_to_native(&m, lpt_golden_map[i].p) != lpt_golden_map[i].first)
			fail(ctx, "map", i);
		/* The timer programs the same first value unless nothing in range reaches it. */
		if (lpt_timer_write_cval(&t, &m, lpt_golden_map[i].p) ||
		    lpt_timer_read_cval(&t) != lpt_golden_map[i].p ||
		    (t.native_cval != lpt_golden_map[i].first &&
		     !(t.native_cval == m.native_mask + 1 && lpt_golden_map[i].first == m.native_mask)))
			fail(ctx, "timer", i);
	}
	return 2 * i;
}

static unsigned int check_evtstrm(lpt_golden_fail_fn fail, void *ctx)
{
	unsigned int i, n = 0;

	for (i = 0; i < ROWS(lpt_golden_evtstrm); i++, n++)
		if (lpt_evtstrm_nearest_bit(lpt_golden_evtstrm[i].pv_bit, lpt_golden_evtstrm[i].pv_hz,
					    lpt_golden_evtstrm[i].native_hz,
					    lpt_golden_evtstrm[i].max_bit) != lpt_golden_evtstrm[i].bit)
			fail(ctx, "evtstrm", i);
	for (i = 0; i < ROWS(lpt_golden_linux); i++, n++) {
		uint32_t v = 0, ve = 0;

		if (lpt_evtstrm_linux_cntkctl(lpt_golden_linux[i].hz, 10000, false, &v) ||
		    lpt_evtstrm_linux_cntkctl(lpt_golden_linux[i].hz, 10000, true, &ve) ||
		    v != lpt_golden_linux[i].cntkctl || ve != lpt_golden_linux[i].cntkctl_ecv)
			fail(ctx, "linux", i);
	}
	return n;
}

static unsigned int check_pages(lpt_golden_fail_fn fail, void *ctx)
{
	struct lpt_page_fields f;

	if (lpt_page_decode(lpt_golden_page_rev0, sizeof(lpt_golden_page_rev0), &f) ||
	    lpt_page_validate(&f) || f.revision != 0 || f.sequence != 4 ||
	    f.native_hz != 19200000 || f.pv_hz != 1000000000 || f.rfc_to_pv.fracbits != 58)
		fail(ctx, "page", 0);
	if (lpt_page_decode(lpt_golden_page_rev1, sizeof(lpt_golden_page_rev1), &f) ||
	    lpt_page_validate(&f) || f.revision != 1 || f.sequence != 6 || f.generation != 3 ||
	    f.width != 56 || f.native_hz != 19200000 || f.pv_hz != 1000000000 ||
	    f.to_pv.whole != 52)
		fail(ctx, "page", 1);
	return 2;
}

unsigned int lpt_golden_check(lpt_golden_fail_fn fail, void *ctx)
{
	return check_scale(fail, ctx) + check_map(fail, ctx) + check_evtstrm(fail, ctx) +
	       check_pages(fail, ctx);
}
