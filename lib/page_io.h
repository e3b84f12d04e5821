/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Inside the core: the page's single-copy field accessors and checks, shared by the ABI
 * (page.c), the host's writer side (page_writer.c) and the guest's reader side
 * (page_reader.c). Not installed: nothing outside lib/ includes it.
 */
#ifndef LPT_LIB_PAGE_IO_H
#define LPT_LIB_PAGE_IO_H

#include <lpt/page.h>

#define LD32(p)		lpt_le32_to_cpu(lpt_load_once(p))
#define LD64(p)		lpt_le64_to_cpu(lpt_load_once(p))
#define ST32(p, v)	lpt_store_once((p), lpt_cpu_to_le32(v))
#define ST64(p, v)	lpt_store_once((p), lpt_cpu_to_le64(v))

/* The revision word, at offset 0 in every revision. */
static inline const uint32_t *lpt_page_rev(const void *buf)
{
	return &((const struct lpt_page_rev1 *)buf)->revision;
}

/* 0, or -LPT_EINVAL (NULL), -LPT_EALIGN, -LPT_ESHORT (fewer than @need bytes). */
int lpt_page_check_buf(const void *buf, size_t len, size_t need);
/* Every field but the sequence, as single-copy loads (the reader's inner step). */
void lpt_page_load(const void *buf, uint32_t revision, struct lpt_page_fields *f);
/* Every field but the sequence, as single-copy stores (the writer's inner step). */
void lpt_page_store(void *buf, const struct lpt_page_fields *f);
/* Field by field: a structure assignment may become a memcpy() call. */
void lpt_fields_copy(struct lpt_page_fields *d, const struct lpt_page_fields *f);
/* Everything but the multipliers and the sequence: cheap. */
int lpt_page_validate_cheap(const struct lpt_page_fields *f);
/* The multipliers against those the frequencies give (revision 0's: divisions). */
int lpt_page_validate_mult(const struct lpt_page_fields *f);
/* Both of the above. */
int lpt_page_validate_content(const struct lpt_page_fields *f);
/* Whether two scales have the same multiplier (whole and fraction). */
bool lpt_scale_same(const struct lpt_scale *a, const struct lpt_scale *b);

#endif /* LPT_LIB_PAGE_IO_H */
