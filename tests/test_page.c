// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The shared page: golden bytes of both revisions (made by tests/golden/make_golden.py
 * from the ABI alone), decoding on any byte order, every validation error, the writer's
 * update-once-per-run rule, the reader's content and errors (its window across a
 * migration: test_reader.c), and the RFC arithmetic against the oracle.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <lpt/errno.h>
#include <lpt/page.h>
#include <lpt/page_reader.h>
#include <lpt/page_writer.h>
#include <lpt/internal/seqlock.h>

#include "oracle.h"
#include "testutil.h"
#include "vectors.h"

union page_buf {
	struct lpt_page_rev1 rev1;
	struct lpt_page_rev0 rev0;
	unsigned char bytes[256];
} __attribute__((aligned(LPT_PAGE_ALIGN)));

static size_t read_hex(const char *name, unsigned char *out, size_t max)
{
	char path[512];
	unsigned int byte;
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", LPT_GOLDEN_DIR, name);
	f = fopen(path, "r");
	assert_non_null(f);
	while (n < max && fscanf(f, "%2x", &byte) == 1)
		out[n++] = (unsigned char)byte;
	fclose(f);
	return n;
}

static void rev1_maps(struct lpt_map *virt, struct lpt_map *phys)
{
	assert_int_equal(lpt_map_init(virt, 19200000, 1000000000, 56, 0x0123456789abULL, 0x1000000000ULL), 0);
	assert_int_equal(lpt_map_init(phys, 19200000, 1000000000, 56, 0x0123456789abULL, 0xfedcba98765ULL), 0);
}

/* The PV counter at @native through the reader's window; *@pv unchanged on error. */
static int read_pv(struct lpt_reader *r, uint64_t native, bool phys, uint64_t *pv)
{
	uint64_t seq, v;
	int err;

	do {
		err = lpt_reader_begin(r, &seq);
		if (err)
			return err;
		v = lpt_reader_pv(r, native, phys);
	} while (lpt_reader_retry(r, seq));
	*pv = v;
	return 0;
}

/* The reader's content, copied inside its window; *@s unchanged on error. */
static int read_snap(struct lpt_reader *r, struct lpt_snapshot *s)
{
	struct lpt_snapshot c;
	uint64_t seq;
	int err;

	do {
		err = lpt_reader_begin(r, &seq);
		if (err)
			return err;
		memcpy(&c, lpt_reader_snapshot(r), sizeof(c));
	} while (lpt_reader_retry(r, seq));
	memcpy(s, &c, sizeof(c));
	return 0;
}

static void test_golden_rev0(void **state)
{
	union page_buf want, got;
	struct lpt_page_fields f;

	(void)state;
	memset(&want, 0, sizeof(want));
	memset(&got, 0xee, sizeof(got));
	assert_int_equal(read_hex("page_rev0.hex", want.bytes, sizeof(want.bytes)), LPT_PAGE_REV0_SIZE);
	assert_int_equal(lpt_page_fields_rev0(&f, 19200000, 1000000000), 0);
	f.sequence = 4;
	assert_int_equal(lpt_page_encode(&got, LPT_PAGE_REV0_SIZE, &f), 0);
	assert_memory_equal(got.bytes, want.bytes, LPT_PAGE_REV0_SIZE);
	/* Decoding the golden bytes gives the values, on any host byte order. */
	assert_int_equal(lpt_page_decode(&want, LPT_PAGE_REV0_SIZE, &f), 0);
	assert_int_equal(f.revision, 0);
	assert_int_equal(f.sequence, 4);
	assert_int_equal(f.native_hz, 19200000);
	assert_int_equal(f.pv_hz, 1000000000);
	/* 1e9 / 19.2e6 = 52.08: intbits 6, fracbits 58; the reverse: intbits 1, 63. */
	assert_int_equal(f.rfc_to_pv.fracbits, 58);
	assert_int_equal(f.rfc_to_native.fracbits, 63);
	assert_int_equal(f.rfc_to_pv.mult, 0xd055555555555555ULL);
	assert_int_equal(lpt_page_validate(&f), 0);
}

static void test_golden_rev1(void **state)
{
	union page_buf want, got;
	struct lpt_page_fields f;
	struct lpt_map virt, phys;

	(void)state;
	memset(&want, 0, sizeof(want));
	memset(&got, 0xee, sizeof(got));
	assert_int_equal(read_hex("page_rev1.hex", want.bytes, sizeof(want.bytes)), LPT_PAGE_REV1_SIZE);
	rev1_maps(&virt, &phys);
	assert_int_equal(lpt_page_fields_rev1(&f, &virt, &phys, 3), 0);
	f.sequence = 6;
	assert_int_equal(lpt_page_encode(&got, LPT_PAGE_REV1_SIZE, &f), 0);
	assert_memory_equal(got.bytes, want.bytes, LPT_PAGE_REV1_SIZE);
	assert_int_equal(lpt_page_decode(&want, LPT_PAGE_REV1_SIZE, &f), 0);
	assert_int_equal(f.revision, 1);
	assert_int_equal(f.sequence, 6);
	assert_int_equal(f.generation, 3);
	assert_int_equal(f.width, 56);
	assert_int_equal(f.virt.native_base, 0x0123456789abULL);
	assert_int_equal(f.phys.pv_base, 0xfedcba98765ULL);
	assert_int_equal(f.to_pv.whole, 52);
	assert_int_equal(f.to_pv.frac_hi, 0x1555555555555555ULL);
	assert_int_equal(f.to_native.frac_hi, 0x04ea4a8c154c985fULL);
	assert_int_equal(lpt_page_validate(&f), 0);
}

static void test_buffers(void **state)
{
	union page_buf b;
	struct lpt_page_fields f, before;

	(void)state;
	memset(&b, 0, sizeof(b));
	memset(&f, 0x11, sizeof(f));
	before = f;
	assert_int_equal(lpt_page_decode(NULL, 64, &f), -LPT_EINVAL);
	assert_int_equal(lpt_page_decode(&b, 64, NULL), -LPT_EINVAL);
	assert_int_equal(lpt_page_decode(b.bytes + 8, 64, &f), -LPT_EALIGN);
	assert_int_equal(lpt_page_decode(&b, 2, &f), -LPT_ESHORT);
	assert_int_equal(lpt_page_decode(&b, LPT_PAGE_REV0_SIZE - 1, &f), -LPT_ESHORT);
	b.rev1.revision = lpt_cpu_to_le32(1);
	assert_int_equal(lpt_page_decode(&b, LPT_PAGE_REV1_SIZE - 1, &f), -LPT_ESHORT);
	b.rev1.revision = lpt_cpu_to_le32(2);
	assert_int_equal(lpt_page_decode(&b, sizeof(b), &f), -LPT_EREVISION);
	assert_memory_equal(&f, &before, sizeof(f));
	b.rev1.revision = 0;
	assert_int_equal(lpt_page_decode(&b, LPT_PAGE_REV0_SIZE, &f), 0);
	/* A zero page decodes, and does not validate. */
	assert_int_not_equal(lpt_page_validate(&f), 0);
}

/* Each way to break a valid page, one at a time, with its distinct code. */
static void test_validation_codes(void **state)
{
	struct lpt_map virt, phys;
	struct lpt_page_fields good, f;
	union page_buf b, before;

	(void)state;
	rev1_maps(&virt, &phys);
	assert_int_equal(lpt_page_fields_rev1(&good, &virt, &phys, 1), 0);
	good.sequence = 2;
	assert_int_equal(lpt_page_validate(&good), 0);
	for (int k = 0; k < 14; k++) {
		int want;

		f = good;
		switch (k) {
		case 0: f.revision = 7; want = -LPT_EREVISION; break;
		case 1: f.flags = 1; want = -LPT_ERESERVED; break;
		case 2: f.reserved = 1ULL << 63; want = -LPT_ERESERVED; break;
		case 3: f.virt.native_base = 1ULL << 56; want = -LPT_ERESERVED; break;
		case 4: f.native_hz = 0; want = -LPT_EFREQ; break;
		case 5: f.pv_hz = LPT_FREQ_MAX_HZ + 1; want = -LPT_EFREQ; break;
		case 6: f.width = 55; want = -LPT_EWIDTH; break;
		case 7: f.width = 65; want = -LPT_EWIDTH; break;
		case 8: f.to_pv.frac_lo ^= 1; want = -LPT_EMULT; break;
		case 9: f.to_native.whole++; want = -LPT_EMULT; break;
		case 10: f.native_hz = 24000000; want = -LPT_EMULT; break;
		case 11: f.sequence = 0; want = -LPT_ENOTREADY; break;
		case 12: f.sequence = 3; want = -LPT_EBUSY; break;
		default: f.phys.native_base = ~0ULL; want = -LPT_ERESERVED; break;
		}
		assert_int_equal(lpt_page_validate(&f), want);
		/* A writer refuses it and writes nothing (the sequence is not content). */
		if (k < 11) {
			memset(&b, 0x5a, sizeof(b));
			before = b;
			assert_int_equal(lpt_page_publish(&b, sizeof(b), &f), want);
			assert_memory_equal(&b, &before, sizeof(b));
		}
	}
	/* Revision 0: attributes reserved, frequencies non-zero, multipliers checked. */
	assert_int_equal(lpt_page_fields_rev0(&good, 25000000, 1000000000), 0);
	good.sequence = 2;
	assert_int_equal(lpt_page_validate(&good), 0);
	f = good;
	f.flags = 4;
	assert_int_equal(lpt_page_validate(&f), -LPT_ERESERVED);
	f = good;
	f.pv_hz = 0;
	assert_int_equal(lpt_page_validate(&f), -LPT_EFREQ);
	f = good;
	f.rfc_to_native.fracbits--;
	assert_int_equal(lpt_page_validate(&f), -LPT_EMULT);
	f = good;
	f.rfc_to_pv.mult++;
	assert_int_equal(lpt_page_validate(&f), -LPT_EMULT);
	assert_int_equal(lpt_page_validate(NULL), -LPT_EINVAL);
	assert_int_equal(lpt_page_fields_rev0(&f, 0, 1), -LPT_EINVAL);
	assert_int_equal(lpt_page_fields_rev0(&f, 1ULL << 32, 1), -LPT_EINVAL);
	/* Maps that disagree, or a width the architecture does not have. */
	assert_int_equal(lpt_map_init(&phys, 25000000, 1000000000, 56, 0, 0), 0);
	assert_int_equal(lpt_page_fields_rev1(&f, &virt, &phys, 1), -LPT_EINVAL);
	assert_int_equal(lpt_map_init(&phys, 19200000, 1000000000, 57, 0, 0), 0);
	assert_int_equal(lpt_page_fields_rev1(&f, &virt, &phys, 1), -LPT_EINVAL);
	assert_int_equal(lpt_map_init(&virt, 19200000, 1000000000, 40, 0, 0), 0);
	assert_int_equal(lpt_page_fields_rev1(&f, &virt, &virt, 1), -LPT_EINVAL);
	assert_int_equal(lpt_page_fields_rev1(&f, NULL, &virt, 1), -LPT_EINVAL);
}

static void test_updater_and_reader(void **state)
{
	union page_buf b;
	struct lpt_updater u;
	struct lpt_reader r;
	struct lpt_snapshot s;
	struct lpt_page_fields f;
	struct lpt_map virt, phys;
	uint64_t pv = 99;

	(void)state;
	memset(&b, 0x77, sizeof(b)); /* an old host's content, restored with the VM */
	assert_int_equal(lpt_updater_init(&u, &b, sizeof(b)), 0);
	assert_int_equal(lpt_reader_init(&r, &b, sizeof(b)), 0);
	/* Until the first run the page is invalid: the feature reads as unsupported. */
	assert_int_equal(read_snap(&r, &s), -LPT_ENOTREADY);
	assert_int_equal(read_pv(&r, 5, false, &pv), -LPT_ENOTREADY);
	assert_int_equal(pv, 99);
	rev1_maps(&virt, &phys);
	assert_int_equal(lpt_page_fields_rev1(&f, &virt, &phys, 1), 0);
	assert_int_equal(lpt_updater_stage(&u, &f), 0);
	assert_int_equal(read_snap(&r, &s), -LPT_ENOTREADY);
	/* The first run publishes, once. */
	assert_int_equal(lpt_updater_vcpu_run(&u), 1);
	assert_int_equal(lpt_updater_vcpu_run(&u), 0);
	assert_int_equal(lpt_updater_vcpu_run(&u), 0);
	assert_int_equal(read_snap(&r, &s), 0);
	assert_int_equal(s.revision, 1);
	/* the restored page's sequence (odd: rounded up) is continued, not restarted */
	assert_int_equal(s.sequence, 0x7777777777777778ULL + 2);
	assert_int_equal(s.generation, 1);
	assert_int_equal(lpt_map_check(&s.virt), 0);
	assert_int_equal(lpt_map_check(&s.phys), 0);
	for (uint64_t n = 0x0123456789abULL; n < 0x0123456789abULL + (1ULL << 40); n += 0x123456789ULL) {
		assert_int_equal(read_pv(&r, n, false, &pv), 0);
		assert_int_equal(pv, lpt_map_native_to_pv(&virt, n));
		assert_int_equal(lpt_map_native_to_pv(&s.phys, n), lpt_map_native_to_pv(&phys, n));
		assert_int_equal(read_pv(&r, n, true, &pv), 0);
		assert_int_equal(pv, lpt_map_native_to_pv(&phys, n));
	}
	/* A migration: new host, new generation, published at the next run. */
	{
		struct lpt_resume res = { .native_hz = 25000000, .native = 42, .width = 64 };
		struct lpt_map v2, p2;

		assert_int_equal(lpt_map_rebase(&v2, &virt, 0x0123456789abULL + 19200000, &res), 0);
		assert_int_equal(lpt_map_rebase(&p2, &phys, 0x0123456789abULL + 19200000, &res), 0);
		assert_int_equal(lpt_page_fields_rev1(&f, &v2, &p2, 2), 0);
		assert_int_equal(lpt_updater_stage(&u, &f), 0);
		assert_int_equal(lpt_updater_vcpu_run(&u), 1);
		assert_int_equal(read_pv(&r, 42, false, &pv), 0);
		assert_int_equal(pv, 0x1000000000ULL + 1000000000ULL);
		assert_int_equal(read_snap(&r, &s), 0);
		assert_int_equal(s.generation, 2);
		assert_int_equal(s.sequence, 0x7777777777777778ULL + 4);
	}
	/* Content checked once: the second read of a sequence is the fast path. */
	assert_int_equal(r.refreshes, 2);
	assert_int_equal(r.validations, 2);
	/*
	 * A multiplier published without a new generation is checked anyway (the reader
	 * trusts the sequence, never the generation), and nothing is converted with it.
	 */
	f.to_pv.frac_lo ^= 1;
	assert_int_equal(lpt_page_encode(&b, sizeof(b), &f), 0);
	b.rev1.sequence = lpt_cpu_to_le64(0x7777777777777778ULL + 6);
	pv = 99;
	assert_int_equal(read_pv(&r, 42, false, &pv), -LPT_EMULT);
	assert_int_equal(pv, 99);
	assert_int_equal(read_snap(&r, &s), -LPT_EMULT);
	assert_int_equal(s.generation, 2);
	/* An unknown revision and reserved bits under a new sequence: refused too. */
	b.rev1.sequence = lpt_cpu_to_le64(0x7777777777777778ULL + 8);
	b.rev1.revision = lpt_cpu_to_le32(2);
	assert_int_equal(read_pv(&r, 42, false, &pv), -LPT_EREVISION);
	b.rev1.revision = lpt_cpu_to_le32(1);
	f.to_pv.frac_lo ^= 1;
	f.reserved = 1;
	f.sequence = 0x7777777777777778ULL + 10;
	assert_int_equal(lpt_page_encode(&b, sizeof(b), &f), 0);
	assert_int_equal(read_pv(&r, 42, false, &pv), -LPT_ERESERVED);
	f.reserved = 0;
	/* Caught mid-update for ever: the reader gives up with a distinct error. */
	b.rev1.sequence = lpt_cpu_to_le64(5);
	assert_int_equal(read_snap(&r, &s), -LPT_EBUSY);
	assert_int_equal(read_pv(&r, 42, false, &pv), -LPT_EBUSY);
	assert_true(r.retries >= 2 * LPT_READER_RETRIES);
	assert_int_equal(pv, 99);
	/* Bad arguments. */
	assert_int_equal(lpt_reader_init(&r, b.bytes + 1, sizeof(b)), -LPT_EALIGN);
	assert_int_equal(lpt_reader_init(&r, &b, 47), -LPT_ESHORT);
	assert_int_equal(lpt_reader_init(NULL, &b, sizeof(b)), -LPT_EINVAL);
	assert_int_equal(lpt_reader_refresh(NULL), -LPT_EINVAL);
	assert_int_equal(lpt_updater_init(&u, b.bytes + 8, sizeof(b)), -LPT_EALIGN);
	assert_int_equal(lpt_updater_stage(&u, NULL), -LPT_EINVAL);
	assert_int_equal(lpt_updater_vcpu_run(NULL), -LPT_EINVAL);
	f.width = 12;
	assert_int_equal(lpt_updater_stage(&u, &f), -LPT_EWIDTH);
	/* A reader given only revision 0's size cannot read a revision 1 page. */
	assert_int_equal(lpt_reader_init(&r, &b, LPT_PAGE_REV0_SIZE), 0);
	b.rev1.sequence = lpt_cpu_to_le64(8);
	assert_int_equal(read_snap(&r, &s), -LPT_ESHORT);
}

/*
 * A vCPU paused in the middle of a read on the old host resumes on the new one after
 * the restore (invalidate, publish at the first run): its re-check must fail, or it
 * would accept fields of both hosts. With a sequence restarted from 0 it would see the
 * same value (2) again.
 */
static void test_restore_keeps_sequence(void **state)
{
	union page_buf b;
	struct lpt_updater u;
	struct lpt_page_fields f;
	struct lpt_map virt, phys;
	uint64_t start = 0;

	(void)state;
	memset(&b, 0, sizeof(b));
	rev1_maps(&virt, &phys);
	assert_int_equal(lpt_page_fields_rev1(&f, &virt, &phys, 1), 0);
	for (int hop = 0; hop < 4; hop++) {
		assert_int_equal(lpt_updater_init(&u, &b, sizeof(b)), 0);
		assert_int_equal(lpt_updater_stage(&u, &f), 0);
		/* a reader begins on this host... */
		if (hop) {
			assert_true(lpt_seq_read_retry(&b.rev1.sequence, start));
		}
		assert_int_equal(lpt_updater_vcpu_run(&u), 1);
		start = lpt_seq_read_begin(&b.rev1.sequence);
		assert_int_equal(start, 2 * (uint64_t)(hop + 1));
		/* ... and is checked after the next restore and run */
	}
	/* the same with the restore completed before the re-check */
	assert_int_equal(lpt_updater_init(&u, &b, sizeof(b)), 0);
	assert_int_equal(lpt_updater_stage(&u, &f), 0);
	assert_int_equal(lpt_updater_vcpu_run(&u), 1);
	assert_true(lpt_seq_read_retry(&b.rev1.sequence, start));
	assert_false(lpt_seq_read_retry(&b.rev1.sequence, lpt_seq_read_begin(&b.rev1.sequence)));
}

/*
 * A writer continuing after an interrupted update (an odd sequence left behind): the
 * update in progress must read as odd, or readers would accept its fields half-written.
 */
static void test_interrupted_writer(void **state)
{
	uint64_t seq = lpt_cpu_to_le64(5), start;

	(void)state;
	start = lpt_seq_write_begin(&seq);
	assert_int_equal(start, 6);
	assert_int_equal(lpt_le64_to_cpu(seq), 7);
	assert_true(lpt_seq_read_retry(&seq, lpt_seq_read_begin(&seq)));
	lpt_seq_write_end(&seq, start);
	assert_int_equal(lpt_le64_to_cpu(seq), 8);
	assert_false(lpt_seq_read_retry(&seq, lpt_seq_read_begin(&seq)));
	/* From an even sequence, as before. */
	start = lpt_seq_write_begin(&seq);
	assert_int_equal(start, 8);
	assert_int_equal(lpt_le64_to_cpu(seq), 9);
}

static void test_rev0_reader(void **state)
{
	union page_buf b;
	struct lpt_reader r;
	struct lpt_page_fields f;
	struct lpt_rfc_scale rs;
	uint64_t pv;

	(void)state;
	memset(&b, 0, sizeof(b));
	assert_int_equal(lpt_reader_init(&r, &b, LPT_PAGE_REV0_SIZE), 0);
	assert_int_equal(lpt_page_fields_rev0(&f, 25000000, 1000000000), 0);
	assert_int_equal(lpt_page_publish(&b, LPT_PAGE_REV0_SIZE, &f), 0);
	assert_int_equal(lpt_rfc_scale_init(&rs, 25000000, 1000000000), 0);
	for (uint64_t n = 1; n < (1ULL << 60); n = n * 3 + 1) {
		assert_int_equal(read_pv(&r, n, false, &pv), 0);
		assert_int_equal(pv, lpt_rfc_scale_apply(&rs, n));
		assert_int_equal(read_pv(&r, n, true, &pv), 0);
		assert_int_equal(pv, lpt_rfc_scale_apply(&rs, n));
		assert_int_equal(lpt_reader_native_cval(&r, n, false),
				 lpt_rfc_scale_apply(&f.rfc_to_native, n));
	}
	/* One content: read and checked once, then the fast path. */
	assert_int_equal(r.refreshes, 1);
	assert_int_equal(r.validations, 1);
}

/* The RFC's multiplier and conversion against their definitions, by the oracle. */
static void test_rfc_arithmetic(void **state)
{
	struct test_rng rng = { test_seed() ^ 30 };
	struct lpt_rfc_scale s;

	(void)state;
	for (unsigned int i = 0; i < lpt_vec_real_hz_count; i++)
		for (unsigned int j = 0; j < lpt_vec_real_hz_count; j++) {
			uint64_t from = lpt_vec_real_hz[i], to = lpt_vec_real_hz[j];
			uint64_t ratio = to / from;
			uint32_t intbits = 1;

			if (to >= from)
				for (intbits = 0; ratio; ratio >>= 1)
					intbits++;
			assert_int_equal(lpt_rfc_scale_init(&s, from, to), 0);
			assert_int_equal(s.fracbits, 64 - intbits);
			/* mult = floor(2^fracbits * to / from) = floor(2^(f-1) * 2 * to / from) */
			assert_int_equal(s.mult, oracle_floor(1ULL << (s.fracbits - 1), 2 * to, from));
			for (unsigned int k = 0; k < 10000; k++) {
				uint64_t x = test_rng_input(&rng);
				struct oracle_quot ex = oracle_muldiv(x, to, from);
				uint64_t got = lpt_rfc_scale_apply(&s, x);
				uint64_t bound = (x >> s.fracbits) + 1;

				/* Never above the exact floor, below it by at most ceil(x / 2^f). */
				if (!ex.hi)
					assert_true(got <= ex.lo && ex.lo - got <= bound);
			}
		}
	assert_int_equal(lpt_rfc_scale_init(&s, 0, 1), -LPT_EINVAL);
	assert_int_equal(lpt_rfc_scale_init(&s, 1, 1ULL << 32), -LPT_EINVAL);
	assert_int_equal(lpt_rfc_scale_init(NULL, 1, 1), -LPT_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_rev0),
		cmocka_unit_test(test_golden_rev1),
		cmocka_unit_test(test_buffers),
		cmocka_unit_test(test_validation_codes),
		cmocka_unit_test(test_updater_and_reader),
		cmocka_unit_test(test_restore_keeps_sequence),
		cmocka_unit_test(test_interrupted_writer),
		cmocka_unit_test(test_rev0_reader),
		cmocka_unit_test(test_rfc_arithmetic),
	};

	return cmocka_run_group_tests_name("page", tests, NULL, NULL);
}
