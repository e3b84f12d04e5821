// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Restoring a VM on a new host (include/lpt/restore.h): the virtual PV counter
 * continues exactly, the physical one keeps its distance, timers fire neither before
 * the PV value at which the old host would have fired them nor a native tick later;
 * against the exact oracle, over every pair of real counter rates. Bad input changes
 * nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <lpt/errno.h>
#include <lpt/restore.h>

#include "map_oracle.h"
#include "rfc_posted.h"
#include "testutil.h"
#include "vectors.h"

/* The page a VM brings from a host: maps based at the same instant. */
static void old_page(struct lpt_page_fields *f, uint64_t native_hz, uint64_t pv_hz,
		     unsigned int width, uint64_t native, uint64_t virt_pv, uint64_t phys_pv,
		     uint64_t phys_native)
{
	struct lpt_map v, p;

	assert_int_equal(lpt_map_init(&v, native_hz, pv_hz, width, native, virt_pv), 0);
	assert_int_equal(lpt_map_init(&p, native_hz, pv_hz, width, phys_native, phys_pv), 0);
	assert_int_equal(lpt_page_fields_rev1(f, &v, &p, 7), 0);
	f->sequence = 42;
}

static void test_restore_rates(void **state)
{
	struct test_rng rng = { test_seed() };
	uint64_t n = test_count(200);

	(void)state;
	for (unsigned int a = 0; a < lpt_vec_real_hz_count; a++) {
		for (unsigned int b = 0; b < lpt_vec_real_hz_count; b++) {
			for (uint64_t i = 0; i < n; i++) {
				uint64_t old_hz = lpt_vec_real_hz[a], new_hz = lpt_vec_real_hz[b];
				uint64_t pv_hz = lpt_vec_real_hz[(a + b + i) % lpt_vec_real_hz_count];
				uint64_t base = test_rng_range(&rng, 0, 1ULL << 60);
				uint64_t vpv = test_rng_next(&rng), ppv = test_rng_next(&rng);
				uint64_t pause = base + test_rng_range(&rng, 0, 1ULL << 50);
				uint64_t vnow = test_rng_range(&rng, 0, 1ULL << 62);
				uint64_t pnow = test_rng_range(&rng, 0, 1ULL << 62);
				struct lpt_page_fields f;
				struct lpt_restore r;
				struct oracle_quot q;

				old_page(&f, old_hz, pv_hz, 64, base, vpv, ppv,
					 test_rng_range(&rng, 0, 1ULL << 60));
				/* The VMM restored the virtual counter to its value at pause. */
				assert_int_equal(lpt_restore_init(&r, &f, new_hz, 64, pause, pnow), 0);
				/* Continues exactly from pv(pause), hidden downtime. */
				q = oracle_map_pv(&r.old_virt, pause);
				assert_int_equal(r.virt.pv_base, q.lo);
				assert_int_equal(r.virt.native_base, pause);
				assert_int_equal(r.phys.native_base, pnow);
				assert_int_equal(r.phys.pv_base - r.virt.pv_base, ppv - vpv);
				assert_int_equal(r.virt.to_pv.from_hz, new_hz);
				/* The physical pause: the first old native value reaching it. */
				assert_true(oracle_map_reached(&r.old_phys, r.phys_pause, r.phys.pv_base));
				if (r.phys_pause > r.old_phys.native_base)
					assert_false(oracle_map_reached(&r.old_phys, r.phys_pause - 1,
									r.phys.pv_base));
				(void)vnow;
			}
		}
	}
}

/* Timers: a compare value ahead of the pause fires at the first new native tick whose
 * PV reaches the old one's; one at or before the pause stays reached. */
static void test_restore_timers(void **state)
{
	struct test_rng rng = { test_seed() ^ 1 };
	uint64_t n = test_count(300);

	(void)state;
	for (unsigned int a = 0; a < lpt_vec_real_hz_count; a++) {
		for (unsigned int b = 0; b < lpt_vec_real_hz_count; b++) {
			uint64_t old_hz = lpt_vec_real_hz[a], new_hz = lpt_vec_real_hz[b];
			struct lpt_page_fields f;
			struct lpt_restore r;
			uint64_t pause = 5000000000ULL + a * 12345;

			old_page(&f, old_hz, 1000000000, 64, 1000, 77, 1ULL << 40, 999);
			assert_int_equal(lpt_restore_init(&r, &f, new_hz, 64, pause, 1ULL << 33), 0);
			for (uint64_t i = 0; i < n; i++) {
				bool phys = i & 1;
				const struct lpt_map *old = phys ? &r.old_phys : &r.old_virt;
				const struct lpt_map *next = phys ? &r.phys : &r.virt;
				uint64_t at = phys ? r.phys_pause : r.virt_pause;
				uint64_t cval, target;
				struct lpt_timer t;

				switch (i % 8) {
				case 0: cval = at; break;
				case 1: cval = at + 1; break;
				case 2: cval = at - 1; break;
				case 3: cval = 0; break;		/* long expired */
				case 4: cval = UINT64_MAX; break;	/* "never" */
				default: cval = at + test_rng_range(&rng, 1, 1ULL << 40); break;
				}
				assert_int_equal(lpt_restore_timer(&t, &r, phys, cval), 0);
				if (cval <= at || cval - at > (1ULL << 63)) {
					assert_int_equal(t.native_cval, next->native_base);
					continue;
				}
				target = oracle_map_pv(old, cval).lo;
				assert_int_equal(t.pv_cval, target);
				if (!oracle_map_reached(next, next->native_mask, target)) {
					assert_int_equal(t.native_cval, next->native_mask);
					continue;
				}
				assert_true(oracle_map_reached(next, t.native_cval, target));
				if (t.native_cval > next->native_base)
					assert_false(oracle_map_reached(next, t.native_cval - 1, target));
			}
		}
	}
}

/*
 * Revision 0: lpt_restore_init() and lpt_restore_timer() against the RFC's
 * pvclock_lpt_update_vtimer() as posted (rfc_posted.h): the same CNTVOFF and virtual
 * CVAL for random counters, compare values (ahead, reached, far away) and every pair of
 * real rates; the physical timer as it was. Counts how often the PV counter the new
 * page gives after the restore differs from the one the old page gave at pause.
 */
static void test_restore_rev0(void **state)
{
	struct test_rng rng = { test_seed() ^ 2 };
	uint64_t n = test_count(2000), behind = 0, ahead = 0, total = 0;
	uint64_t worst_behind = 0, worst_ahead = 0;

	(void)state;
	for (unsigned int a = 0; a < lpt_vec_real_hz_count; a++) {
		for (unsigned int b = 0; b < lpt_vec_real_hz_count; b++) {
			uint32_t old_hz = (uint32_t)lpt_vec_real_hz[a];
			uint32_t new_hz = (uint32_t)lpt_vec_real_hz[b];
			struct lpt_rfc_scale old_to_pv, to_pv;
			struct lpt_page_fields f;
			struct lpt_restore r;

			assert_int_equal(lpt_page_fields_rev0(&f, old_hz, 1000000000), 0);
			f.sequence = 6;
			assert_int_equal(lpt_rfc_scale_init(&old_to_pv, old_hz, 1000000000), 0);
			assert_int_equal(lpt_rfc_scale_init(&to_pv, new_hz, 1000000000), 0);
			for (uint64_t i = 0; i < n; i++) {
				uint64_t vn = test_rng_range(&rng, 0, 1ULL << 55), pv, after;
				uint64_t now = test_rng_next(&rng), cval;
				struct posted_vtimer vt = { .cntvoff = now - vn };
				struct lpt_timer t;

				switch (i % 6) {
				case 0: cval = vn; break;
				case 1: cval = vn - test_rng_range(&rng, 1, 1ULL << 40); break;
				case 2: cval = vn + test_rng_range(&rng, 1ULL << 32, 1ULL << 40); break;
				case 3: cval = UINT64_MAX; break;
				default: cval = vn + test_rng_range(&rng, 1, UINT32_MAX); break;
				}
				vt.cnt_cval = cval;
				assert_int_equal(posted_update_vtimer(f.sequence, old_hz, 1000000000,
								      1000000000, new_hz, now, &vt), 0);
				assert_int_equal(lpt_restore_init(&r, &f, new_hz, 56, vn, 0), 0);
				assert_int_equal(r.revision, LPT_PAGE_REV0);
				assert_int_equal(r.virt_resume, now - vt.cntvoff);
				assert_int_equal(lpt_restore_timer(&t, &r, false, cval), 0);
				assert_int_equal(t.native_cval, vt.cnt_cval);
				assert_int_equal(t.pv_cval, lpt_rfc_scale_apply(&to_pv, vt.cnt_cval));
				assert_int_equal(lpt_restore_timer(&t, &r, true, cval), 0);
				assert_int_equal(t.native_cval, cval);
				if (old_hz == new_hz) {
					assert_int_equal(r.virt_resume, vn);
					continue;
				}
				pv = lpt_rfc_scale_apply(&old_to_pv, vn);
				after = lpt_rfc_scale_apply(&to_pv, r.virt_resume);
				total++;
				if (after < pv) {
					behind++;
					worst_behind = pv - after > worst_behind ? pv - after : worst_behind;
				} else if (after > pv) {
					ahead++;
					worst_ahead = after - pv > worst_ahead ? after - pv : worst_ahead;
				}
			}
		}
	}
	printf("revision 0 restores between different rates: of %llu, the PV counter is behind "
	       "its value at pause in %llu (by up to %llu ticks), ahead in %llu (by up to %llu)\n",
	       (unsigned long long)total, (unsigned long long)behind,
	       (unsigned long long)worst_behind, (unsigned long long)ahead,
	       (unsigned long long)worst_ahead);
}

/* Revision 0's first run and the RFC's examples, by name. */
static void test_restore_rev0_cases(void **state)
{
	struct lpt_page_fields f;
	struct lpt_restore r, keep;
	struct lpt_timer t;

	(void)state;
	/* never published (the RFC's first run): nothing rescaled, whatever the page says */
	memset(&f, 0, sizeof(f));
	memset(&r, 0x5a, sizeof(r));
	memcpy(&keep, &r, sizeof(r));
	assert_int_equal(lpt_restore_init(&r, &f, 25000000, 64, 12345, 0), -LPT_ENOTREADY);
	assert_memory_equal(&r, &keep, sizeof(r));
	/* the same native frequency: the counter and both timers as they were */
	assert_int_equal(lpt_page_fields_rev0(&f, 25000000, 1000000000), 0);
	f.sequence = 2;
	assert_int_equal(lpt_restore_init(&r, &f, 25000000, 64, 12345, 0), 0);
	assert_int_equal(r.virt_resume, 12345);
	assert_int_equal(lpt_restore_timer(&t, &r, false, 100), 0);
	assert_int_equal(t.native_cval, 100);
	/* 25 -> 100 MHz: a timer 1000 ticks expired is pushed 42.9 s into the future */
	assert_int_equal(lpt_restore_init(&r, &f, 100000000, 64, 25000000, 0), 0);
	assert_int_equal(r.virt_resume, 100000000);
	assert_int_equal(lpt_restore_timer(&t, &r, false, 25000000 - 1000), 0);
	assert_int_equal(t.native_cval, 100000000 + (1ULL << 32) - 4000);
	/* 19.2 MHz -> 1 GHz: a deadline 5.2 s away comes 0.905 s after the restore */
	assert_int_equal(lpt_page_fields_rev0(&f, 19200000, 1000000000), 0);
	f.sequence = 4;
	assert_int_equal(lpt_restore_init(&r, &f, 1000000000, 64, 19200000, 0), 0);
	assert_int_equal(r.virt_resume, 1000000000);
	assert_int_equal(lpt_restore_timer(&t, &r, false, 19200000 + 99840000), 0);
	assert_int_equal(t.native_cval, 1000000000 + 5200000000ULL - (1ULL << 32));
	/* the physical timer keeps its compare value */
	assert_int_equal(lpt_restore_timer(&t, &r, true, 19200000 + 99840000), 0);
	assert_int_equal(t.native_cval, 19200000 + 99840000);
}

static void test_restore_rejects(void **state)
{
	struct lpt_page_fields f, g;
	struct lpt_restore r, keep;
	struct lpt_timer t = { 1, 2 };

	(void)state;
	old_page(&f, 19200000, 1000000000, 56, 1000, 0, 0, 1000);
	memset(&r, 0x5a, sizeof(r));
	memcpy(&keep, &r, sizeof(r));
	assert_int_equal(lpt_restore_init(NULL, &f, 25000000, 56, 2000, 0), -LPT_EINVAL);
	assert_int_equal(lpt_restore_init(&r, NULL, 25000000, 56, 2000, 0), -LPT_EINVAL);
	assert_int_equal(lpt_restore_init(&r, &f, 0, 56, 2000, 0), -LPT_EINVAL);
	assert_int_equal(lpt_restore_init(&r, &f, (1ULL << 40) + 1, 56, 2000, 0), -LPT_EINVAL);
	assert_int_equal(lpt_restore_init(&r, &f, 25000000, 48, 2000, 0), -LPT_EINVAL);
	assert_int_equal(lpt_restore_init(&r, &f, 25000000, 65, 2000, 0), -LPT_EINVAL);
	/* wider than the counters */
	assert_int_equal(lpt_restore_init(&r, &f, 25000000, 56, 1ULL << 56, 0), -LPT_EINVAL);
	assert_int_equal(lpt_restore_init(&r, &f, 25000000, 56, 2000, 1ULL << 56), -LPT_EINVAL);
	/* a virtual counter that went backward, before the old map's base */
	assert_int_equal(lpt_restore_init(&r, &f, 25000000, 56, 999, 0), -LPT_EINVAL);
	/* a page never published, of revision 0, with reserved bits, a broken multiplier */
	memcpy(&g, &f, sizeof(g));
	g.sequence = 0;
	assert_int_equal(lpt_restore_init(&r, &g, 25000000, 56, 2000, 0), -LPT_ENOTREADY);
	assert_int_equal(lpt_page_fields_rev0(&g, 19200000, 1000000000), 0);
	g.sequence = 2;
	/* revision 0 needs 32-bit frequencies; an unknown revision does not validate */
	assert_int_equal(lpt_restore_init(&r, &g, 1ULL << 32, 56, 2000, 0), -LPT_EINVAL);
	g.revision = 2;
	assert_int_equal(lpt_restore_init(&r, &g, 25000000, 56, 2000, 0), -LPT_EREVISION);
	memcpy(&g, &f, sizeof(g));
	g.reserved = 1;
	assert_int_equal(lpt_restore_init(&r, &g, 25000000, 56, 2000, 0), -LPT_ERESERVED);
	memcpy(&g, &f, sizeof(g));
	g.to_pv.frac_lo ^= 1;
	assert_int_equal(lpt_restore_init(&r, &g, 25000000, 56, 2000, 0), -LPT_EMULT);
	assert_memory_equal(&r, &keep, sizeof(r));
	/* timers */
	assert_int_equal(lpt_restore_init(&r, &f, 25000000, 56, 2000, 0), 0);
	assert_int_equal(lpt_restore_timer(NULL, &r, false, 5), -LPT_EINVAL);
	assert_int_equal(lpt_restore_timer(&t, NULL, false, 5), -LPT_EINVAL);
	assert_int_equal(t.pv_cval, 1);
	assert_int_equal(t.native_cval, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_restore_rates),
		cmocka_unit_test(test_restore_timers),
		cmocka_unit_test(test_restore_rev0),
		cmocka_unit_test(test_restore_rev0_cases),
		cmocka_unit_test(test_restore_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
