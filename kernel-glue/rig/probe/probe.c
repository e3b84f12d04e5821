// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The rig's probe guest: what an LPT-aware firmware does, on the unchanged core. In
 * each phase (one per host it runs on) it discovers LPT through SMCCC, snapshots the
 * page, reads its PV counter over a window (the VMM checks the rate against the host's
 * clock), runs virtual and physical timers armed through the core and checks each
 * exactly (the PV counter read once the status bit is seen is at or past the PV compare
 * value), then arms one timer of each kind with a deadline past the migration and asks
 * to be saved. Resumed on the next host, it checks that those two timers were
 * re-programmed to the compare values the core computes on the new map, and fire, not
 * early. Every result goes to the VMM over MMIO exits (rig.h).
 */
#include <lpt/lpt.h>

#include "../rig.h"
#include "pv_read.h"
#include "sysreg.h"

/* KVM's vendor hypervisor service calls, LPT's with the series (include/linux/arm-smccc.h). */
#define SMCCC_VENDOR_HYP_CALL_UID	0x8600ff01UL
#define SMCCC_VENDOR_HYP_KVM_FEATURES	0x86000000UL
#define SMCCC_VENDOR_HYP_KVM_LPT	0xc6000050UL
#define SMCCC_KVM_FUNC_LPT		80	/* bit 16 of x2 in the features result */
/* KVM's UID: 28b46fb6-2ec5-11e9-a9ca-4b564d003a74, as four registers. */
static const uint64_t kvm_uid[4] = { 0xb66fb428U, 0xe911c52eU, 0x564bcaa9U, 0x743a004dU };

#define LOOP_TIMERS	500	/* of each kind, per phase */

/* Kept in guest memory across the save: the phase and the carried timers. */
static uint64_t phase;
static struct lpt_reader reader;
static bool carrying;
static uint64_t pv_hz;	/* the page's PV frequency */
static uint64_t carried_pv[2];	/* virtual, physical */

void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void probe_main(void);

void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;

	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}

static void report(enum rig_tag tag, uint64_t value)
{
	volatile uint64_t *p = (volatile uint64_t *)(RIG_REPORT_BASE + 8 * (uint64_t)tag);

	__asm__ volatile("str %x0, [%1]" :: "r"(value), "r"(p) : "memory");
}

static void fail(uint64_t where)
{
	report(RIG_ERROR, where);
	report(RIG_DONE, 1);
	for (;;)
		__asm__ volatile("wfi");
}

static uint64_t pv_read(bool phys)
{
	uint64_t pv, native;

	if (probe_read_pv(&reader, phys, &pv, &native))
		fail(100);
	return pv;
}

static uint64_t pv_virt(void)
{
	return pv_read(false);
}

static uint64_t pv_phys(const struct lpt_snapshot *s)
{
	(void)s;
	return pv_read(true);
}

static uint64_t timer_ctl(int phys)
{
	return phys ? read_cntp_ctl() : read_cntv_ctl();
}

static uint64_t pv_now(const struct lpt_snapshot *s, int phys)
{
	return phys ? pv_phys(s) : pv_virt();
}

/* Arms a timer at a PV compare value through the core. */
static void timer_arm(const struct lpt_snapshot *s, int phys, uint64_t pv_cval)
{
	uint64_t cval;

	(void)s;
	if (probe_native_cval(&reader, phys, pv_cval, &cval))
		fail(200);
	if (phys) {
		write_cntp_cval(cval);
		write_cntp_ctl(TIMER_ENABLE | TIMER_IMASK);
	} else {
		write_cntv_cval(cval);
		write_cntv_ctl(TIMER_ENABLE | TIMER_IMASK);
	}
}

/*
 * Polls a timer's status until it fires or the PV counter passes @pv_cval + @timeout.
 * Return: 0 fired on time or late (*@late: PV ticks after @pv_cval), 1 fired early,
 * 2 timed out.
 */
static int timer_wait(const struct lpt_snapshot *s, int phys, uint64_t pv_cval,
		      uint64_t timeout, uint64_t *late)
{
	for (;;) {
		uint64_t ctl = timer_ctl(phys);
		uint64_t now = pv_now(s, phys);

		if (ctl & TIMER_ISTATUS) {
			if (phys)
				write_cntp_ctl(0);
			else
				write_cntv_ctl(0);
			if (now < pv_cval)
				return 1;
			*late = now - pv_cval;
			return 0;
		}
		if (now > pv_cval + timeout)
			return 2;
	}
}

static void discover(struct lpt_snapshot *s)
{
	uint64_t ret, ipa, seq, uid[4];
	int err, i;

	report(RIG_HELLO, phase);
	report(RIG_CNTFRQ, read_cntfrq());
	/* As Linux's kvm_init_hyp_services(): KVM's UID, then its features bitmap. */
	smccc_hvc4(SMCCC_VENDOR_HYP_CALL_UID, uid);
	for (i = 0; i < 4; i++)
		if (uid[i] != kvm_uid[i])
			fail(1);
	smccc_hvc4(SMCCC_VENDOR_HYP_KVM_FEATURES, uid);
	ret = uid[2] & 0xffffffffUL;	/* functions 64 to 95 */
	report(RIG_FEATURES, ret);
	if (!(ret & (1UL << (SMCCC_KVM_FUNC_LPT - 64))))
		fail(1);
	ipa = smccc_hvc(SMCCC_VENDOR_HYP_KVM_LPT, 0);
	report(RIG_IPA, ipa);
	/* The identity map: the IPA is the page's address. */
	if (lpt_reader_init(&reader, (const void *)ipa, 4096 - (ipa & 4095)))
		fail(2);
	/* The content the reader validated, copied inside its window. */
	do {
		err = lpt_reader_begin(&reader, &seq);
		if (err)
			break;
		memcpy(s, lpt_reader_snapshot(&reader), sizeof(*s));
	} while (lpt_reader_retry(&reader, seq));
	report(RIG_SNAP_ERR, (uint64_t)(int64_t)err);
	if (err)
		fail(3);
	report(RIG_REVISION, s->revision);
	report(RIG_GENERATION, s->generation);
	pv_hz = s->pv_hz;
	report(RIG_NATIVE_HZ, s->native_hz);
	report(RIG_PV_HZ, pv_hz);
}

/* Two PV reads one PV second apart; the VMM times the two reports. */
static void rate_window(void)
{
	uint64_t pv, native, end;

	if (probe_read_pv(&reader, false, &pv, &native))
		fail(4);
	report(RIG_PV, pv);
	report(RIG_NATIVE, native);
	end = pv + pv_hz;
	do {
		if (probe_read_pv(&reader, false, &pv, &native))
			fail(5);
	} while (pv < end);
	report(RIG_PV, pv);
	report(RIG_NATIVE, native);
}

/* Timers of both kinds, 100 PV microseconds ahead each. */
static void timer_loop(const struct lpt_snapshot *s)
{
	uint64_t delay = pv_hz / 10000, timeout = pv_hz;
	uint64_t n = 0, early = 0, timeouts = 0, late_max = 0;
	int phys, i;

	for (phys = 0; phys < 2; phys++) {
		for (i = 0; i < LOOP_TIMERS; i++) {
			uint64_t cval = pv_now(s, phys) + delay, late = 0;
			int r;

			timer_arm(s, phys, cval);
			r = timer_wait(s, phys, cval, timeout, &late);
			n++;
			early += r == 1;
			timeouts += r == 2;
			if (!r && late > late_max)
				late_max = late;
		}
	}
	report(RIG_TIMERS, n);
	report(RIG_EARLY, early);
	report(RIG_TIMEOUT, timeouts);
	report(RIG_LATE_MAX, late_max);
}

/* After a restore: the two carried timers, as the new host re-programmed them. */
static void carried_check(const struct lpt_snapshot *s)
{
	uint64_t cval_ok = 0, early = 0, timeouts = 0, late[2] = { 0, 0 };
	uint64_t hw[2] = { read_cntv_cval(), read_cntp_cval() };
	const struct lpt_map *map[2] = { &s->virt, &s->phys };
	int phys;

	for (phys = 0; phys < 2; phys++) {
		if (hw[phys] == lpt_timer_native_cval(map[phys], carried_pv[phys]) &&
		    (timer_ctl(phys) & TIMER_ENABLE))
			cval_ok |= 1UL << phys;
	}
	report(RIG_MIG_CVAL_OK, cval_ok);
	for (phys = 0; phys < 2; phys++) {
		int r;

		if (!(timer_ctl(phys) & TIMER_ENABLE)) {
			timeouts |= 1UL << phys;	/* not armed on this host */
			continue;
		}
		r = timer_wait(s, phys, carried_pv[phys], 2 * pv_hz, &late[phys]);
		if (r == 1)
			early |= 1UL << phys;
		if (r == 2)
			timeouts |= 1UL << phys;
	}
	report(RIG_MIG_EARLY, early);
	report(RIG_MIG_TIMEOUT, timeouts);
	report(RIG_MIG_LATE_V, late[0]);
	report(RIG_MIG_LATE_P, late[1]);
}

void probe_main(void)
{
	struct lpt_snapshot s;

	for (;;) {
		/*
		 * Discovery first: on a host that does not offer the page (the VMM's
		 * corrupted-page check) the probe reports the services bitmap before
		 * giving up.
		 */
		discover(&s);
		if (carrying) {
			report(RIG_PV_FIRST, pv_virt());
			carried_check(&s);
		}
		rate_window();
		timer_loop(&s);
		/* Two timers 3 PV seconds ahead, to be carried to the next host. */
		carried_pv[0] = pv_virt() + 3 * pv_hz;
		carried_pv[1] = pv_phys(&s) + 3 * pv_hz;
		timer_arm(&s, 0, carried_pv[0]);
		timer_arm(&s, 1, carried_pv[1]);
		carrying = true;
		report(RIG_PV_LAST, pv_virt());
		report(RIG_SAVE, phase);
		phase++;
	}
}
