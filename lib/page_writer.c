// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The shared page, the host's side: publishing content under the sequence protocol,
 * invalidating, and the update-once-per-run rule (include/lpt/page_writer.h).
 */
#include <lpt/page_writer.h>
#include <lpt/errno.h>
#include <lpt/internal/seqlock.h>

#include "page_io.h"

/* Publishes @f continuing from sequence @start (even). */
static int lpt_page_publish_at(void *buf, size_t len, const struct lpt_page_fields *f,
			       uint64_t start)
{
	int err;

	if (!f)
		return -LPT_EINVAL;
	err = lpt_page_validate_content(f);
	if (err)
		return err;
	err = lpt_page_check_buf(buf, len, lpt_page_size(f->revision));
	if (err)
		return err;
	start = lpt_seq_write_begin_at(lpt_page_seq_word(buf), start);
	lpt_page_store(buf, f);
	lpt_seq_write_end(lpt_page_seq_word(buf), start);
	return 0;
}

int lpt_page_publish(void *buf, size_t len, const struct lpt_page_fields *f)
{
	int err = lpt_page_check_buf(buf, len, LPT_PAGE_REV0_SIZE);

	if (err)
		return err;
	return lpt_page_publish_at(buf, len, f, lpt_seq_even(lpt_page_seq_word(buf)));
}

int lpt_page_invalidate(void *buf, size_t len)
{
	int err = lpt_page_check_buf(buf, len, LPT_PAGE_REV0_SIZE);

	if (err)
		return err;
	lpt_store_release(lpt_page_seq_word(buf), lpt_cpu_to_le64(0));
	return 0;
}

int lpt_updater_init(struct lpt_updater *u, void *buf, size_t len)
{
	int err;

	if (!u)
		return -LPT_EINVAL;
	err = lpt_page_check_buf(buf, len, LPT_PAGE_REV0_SIZE);
	if (err)
		return err;
	u->seq = lpt_seq_even(lpt_page_seq_word(buf));
	lpt_page_invalidate(buf, len);
	u->page = buf;
	u->len = len;
	u->pending = false;
	return 0;
}

int lpt_updater_stage(struct lpt_updater *u, const struct lpt_page_fields *f)
{
	int err;

	if (!u || !f)
		return -LPT_EINVAL;
	err = lpt_page_validate_content(f);
	if (err)
		return err;
	if (u->len < lpt_page_size(f->revision))
		return -LPT_ESHORT;
	lpt_fields_copy(&u->next, f);
	u->pending = true;
	return 0;
}

int lpt_updater_vcpu_run(struct lpt_updater *u)
{
	int err;

	if (!u)
		return -LPT_EINVAL;
	if (!u->pending)
		return 0;
	err = lpt_page_publish_at(u->page, u->len, &u->next, u->seq);
	if (err)
		return err;
	u->seq += 2;
	u->pending = false;
	return 1;
}
