// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The guest's reader across a migration, deterministically: a vCPU reads its counter on
 * a 19.2 MHz host A, is paused at a chosen step of its read, restored on a 1 GHz host B
 * (the page invalidated, B's content published at the first run) and resumes there.
 * Whatever the step, the value it accepts must be the conversion of the counter it read
 * by the content of the host it read it on. The control: a counter read before the
 * window (the pattern the reader API had before it took the counter read inside) gives
 * A's counter converted with B's content, and the same check catches it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <lpt/errno.h>
#include <lpt/map.h>
#include <lpt/page_reader.h>
#include <lpt/page_writer.h>
#include <lpt/timer.h>

#include "map_oracle.h"

#define HOST_A		0
#define HOST_B		1
#define A_HZ		19200000ULL
#define B_HZ		1000000000ULL
#define PV_HZ		1000000000ULL

/* Where the vCPU is paused and moved to host B. */
enum step {
	STEP_BEFORE_BEGIN,
	STEP_AFTER_BEGIN,	/* before the counter read */
	STEP_AFTER_COUNTER,	/* the counter read on A, not yet converted */
	STEP_AFTER_CONVERT,	/* converted, not yet re-checked */
	STEP_AFTER_RETRY,	/* the read completed on A */
	STEP_NEVER,
	STEP_COUNT,
};

struct rig {
	union {
		struct lpt_page_rev1 rev1;
		unsigned char bytes[LPT_PAGE_REV1_SIZE];
	} page __attribute__((aligned(LPT_PAGE_ALIGN)));
	struct lpt_updater up;
	struct lpt_map virt[2], phys[2];
	uint64_t counter[2];	/* each host's counter (the virtual counter) */
	unsigned int host;	/* where the vCPU runs */
	enum step migrate_at;	/* lpt_reader_read(): the counter read migrates there */
	unsigned int counter_reads;
};

static int publish(struct rig *g, unsigned int h, uint64_t generation)
{
	struct lpt_page_fields f;
	int err = lpt_page_fields_rev1(&f, &g->virt[h], &g->phys[h], generation);

	if (!err)
		err = lpt_updater_stage(&g->up, &f);
	if (!err)
		err = lpt_updater_vcpu_run(&g->up) == 1 ? 0 : -LPT_EINVAL;
	return err;
}

/* Host A's page, and host B's maps for a VM paused at A's counter value pause_a. */
static void rig_init(struct rig *g)
{
	const uint64_t pause_a = 0x00ffffff12345678ULL, resume_b = 0x0100000000000042ULL;
	struct lpt_resume res = { .native_hz = B_HZ, .native = resume_b, .width = 64,
				  .downtime = LPT_DOWNTIME_HIDE };

	memset(g, 0, sizeof(*g));
	assert_int_equal(lpt_map_init(&g->virt[HOST_A], A_HZ, PV_HZ, 56, 0x00fff00000000000ULL,
				      7), 0);
	assert_int_equal(lpt_map_init(&g->phys[HOST_A], A_HZ, PV_HZ, 56, 0x00fff00000000100ULL,
				      7), 0);
	assert_int_equal(lpt_map_rebase(&g->virt[HOST_B], &g->virt[HOST_A], pause_a, &res), 0);
	res.native = resume_b + 3;
	assert_int_equal(lpt_map_rebase(&g->phys[HOST_B], &g->phys[HOST_A], pause_a, &res), 0);
	assert_int_equal(lpt_updater_init(&g->up, &g->page, sizeof(g->page)), 0);
	assert_int_equal(publish(g, HOST_A, 1), 0);
	g->counter[HOST_A] = pause_a;
	g->counter[HOST_B] = resume_b + 1000;
	g->host = HOST_A;
	g->migrate_at = STEP_NEVER;
}

/* The VMM: the vCPU paused on A, restored on B, B's content published at its first run. */
static void migrate(struct rig *g)
{
	assert_int_equal(g->host, HOST_A);
	assert_int_equal(lpt_updater_init(&g->up, &g->page, sizeof(g->page)), 0);
	g->host = HOST_B;
	assert_int_equal(publish(g, HOST_B, 2), 0);
}

static uint64_t counter_read(struct rig *g, unsigned int *host)
{
	*host = g->host;
	return g->counter[g->host];
}

/*
 * One read of the virtual PV counter by the begin/retry pair, the vCPU migrated at
 * @at; @outside reads the counter before the window. Returns the value accepted, and in
 * *@host and *@native the counter it converted.
 */
static uint64_t read_pv(struct rig *g, struct lpt_reader *r, enum step at, bool outside,
			unsigned int *host, uint64_t *native)
{
	uint64_t seq, pv = 0;

	if (at == STEP_BEFORE_BEGIN)
		migrate(g);
	if (outside)
		*native = counter_read(g, host);
	do {
		assert_int_equal(lpt_reader_begin(r, &seq), 0);
		if (at == STEP_AFTER_BEGIN && g->host == HOST_A)
			migrate(g);
		if (!outside)
			*native = counter_read(g, host);
		if (at == STEP_AFTER_COUNTER && g->host == HOST_A)
			migrate(g);
		pv = lpt_reader_pv(r, *native, false);
		if (at == STEP_AFTER_CONVERT && g->host == HOST_A)
			migrate(g);
	} while (lpt_reader_retry(r, seq));
	if (at == STEP_AFTER_RETRY)
		migrate(g);
	return pv;
}

static void test_window_across_migration(void **state)
{
	(void)state;
	for (enum step at = 0; at < STEP_COUNT; at++) {
		struct rig g;
		struct lpt_reader r;
		unsigned int host;
		uint64_t native, pv;

		rig_init(&g);
		assert_int_equal(lpt_reader_init(&r, &g.page, sizeof(g.page)), 0);
		/* The reader knows A's content already (the common case). */
		pv = read_pv(&g, &r, STEP_NEVER, false, &host, &native);
		assert_int_equal(pv, lpt_map_native_to_pv(&g.virt[HOST_A], g.counter[HOST_A]));
		pv = read_pv(&g, &r, at, false, &host, &native);
		assert_int_equal(native, g.counter[host]);
		assert_int_equal(pv, lpt_map_native_to_pv(&g.virt[host], native));
		/* Paused anywhere before the re-check: the read is made again on B. */
		if (at <= STEP_AFTER_CONVERT)
			assert_int_equal(host, HOST_B);
	}
}

/*
 * The control: the counter read on A before the window, the vCPU moved to B, then the
 * window: B's content accepts A's counter value, which lies before B's map's base and
 * wraps. The check above catches it.
 */
static void test_counter_outside_is_caught(void **state)
{
	struct rig g;
	struct lpt_reader r;
	unsigned int host;
	uint64_t native, pv;

	(void)state;
	rig_init(&g);
	assert_int_equal(lpt_reader_init(&r, &g.page, sizeof(g.page)), 0);
	(void)read_pv(&g, &r, STEP_NEVER, false, &host, &native);
	pv = read_pv(&g, &r, STEP_BEFORE_BEGIN + 0, false, &host, &native);
	assert_int_equal(pv, lpt_map_native_to_pv(&g.virt[host], native));
	/* Again from A, the counter read before the window. */
	rig_init(&g);
	assert_int_equal(lpt_reader_init(&r, &g.page, sizeof(g.page)), 0);
	(void)read_pv(&g, &r, STEP_NEVER, false, &host, &native);
	native = counter_read(&g, &host);
	migrate(&g);
	pv = read_pv(&g, &r, STEP_NEVER, true, &host, &native);
	assert_int_equal(host, HOST_B);
	{
		uint64_t seq, a_native = g.counter[HOST_A], right, wrong = 0;

		do {
			assert_int_equal(lpt_reader_begin(&r, &seq), 0);
			wrong = lpt_reader_pv(&r, a_native, false);
		} while (lpt_reader_retry(&r, seq));
		right = lpt_map_native_to_pv(&g.virt[HOST_A], a_native);
		/* B's content took A's value, before B's base: 2^64 - a little, ticks ahead. */
		assert_int_equal(wrong, lpt_map_native_to_pv(&g.virt[HOST_B], a_native));
		assert_int_not_equal(wrong, right);
		assert_true(wrong - right > (1ULL << 60));
	}
}

/* lpt_reader_read()'s counter read, which migrates the vCPU where the rig says. */
static uint64_t rig_counter(const void *ctx)
{
	struct rig *g = (struct rig *)(uintptr_t)ctx;
	uint64_t native;

	g->counter_reads++;
	if (g->migrate_at == STEP_AFTER_BEGIN && g->host == HOST_A)
		migrate(g);
	native = g->counter[g->host];
	if (g->migrate_at == STEP_AFTER_COUNTER && g->host == HOST_A)
		migrate(g);
	return native;
}

static void test_read_across_migration(void **state)
{
	static const enum step steps[] = { STEP_AFTER_BEGIN, STEP_AFTER_COUNTER, STEP_NEVER };

	(void)state;
	for (unsigned int i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct rig g;
		struct lpt_reader r;
		uint64_t pv = 0;

		rig_init(&g);
		assert_int_equal(lpt_reader_init(&r, &g.page, sizeof(g.page)), 0);
		assert_int_equal(lpt_reader_read(&r, rig_counter, &g, false, &pv), 0);
		g.migrate_at = steps[i];
		g.counter_reads = 0;
		assert_int_equal(lpt_reader_read(&r, rig_counter, &g, false, &pv), 0);
		assert_int_equal(pv, lpt_map_native_to_pv(&g.virt[g.host], g.counter[g.host]));
		/* Migrated inside the window: the counter is read again, on B. */
		assert_int_equal(g.counter_reads, steps[i] == STEP_NEVER ? 1 : 2);
		assert_int_equal(g.host, steps[i] == STEP_NEVER ? HOST_A : HOST_B);
		assert_int_equal(lpt_reader_read(&r, rig_counter, &g, true, &pv), 0);
		assert_int_equal(pv, lpt_map_native_to_pv(&g.phys[g.host], g.counter[g.host]));
	}
}

/* Timer programming: the PV "now" and the compare value from one content. */
static void test_cval_across_migration(void **state)
{
	(void)state;
	for (enum step at = 0; at < STEP_COUNT; at++) {
		struct rig g;
		struct lpt_reader r;
		uint64_t seq, native, cval = 0;
		unsigned int host = HOST_A;
		const uint64_t evt = 12345678;

		rig_init(&g);
		assert_int_equal(lpt_reader_init(&r, &g.page, sizeof(g.page)), 0);
		if (at == STEP_BEFORE_BEGIN)
			migrate(&g);
		do {
			assert_int_equal(lpt_reader_begin(&r, &seq), 0);
			if (at == STEP_AFTER_BEGIN && g.host == HOST_A)
				migrate(&g);
			native = counter_read(&g, &host);
			if (at == STEP_AFTER_COUNTER && g.host == HOST_A)
				migrate(&g);
			cval = lpt_reader_native_cval(&r, lpt_reader_pv(&r, native, false) + evt,
						      false);
			if (at == STEP_AFTER_CONVERT && g.host == HOST_A)
				migrate(&g);
		} while (lpt_reader_retry(&r, seq));
		assert_int_equal(cval, lpt_timer_native_cval(&g.virt[host],
				 lpt_map_native_to_pv(&g.virt[host], native) + evt));
		if (at <= STEP_AFTER_CONVERT)
			assert_int_equal(host, HOST_B);
	}
}

/* A page caught invalid (a restore not yet run) or mid-update: an error, never 0. */
static void test_errors_change_nothing(void **state)
{
	struct rig g;
	struct lpt_reader r;
	uint64_t pv = 99, seq = 77;

	(void)state;
	rig_init(&g);
	assert_int_equal(lpt_reader_init(&r, &g.page, sizeof(g.page)), 0);
	assert_int_equal(lpt_updater_init(&g.up, &g.page, sizeof(g.page)), 0);
	assert_int_equal(lpt_reader_read(&r, rig_counter, &g, false, &pv), -LPT_ENOTREADY);
	assert_int_equal(lpt_reader_begin(&r, &seq), -LPT_ENOTREADY);
	assert_int_equal(pv, 99);
	assert_int_equal(g.counter_reads, 0);	/* no conversion was attempted */
	g.page.rev1.sequence = lpt_cpu_to_le64(41);
	assert_int_equal(lpt_reader_read(&r, rig_counter, &g, false, &pv), -LPT_EBUSY);
	assert_int_equal(pv, 99);
	assert_int_equal(lpt_reader_read_slow(NULL, rig_counter, &g, false).err, -LPT_EINVAL);
	assert_int_equal(lpt_reader_read_slow(&r, NULL, &g, false).err, -LPT_EINVAL);
}

/*
 * A page that stops being readable under a guest running on it: the reads fail, and
 * the content held converts as before, by the oracle; a reader that never validated
 * content has nothing to fall back to.
 */
static void test_held_content(void **state)
{
	struct rig g;
	struct lpt_reader r, fresh;
	const uint64_t evt = 1000000;
	uint64_t pv = 0, want, cval = 7, native, seq;
	struct oracle_quot q;

	(void)state;
	rig_init(&g);
	assert_int_equal(lpt_reader_init(&r, &g.page, sizeof(g.page)), 0);
	assert_int_equal(lpt_reader_init(&fresh, &g.page, sizeof(g.page)), 0);
	assert_int_equal(lpt_reader_read(&r, rig_counter, &g, false, &want), 0);
	assert_int_equal(lpt_reader_held_pv(&fresh, 1, false, &pv), -LPT_ENOTREADY);
	assert_int_equal(lpt_reader_held_native_cval(&fresh, 1, false, &cval), -LPT_ENOTREADY);
	assert_int_equal(cval, 7);

	/* Invalidated (sequence 0), then stuck odd, then corrupted: each read fails. */
	for (int how = 0; how < 3; how++) {
		rig_init(&g);
		assert_int_equal(lpt_reader_init(&r, &g.page, sizeof(g.page)), 0);
		assert_int_equal(lpt_reader_read(&r, rig_counter, &g, true, &pv), 0);
		seq = lpt_le64_to_cpu(g.page.rev1.sequence);
		if (how == 0) {
			assert_int_equal(lpt_page_invalidate(&g.page, sizeof(g.page)), 0);
		} else if (how == 1) {
			g.page.rev1.sequence = lpt_cpu_to_le64(seq + 1);
		} else {	/* content published under a new sequence, a reserved bit set */
			g.page.rev1.reserved[0] = lpt_cpu_to_le64(1);
			g.page.rev1.sequence = lpt_cpu_to_le64(seq + 2);
		}
		assert_int_not_equal(lpt_reader_read(&r, rig_counter, &g, false, &pv), 0);
		for (native = 0x00ffffff12345678ULL; native < 0x00ffffff12345678ULL + 5000000;
		     native += 999983) {
			assert_int_equal(lpt_reader_held_pv(&r, native, false, &pv), 0);
			q = oracle_map_pv(&g.virt[HOST_A], native);
			assert_int_equal(pv, q.lo);
			assert_int_equal(lpt_reader_held_pv(&r, native, true, &pv), 0);
			assert_int_equal(pv, oracle_map_pv(&g.phys[HOST_A], native).lo);
			assert_int_equal(lpt_reader_held_native_cval(&r, q.lo + evt, false, &cval),
					 0);
			assert_true(oracle_map_reached(&g.virt[HOST_A], cval, q.lo + evt));
			assert_false(oracle_map_reached(&g.virt[HOST_A], cval - 1, q.lo + evt));
		}
	}
	assert_int_equal(lpt_reader_held_pv(NULL, 1, false, &pv), -LPT_EINVAL);
	assert_int_equal(lpt_reader_held_pv(&r, 1, false, NULL), -LPT_EINVAL);
	assert_int_equal(lpt_reader_held_native_cval(NULL, 1, false, &cval), -LPT_EINVAL);
	assert_int_equal(lpt_reader_held_native_cval(&r, 1, false, NULL), -LPT_EINVAL);
}

/*
 * A copy of a reader's map (what the kernel puts in the vDSO's data) converts only
 * while the page's sequence is the copy's: by the oracle then, an error otherwise
 * (another host's content, a page updated, invalidated or mid-update, a migration
 * inside the read), the value unchanged and the counter not converted.
 */
static void test_map_read(void **state)
{
	static const enum step steps[] = { STEP_AFTER_BEGIN, STEP_AFTER_COUNTER };
	struct lpt_map virt, phys;
	struct rig g;
	struct lpt_reader r;
	uint64_t pv = 0, seq, copied;

	(void)state;
	for (unsigned int i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		rig_init(&g);
		assert_int_equal(lpt_reader_init(&r, &g.page, sizeof(g.page)), 0);
		assert_int_equal(lpt_reader_refresh(&r), 0);
		copied = lpt_reader_snapshot(&r)->sequence;
		virt = lpt_reader_snapshot(&r)->virt;
		phys = lpt_reader_snapshot(&r)->phys;
		assert_int_equal(lpt_map_read(&g.page, copied, &virt, rig_counter, &g, &pv), 0);
		assert_int_equal(pv, oracle_map_pv(&g.virt[HOST_A], g.counter[HOST_A]).lo);
		assert_int_equal(lpt_map_read(&g.page, copied, &phys, rig_counter, &g, &pv), 0);
		assert_int_equal(pv, oracle_map_pv(&g.phys[HOST_A], g.counter[HOST_A]).lo);
		/* Migrated inside the read: refused, whatever was converted. */
		g.migrate_at = steps[i];
		pv = 99;
		assert_int_equal(lpt_map_read(&g.page, copied, &virt, rig_counter, &g, &pv),
				 -LPT_EBUSY);
		assert_int_equal(pv, 99);
		assert_int_equal(g.host, HOST_B);
		/* On B, A's copy is refused before the counter is read... */
		g.counter_reads = 0;
		assert_int_equal(lpt_map_read(&g.page, copied, &virt, rig_counter, &g, &pv),
				 -LPT_ENOTREADY);
		assert_int_equal(g.counter_reads, 0);
		assert_int_equal(pv, 99);
		/* ... until the owner's reader copies B's content. */
		do {
			assert_int_equal(lpt_reader_begin(&r, &seq), 0);
			copied = lpt_reader_snapshot(&r)->sequence;
			virt = lpt_reader_snapshot(&r)->virt;
		} while (lpt_reader_retry(&r, seq));
		assert_int_equal(lpt_map_read(&g.page, copied, &virt, rig_counter, &g, &pv), 0);
		assert_int_equal(pv, oracle_map_pv(&g.virt[HOST_B], g.counter[HOST_B]).lo);
	}

	/* Mid-update (odd), a copy of no content (0), invalidated (0). */
	seq = lpt_le64_to_cpu(g.page.rev1.sequence);
	g.page.rev1.sequence = lpt_cpu_to_le64(seq + 1);
	g.counter_reads = 0;
	pv = 99;
	assert_int_equal(lpt_map_read(&g.page, copied, &virt, rig_counter, &g, &pv),
			 -LPT_ENOTREADY);
	g.page.rev1.sequence = lpt_cpu_to_le64(seq);
	assert_int_equal(lpt_map_read(&g.page, 0, &virt, rig_counter, &g, &pv), -LPT_ENOTREADY);
	assert_int_equal(lpt_page_invalidate(&g.page, sizeof(g.page)), 0);
	assert_int_equal(lpt_map_read(&g.page, copied, &virt, rig_counter, &g, &pv),
			 -LPT_ENOTREADY);
	assert_int_equal(lpt_map_read(&g.page, 0, &virt, rig_counter, &g, &pv), -LPT_ENOTREADY);
	assert_int_equal(g.counter_reads, 0);
	assert_int_equal(pv, 99);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window_across_migration),
		cmocka_unit_test(test_counter_outside_is_caught),
		cmocka_unit_test(test_read_across_migration),
		cmocka_unit_test(test_cval_across_migration),
		cmocka_unit_test(test_errors_change_nothing),
		cmocka_unit_test(test_held_content),
		cmocka_unit_test(test_map_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
