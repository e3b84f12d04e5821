/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The shared LPT page: its two ABI revisions (docs/abi.md), their encoding and their
 * validation. The host's side of its sequence protocol is in lpt/page_writer.h, the
 * guest's in lpt/page_reader.h.
 *
 * Every field is little-endian. A page is LPT_PAGE_ALIGN-byte aligned; revision 0 is
 * 48 bytes (the Aug 2020 RFC's layout, reproduced), revision 1 is 192 bytes.
 */
#ifndef LPT_PAGE_H
#define LPT_PAGE_H

#include <lpt/port.h>
#include <lpt/errno.h>
#include <lpt/map.h>
#include <lpt/rfc.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LPT_PAGE_ALIGN		64
#define LPT_PAGE_REV0		0
#define LPT_PAGE_REV1		1
#define LPT_PAGE_REV0_SIZE	48
#define LPT_PAGE_REV1_SIZE	192
#define LPT_PAGE_MAX_SIZE	LPT_PAGE_REV1_SIZE
/* The native counter widths a page may state: the architecture's. */
#define LPT_PAGE_WIDTH_MIN	56
#define LPT_PAGE_WIDTH_MAX	64

/**
 * struct lpt_page_rev0 - Revision 0: the Aug 2020 RFC's page, byte for byte.
 * @revision: 0.
 * @attributes: 0 (reserved).
 * @sequence: the RFC's: +2 at each update, 0 before the first (its host never wrote it
 *	odd); liblpt's writer also sets bit 0 while it writes (this project's rule).
 * @native_freq: native counter frequency in Hz.
 * @pv_freq: PV counter frequency in Hz.
 * @scale_mult: floor(2^fracbits * pv_freq / native_freq).
 * @rscale_mult: floor(2^rfracbits * native_freq / pv_freq).
 * @fracbits: 64 - intbits(pv_freq / native_freq).
 * @rfracbits: 64 - intbits(native_freq / pv_freq).
 */
struct lpt_page_rev0 {
	uint32_t revision;
	uint32_t attributes;
	uint64_t sequence;
	uint32_t native_freq;
	uint32_t pv_freq;
	uint64_t scale_mult;
	uint64_t rscale_mult;
	uint32_t fracbits;
	uint32_t rfracbits;
};

/**
 * struct lpt_page_rev1 - Revision 1: everything for the exact map, both counters.
 * @revision: 1.
 * @flags: 0 (no flag is defined yet; every bit is reserved).
 * @sequence: odd while an update is in progress, even when stable, 0 = never set.
 * @generation: changes at every migration (the writer's count of published maps).
 * @native_hz: native counter frequency in Hz, 1 to 2^40.
 * @pv_hz: PV counter frequency in Hz, 1 to 2^40.
 * @width: native counter width in bits, 56 to 64.
 * @reserved0: 0.
 * @virt_native_base: virtual counter: native value at which the PV counter is ...
 * @virt_pv_base: ... this value.
 * @phys_native_base: physical counter: native value at which the PV counter is ...
 * @phys_pv_base: ... this value.
 * @to_pv_whole: native->PV scale, integer part (struct lpt_scale.whole).
 * @to_pv_frac_hi: native->PV scale, fraction bits 127..64.
 * @to_pv_frac_lo: native->PV scale, fraction bits 63..0.
 * @to_native_whole: PV->native scale, integer part.
 * @to_native_frac_hi: PV->native scale, fraction bits 127..64.
 * @to_native_frac_lo: PV->native scale, fraction bits 63..0.
 * @reserved: 0, room to grow.
 */
struct lpt_page_rev1 {
	uint32_t revision;
	uint32_t flags;
	uint64_t sequence;
	uint64_t generation;
	uint64_t native_hz;
	uint64_t pv_hz;
	uint32_t width;
	uint32_t reserved0;
	uint64_t virt_native_base;
	uint64_t virt_pv_base;
	uint64_t phys_native_base;
	uint64_t phys_pv_base;
	uint64_t to_pv_whole;
	uint64_t to_pv_frac_hi;
	uint64_t to_pv_frac_lo;
	uint64_t to_native_whole;
	uint64_t to_native_frac_hi;
	uint64_t to_native_frac_lo;
	uint64_t reserved[8];
};

#define LPT_ASSERT_OFFSET(type, field, off) \
	lpt_static_assert(offsetof(struct type, field) == (off), #type "." #field " at " #off)
LPT_ASSERT_OFFSET(lpt_page_rev0, revision, 0);
LPT_ASSERT_OFFSET(lpt_page_rev0, attributes, 4);
LPT_ASSERT_OFFSET(lpt_page_rev0, sequence, 8);
LPT_ASSERT_OFFSET(lpt_page_rev0, native_freq, 16);
LPT_ASSERT_OFFSET(lpt_page_rev0, pv_freq, 20);
LPT_ASSERT_OFFSET(lpt_page_rev0, scale_mult, 24);
LPT_ASSERT_OFFSET(lpt_page_rev0, rscale_mult, 32);
LPT_ASSERT_OFFSET(lpt_page_rev0, fracbits, 40);
LPT_ASSERT_OFFSET(lpt_page_rev0, rfracbits, 44);
lpt_static_assert(sizeof(struct lpt_page_rev0) == LPT_PAGE_REV0_SIZE, "revision 0 is 48 bytes");
LPT_ASSERT_OFFSET(lpt_page_rev1, revision, 0);
LPT_ASSERT_OFFSET(lpt_page_rev1, flags, 4);
LPT_ASSERT_OFFSET(lpt_page_rev1, sequence, 8);
LPT_ASSERT_OFFSET(lpt_page_rev1, generation, 16);
LPT_ASSERT_OFFSET(lpt_page_rev1, native_hz, 24);
LPT_ASSERT_OFFSET(lpt_page_rev1, pv_hz, 32);
LPT_ASSERT_OFFSET(lpt_page_rev1, width, 40);
LPT_ASSERT_OFFSET(lpt_page_rev1, reserved0, 44);
LPT_ASSERT_OFFSET(lpt_page_rev1, virt_native_base, 48);
LPT_ASSERT_OFFSET(lpt_page_rev1, virt_pv_base, 56);
LPT_ASSERT_OFFSET(lpt_page_rev1, phys_native_base, 64);
LPT_ASSERT_OFFSET(lpt_page_rev1, phys_pv_base, 72);
LPT_ASSERT_OFFSET(lpt_page_rev1, to_pv_whole, 80);
LPT_ASSERT_OFFSET(lpt_page_rev1, to_pv_frac_hi, 88);
LPT_ASSERT_OFFSET(lpt_page_rev1, to_pv_frac_lo, 96);
LPT_ASSERT_OFFSET(lpt_page_rev1, to_native_whole, 104);
LPT_ASSERT_OFFSET(lpt_page_rev1, to_native_frac_hi, 112);
LPT_ASSERT_OFFSET(lpt_page_rev1, to_native_frac_lo, 120);
LPT_ASSERT_OFFSET(lpt_page_rev1, reserved, 128);
lpt_static_assert(sizeof(struct lpt_page_rev1) == LPT_PAGE_REV1_SIZE, "revision 1 is 192 bytes");
lpt_static_assert(LPT_PAGE_REV1_SIZE % 64 == 0 && LPT_PAGE_REV1_SIZE <= 256, "rev 1 size");
#undef LPT_ASSERT_OFFSET

/**
 * struct lpt_page_fields - A page of either revision, decoded to host byte order.
 * @revision: LPT_PAGE_REV0 or LPT_PAGE_REV1.
 * @flags: revision 1 flags; revision 0 attributes.
 * @sequence: the sequence word.
 * @generation: revision 1 only (0 for revision 0).
 * @native_hz: native counter frequency.
 * @pv_hz: PV counter frequency.
 * @width: revision 1 only (revision 0 states none).
 * @reserved: revision 1: OR of reserved0 and the reserved words; must be 0.
 * @virt: revision 1: the virtual counter's bases ...
 * @phys: ... and the physical counter's.
 * @to_pv: revision 1: native->PV multiplier; zero for revision 0 (from_hz and to_hz
 *	are filled in for both).
 * @to_native: revision 1: PV->native multiplier; zero for revision 0.
 * @rfc_to_pv: revision 0: scale_mult and fracbits; zero for revision 1.
 * @rfc_to_native: revision 0: rscale_mult and rfracbits; zero for revision 1.
 *
 * Fields a revision does not carry are zero.
 */
struct lpt_page_fields {
	uint32_t revision;
	uint32_t flags;
	uint64_t sequence;
	uint64_t generation;
	uint64_t native_hz;
	uint64_t pv_hz;
	uint32_t width;
	uint64_t reserved;
	struct {
		uint64_t native_base;
		uint64_t pv_base;
	} virt, phys;
	struct lpt_scale to_pv;
	struct lpt_scale to_native;
	struct lpt_rfc_scale rfc_to_pv;
	struct lpt_rfc_scale rfc_to_native;
};

/**
 * lpt_page_seq_word() - The sequence word of a page of either revision (offset 8).
 * @buf: the page.
 *
 * Return: its address.
 */
static inline uint64_t *lpt_page_seq_word(const void *buf)
{
	return &((struct lpt_page_rev1 *)(uintptr_t)buf)->sequence;
}

/**
 * lpt_page_size() - The size of a page revision.
 * @revision: a revision number.
 *
 * Return: its size in bytes, or 0 for an unknown revision.
 */
static inline uint32_t lpt_page_size(uint32_t revision)
{
	return revision == LPT_PAGE_REV0 ? LPT_PAGE_REV0_SIZE :
	       revision == LPT_PAGE_REV1 ? LPT_PAGE_REV1_SIZE : 0;
}

/**
 * lpt_page_decode() - Decode a page as it is, without the sequence protocol.
 * @buf: the page, LPT_PAGE_ALIGN-byte aligned.
 * @len: bytes available at @buf.
 * @f: where the fields are stored.
 *
 * For tools and memory dumps; a live page is read with lpt_reader_begin(). Checks
 * only what decoding needs; lpt_page_validate() checks the content.
 *
 * Return: 0, -LPT_EINVAL (NULL), -LPT_EALIGN, -LPT_ESHORT (shorter than the revision's
 * size, or than the revision word) or -LPT_EREVISION; *@f is unchanged on error.
 */
int lpt_page_decode(const void *buf, size_t len, struct lpt_page_fields *f);

/**
 * lpt_page_validate() - Check a decoded page's content.
 * @f: decoded fields.
 *
 * In this order: -LPT_EREVISION (unknown revision), -LPT_ERESERVED (non-zero attributes,
 * flags or reserved fields, or a native base wider than the counter), -LPT_EFREQ (a
 * frequency zero or out of range), -LPT_EWIDTH (a width outside 56..64), -LPT_EMULT
 * (multipliers other than those the frequencies give), -LPT_ENOTREADY (sequence 0),
 * -LPT_EBUSY (odd sequence: caught mid-update). Recomputing the multipliers costs
 * divisions: readers do it once per generation.
 *
 * Return: 0 for a valid, published, stable page, else the first error found.
 */
int lpt_page_validate(const struct lpt_page_fields *f);

/**
 * lpt_page_fields_rev0() - The content of a revision 0 page.
 * @f: where the fields are stored.
 * @native_hz: native counter frequency, 1 to 2^32 - 1 Hz.
 * @pv_hz: PV counter frequency, 1 to 2^32 - 1 Hz.
 *
 * Return: 0, or -LPT_EINVAL (NULL, frequency out of range; *@f unchanged).
 */
int lpt_page_fields_rev0(struct lpt_page_fields *f, uint64_t native_hz, uint64_t pv_hz);

/**
 * lpt_page_fields_rev1() - The content of a revision 1 page.
 * @f: where the fields are stored.
 * @virt: the map of the virtual counter.
 * @phys: the map of the physical counter: same frequencies and width as @virt.
 * @generation: the generation to state.
 *
 * Return: 0, or -LPT_EINVAL (NULL, invalid maps, maps that disagree, a width outside
 * 56..64); *@f unchanged on error.
 */
int lpt_page_fields_rev1(struct lpt_page_fields *f, const struct lpt_map *virt,
			 const struct lpt_map *phys, uint64_t generation);

/**
 * lpt_page_maps() - The maps a revision 1 page states.
 * @f: revision 1 fields that validate (lpt_page_validate()).
 * @virt: the virtual counter's map, from the page's multipliers (no division).
 * @phys: the physical counter's.
 */
void lpt_page_maps(const struct lpt_page_fields *f, struct lpt_map *virt, struct lpt_map *phys);

/**
 * lpt_page_encode() - Write every field of a page as it is, sequence included.
 * @buf: the page, LPT_PAGE_ALIGN-byte aligned.
 * @len: bytes available at @buf.
 * @f: the fields; not validated, so that tools and tests can write any page.
 *
 * Not for a live page (lpt_page_publish()). Reserved space is zeroed, except that a
 * revision 1 @f->reserved is stored in the first reserved word.
 *
 * Return: 0, -LPT_EINVAL, -LPT_EALIGN, -LPT_ESHORT or -LPT_EREVISION.
 */
int lpt_page_encode(void *buf, size_t len, const struct lpt_page_fields *f);

#ifdef __cplusplus
}
#endif

#endif /* LPT_PAGE_H */
