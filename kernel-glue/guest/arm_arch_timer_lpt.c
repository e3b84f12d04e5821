// SPDX-License-Identifier: GPL-2.0-only
/*
 * Live Physical Time (LPT), the arm64 guest side: discovery of the hypervisor's page
 * (KVM's vendor hypervisor service ARM_SMCCC_KVM_FUNC_LPT), then counter reads,
 * the counter frequency, timer compare values and the event stream through liblpt
 * (lib/lpt/). Without a valid page the architected timer keeps the native counter.
 * Installed as drivers/clocksource/arm_arch_timer_lpt.c.
 */
#define pr_fmt(fmt)	"arch_timer: LPT: " fmt

#include <linux/arm-smccc.h>
#include <linux/atomic.h>
#include <linux/io.h>
#include <linux/init.h>
#include <linux/irq_work.h>
#include <linux/jump_label.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/printk.h>

#include <asm/arch_timer.h>
#include <asm/cpufeature.h>
#include <asm/hypervisor.h>
#include <asm/virt.h>

#include <clocksource/arm_arch_timer_lpt.h>
#include <lpt/lpt.h>

DEFINE_STATIC_KEY_FALSE(arch_timer_lpt_key);
static u64 lpt_pv_hz __ro_after_init;
static u64 lpt_boot_native_hz __ro_after_init;
static void *lpt_page __ro_after_init;
/* The kernel's counter is the physical one (not the virtual one). */
static bool lpt_native_phys __ro_after_init;
/* The page's guest physical address. */
static phys_addr_t lpt_ipa __ro_after_init;
/* The vDSO converts the counter by the page; EL0 reads the native counter. */
static bool lpt_vdso __ro_after_init;

/*
 * clocksource.arm_arch_timer.lpt_el0= on the command line: what userspace gets under
 * LPT. "vdso" (the default): EL0's own CNTVCT_EL0 and CNTFRQ_EL0 reads give the native
 * counter and its rate (the host's, a pair that changes at a migration, as without
 * LPT), and clock_gettime() stays in the vDSO, which maps the page read-only and
 * converts the counter through it, where it can (lpt_vdso_usable(); elsewhere system
 * calls). "trap": EL0's counter reads trap and return the PV counter and its rate, as
 * the kernel's; every clock_gettime() is a system call.
 */
static bool lpt_el0_trap __ro_after_init;

static int __init lpt_el0_cfg(char *buf)
{
	if (!buf)
		return -EINVAL;
	if (!strcmp(buf, "trap"))
		lpt_el0_trap = true;
	else if (!strcmp(buf, "vdso"))
		lpt_el0_trap = false;
	else
		return -EINVAL;
	return 0;
}
early_param("clocksource.arm_arch_timer.lpt_el0", lpt_el0_cfg);

/*
 * The PV rates the guest accepts. At most U32_MAX: the kernel's counter rate is a u32 Hz
 * (arch_timer_rate, arch_timer_get_rate()). At least 1 MHz: the clockevent's smallest
 * delta is 15 ticks (15 us at 1 MHz, 15 s at 1 Hz) and one tick is the resolution of the
 * clocksource and sched_clock; counters run at 1 GHz from Armv8.6 on and in the MHz
 * range before. The host accepts 1 Hz to 2^40 Hz: a guest offered a rate outside these
 * keeps the native counter, and says so.
 */
#define LPT_PV_HZ_MIN	1000000ULL
#define LPT_PV_HZ_MAX	((u64)U32_MAX)

/*
 * One reader per CPU and interrupt context level (task, softirq, hardirq, NMI), so that
 * an interrupt does not replace the content under an interrupted read or refresh
 * (include/lpt/page_reader.h). Preemption is off while one is in use. Not guarded: a
 * clock read from the entry code's transitions, where the level is not yet (or no
 * longer) counted (irq tracing hooks around irq_enter_rcu()), or from a debug exception
 * (kprobes, watchpoints; not counted as NMI in 6.1), uses the interrupted level's
 * reader; it is harmed only if it lands inside a refresh of that reader.
 */
#define LPT_CONTEXTS	4
static DEFINE_PER_CPU(struct lpt_reader, lpt_readers[LPT_CONTEXTS]);

static __always_inline struct lpt_reader *lpt_this_reader(void)
{
	return this_cpu_ptr(&lpt_readers[interrupt_context_level()]);
}

/**
 * arch_timer_lpt_rate() - The PV counter's frequency.
 *
 * Return: the PV rate in Hz (1 MHz to U32_MAX, what the guest accepts) once
 * arch_timer_lpt_probe() found a valid page; 0 before or without one.
 */
u32 arch_timer_lpt_rate(void)
{
	return lpt_pv_hz;
}

/**
 * arch_timer_lpt_native_rate() - The native counter's frequency at boot.
 *
 * For what keeps counting the native counter under LPT (a memory-mapped timer): the
 * rate the driver read at boot, which a migration changes, as without LPT.
 *
 * Return: Hz; 0 without LPT.
 */
u32 arch_timer_lpt_native_rate(void)
{
	return lpt_boot_native_hz;
}

/*
 * KVM's vendor hypervisor service: kvm_init_hyp_services() checked KVM's UID and read
 * its features bitmap in setup_arch(), before time_init(); the bit is set only while
 * the page is published.
 */
static bool __init lpt_discover(phys_addr_t *ipa)
{
	struct arm_smccc_res res;

	if (!kvm_arm_hyp_service_available(ARM_SMCCC_KVM_FUNC_LPT))
		return false;
	arm_smccc_1_1_invoke(ARM_SMCCC_VENDOR_HYP_KVM_LPT_FUNC_ID, &res);
	if ((long)res.a0 < 0)
		return false;
	*ipa = res.a0;
	return true;
}

/* The page's content as this CPU's reader validates it. */
static int __init lpt_content(struct lpt_snapshot *snap)
{
	struct lpt_reader *r;
	u64 seq;
	int err;

	preempt_disable();
	r = lpt_this_reader();
	do {
		err = lpt_reader_begin(r, &seq);
		if (err)
			break;
		*snap = *lpt_reader_snapshot(r);
	} while (lpt_reader_retry(r, seq));
	preempt_enable();
	return err;
}

/*
 * Every reader validates the page once, here, while it is valid: a read that fails
 * later falls back to the content its reader holds (lpt_reader_held_pv()).
 */
static int __init lpt_readers_init(void *page)
{
	struct lpt_reader *r;
	int cpu, i, err;

	for_each_possible_cpu(cpu) {
		for (i = 0; i < LPT_CONTEXTS; i++) {
			r = per_cpu_ptr(&lpt_readers[i], cpu);
			err = lpt_reader_init(r, page, LPT_PAGE_REV1_SIZE);
			if (!err)
				err = lpt_reader_refresh(r);
			if (err)
				return err;
		}
	}
	return 0;
}

/*
 * The page must not be memory the kernel maps and allocates: memremap() would return
 * the linear map of a page the kernel may give to anyone, and the hypervisor's writes
 * would land in it. The VMM keeps it out of the memory nodes (or a no-map reservation).
 */
static bool __init lpt_page_in_kernel_memory(phys_addr_t ipa)
{
	return memblock_is_map_memory(ipa) ||
	       memblock_is_map_memory(ipa + LPT_PAGE_REV1_SIZE - 1);
}

/*
 * Whether the vDSO can convert by the page at @ipa (arch_timer_lpt_vdso()). It maps
 * the page's frame into every process: only a revision 1 page at the start of a 4 KiB
 * frame, which the VMM gives it alone (docs/abi.md). With 16 KiB or 64 KiB pages the
 * frame would reach past what the ABI says the page has: an EL0 read there could hit
 * the VMM's other memory or MMIO, or no memslot at all (the VM stopped).
 */
static bool __init lpt_vdso_usable(phys_addr_t ipa, bool phys, u32 revision)
{
	const char *why = NULL;

	if (lpt_el0_trap)
		return false;
	if (phys)
		why = "the physical counter";
	else if (revision != LPT_PAGE_REV1)
		why = "a revision 0 page";
	else if (PAGE_SIZE != SZ_4K)
		why = "pages larger than 4 KiB";
	else if (!PAGE_ALIGNED(ipa))
		why = "not on a page boundary";
	if (why) {
		pr_info("the vDSO cannot read the page (%s): system calls\n", why);
		return false;
	}
	return true;
}

/**
 * arch_timer_lpt_probe() - Find the hypervisor's LPT page and turn LPT on.
 * @native_hz: the counter's frequency as the driver read it (CNTFRQ_EL0 or the device
 *             tree), in Hz; the page must state the same.
 * @phys: the kernel's counter is the physical one (CNTPCT_EL0), not the virtual one.
 *
 * Called once, at boot, after the driver chose its counter and before it registers
 * anything with a rate. Discovers KVM's LPT service, maps the page (refused in memory
 * the kernel maps), validates it on every CPU's readers and bounds the PV rate. On
 * success sets arch_timer_lpt_key; on any failure says why and changes nothing.
 *
 * Return: true if the kernel's counter is now the PV counter.
 */
bool __init arch_timer_lpt_probe(u64 native_hz, bool phys)
{
	struct lpt_snapshot snap;
	phys_addr_t ipa;
	void *page;
	int err;

	if (!lpt_discover(&ipa))
		return false;
	if (is_hyp_mode_available()) {
		pr_warn("offered to a kernel at EL2, whose KVM needs the native counter: using the native counter\n");
		return false;
	}
	if (lpt_page_in_kernel_memory(ipa)) {
		pr_warn("the page at %pa is in the kernel's memory: using the native counter\n",
			&ipa);
		return false;
	}
	page = memremap(ipa, LPT_PAGE_REV1_SIZE, MEMREMAP_WB);
	if (!page) {
		pr_warn("cannot map the page at %pa: using the native counter\n", &ipa);
		return false;
	}
	err = lpt_readers_init(page);
	if (!err)
		err = lpt_content(&snap);
	if (!err && snap.native_hz != native_hz)
		err = -LPT_EFREQ;
	if (!err && (snap.pv_hz < LPT_PV_HZ_MIN || snap.pv_hz > LPT_PV_HZ_MAX)) {
		pr_warn("a %llu Hz PV counter is outside [%llu, %llu] Hz: using the native counter\n",
			snap.pv_hz, LPT_PV_HZ_MIN, LPT_PV_HZ_MAX);
		memunmap(page);
		return false;
	}
	if (err) {
		pr_warn("the page at %pa is not valid (%s): using the native counter\n", &ipa,
			lpt_error_name(err));
		memunmap(page);
		return false;
	}
	lpt_page = page;
	lpt_ipa = ipa;
	lpt_native_phys = phys;
	lpt_vdso = lpt_vdso_usable(ipa, phys, snap.revision);
	lpt_boot_native_hz = native_hz;
	lpt_pv_hz = snap.pv_hz;
	static_branch_enable(&arch_timer_lpt_key);
	pr_info("revision %u page at %pa: %llu Hz PV counter on a %llu Hz counter; EL0: %s\n",
		snap.revision, &ipa, lpt_pv_hz, native_hz,
		lpt_el0_trap ? "the PV counter (trapped), vDSO off" :
		lpt_vdso ? "the native counter, the vDSO converts" :
		"the native counter, vDSO off");
	return true;
}

/**
 * arch_timer_lpt_vdso() - Whether the vDSO converts the counter by the page.
 *
 * Under LPT, unless clocksource.arm_arch_timer.lpt_el0=trap, with the virtual counter
 * and a revision 1 page at the start of a 4 KiB frame, with 4 KiB pages (the vDSO maps
 * that frame into userspace). EL0 reads the native counter (arch_timer_lpt_el0_native()).
 *
 * Return: true if the vDSO may use VDSO_CLOCKMODE_LPT (an erratum may still keep it
 * on system calls).
 */
bool arch_timer_lpt_vdso(void)
{
	return lpt_vdso;
}

/**
 * arch_timer_lpt_el0_native() - Whether EL0 reads the native counter under LPT.
 *
 * Under LPT unless clocksource.arm_arch_timer.lpt_el0=trap, whether the vDSO converts
 * or not: the driver leaves EL0VCTEN set, and where an erratum traps EL0's reads the
 * handlers return the native counter and rate (arch_timer_lpt_el0_counter()).
 *
 * Return: true under LPT with EL0's native view.
 */
bool arch_timer_lpt_el0_native(void)
{
	return arch_timer_lpt_active() && !lpt_el0_trap;
}

/**
 * arch_timer_lpt_el0_pv() - Whether EL0's counter reads must trap and give the PV
 * counter (clocksource.arm_arch_timer.lpt_el0=trap).
 *
 * Return: true under LPT with lpt_el0=trap.
 */
bool arch_timer_lpt_el0_pv(void)
{
	return arch_timer_lpt_active() && lpt_el0_trap;
}

/**
 * arch_timer_lpt_el0_counter() - What a trapped EL0 read of the counter returns
 * (CNTVCT_EL0, CNTVCTSS_EL0, and their AArch32 forms).
 *
 * With arch_timer_lpt_el0_native() the native virtual counter (with the erratum's
 * workaround), as EL0 reads it on the CPUs and in the tasks that do not trap, and as
 * the vDSO converts it; otherwise the kernel's counter (the PV one under LPT).
 *
 * Return: counter ticks.
 */
u64 arch_timer_lpt_el0_counter(void)
{
	if (!arch_timer_lpt_el0_native())
		return arch_timer_read_counter();
	/* The _stable accessor disables preemption around the erratum's read. */
	return __arch_counter_get_cntvct_stable();
}

/**
 * arch_timer_lpt_el0_rate() - What a trapped EL0 read of CNTFRQ_EL0 returns.
 *
 * Return: with arch_timer_lpt_el0_native() this host's native rate (CNTFRQ_EL0, which
 * a migration changes), as EL0 reads it where it does not trap; otherwise the kernel's
 * counter rate (the PV one under LPT), in Hz.
 */
u32 arch_timer_lpt_el0_rate(void)
{
	return arch_timer_lpt_el0_native() ? arch_timer_get_cntfrq() : arch_timer_get_rate();
}

/**
 * arch_timer_lpt_vdso_pfn() - The page frame the vDSO maps read-only for its reads.
 *
 * Return: the page's frame number; meaningful with arch_timer_lpt_vdso() only.
 */
unsigned long arch_timer_lpt_vdso_pfn(void)
{
	return PHYS_PFN(lpt_ipa);
}

/**
 * arch_timer_lpt_vdso_update() - Copy the page's map for the vDSO.
 * @seq: the vDSO data's sequence of the copy (struct arch_vdso_data.lpt_seq).
 * @virt: the vDSO data's copy of the virtual counter's map.
 *
 * Called at each update of the vDSO data, inside its write sequence
 * (update_vsyscall(), interrupts off). The content this CPU's reader holds, brought to
 * the page's: the vDSO converts by it while the page's sequence is @seq
 * (lpt_map_read()); from a migration until the next update (a tick, or longer on a
 * CPU whose tick is stopped), the vDSO's reads go to the system call. A page that
 * cannot be read, or a revision 0 one, gives @seq 0: system calls, which go on by the
 * content the kernel's readers hold.
 */
void arch_timer_lpt_vdso_update(u64 *seq, struct lpt_map *virt)
{
	struct lpt_reader *r = lpt_this_reader();
	const struct lpt_snapshot *s;
	u64 begun;

	do {
		if (lpt_reader_begin(r, &begun)) {
			*seq = 0;
			return;
		}
		s = lpt_reader_snapshot(r);
		*seq = s->revision == LPT_PAGE_REV1 ? s->sequence : 0;
		lpt_map_copy(virt, &s->virt);
	} while (lpt_reader_retry(r, begun));
}

/*
 * The kernel's counter, read with the driver's erratum workaround if it has one (the
 * _stable accessors test the workaround's static key; preemption is off here).
 */
static __always_inline u64 lpt_native_counter(bool phys)
{
	return phys ? __arch_counter_get_cntpct_stable() : __arch_counter_get_cntvct_stable();
}

static u64 notrace lpt_counter(const void *ctx)
{
	return lpt_native_counter(lpt_native_phys);
}

/*
 * A read of the page failed (invalidated by the host, stuck odd, corrupted): said once,
 * later, from an irq_work. The paths that fail here are the clocksource's, sched_clock's
 * and the clockevent's, which print nothing; irq_work_queue() is NMI-safe and called
 * once.
 */
static atomic_t lpt_unreadable_err = ATOMIC_INIT(0);

static void lpt_unreadable_warn(struct irq_work *work)
{
	pr_warn("the page cannot be read (%s): the PV counter goes on by the content last validated\n",
		lpt_error_name(atomic_read(&lpt_unreadable_err)));
}

static DEFINE_IRQ_WORK(lpt_unreadable_work, lpt_unreadable_warn);

static void notrace lpt_unreadable(int err)
{
	if (atomic_cmpxchg(&lpt_unreadable_err, 0, err) == 0)
		irq_work_queue(&lpt_unreadable_work);
}

/*
 * The PV counter at the native value @read_native gives, called inside this CPU's
 * reader window; by the content held if the page cannot be read (@read_native is then
 * called once more, outside any window).
 */
static __always_inline u64 lpt_read(u64 (*read_native)(const void *ctx), const void *ctx)
{
	struct lpt_reader *r;
	u64 pv;
	int err;

	preempt_disable_notrace();
	r = lpt_this_reader();
	err = lpt_reader_read(r, read_native, ctx, lpt_native_phys, &pv);
	if (unlikely(err)) {
		u64 native = read_native(ctx);

		lpt_unreadable(err);
		if (lpt_reader_held_pv(r, native, lpt_native_phys, &pv))
			pv = native;	/* not reached: every reader holds content */
	}
	preempt_enable_notrace();
	return pv;
}

/**
 * arch_timer_lpt_read() - The PV counter, the kernel's counter under LPT.
 *
 * The native counter read inside this CPU's reader window (never before it, so that a
 * vCPU migrated in between does not convert the old host's counter with the new host's
 * content), converted by the page's map, rounded down. If the page cannot be read,
 * the counter goes on by the content this reader last validated (every reader did at
 * boot), never from 0: exact on the host that published it. Any context, NMI included.
 *
 * Return: the PV counter, in PV ticks.
 */
u64 notrace arch_timer_lpt_read(void)
{
	return lpt_read(lpt_counter, NULL);
}

/**
 * arch_timer_lpt_read_by() - The PV counter at a native counter value the caller
 * obtains inside the read window.
 * @read_native: gives a value of the kernel's native counter (one the hypervisor read
 *	in a hypercall: ptp_kvm's cross-timestamp); called inside this CPU's reader
 *	window, once per attempt, with preemption off.
 * @ctx: its argument.
 *
 * arch_timer_lpt_read() with the caller's counter value: converted by the content of
 * the host on which it was read, rounded down. If the page cannot be read,
 * @read_native is called (again, if the window called it) outside any window and its
 * value converted by the content held.
 *
 * Return: the PV counter at that value, in PV ticks.
 */
u64 arch_timer_lpt_read_by(u64 (*read_native)(const void *ctx), const void *ctx)
{
	return lpt_read(read_native, ctx);
}

/* The timer's compare value, written to the hardware (CP15 access, arm64). */
static __always_inline void lpt_write_cval(u64 cval, bool phys)
{
	if (phys)
		write_sysreg(cval, cntp_cval_el0);
	else
		write_sysreg(cval, cntv_cval_el0);
	isb();
}

/*
 * The event stream. Linux chooses its divider on the kernel's counter, the PV one; the
 * stream runs on the native counter, so each CPU's CNTKCTL_EL1 holds the translation
 * for the native rate of its reader's content (lpt_evtstrm_translate()). After a
 * migration to a host of another rate a CPU re-translates at its next timer
 * programming. A CPU that programs none keeps the old host's stream until it does: an
 * idle CPU with no timer pending, a nohz_full CPU running userspace, a long stretch with
 * interrupts off (a WFE loop on it waits up to one old period per wait).
 */
#define LPT_CNTKCTL_EVT	(LPT_CNTKCTL_EVNTEN | LPT_CNTKCTL_EVNTDIR | LPT_CNTKCTL_EVNTI_MASK | \
			 LPT_CNTKCTL_EVNTIS)

/* The stream's bits as Linux chose them on the PV counter; 0 until it enables one. */
static u32 lpt_evtstrm_pv;
/* The native rate this CPU's CNTKCTL_EL1 was translated for; 0: no stream on it. */
static DEFINE_PER_CPU(u64, lpt_evtstrm_native_hz);

/* @cntkctl with the stream's bits translated from lpt_evtstrm_pv for @native_hz. */
static u32 notrace lpt_evtstrm_cntkctl(u32 cntkctl, u64 native_hz)
{
	struct lpt_evtstrm e;
	u32 pv = (cntkctl & ~LPT_CNTKCTL_EVT) | READ_ONCE(lpt_evtstrm_pv);

	if (lpt_evtstrm_translate(&e, pv, lpt_pv_hz, native_hz,
				  cpus_have_const_cap(ARM64_HAS_ECV)))
		return pv;
	return e.native_cntkctl;
}

/* This CPU's stream re-translated for @native_hz (preemption off). */
static noinline void notrace lpt_evtstrm_follow(u64 native_hz)
{
	arch_timer_set_cntkctl(lpt_evtstrm_cntkctl(arch_timer_get_cntkctl(), native_hz));
	__this_cpu_write(lpt_evtstrm_native_hz, native_hz);
}

/* Whether this CPU's stream was translated for another native rate than @r's content. */
static __always_inline bool lpt_evtstrm_stale(const struct lpt_reader *r)
{
	u64 hz = __this_cpu_read(lpt_evtstrm_native_hz);

	return unlikely(hz && hz != lpt_reader_snapshot(r)->native_hz);
}

/**
 * arch_timer_lpt_cntkctl() - The event stream's CNTKCTL for the native counter.
 * @cntkctl: CNTKCTL_EL1 with the stream's divider (EVNTI) chosen on the PV counter.
 *
 * Called on each CPU that enables the stream (at its start, hotplug included), with
 * preemption off. EVNTI is translated to the native counter's bit nearest the same
 * period (FEAT_ECV's EVNTIS, a stream from bits 8 to 23 of the counter, widens what it
 * can reach), for the native rate of the content this CPU's reader holds now (not the
 * boot host's); the CPU re-translates when that rate changes (arch_timer_lpt_set_cval()).
 *
 * Return: the CNTKCTL_EL1 to write; @cntkctl unchanged if it cannot be translated.
 */
u32 arch_timer_lpt_cntkctl(u32 cntkctl)
{
	struct lpt_reader *r = lpt_this_reader();
	u64 seq, native_hz;

	WRITE_ONCE(lpt_evtstrm_pv, cntkctl & LPT_CNTKCTL_EVT);
	/* The reader brought to the page's content; if unreadable, the content held. */
	do {
		if (lpt_reader_begin(r, &seq))
			break;
	} while (lpt_reader_retry(r, seq));
	native_hz = lpt_reader_snapshot(r)->native_hz;
	__this_cpu_write(lpt_evtstrm_native_hz, native_hz);
	return lpt_evtstrm_cntkctl(cntkctl, native_hz);
}

/**
 * arch_timer_lpt_set_cval() - Program the timer to fire @evt PV ticks from now.
 * @evt: the delay in PV ticks.
 * @phys: the physical timer (CNTP_CVAL_EL0), else the virtual one (CNTV_CVAL_EL0).
 *
 * The counter read, the PV "now", the native compare value (revision 1: the first
 * native value that reaches the PV one, never early; revision 0: the RFC's rounding
 * down) and its write to the timer in one read window, from one content. Written inside the
 * window: a vCPU migrated after the write has it carried and converted by the host, and
 * the retry writes it again on the new host; written after the window, a migration in
 * between would leave the old host's value. Every path that programs the timer comes
 * here, the errata's too (erratum_set_next_event_generic()): the counter is read with
 * their workaround. If the page cannot be read, by the content last validated, as
 * arch_timer_lpt_read(). A CPU whose event stream was translated for another host's
 * rate re-translates it here, in the same window. Preemption is disabled inside.
 */
void notrace arch_timer_lpt_set_cval(u64 evt, bool phys)
{
	struct lpt_reader *r;
	u64 seq, native, pv, cval;
	int err;

	preempt_disable_notrace();
	r = lpt_this_reader();
	do {
		err = lpt_reader_begin(r, &seq);
		if (err)
			break;
		native = lpt_native_counter(phys);
		lpt_write_cval(lpt_reader_native_cval(r, lpt_reader_pv(r, native, phys) + evt,
						      phys), phys);
		if (lpt_evtstrm_stale(r))
			lpt_evtstrm_follow(lpt_reader_snapshot(r)->native_hz);
	} while (lpt_reader_retry(r, seq));
	if (unlikely(err)) {
		lpt_unreadable(err);
		native = lpt_native_counter(phys);
		if (lpt_reader_held_pv(r, native, phys, &pv) ||
		    lpt_reader_held_native_cval(r, pv + evt, phys, &cval))
			cval = native + evt;	/* not reached: every reader holds content */
		lpt_write_cval(cval, phys);
	}
	preempt_enable_notrace();
}
