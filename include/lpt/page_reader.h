/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The shared LPT page, the guest's side: a reader that brings its own counter read
 * into the page's sequence window, in the manner of read_seqcount_begin() and
 * read_seqcount_retry():
 *
 *	do {
 *		err = lpt_reader_begin(r, &seq);
 *		if (err)
 *			return fall_back_to_the_native_counter(err);
 *		native = read_the_counter();
 *		pv = lpt_reader_pv(r, native, false);
 *	} while (lpt_reader_retry(r, seq));
 *
 * or, for a PV counter read alone, lpt_reader_read(r, read_the_counter, ctx, false, &pv),
 * which makes the same loop with the fast path inline.
 *
 * The counter is read between the two sequence reads, never before the first: a vCPU
 * may be paused for migration at any instruction, and a counter value taken on the old
 * host must never be converted with the new host's content. If the vCPU moves anywhere
 * between lpt_reader_begin() and lpt_reader_retry(), the restore has moved the sequence
 * and the read is repeated on the new host. The caller's counter read must be ordered
 * after the acquire load in lpt_reader_begin() and before the fence in
 * lpt_reader_retry() as its architecture requires (arm64: an ISB before the MRS, as
 * __arch_counter_get_cntvct() has).
 *
 * Every use of the reader's content (lpt_reader_pv(), lpt_reader_native_cval(),
 * lpt_reader_snapshot()) goes between lpt_reader_begin() and lpt_reader_retry(), and
 * so does anything written with it to the hardware (a timer's compare value): a vCPU
 * migrated after the window would otherwise write the old host's value on the new one.
 * A result kept in memory is used only once lpt_reader_retry() returned false.
 *
 * The fast path trusts content it has validated: lpt_reader_begin() loads the sequence
 * and compares it with the sequence of the content it holds, which the sequence
 * identifies (a writer never brings a sequence back; lpt/page_writer.h). Content under
 * a new sequence is read in full and checked once, out of line (lpt_reader_refresh());
 * its multipliers only when they or the frequencies differ from those already checked
 * (revision 0's cost divisions to check).
 *
 * A reader belongs to one execution context at a time and is never entered again
 * while in use: a nested context (an interrupt, an NMI) that refreshed it in the middle
 * of an interrupted refresh would leave it holding fields of two contents. Nested
 * contexts use readers of their own (the kernel glue keeps one per CPU and interrupt
 * level). A read retries for as long as the writer keeps moving the sequence inside
 * its window, as read_seqcount_retry() does; a page stuck odd or invalid ends it with
 * an error (lpt_reader_refresh()). A guest that has not yet taken the PV counter falls
 * back to the native counter on that error; one already running on it continues by the
 * content it last validated (lpt_reader_held_pv()), never from 0.
 */
#ifndef LPT_PAGE_READER_H
#define LPT_PAGE_READER_H

#include <lpt/errno.h>
#include <lpt/page.h>
#include <lpt/internal/seqlock.h>
#include <lpt/timer.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Consistent-read attempts before lpt_reader_refresh() gives up with -LPT_EBUSY. */
#define LPT_READER_RETRIES	64

/**
 * struct lpt_snapshot - A consistent, validated view of a live page.
 * @revision: the page's revision.
 * @sequence: the sequence value it was read at.
 * @generation: revision 1: the generation; revision 0: the sequence.
 * @native_hz: native counter frequency in Hz.
 * @pv_hz: PV counter frequency in Hz.
 * @virt: revision 1: the virtual counter's map (built without division).
 * @phys: revision 1: the physical counter's map.
 * @rfc_to_pv: revision 0: the RFC's native->PV scale.
 * @rfc_to_native: revision 0: the RFC's PV->native scale.
 */
struct lpt_snapshot {
	uint32_t revision;
	uint64_t sequence;
	uint64_t generation;
	uint64_t native_hz;
	uint64_t pv_hz;
	struct lpt_map virt;
	struct lpt_map phys;
	struct lpt_rfc_scale rfc_to_pv;
	struct lpt_rfc_scale rfc_to_native;
};

/**
 * struct lpt_reader - A guest's reader of a live page.
 * @page: the page.
 * @len: its size.
 * @seq: the sequence at which @snap was read and validated; 0 when the reader holds
 *	no content (0 is never a published sequence).
 * @snap: the content it holds.
 * @refreshes: contents read in full (statistics).
 * @validations: contents whose multipliers were checked (statistics).
 * @retries: reads repeated because the sequence moved or was odd (statistics).
 */
struct lpt_reader {
	const void *page;
	size_t len;
	uint64_t seq;
	struct lpt_snapshot snap;
	uint64_t refreshes;
	uint64_t validations;
	uint64_t retries;
};

/**
 * lpt_reader_init() - Attach a reader to a page.
 * @r: the reader.
 * @buf: the page, LPT_PAGE_ALIGN-byte aligned.
 * @len: bytes available at @buf: at least the size of the largest revision it may hold.
 *
 * Return: 0, or -LPT_EINVAL, -LPT_EALIGN, -LPT_ESHORT (shorter than revision 0); *@r
 * unchanged on error.
 */
int lpt_reader_init(struct lpt_reader *r, const void *buf, size_t len);

/**
 * lpt_reader_refresh() - Read and validate the page's content (the slow path).
 * @r: the reader.
 *
 * A consistent read of every field, retried while the writer is active, up to
 * LPT_READER_RETRIES times; then what lpt_page_validate() checks, the multipliers (which
 * costs divisions) only when they or the frequencies differ from the content held.
 * Called by lpt_reader_begin() when the page's sequence is not the one of the content
 * held; call it directly only to force a full read.
 *
 * Return: 0 (the content read is the reader's, its sequence in @r->seq), -LPT_EINVAL
 * (NULL), -LPT_ENOTREADY (never published, or invalidated by a restore: fall back to
 * the native counter), -LPT_EBUSY (retries exhausted), or the validation error; on
 * error the reader's content is unchanged.
 */
int lpt_reader_refresh(struct lpt_reader *r);

/**
 * lpt_reader_begin() - Open a read window on the page.
 * @r: the reader, from lpt_reader_init().
 * @seq: where the sequence is stored, for lpt_reader_retry().
 *
 * The fast path is one acquire load of the sequence and its comparison with the
 * sequence of the content held; a sequence the reader has no content for (0, odd, or
 * new) goes through lpt_reader_refresh(). Read the counter after
 * this call, then convert and call lpt_reader_retry().
 *
 * Return: 0 (the reader's content is the page's), or an error as lpt_reader_refresh().
 */
static inline int lpt_reader_begin(struct lpt_reader *r, uint64_t *seq)
{
	uint64_t s = lpt_seq_read_begin(lpt_page_seq_word(r->page));
	int err;

	/* r->seq is 0 or a published (even, non-zero) sequence whose content r holds. */
	if (lpt_likely(s == lpt_load_once(&r->seq) && s)) {
		*seq = s;
		return 0;
	}
	err = lpt_reader_refresh(r);
	*seq = r->seq;
	return err;
}

/**
 * lpt_reader_retry() - Close a read window: whether it must be repeated.
 * @r: the reader.
 * @seq: what lpt_reader_begin() stored.
 *
 * To be called only after lpt_reader_begin() returned 0 (@seq is then a published,
 * even sequence, so a change is all there is to check).
 *
 * Return: false when nothing was published since lpt_reader_begin(): the counter value
 * read in between belongs to the content converted with. True when the sequence moved
 * (an update, or a migration of this vCPU): discard what was computed and begin again.
 */
static inline bool lpt_reader_retry(struct lpt_reader *r, uint64_t seq)
{
	/* @seq is a published sequence (even): a change is all there is to check. */
	if (lpt_likely(!lpt_seq_read_changed(lpt_page_seq_word(r->page), seq)))
		return false;
	r->retries++;
	return true;
}

/**
 * lpt_reader_pv() - The PV counter at a native counter value, by the reader's content.
 * @r: a reader inside a read window (after lpt_reader_begin() returned 0).
 * @native: the native counter value read inside the window.
 * @phys: the physical counter (true) or the virtual counter (false).
 *
 * Revision 1: lpt_map_native_to_pv() by the counter's map, exact (floor, modulo 2^64).
 * Revision 0: the RFC's lpt_rfc_scale_apply(), the same for both counters.
 *
 * Return: PV ticks.
 */
static inline uint64_t lpt_reader_pv(const struct lpt_reader *r, uint64_t native, bool phys)
{
	const struct lpt_snapshot *s = &r->snap;

	if (s->revision == LPT_PAGE_REV0)
		return lpt_rfc_scale_apply(&s->rfc_to_pv, native);
	return lpt_map_native_to_pv(phys ? &s->phys : &s->virt, native);
}

/**
 * lpt_reader_native_cval() - The native compare value for a PV compare value, by the
 * reader's content.
 * @r: a reader inside a read window (after lpt_reader_begin() returned 0).
 * @pv_cval: the compare value in PV ticks.
 * @phys: the physical timer (true) or the virtual timer (false).
 *
 * Revision 1: lpt_timer_native_cval(), the first native value that reaches @pv_cval.
 * Revision 0: the RFC's lpt_rfc_scale_apply() by the PV->native scale (rounded down:
 * may be early).
 *
 * Return: native ticks.
 */
static inline uint64_t lpt_reader_native_cval(const struct lpt_reader *r, uint64_t pv_cval,
					      bool phys)
{
	const struct lpt_snapshot *s = &r->snap;

	if (s->revision == LPT_PAGE_REV0)
		return lpt_rfc_scale_apply(&s->rfc_to_native, pv_cval);
	return lpt_timer_native_cval(phys ? &s->phys : &s->virt, pv_cval);
}

/**
 * lpt_reader_held_pv() - The PV counter by the content the reader last validated: what
 * a caller whose read failed falls back to.
 * @r: the reader.
 * @native: the native counter, read by the caller after the read failed.
 * @phys: the physical counter (true) or the virtual counter (false).
 * @pv: where the PV value is stored (unchanged on error).
 *
 * For a guest running on the PV counter whose page stopped being readable (invalidated,
 * stuck odd, corrupted): a read of the page fails, and its clock cannot fall back to 0
 * or to the native counter's rate. The content held (a failed refresh leaves it
 * unchanged) is the one it last converted with: on the host that published it, the
 * conversion goes on exactly as before; on another host (a restore whose page could not
 * be continued) the PV counter runs at that host's native rate times the old scale, as
 * a guest without LPT would. Not a read of the page: no window, nothing to retry.
 * lpt_reader_pv(), floor, modulo 2^64.
 *
 * Return: 0, -LPT_EINVAL (NULL), or -LPT_ENOTREADY (the reader never validated content:
 * refresh each reader once while the page is valid).
 */
static inline int lpt_reader_held_pv(const struct lpt_reader *r, uint64_t native, bool phys,
				     uint64_t *pv)
{
	if (!r || !pv)
		return -LPT_EINVAL;
	if (!lpt_load_once(&r->seq))
		return -LPT_ENOTREADY;
	*pv = lpt_reader_pv(r, native, phys);
	return 0;
}

/**
 * lpt_reader_held_native_cval() - The native compare value for a PV compare value by the
 * content the reader last validated: the timer's fallback after a failed read.
 * @r: the reader.
 * @pv_cval: the compare value in PV ticks.
 * @phys: the physical timer (true) or the virtual timer (false).
 * @native: where the native compare value is stored (unchanged on error).
 *
 * lpt_reader_native_cval() on the content held, as lpt_reader_held_pv().
 *
 * Return: 0, -LPT_EINVAL (NULL), or -LPT_ENOTREADY (the reader never validated content).
 */
static inline int lpt_reader_held_native_cval(const struct lpt_reader *r, uint64_t pv_cval,
					      bool phys, uint64_t *native)
{
	if (!r || !native)
		return -LPT_EINVAL;
	if (!lpt_load_once(&r->seq))
		return -LPT_ENOTREADY;
	*native = lpt_reader_native_cval(r, pv_cval, phys);
	return 0;
}

/**
 * struct lpt_reader_value - What lpt_reader_read_slow() returns, in two registers.
 * @pv: the PV value, when @err is 0.
 * @err: 0 or a negative error code.
 */
struct lpt_reader_value {
	uint64_t pv;
	int err;
};

/**
 * lpt_reader_read_slow() - lpt_reader_read() when the fast path did not complete.
 * @r: the reader.
 * @read_native: the caller's counter read.
 * @ctx: its argument.
 * @phys: the physical counter (true) or the virtual counter (false).
 *
 * The lpt_reader_begin() / lpt_reader_retry() loop around @read_native, out of line.
 * Returns its value rather than storing it, so that the inline fast path keeps the
 * caller's variable in a register.
 *
 * Return: the value, or an error as lpt_reader_read(); -LPT_EINVAL for NULL.
 */
struct lpt_reader_value lpt_reader_read_slow(struct lpt_reader *r,
					     uint64_t (*read_native)(const void *ctx),
					     const void *ctx, bool phys);

/**
 * lpt_reader_read() - Read the PV counter: the caller's counter read inside the window.
 * @r: the reader, from lpt_reader_init().
 * @read_native: the caller's counter read (CNTVCT_EL0 with its ISB, an erratum
 *	workaround, a simulated counter): called once per attempt, inside the window.
 *	Inlined when it is a function the compiler sees here.
 * @ctx: its argument.
 * @phys: the physical counter (true) or the virtual counter (false).
 * @pv: where the PV value is stored (unchanged on error).
 *
 * One attempt inline: the sequence, @read_native, the conversion (lpt_reader_pv()),
 * the re-check. Anything else (new content, a moved sequence) continues out of line in
 * lpt_reader_read_slow(), so that the fast path saves no registers for a call.
 *
 * Return: 0, or an error as lpt_reader_refresh() (fall back to the native counter).
 */
static inline int lpt_reader_read(struct lpt_reader *r, uint64_t (*read_native)(const void *ctx),
				  const void *ctx, bool phys, uint64_t *pv)
{
	const uint64_t *seqp = lpt_page_seq_word(r->page);
	uint64_t s = lpt_seq_read_begin(seqp);

	if (lpt_likely(s == lpt_load_once(&r->seq) && s)) {
		uint64_t v = lpt_reader_pv(r, read_native(ctx), phys);

		if (lpt_likely(!lpt_seq_read_changed(seqp, s))) {
			*pv = v;
			return 0;
		}
		r->retries++;
	}
	{
		struct lpt_reader_value res = lpt_reader_read_slow(r, read_native, ctx, phys);

		if (!res.err)
			*pv = res.pv;
		return res.err;
	}
}

/**
 * lpt_reader_snapshot() - The reader's content.
 * @r: a reader inside a read window (after lpt_reader_begin() returned 0).
 *
 * Copy what is needed before lpt_reader_retry(), and use it only if that returns false.
 *
 * Return: the content, valid until the reader's next lpt_reader_begin() (its own:
 * nested contexts use other readers).
 */
static inline const struct lpt_snapshot *lpt_reader_snapshot(const struct lpt_reader *r)
{
	return &r->snap;
}

/**
 * lpt_map_read() - Read the PV counter by a copy of a map a reader validated: for code
 * that holds no reader of its own.
 * @page: the live page.
 * @seq: the sequence of the content the map was copied from (lpt_reader_snapshot()'s
 *	@sequence); 0 for no content. A sequence is never published twice: while the
 *	page's is @seq, its content is the one validated.
 * @m: the copy of that content's map (revision 1: its @virt or @phys).
 * @read_native: the caller's counter read, called once, inside the window.
 * @ctx: its argument.
 * @pv: where the PV value is stored (unchanged on error).
 *
 * For a reader that cannot read or validate the page's content, only convert by it: a
 * vDSO, whose kernel validates the content and copies its map into the vDSO's data at
 * its timekeeping updates. The copy must not change while it is read: its writer and
 * this code's caller agree on how (the vDSO data's own sequence, in the kernel). One
 * attempt: the page's sequence (acquire) must be @seq; then @read_native, the
 * conversion (lpt_map_native_to_pv(), as lpt_reader_pv() for revision 1) and the
 * re-check of the sequence. On an error, ask the copy's owner (the system call), whose
 * reader reads the page itself; it copies the new content at its next update.
 *
 * Return: 0; -LPT_ENOTREADY if the page's sequence is not @seq (new content not copied
 * yet, a page being updated or invalidated, or @seq 0); -LPT_EBUSY if the sequence
 * moved during the read (an update, or a migration of this vCPU).
 */
static inline int lpt_map_read(const void *page, uint64_t seq, const struct lpt_map *m,
			       uint64_t (*read_native)(const void *ctx), const void *ctx,
			       uint64_t *pv)
{
	const uint64_t *seqp = lpt_page_seq_word(page);
	uint64_t v;

	if (lpt_seq_read_begin(seqp) != seq || !seq)
		return -LPT_ENOTREADY;
	v = lpt_map_native_to_pv(m, read_native(ctx));
	if (lpt_seq_read_changed(seqp, seq))
		return -LPT_EBUSY;
	*pv = v;
	return 0;
}

#ifdef __cplusplus
}
#endif

#endif /* LPT_PAGE_READER_H */
