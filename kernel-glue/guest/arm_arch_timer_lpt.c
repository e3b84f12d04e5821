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
#include <linux/printk.h>

#include <clocksource/arm_arch_timer_lpt.h>
#include <lpt/lpt.h>

static bool lpt_active __ro_after_init;
static u64 lpt_native_hz __ro_after_init;
static u64 lpt_pv_hz __ro_after_init;
static void *lpt_page __ro_after_init;
/* One reader per CPU: its statistics and its cache of the last content checked. */
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
		err = lpt_reader_snapshot(this_cpu_ptr(&lpt_readers), &snap);
	if (!err && snap.revision == LPT_PAGE_REV1 && snap.virt.to_pv.from_hz != native_hz)
		err = -LPT_EFREQ;
	if (err) {
		pr_warn("the page at %pa is not valid (%s): using the native counter\n", &ipa,
			lpt_error_name(err));
		memunmap(page);
		return false;
	}
	lpt_page = page;
	lpt_native_hz = native_hz;
	lpt_pv_hz = snap.revision == LPT_PAGE_REV1 ? snap.virt.to_pv.to_hz : 0;
	if (!lpt_pv_hz) {
		struct lpt_page_fields f;

		/* Revision 0 (the RFC's layout) states its frequencies only in the page. */
		if (lpt_page_decode(page, LPT_PAGE_REV1_SIZE, &f) || f.native_hz != native_hz) {
			pr_warn("revision 0 page for another counter: using the native counter\n");
			memunmap(page);
			return false;
		}
		lpt_pv_hz = f.pv_hz;
	}
	lpt_active = true;
	pr_info("revision %u page at %pa: %llu Hz PV counter on a %llu Hz counter\n",
		snap.revision, &ipa, lpt_pv_hz, native_hz);
	return true;
}

/* A consistent snapshot on this CPU's reader; false (and a warning) if none. */
static bool lpt_snapshot(struct lpt_snapshot *snap)
{
	int err = lpt_reader_snapshot(get_cpu_ptr(&lpt_readers), snap);

	put_cpu_ptr(&lpt_readers);
	if (err)
		pr_warn_ratelimited("page unreadable (%s)\n", lpt_error_name(err));
	return !err;
}

/* The PV counter at a native value, by a snapshot's map (revision 0: the RFC's scale). */
static u64 lpt_snapshot_pv(const struct lpt_snapshot *snap, u64 native, bool phys)
{
	if (snap->revision == LPT_PAGE_REV0)
		return lpt_rfc_scale_apply(&snap->rfc_to_pv, native);
	return lpt_map_native_to_pv(phys ? &snap->phys : &snap->virt, native);
}

u64 arch_timer_lpt_to_pv(u64 native, bool phys)
{
	struct lpt_snapshot snap;
	u64 pv = 0;

	if (!phys) {
		int err = lpt_reader_native_to_pv(get_cpu_ptr(&lpt_readers), native, &pv);

		put_cpu_ptr(&lpt_readers);
		if (!err)
			return pv;
	}
	return lpt_snapshot(&snap) ? lpt_snapshot_pv(&snap, native, phys) : pv;
}

/*
 * One snapshot for both steps, so that the PV counter now and the compare value come
 * from the same content even when the hypervisor updates the page in between.
 */
u64 arch_timer_lpt_cval(u64 native_now, u64 evt, bool phys)
{
	struct lpt_snapshot snap;
	u64 pv_cval;

	if (!lpt_snapshot(&snap))
		return native_now + evt;
	pv_cval = lpt_snapshot_pv(&snap, native_now, phys) + evt;
	if (snap.revision == LPT_PAGE_REV0)
		return lpt_rfc_scale_apply(&snap.rfc_to_native, pv_cval);
	return lpt_timer_native_cval(phys ? &snap.phys : &snap.virt, pv_cval);
}

u32 arch_timer_lpt_cntkctl(u32 cntkctl, bool ecv)
{
	struct lpt_evtstrm e;

	if (lpt_evtstrm_translate(&e, cntkctl, lpt_pv_hz, lpt_native_hz, ecv))
		return cntkctl;
	return e.native_cntkctl;
}
