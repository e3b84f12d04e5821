// SPDX-License-Identifier: GPL-2.0-only
/*
 * Live Physical Time (LPT), the arm64 guest side: discovery of the hypervisor's page
 * (SMCCC 1.1, ARCH_FEATURES, PV_TIME_FEATURES(LPT), PV_TIME_LPT), then counter reads,
 * the counter frequency, timer compare values and the event stream through liblpt
 * (lib/lpt/). Without a valid page the architected timer keeps the native counter.
 * Installed as drivers/clocksource/arm_arch_timer_lpt.c.
 */
#define pr_fmt(fmt)	"arch_timer: LPT: " fmt

#include <linux/arm-smccc.h>
#include <linux/io.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/printk.h>

#include <asm/arch_timer.h>

#include <clocksource/arm_arch_timer_lpt.h>
#include <lpt/lpt.h>

static bool lpt_active __ro_after_init;
static u64 lpt_native_hz __ro_after_init;
static u64 lpt_pv_hz __ro_after_init;
static void *lpt_page __ro_after_init;
/* The native counter as the driver reads it (an erratum workaround, perhaps). */
static u64 (*lpt_native_read)(void) __ro_after_init;
static bool lpt_native_phys __ro_after_init;
/* One reader per CPU: the content it validated, its statistics. */
static DEFINE_PER_CPU(struct lpt_reader, lpt_readers);

bool arch_timer_lpt_active(void)
{
	return lpt_active;
}

u32 arch_timer_lpt_rate(void)
{
	return lpt_pv_hz;
}

static bool __init lpt_discover(phys_addr_t *ipa)
{
	struct arm_smccc_res res;

	if (arm_smccc_1_1_get_conduit() == SMCCC_CONDUIT_NONE)
		return false;
	arm_smccc_1_1_invoke(ARM_SMCCC_ARCH_FEATURES_FUNC_ID, ARM_SMCCC_HV_PV_TIME_FEATURES, &res);
	if (res.a0 != SMCCC_RET_SUCCESS)
		return false;
	arm_smccc_1_1_invoke(ARM_SMCCC_HV_PV_TIME_FEATURES, ARM_SMCCC_HV_PV_TIME_LPT, &res);
	if (res.a0 != SMCCC_RET_SUCCESS)
		return false;
	arm_smccc_1_1_invoke(ARM_SMCCC_HV_PV_TIME_LPT, &res);
	if ((long)res.a0 < 0)
		return false;
	*ipa = res.a0;
	return true;
}

/* The page's content as this CPU's reader validates it. */
static int __init lpt_content(struct lpt_snapshot *snap)
{
	struct lpt_reader *r = get_cpu_ptr(&lpt_readers);
	u64 seq;
	int err;

	do {
		err = lpt_reader_begin(r, &seq);
		if (err)
			break;
		*snap = *lpt_reader_snapshot(r);
	} while (lpt_reader_retry(r, seq));
	put_cpu_ptr(&lpt_readers);
	return err;
}

bool __init arch_timer_lpt_probe(u64 native_hz)
{
	struct lpt_snapshot snap;
	phys_addr_t ipa;
	void *page;
	int cpu, err = 0;

	if (!lpt_discover(&ipa))
		return false;
	page = memremap(ipa, LPT_PAGE_REV1_SIZE, MEMREMAP_WB);
	if (!page) {
		pr_warn("cannot map the page at %pa: using the native counter\n", &ipa);
		return false;
	}
	for_each_possible_cpu(cpu) {
		err = lpt_reader_init(per_cpu_ptr(&lpt_readers, cpu), page, LPT_PAGE_REV1_SIZE);
		if (err)
			break;
	}
	if (!err)
		err = lpt_content(&snap);
	if (!err && snap.native_hz != native_hz)
		err = -LPT_EFREQ;
	if (err) {
		pr_warn("the page at %pa is not valid (%s): using the native counter\n", &ipa,
			lpt_error_name(err));
		memunmap(page);
		return false;
	}
	lpt_page = page;
	lpt_native_hz = native_hz;
	lpt_pv_hz = snap.pv_hz;
	lpt_active = true;
	pr_info("revision %u page at %pa: %llu Hz PV counter on a %llu Hz counter\n",
		snap.revision, &ipa, lpt_pv_hz, native_hz);
	return true;
}

void __init arch_timer_lpt_use_counter(u64 (*read)(void), bool phys)
{
	lpt_native_read = read;
	lpt_native_phys = phys;
}

static u64 notrace lpt_counter(const void *ctx)
{
	return lpt_native_read();
}

/*
 * The PV counter: the native counter read inside this CPU's reader window (never
 * before it, so that a vCPU migrated in between does not convert the old host's
 * counter with the new host's content).
 */
u64 notrace arch_timer_lpt_read(void)
{
	u64 pv = 0;
	int err;

	preempt_disable_notrace();
	err = lpt_reader_read(this_cpu_ptr(&lpt_readers), lpt_counter, NULL, lpt_native_phys,
			      &pv);
	preempt_enable_notrace();
	if (err)
		pr_warn_ratelimited("page unreadable (%s)\n", lpt_error_name(err));
	return pv;
}

/*
 * The native compare value evt PV ticks from now: the counter read, the PV "now" and
 * the compare value in one read window, from one content.
 */
u64 arch_timer_lpt_cval(u64 evt, bool phys)
{
	struct lpt_reader *r;
	u64 seq, native, cval = 0;
	int err;

	preempt_disable_notrace();
	r = this_cpu_ptr(&lpt_readers);
	do {
		err = lpt_reader_begin(r, &seq);
		if (err)
			break;
		native = phys ? __arch_counter_get_cntpct() : __arch_counter_get_cntvct();
		cval = lpt_reader_native_cval(r, lpt_reader_pv(r, native, phys) + evt, phys);
	} while (lpt_reader_retry(r, seq));
	preempt_enable_notrace();
	if (!err)
		return cval;
	pr_warn_ratelimited("page unreadable (%s)\n", lpt_error_name(err));
	return (phys ? __arch_counter_get_cntpct() : __arch_counter_get_cntvct()) + evt;
}

u32 arch_timer_lpt_cntkctl(u32 cntkctl, bool ecv)
{
	struct lpt_evtstrm e;

	if (lpt_evtstrm_translate(&e, cntkctl, lpt_pv_hz, lpt_native_hz, ecv))
		return cntkctl;
	return e.native_cntkctl;
}
