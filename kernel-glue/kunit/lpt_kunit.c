// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * KUnit suite for liblpt's core, run inside a real kernel: the golden vectors of
 * tests/golden/ through the same checker as the userspace suite (golden_checks.c), the
 * error paths, and the page protocol end to end.
 */
#include <kunit/test.h>

#include <lpt/lpt.h>

#include "golden_checks.h"

static void lpt_kunit_fail(void *ctx, const char *table, unsigned int row)
{
	struct kunit *test = ctx;

	KUNIT_FAIL(test, "golden %s row %u differs", table, row);
}

static void lpt_golden_vectors_test(struct kunit *test)
{
	unsigned int n = lpt_golden_check(lpt_kunit_fail, test);

	KUNIT_EXPECT_GT(test, n, 2000u);
	kunit_info(test, "%u golden vectors checked\n", n);
}

static u8 lpt_test_page[LPT_PAGE_MAX_SIZE + LPT_PAGE_ALIGN] __aligned(LPT_PAGE_ALIGN);

/* Each bad input returns its own code and changes nothing. */
static void lpt_bad_input_test(struct kunit *test)
{
	struct lpt_scale s = { .whole = 7 };
	struct lpt_map m;
	struct lpt_page_fields f;
	struct lpt_timer t;

	KUNIT_EXPECT_EQ(test, lpt_scale_init(&s, 0, 1), -LPT_EINVAL);
	KUNIT_EXPECT_EQ(test, lpt_scale_init(&s, 1, LPT_FREQ_MAX_HZ + 1), -LPT_EINVAL);
	KUNIT_EXPECT_EQ(test, lpt_scale_init(NULL, 1, 1), -LPT_EINVAL);
	KUNIT_EXPECT_EQ(test, s.whole, 7ULL);
	KUNIT_EXPECT_EQ(test, lpt_map_init(&m, 25000000, 1000000000, 65, 0, 0), -LPT_EINVAL);
	KUNIT_EXPECT_EQ(test, lpt_map_init(&m, 25000000, 1000000000, 56, 1ULL << 56, 0),
			-LPT_EINVAL);
	KUNIT_EXPECT_EQ(test, lpt_timer_write_cval(&t, NULL, 1), -LPT_EINVAL);
	KUNIT_EXPECT_EQ(test, lpt_page_decode(lpt_test_page + 8, 192, &f), -LPT_EALIGN);
	KUNIT_EXPECT_EQ(test, lpt_page_decode(lpt_test_page, 3, &f), -LPT_ESHORT);
	memset(lpt_test_page, 0, sizeof(lpt_test_page));
	lpt_test_page[0] = 9;
	KUNIT_EXPECT_EQ(test, lpt_page_decode(lpt_test_page, 192, &f), -LPT_EREVISION);
	KUNIT_EXPECT_STREQ(test, lpt_error_name(-LPT_EMULT), "LPT_EMULT");
}

/* A migration as KVM would do it: invalid until the first run, then exact. */
/* A counter that reads the value @ctx points to. */
static u64 lpt_test_counter(const void *ctx)
{
	return *(const u64 *)ctx;
}

static void lpt_page_protocol_test(struct kunit *test)
{
	struct lpt_updater u;
	struct lpt_reader r;
	struct lpt_page_fields f;
	struct lpt_map virt, next;
	struct lpt_resume res = { .native_hz = 25000000, .native = 1000, .width = 64,
				  .downtime = LPT_DOWNTIME_HIDE };
	u64 pv = 0, native = 5;

	KUNIT_ASSERT_EQ(test, lpt_updater_init(&u, lpt_test_page, LPT_PAGE_MAX_SIZE), 0);
	KUNIT_ASSERT_EQ(test, lpt_reader_init(&r, lpt_test_page, LPT_PAGE_MAX_SIZE), 0);
	KUNIT_EXPECT_EQ(test, lpt_reader_read(&r, lpt_test_counter, &native, false, &pv),
			-LPT_ENOTREADY);
	KUNIT_ASSERT_EQ(test, lpt_map_init(&virt, 19200000, 1000000000, 56, 0, 0), 0);
	KUNIT_ASSERT_EQ(test, lpt_page_fields_rev1(&f, &virt, &virt, 1), 0);
	KUNIT_ASSERT_EQ(test, lpt_updater_stage(&u, &f), 0);
	KUNIT_EXPECT_EQ(test, lpt_updater_vcpu_run(&u), 1);
	KUNIT_EXPECT_EQ(test, lpt_updater_vcpu_run(&u), 0);
	native = 19200000;
	KUNIT_EXPECT_EQ(test, lpt_reader_read(&r, lpt_test_counter, &native, false, &pv), 0);
	KUNIT_EXPECT_EQ(test, pv, 1000000000ULL);
	/* One second later the VM moves to a 25 MHz host. */
	KUNIT_ASSERT_EQ(test, lpt_map_rebase(&next, &virt, 19200000, &res), 0);
	KUNIT_ASSERT_EQ(test, lpt_page_fields_rev1(&f, &next, &next, 2), 0);
	KUNIT_ASSERT_EQ(test, lpt_updater_stage(&u, &f), 0);
	KUNIT_EXPECT_EQ(test, lpt_updater_vcpu_run(&u), 1);
	native = 1000 + 25000000;
	KUNIT_EXPECT_EQ(test, lpt_reader_read(&r, lpt_test_counter, &native, false, &pv), 0);
	KUNIT_EXPECT_EQ(test, pv, 2000000000ULL);
}

/*
 * What the KVM glue does at the first vCPU run after a restore (pvtime_lpt.c), with the
 * pages it must refuse: the old host's page decoded, the counters continued, a timer
 * re-programmed, the sequence continued; a never-published, unknown-revision,
 * reserved-bit or wrong-multiplier page refused with its own code and nothing changed;
 * a zero frequency refused; a revision 0 page continued as the RFC's code does it.
 */
static void lpt_restore_test(struct kunit *test)
{
	struct lpt_updater u;
	struct lpt_page_fields f, bad;
	struct lpt_restore r, keep;
	struct lpt_map virt;
	struct lpt_timer t;
	u64 seq;

	memset(lpt_test_page, 0, sizeof(lpt_test_page));
	KUNIT_ASSERT_EQ(test, lpt_page_decode(lpt_test_page, LPT_PAGE_MAX_SIZE, &f), 0);
	KUNIT_EXPECT_EQ(test, f.sequence, 0ULL);	/* the glue: a VM starting here */
	/* The old host (19.2 MHz) published its page once. */
	KUNIT_ASSERT_EQ(test, lpt_map_init(&virt, 19200000, 1000000000, 64, 500, 7), 0);
	KUNIT_ASSERT_EQ(test, lpt_page_fields_rev1(&f, &virt, &virt, 1), 0);
	KUNIT_ASSERT_EQ(test, lpt_updater_init(&u, lpt_test_page, LPT_PAGE_MAX_SIZE), 0);
	KUNIT_ASSERT_EQ(test, lpt_updater_stage(&u, &f), 0);
	KUNIT_ASSERT_EQ(test, lpt_updater_vcpu_run(&u), 1);
	/* On the new host (25 MHz), one old second after the base. */
	KUNIT_ASSERT_EQ(test, lpt_page_decode(lpt_test_page, LPT_PAGE_MAX_SIZE, &f), 0);
	seq = f.sequence;
	KUNIT_ASSERT_EQ(test, lpt_restore_init(&r, &f, 25000000, 64, 500 + 19200000, 1ULL << 40), 0);
	KUNIT_EXPECT_EQ(test, r.virt.pv_base, 7ULL + 1000000000ULL);
	KUNIT_EXPECT_EQ(test, r.phys.pv_base, r.virt.pv_base);
	/* A virtual timer due 1 ms of old counter later: 1 ms of the new one. */
	KUNIT_ASSERT_EQ(test, lpt_restore_timer(&t, &r, false, 500 + 19200000 + 19200), 0);
	KUNIT_EXPECT_EQ(test, t.native_cval, 500ULL + 19200000 + 25000);
	/* One that had fired stays fired. */
	KUNIT_ASSERT_EQ(test, lpt_restore_timer(&t, &r, false, 400), 0);
	KUNIT_EXPECT_EQ(test, t.native_cval, 500ULL + 19200000);
	KUNIT_ASSERT_EQ(test, lpt_page_fields_rev1(&f, &r.virt, &r.phys, f.generation + 1), 0);
	KUNIT_ASSERT_EQ(test, lpt_updater_init(&u, lpt_test_page, LPT_PAGE_MAX_SIZE), 0);
	KUNIT_ASSERT_EQ(test, lpt_updater_stage(&u, &f), 0);
	KUNIT_ASSERT_EQ(test, lpt_updater_vcpu_run(&u), 1);
	KUNIT_ASSERT_EQ(test, lpt_page_decode(lpt_test_page, LPT_PAGE_MAX_SIZE, &f), 0);
	KUNIT_EXPECT_EQ(test, f.sequence, seq + 2);

	/* Pages the glue refuses (it then invalidates the page: the guest falls back). */
	memset(&keep, 0x5a, sizeof(keep));
	memcpy(&r, &keep, sizeof(r));
	memcpy(&bad, &f, sizeof(bad));
	bad.sequence = 0;
	KUNIT_EXPECT_EQ(test, lpt_restore_init(&r, &bad, 25000000, 64, 1ULL << 30, 0),
			-LPT_ENOTREADY);
	memcpy(&bad, &f, sizeof(bad));
	bad.reserved = 1;
	KUNIT_EXPECT_EQ(test, lpt_restore_init(&r, &bad, 25000000, 64, 1ULL << 30, 0),
			-LPT_ERESERVED);
	memcpy(&bad, &f, sizeof(bad));
	bad.to_native.frac_hi ^= 1;
	KUNIT_EXPECT_EQ(test, lpt_restore_init(&r, &bad, 25000000, 64, 1ULL << 30, 0),
			-LPT_EMULT);
	memcpy(&bad, &f, sizeof(bad));
	bad.revision = 2;
	KUNIT_EXPECT_EQ(test, lpt_restore_init(&r, &bad, 25000000, 64, 1ULL << 30, 0),
			-LPT_EREVISION);
	/* revision 0 needs 32-bit frequencies */
	KUNIT_ASSERT_EQ(test, lpt_page_fields_rev0(&bad, 19200000, 1000000000), 0);
	bad.sequence = 2;
	KUNIT_EXPECT_EQ(test, lpt_restore_init(&r, &bad, 1ULL << 32, 64, 1ULL << 30, 0),
			-LPT_EINVAL);
	/* a virtual counter restored behind the page's base; a zero host frequency */
	KUNIT_EXPECT_EQ(test, lpt_restore_init(&r, &f, 25000000, 64, 0, 0), -LPT_EINVAL);
	KUNIT_EXPECT_EQ(test, lpt_restore_init(&r, &f, 0, 64, 1ULL << 40, 0), -LPT_EINVAL);
	KUNIT_EXPECT_FALSE(test, lpt_freq_valid(0));
	KUNIT_EXPECT_EQ(test, memcmp(&r, &keep, sizeof(r)), 0);
	/*
	 * Revision 0, as the RFC's pvclock_lpt_update_vtimer(): the virtual counter
	 * rescaled by one floor of the native ratio (one second of 19.2 MHz is one of
	 * 25 MHz); the virtual timer by its u32 TVAL, so one expired by a tick is pushed
	 * (2^32 - 1) * 25 / 19.2 mod 2^32 ticks (51.9 s) ahead; the physical one as it was.
	 */
	KUNIT_ASSERT_EQ(test, lpt_restore_init(&r, &bad, 25000000, 64, 19200000, 0), 0);
	KUNIT_EXPECT_EQ(test, r.virt_resume, 25000000ULL);
	KUNIT_ASSERT_EQ(test, lpt_restore_timer(&t, &r, false, 19200000 - 1), 0);
	KUNIT_EXPECT_EQ(test, t.native_cval, 25000000ULL + 1297438036);
	KUNIT_ASSERT_EQ(test, lpt_restore_timer(&t, &r, true, 19200000 - 1), 0);
	KUNIT_EXPECT_EQ(test, t.native_cval, 19200000ULL - 1);
	/* never published: the RFC's first run, nothing to rescale */
	bad.sequence = 0;
	KUNIT_EXPECT_EQ(test, lpt_restore_init(&r, &bad, 25000000, 64, 19200000, 0),
			-LPT_ENOTREADY);
	/* a misaligned or short page */
	KUNIT_EXPECT_EQ(test, lpt_updater_init(&u, lpt_test_page + 8, 192), -LPT_EALIGN);
	KUNIT_EXPECT_EQ(test, lpt_updater_init(&u, lpt_test_page, 40), -LPT_ESHORT);
}

static struct kunit_case lpt_test_cases[] = {
	KUNIT_CASE(lpt_golden_vectors_test),
	KUNIT_CASE(lpt_bad_input_test),
	KUNIT_CASE(lpt_page_protocol_test),
	KUNIT_CASE(lpt_restore_test),
	{}
};

static struct kunit_suite lpt_test_suite = {
	.name = "lpt",
	.test_cases = lpt_test_cases,
};
kunit_test_suite(lpt_test_suite);

MODULE_LICENSE("Dual BSD/GPL");
