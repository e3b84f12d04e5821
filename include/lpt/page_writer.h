/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The shared LPT page, the host's side: publishing content on a live page under the
 * sequence protocol (lpt/internal/seqlock.h), invalidating it, and the "update once
 * per guest run" rule of a VM restored on a new host.
 */
#ifndef LPT_PAGE_WRITER_H
#define LPT_PAGE_WRITER_H

#include <lpt/errno.h>
#include <lpt/page.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * lpt_page_publish() - Publish new content on a live page (the writer side).
 * @buf: the page, LPT_PAGE_ALIGN-byte aligned; this caller is its only writer.
 * @len: bytes available at @buf.
 * @f: the content; its sequence is ignored (the page's own advances by 2).
 *
 * Validates @f first (as lpt_page_validate(), apart from the sequence) and writes
 * nothing if it is invalid. Then: sequence made odd, fields stored, sequence made even
 * (lpt_seq_write_begin_at() from the page's sequence rounded up to even, then
 * lpt_seq_write_end()). A page whose sequence was 0 becomes valid.
 *
 * Return: 0, or a negative error code (nothing written).
 */
int lpt_page_publish(void *buf, size_t len, const struct lpt_page_fields *f);

/**
 * lpt_page_invalidate() - Mark a live page as never published (sequence 0).
 * @buf: the page, LPT_PAGE_ALIGN-byte aligned.
 * @len: bytes available at @buf.
 *
 * For a restored VM before its first run: the page's content came from the old host.
 *
 * Return: 0, or -LPT_EINVAL, -LPT_EALIGN, -LPT_ESHORT.
 */
int lpt_page_invalidate(void *buf, size_t len);

/**
 * struct lpt_updater - The "update once per guest run" rule, on the writer side.
 * @page: the live page.
 * @len: its size.
 * @pending: content staged and not yet published.
 * @seq: the sequence the next update continues from: the page's sequence when the
 *	updater took it over (from the old host, after a restore), then each update's.
 * @next: the staged content.
 *
 * After a restore the VMM stages the re-based content (lpt_updater_stage()); the first
 * vCPU run publishes it (lpt_updater_vcpu_run()). Until then the page is invalid and the
 * guest must see the feature as unsupported. The caller serialises these calls (KVM: the
 * VM's lock).
 *
 * The sequence never goes back to a value a guest may have seen: a vCPU paused in the
 * middle of a read on the old host and resumed on the new one re-checks the sequence,
 * which must then differ. (Invalidating to 0 and publishing from 0 again would give
 * such a reader the same value back and let it accept a mix of both hosts' fields.)
 */
struct lpt_updater {
	void *page;
	size_t len;
	bool pending;
	uint64_t seq;
	struct lpt_page_fields next;
};

/**
 * lpt_updater_init() - Start managing a page, invalidating it.
 * @u: the updater.
 * @buf: the page.
 * @len: its size.
 *
 * Remembers the page's sequence (rounded up to even) before invalidating it, so that
 * the next update continues it.
 *
 * Return: 0 or a negative error code from lpt_page_invalidate().
 */
int lpt_updater_init(struct lpt_updater *u, void *buf, size_t len);

/**
 * lpt_updater_stage() - Stage content for the next vCPU run.
 * @u: the updater.
 * @f: the content (validated here, apart from the sequence).
 *
 * Return: 0, or a negative error code (nothing staged).
 */
int lpt_updater_stage(struct lpt_updater *u, const struct lpt_page_fields *f);

/**
 * lpt_updater_vcpu_run() - Called at every vCPU run; publishes staged content once.
 * @u: the updater.
 *
 * Return: 1 when this call published an update, 0 when there was nothing to do, or a
 * negative error code.
 */
int lpt_updater_vcpu_run(struct lpt_updater *u);

#ifdef __cplusplus
}
#endif

#endif /* LPT_PAGE_WRITER_H */
