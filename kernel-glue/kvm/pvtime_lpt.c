// SPDX-License-Identifier: GPL-2.0-only
/*
 * Live Physical Time (LPT), the KVM arm64 host side: the VM attributes that place the
 * page and set the PV frequency, the LPT hypercall (KVM's vendor hypervisor service
 * ARM_SMCCC_KVM_FUNC_LPT), the page update at the first vCPU run after the VMM
 * (re)configured it, and both timers re-programmed on the new host. Every conversion
 * is a liblpt call (lib/lpt/); this file only moves values
 * between KVM and the library. Installed as arch/arm64/kvm/pvtime_lpt.c.
 */
#include <linux/arm-smccc.h>
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <clocksource/arm_arch_timer.h>
#include <kvm/arm_arch_timer.h>
#include <kvm/arm_hypercalls.h>

#include <asm/kvm_emulate.h>
#include <asm/kvm_pvtime_lpt.h>

/* The guest's virtual counter is 64 bits wide (CNTPCT - CNTVOFF, modulo 2^64). */
#define LPT_KVM_WIDTH	64

int kvm_arm_pvtime_lpt_init(struct kvm *kvm)
{
	struct kvm_pvtime_lpt *lpt = kzalloc(sizeof(*lpt), GFP_KERNEL_ACCOUNT);

	if (!lpt)
		return -ENOMEM;
	mutex_init(&lpt->lock);
	spin_lock_init(&lpt->cnt_lock);
	lpt->ipa = GPA_INVALID;
	lpt->revision = LPT_PAGE_REV1;
	kvm->arch.lpt = lpt;
	return 0;
}

void kvm_arm_pvtime_lpt_destroy(struct kvm *kvm)
{
	struct kvm_pvtime_lpt *lpt = kvm->arch.lpt;

	if (!lpt)
		return;
	kfree(lpt);
	kvm->arch.lpt = NULL;
}

static int lpt_get_u64(struct kvm_device_attr *attr, u64 *val)
{
	return get_user(*val, (u64 __user *)(unsigned long)attr->addr) ? -EFAULT : 0;
}

static int lpt_set_ipa(struct kvm *kvm, u64 ipa)
{
	struct kvm_pvtime_lpt *lpt = kvm->arch.lpt;
	int idx, ret = 0;

	if (!IS_ALIGNED(ipa, LPT_PAGE_ALIGN) ||
	    offset_in_page(ipa) + LPT_PAGE_REV1_SIZE > PAGE_SIZE)
		return -EINVAL;
	if (lpt->ipa != GPA_INVALID)
		return -EEXIST;
	idx = srcu_read_lock(&kvm->srcu);
	if (kvm_is_error_hva(gfn_to_hva(kvm, gpa_to_gfn(ipa))))
		ret = -EINVAL;
	srcu_read_unlock(&kvm->srcu, idx);
	if (!ret)
		lpt->ipa = ipa;
	return ret;
}

static int lpt_set_revision(struct kvm *kvm, u64 revision)
{
	struct kvm_pvtime_lpt *lpt = kvm->arch.lpt;

	if (revision != LPT_PAGE_REV0 && revision != LPT_PAGE_REV1)
		return -EINVAL;
	lpt->revision = revision;
	return 0;
}

static int lpt_set_freq(struct kvm *kvm, u64 hz)
{
	struct kvm_pvtime_lpt *lpt = kvm->arch.lpt;

	if (!lpt_freq_valid(hz))
		return -EINVAL;
	if (lpt->pv_hz && lpt->pv_hz != hz)
		return -EEXIST;
	lpt->pv_hz = hz;
	return 0;
}

int kvm_arm_pvtime_lpt_set_attr(struct kvm *kvm, struct kvm_device_attr *attr)
{
	struct kvm_pvtime_lpt *lpt = kvm->arch.lpt;
	u64 val;
	int ret;

	if (kvm_arm_pvtime_lpt_has_attr(kvm, attr))
		return -ENXIO;
	ret = lpt_get_u64(attr, &val);
	if (ret)
		return ret;
	/*
	 * Before the first run only: a running VM's page is never re-published. The
	 * config_lock alone excludes the update: the first run sets HAS_RAN_ONCE under it
	 * before any vCPU reaches kvm_arm_pvtime_lpt_vcpu_run(), which takes lpt->lock
	 * (and, for a revision 0 restore, kvm->lock inside it: config_lock nests inside
	 * kvm->lock, so lpt->lock must not nest inside config_lock).
	 */
	mutex_lock(&kvm->arch.config_lock);
	if (test_bit(KVM_ARCH_FLAG_HAS_RAN_ONCE, &kvm->arch.flags)) {
		mutex_unlock(&kvm->arch.config_lock);
		return -EBUSY;
	}
	switch (attr->attr) {
	case KVM_ARM_VM_PVTIME_LPT_IPA:
		ret = lpt_set_ipa(kvm, val);
		break;
	case KVM_ARM_VM_PVTIME_LPT_FREQ:
		ret = lpt_set_freq(kvm, val);
		break;
	default:
		ret = lpt_set_revision(kvm, val);
		break;
	}
	/* Published at the next vCPU run: a restored VM's counters are set by then. */
	if (!ret && lpt->ipa != GPA_INVALID && lpt->pv_hz)
		WRITE_ONCE(lpt->pending, true);
	mutex_unlock(&kvm->arch.config_lock);
	return ret;
}

int kvm_arm_pvtime_lpt_get_attr(struct kvm *kvm, struct kvm_device_attr *attr)
{
	struct kvm_pvtime_lpt *lpt = kvm->arch.lpt;
	u64 __user *user = (u64 __user *)(unsigned long)attr->addr;
	u64 val;

	switch (attr->attr) {
	case KVM_ARM_VM_PVTIME_LPT_IPA:
		val = lpt->ipa;
		break;
	case KVM_ARM_VM_PVTIME_LPT_FREQ:
		val = lpt->pv_hz;
		break;
	case KVM_ARM_VM_PVTIME_LPT_REVISION:
		val = lpt->revision;
		break;
	default:
		return -ENXIO;
	}
	return put_user(val, user) ? -EFAULT : 0;
}

int kvm_arm_pvtime_lpt_has_attr(struct kvm *kvm, struct kvm_device_attr *attr)
{
	switch (attr->attr) {
	case KVM_ARM_VM_PVTIME_LPT_IPA:
	case KVM_ARM_VM_PVTIME_LPT_FREQ:
	case KVM_ARM_VM_PVTIME_LPT_REVISION:
		return 0;
	}
	return -ENXIO;
}

bool kvm_arm_pvtime_lpt_valid(struct kvm *kvm)
{
	return READ_ONCE(kvm->arch.lpt->valid);
}

/**
 * kvm_hypercall_pv_lpt() - ARM_SMCCC_VENDOR_HYP_KVM_LPT_FUNC_ID.
 * @vcpu: the calling vCPU.
 *
 * An SMC64 function: an AArch32 caller would get the IPA cut to 32 bits, so it is
 * refused (and its features bitmap does not show the service).
 *
 * Return: the page's IPA while it is published, else SMCCC_RET_NOT_SUPPORTED.
 */
long kvm_hypercall_pv_lpt(struct kvm_vcpu *vcpu)
{
	struct kvm_pvtime_lpt *lpt = vcpu->kvm->arch.lpt;

	if (!kvm_arm_pvtime_lpt_valid(vcpu->kvm) || vcpu_mode_is_32bit(vcpu))
		return SMCCC_RET_NOT_SUPPORTED;
	return lpt->ipa;
}

/**
 * kvm_arm_pvtime_lpt_features() - The vendor hypervisor services, as the guest sees them.
 * @vcpu: the calling vCPU.
 * @vendor_hyp_bmap_2: the VM's KVM_REG_ARM_VENDOR_HYP_BMAP_2 (functions 64 to 127).
 *
 * Return: @vendor_hyp_bmap_2, without the LPT bit while no page is published or for
 * an AArch32 caller: a guest that finds the bit can take the page's IPA.
 */
u64 kvm_arm_pvtime_lpt_features(struct kvm_vcpu *vcpu, u64 vendor_hyp_bmap_2)
{
	if (!kvm_arm_pvtime_lpt_valid(vcpu->kvm) || vcpu_mode_is_32bit(vcpu))
		vendor_hyp_bmap_2 &= ~BIT(KVM_REG_ARM_VENDOR_HYP_BIT_LPT);
	return vendor_hyp_bmap_2;
}

/**
 * kvm_arm_pvtime_lpt_cnt_set() - The virtual counter was set (KVM_REG_ARM_TIMER_CNT).
 * @vcpu: the vCPU whose register was set (the offset is the VM's).
 * @virt: the value set: at a restore, the virtual counter at pause.
 *
 * Records the instant of the restore on both counters for the next page update, which
 * bases the new maps there: the time from the restore to the first run then counts at
 * this host's rate, instead of as ticks of the old host's counter.
 */
void kvm_arm_pvtime_lpt_cnt_set(struct kvm_vcpu *vcpu, u64 virt)
{
	struct kvm_pvtime_lpt *lpt = vcpu->kvm->arch.lpt;
	u64 phys = kvm_arm_timer_get_reg(vcpu, KVM_REG_ARM_PTIMER_CNT);

	spin_lock(&lpt->cnt_lock);
	lpt->cnt_restored = true;
	lpt->cnt_virt = virt;
	lpt->cnt_phys = phys;
	spin_unlock(&lpt->cnt_lock);
}

/*
 * The content for this run, of the revision the VMM chose. A page never published
 * (sequence 0: a VM starting here; the VMM gives it zeroed memory) gets new PV counters
 * starting at 0 now. A published one is continued on this host or refused: a page the VM
 * brought that cannot be continued (another revision or PV frequency than the VMM set,
 * reserved bits, wrong multipliers, a counter that went backward) is not replaced by new
 * counters, which would step the guest's clock back to 0 under a valid sequence.
 *
 * Return: 0, or a negative liblpt error code (the caller invalidates the page).
 */
static int lpt_build(struct kvm *kvm, struct kvm_vcpu *vcpu, const void *va, size_t len)
{
	struct kvm_pvtime_lpt *lpt = kvm->arch.lpt;
	u64 native_hz = arch_timer_get_rate();
	struct lpt_restore *r = &lpt->restore;
	u64 generation = 1, virt, phys;
	int err;

	/* The maps are based at the VMM's counter restore if there was one, else now. */
	spin_lock(&lpt->cnt_lock);
	if (lpt->cnt_restored) {
		virt = lpt->cnt_virt;
		phys = lpt->cnt_phys;
		lpt->cnt_restored = false;
	} else {
		virt = kvm_arm_timer_get_reg(vcpu, KVM_REG_ARM_TIMER_CNT);
		phys = kvm_arm_timer_get_reg(vcpu, KVM_REG_ARM_PTIMER_CNT);
	}
	spin_unlock(&lpt->cnt_lock);

	lpt->restored = false;
	err = lpt_page_decode(va, len, &lpt->fields);
	if (err)
		return err;
	if (lpt->fields.sequence) {
		if (lpt->fields.revision != lpt->revision)
			return -LPT_EREVISION;
		if (lpt->fields.pv_hz != lpt->pv_hz)
			return -LPT_EFREQ;
		err = lpt_restore_init(r, &lpt->fields, native_hz, LPT_KVM_WIDTH, virt, phys);
		if (err)
			return err;
		lpt->restored = true;
	}
	if (lpt->revision == LPT_PAGE_REV0)
		return lpt_page_fields_rev0(&lpt->fields, native_hz, lpt->pv_hz);
	if (lpt->restored) {
		generation = lpt->fields.generation + 1;
	} else {
		err = lpt_map_init(&r->virt, native_hz, lpt->pv_hz, LPT_KVM_WIDTH, virt, 0);
		if (!err)
			err = lpt_map_init(&r->phys, native_hz, lpt->pv_hz, LPT_KVM_WIDTH, phys, 0);
		if (err)
			return err;
	}
	return lpt_page_fields_rev1(&lpt->fields, &r->virt, &r->phys, generation);
}

/*
 * The RFC's CNTVOFF rescale of a revision 0 restore (the virtual counter by the
 * native ratio), once the page is published: nothing can fail after it. The vCPU is
 * put around the write, which takes kvm->lock (update_vtimer_cntvoff()).
 */
static void lpt_rev0_set_cntvoff(struct kvm_vcpu *vcpu)
{
	struct kvm_pvtime_lpt *lpt = vcpu->kvm->arch.lpt;

	vcpu_put(vcpu);
	kvm_arm_timer_set_reg(vcpu, KVM_REG_ARM_TIMER_CNT, lpt->restore.virt_resume);
	vcpu_load(vcpu);
	spin_lock(&lpt->cnt_lock);
	lpt->cnt_restored = false;	/* KVM's own write, not a restore */
	spin_unlock(&lpt->cnt_lock);
}

/*
 * The page update, once, at the first vCPU run after the VMM set the attributes. The
 * guest page is mapped for the update only, under the VM's SRCU (no memslot change in
 * between), and marked dirty when unmapped. It fails closed: whatever stops the update
 * after the page is mapped leaves it invalid (sequence 0), so that a guest that found
 * it on an earlier host falls back instead of reading the old host's map.
 *
 * Return: 0 (published, or refused and the page invalidated), or -EFAULT when the page
 * cannot be mapped now: KVM_RUN fails and the update is tried again at the next run,
 * since the guest may still hold the old host's content.
 */
static int lpt_publish(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	struct kvm_pvtime_lpt *lpt = kvm->arch.lpt;
	size_t len = PAGE_SIZE - offset_in_page(lpt->ipa);
	struct kvm_host_map map;
	void *va;
	int idx, err;

	WRITE_ONCE(lpt->valid, false);
	idx = srcu_read_lock(&kvm->srcu);
	if (kvm_vcpu_map(vcpu, gpa_to_gfn(lpt->ipa), &map)) {
		srcu_read_unlock(&kvm->srcu, idx);
		return -EFAULT;
	}
	if (map.page == KVM_UNMAPPED_PAGE) {
		/* Not RAM: the guest maps it as device memory, never as a page to read. */
		kvm_vcpu_unmap(vcpu, &map, false);
		srcu_read_unlock(&kvm->srcu, idx);
		kvm_info("LPT: IPA %#llx is not guest RAM: not advertised\n", lpt->ipa);
		return 0;
	}
	va = map.hva + offset_in_page(lpt->ipa);
	err = lpt_build(kvm, vcpu, va, len);
	if (!err)
		err = lpt_updater_init(&lpt->updater, va, len);
	if (!err)
		err = lpt_updater_stage(&lpt->updater, &lpt->fields);
	if (!err)
		err = lpt_updater_vcpu_run(&lpt->updater) == 1 ? 0 : -LPT_EINVAL;
	if (err) {
		lpt_page_invalidate(va, len);
		kvm_info("LPT: the page at IPA %#llx cannot be published on this host (%s): invalidated, the guest falls back to its counter\n",
			 lpt->ipa, lpt_error_name(err));
	}
	kvm_vcpu_unmap(vcpu, &map, true);
	srcu_read_unlock(&kvm->srcu, idx);
	memset(&lpt->updater, 0, sizeof(lpt->updater));	/* its page is unmapped */
	if (err)
		return 0;
	if (lpt->revision == LPT_PAGE_REV0 && lpt->restored)
		lpt_rev0_set_cntvoff(vcpu);
	WRITE_ONCE(lpt->generation, lpt->generation + 1);
	WRITE_ONCE(lpt->valid, true);
	return 0;
}

/*
 * This vCPU's timers, found in the old host's native units, on the new maps. The vCPU
 * is loaded (this runs inside KVM_RUN): its timers are in the hardware, so they are read
 * and written through the sysreg accessors, which put the timer state, access it and
 * load it again. A write to the in-memory copy alone would be overwritten by the
 * hardware's old value at the next put.
 */
static void lpt_reprogram_timers(struct kvm_vcpu *vcpu)
{
	static const enum kvm_arch_timers tmr[2] = { TIMER_VTIMER, TIMER_PTIMER };
	struct kvm_pvtime_lpt *lpt = vcpu->kvm->arch.lpt;
	struct lpt_timer t;
	int phys;

	if (!lpt->restored)
		return;
	for (phys = 0; phys < 2; phys++) {
		u64 cval = kvm_arm_timer_read_sysreg(vcpu, tmr[phys], TIMER_REG_CVAL);

		if (!lpt_restore_timer(&t, &lpt->restore, phys, cval))
			kvm_arm_timer_write_sysreg(vcpu, tmr[phys], TIMER_REG_CVAL, t.native_cval);
	}
}

/**
 * kvm_arm_pvtime_lpt_vcpu_run() - At each KVM_RUN, before the guest is entered.
 * @vcpu: the vCPU about to run (loaded).
 *
 * The first run after the VMM set the attributes updates the page; each vCPU's first
 * run after an update re-programs its timers.
 *
 * Return: 0, -EINTR (a fatal signal while waiting for another vCPU's update) or
 * -EFAULT (the page cannot be mapped now; the update stays pending): KVM_RUN's error.
 */
int kvm_arm_pvtime_lpt_vcpu_run(struct kvm_vcpu *vcpu)
{
	struct kvm_pvtime_lpt *lpt = vcpu->kvm->arch.lpt;
	int ret = 0;

	/*
	 * pending is cleared only once the update is over and the generation bumped
	 * (release, paired with this acquire): a vCPU that sees it clear sees the new
	 * generation and re-programs its timers; one that sees it set waits for the update.
	 */
	if (likely(!smp_load_acquire(&lpt->pending) &&
		   vcpu->arch.lpt_generation == READ_ONCE(lpt->generation)))
		return 0;
	if (mutex_lock_killable(&lpt->lock))
		return -EINTR;
	if (lpt->pending) {
		ret = lpt_publish(vcpu->kvm, vcpu);
		if (!ret)	/* after the generation: pairs with the acquire above */
			smp_store_release(&lpt->pending, false);
	}
	if (vcpu->arch.lpt_generation != lpt->generation) {
		lpt_reprogram_timers(vcpu);
		vcpu->arch.lpt_generation = lpt->generation;
	}
	mutex_unlock(&lpt->lock);
	return ret;
}
