/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * NOT API. The sequence protocol of the shared page, on a little-endian 64-bit sequence
 * word, for the core and its tests; installed only because the inline fast path of
 * lpt/page_reader.h is built from its read side. Use lpt/page_writer.h and
 * lpt/page_reader.h; what is here may change in any release.
 *
 * Odd while an update is in progress, even when stable; 0 means never published. One
 * writer at a time (the VMM or KVM); any number of readers, which never write. The
 * barriers follow Boehm, "Can seqlocks get along with programming language memory
 * models?" (MSPC 2012): every field access is a single-copy (relaxed atomic) access, so
 * a reader racing with the writer sees torn data only in a snapshot it then discards.
 */
#ifndef LPT_INTERNAL_SEQLOCK_H
#define LPT_INTERNAL_SEQLOCK_H

#include <lpt/port.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * lpt_seq_write_begin_at() - Mark the start of an update, continuing a given sequence.
 * @seq: the page's sequence word (little-endian), written by this writer only.
 * @start: the sequence to continue from: even, and never below any value a reader
 *	may have seen on this page (a value seen before must not come back, or a reader
 *	that began before it went away would accept a mix of fields).
 *
 * Return: @start, for lpt_seq_write_end().
 */
static inline uint64_t lpt_seq_write_begin_at(uint64_t *seq, uint64_t start)
{
	lpt_store_once(seq, lpt_cpu_to_le64(start + 1));
	/*
	 * The odd value is ordered before every field store that follows: a reader whose
	 * field loads see a new value also sees the odd (or a later) sequence on its re-load.
	 * Pairs with the reader's lpt_fence_acquire() in lpt_seq_read_retry().
	 */
	lpt_fence_release();
	return start;
}

/**
 * lpt_seq_even() - A sequence value rounded up to even.
 * @seq: the page's sequence word.
 *
 * An odd sequence is an update that was interrupted (a writer that died, a page saved
 * mid-update): the next update continues from the even value above it, never from the
 * odd one (start + 1 would then be even, and readers would accept fields in the middle
 * of the next update).
 *
 * Return: the sequence, or the sequence + 1 if it was odd.
 */
static inline uint64_t lpt_seq_even(const uint64_t *seq)
{
	uint64_t s = lpt_le64_to_cpu(lpt_load_once(seq));

	return s + (s & 1);
}

/**
 * lpt_seq_write_begin() - Mark the start of an update.
 * @seq: the page's sequence word (little-endian), written by this writer only.
 *
 * Continues from the sequence rounded up to even (lpt_seq_even()).
 *
 * Return: the sequence value the update starts from (even), for lpt_seq_write_end().
 */
static inline uint64_t lpt_seq_write_begin(uint64_t *seq)
{
	return lpt_seq_write_begin_at(seq, lpt_seq_even(seq));
}

/**
 * lpt_seq_write_end() - Publish an update.
 * @seq: the page's sequence word.
 * @start: what lpt_seq_write_begin() or lpt_seq_write_begin_at() returned.
 *
 * The release store orders every field store before the new even value. Pairs with the
 * reader's acquire load in lpt_seq_read_begin().
 */
static inline void lpt_seq_write_end(uint64_t *seq, uint64_t start)
{
	lpt_store_release(seq, lpt_cpu_to_le64(start + 2));
}

/**
 * lpt_seq_read_begin() - Start a read.
 * @seq: the page's sequence word.
 *
 * The acquire load orders it before the field loads that follow. Pairs with
 * lpt_seq_write_end().
 *
 * Return: the sequence value; odd means an update is in progress, 0 never published.
 */
static inline uint64_t lpt_seq_read_begin(const uint64_t *seq)
{
	return lpt_le64_to_cpu(lpt_load_acquire(seq));
}

/**
 * lpt_seq_read_changed() - Whether the sequence moved since a read began.
 * @seq: the page's sequence word.
 * @start: what lpt_seq_read_begin() returned, known to be even (a reader that checked
 *	it, or lpt_seq_read_retry()).
 *
 * The acquire fence orders the loads made since @start (fields, and anything else the
 * caller read in between) before the re-load of the sequence. Pairs with the writer's
 * lpt_fence_release() in lpt_seq_write_begin_at().
 *
 * Return: true when the sequence is no longer @start.
 */
static inline bool lpt_seq_read_changed(const uint64_t *seq, uint64_t start)
{
	lpt_fence_acquire();
	return lpt_le64_to_cpu(lpt_load_once(seq)) != start;
}

/**
 * lpt_seq_read_retry() - Whether a read must be retried.
 * @seq: the page's sequence word.
 * @start: what lpt_seq_read_begin() returned.
 *
 * Return: true when the fields read since @start may be torn: @start was odd, or the
 * sequence has moved since (lpt_seq_read_changed()).
 */
static inline bool lpt_seq_read_retry(const uint64_t *seq, uint64_t start)
{
	return (start & 1) || lpt_seq_read_changed(seq, start);
}

#ifdef __cplusplus
}
#endif

#endif /* LPT_INTERNAL_SEQLOCK_H */
