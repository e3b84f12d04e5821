// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * libFuzzer target: arbitrary bytes as a page. Decoding, validation and a reader's
 * snapshot and fast path must never crash or trip a sanitizer; they must agree with
 * each other; and a page that validates must satisfy every rule of docs/abi.md, checked
 * here independently of lpt_page_validate(), and must re-encode to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lpt/errno.h>
#include <lpt/page.h>
#include <lpt/page_reader.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static void check_accepted(const struct lpt_page_fields *f, const uint8_t *data)
{
	union {
		struct lpt_page_rev1 rev1;
		unsigned char b[LPT_PAGE_MAX_SIZE];
	} again __attribute__((aligned(LPT_PAGE_ALIGN)));
	uint32_t size = lpt_page_size(f->revision);

	CHECK(f->sequence && !(f->sequence & 1));
	CHECK(!f->flags);
	if (f->revision == LPT_PAGE_REV0) {
		struct lpt_rfc_scale a, b;

		CHECK(f->native_hz && f->pv_hz && f->native_hz < (1ULL << 32) && f->pv_hz < (1ULL << 32));
		CHECK(!lpt_rfc_scale_init(&a, f->native_hz, f->pv_hz));
		CHECK(!lpt_rfc_scale_init(&b, f->pv_hz, f->native_hz));
		CHECK(a.mult == f->rfc_to_pv.mult && a.fracbits == f->rfc_to_pv.fracbits);
		CHECK(b.mult == f->rfc_to_native.mult && b.fracbits == f->rfc_to_native.fracbits);
	} else {
		struct lpt_scale a, b;

		CHECK(f->revision == LPT_PAGE_REV1 && !f->reserved);
		CHECK(f->native_hz >= 1 && f->native_hz <= (1ULL << 40));
		CHECK(f->pv_hz >= 1 && f->pv_hz <= (1ULL << 40));
		CHECK(f->width >= 56 && f->width <= 64);
		CHECK(f->virt.native_base <= lpt_counter_mask(f->width));
		CHECK(f->phys.native_base <= lpt_counter_mask(f->width));
		CHECK(!lpt_scale_init(&a, f->native_hz, f->pv_hz));
		CHECK(!lpt_scale_init(&b, f->pv_hz, f->native_hz));
		CHECK(a.whole == f->to_pv.whole && a.frac_hi == f->to_pv.frac_hi &&
		      a.frac_lo == f->to_pv.frac_lo);
		CHECK(b.whole == f->to_native.whole && b.frac_hi == f->to_native.frac_hi &&
		      b.frac_lo == f->to_native.frac_lo);
	}
	/* Every byte of an accepted page is accounted for: it re-encodes identically. */
	CHECK(!lpt_page_encode(&again, sizeof(again), f));
	CHECK(!memcmp(again.b, data, size));
}

static uint64_t fuzz_counter(const void *ctx)
{
	return *(const uint64_t *)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	union {
		struct lpt_page_rev1 rev1;
		unsigned char b[LPT_PAGE_MAX_SIZE];
	} page __attribute__((aligned(LPT_PAGE_ALIGN)));
	struct lpt_page_fields f;
	struct lpt_reader r;
	struct lpt_snapshot s;
	size_t len = size < sizeof(page) ? size : sizeof(page);
	uint64_t pv = 0, native = len * 0x9e3779b97f4a7c15ULL, seq;
	int dec, val = -LPT_EINVAL, snap, fast;

	memset(&page, 0, sizeof(page));
	memcpy(page.b, data, len);
	/* Misaligned buffers are refused, whatever their content. */
	CHECK(lpt_page_decode(page.b + 4, len, &f) == -LPT_EALIGN || len < 4);
	dec = lpt_page_decode(&page, len, &f);
	if (!dec) {
		val = lpt_page_validate(&f);
		if (!val)
			check_accepted(&f, page.b);
	}
	if (lpt_reader_init(&r, &page, len))
		return 0;
	fast = lpt_reader_read(&r, fuzz_counter, &native, false, &pv);
	snap = lpt_reader_begin(&r, &seq);
	if (!snap) {
		memcpy(&s, lpt_reader_snapshot(&r), sizeof(s));
		CHECK(!lpt_reader_retry(&r, seq));
	}
	/* A static page: the live reader accepts exactly what validation accepts. */
	CHECK(!snap == (!dec && !val));
	CHECK(!fast == !snap);
	if (!snap && s.revision == LPT_PAGE_REV1)
		CHECK(pv == lpt_map_native_to_pv(&s.virt, native));
	if (!snap && s.revision == LPT_PAGE_REV0)
		CHECK(pv == lpt_rfc_scale_apply(&s.rfc_to_pv, native));
	return 0;
}
