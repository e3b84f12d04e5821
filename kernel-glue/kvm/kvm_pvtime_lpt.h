/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Live Physical Time (LPT) for KVM arm64 guests: the VM's state (arch/arm64/kvm/pvtime_lpt.c).
 * Installed as arch/arm64/include/asm/kvm_pvtime_lpt.h by liblpt's kernel-glue/build.sh.
 */
#ifndef __ARM64_KVM_PVTIME_LPT_H__
#define __ARM64_KVM_PVTIME_LPT_H__

#include <linux/bits.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <lpt/lpt.h>

/* KVM_CAP_ARM_PVTIME_LPT: the page revisions KVM publishes, one bit each. */
#define KVM_ARM_PVTIME_LPT_REVISIONS	(BIT(LPT_PAGE_REV0) | BIT(LPT_PAGE_REV1))

struct kvm;
struct kvm_vcpu;
struct kvm_device_attr;

/**
 * struct kvm_pvtime_lpt - A VM's LPT state.
 * @lock: serialises the page update and the timers' re-programming (the attributes
 *	are set before the first run, under kvm->arch.config_lock).
 * @ipa: guest physical address of the page, or GPA_INVALID.
 * @pv_hz: the PV counter frequency the VMM set, 0 until then.
 * @revision: the page revision to publish: LPT_PAGE_REV1 unless the VMM chose
 *	LPT_PAGE_REV0 (the Aug 2020 RFC's layout).
 * @pending: both are set and the page awaits its update at the next vCPU run.
 * @valid: the page is published: LPT is advertised to the guest (the vendor
 *	hypervisor service's feature bit, and the call returns the page's IPA).
 * @restored: the last update continued the counters the VM brought.
 * @generation: bumped at each update; a vCPU re-programs its timers when its own
 *	copy differs.
 * @updater: the page's writer (liblpt).
 * @fields: the content last published.
 * @restore: the old and new maps of the last update.
 * @cnt_lock: protects the three below (set from a vCPU ioctl, read at the update).
 * @cnt_restored: the VMM set the virtual counter since the last update.
 * @cnt_virt: the value it set.
 * @cnt_phys: the guest's physical counter at that instant.
 */
struct kvm_pvtime_lpt {
	struct mutex lock;	/* the page update */
	u64 ipa;
	u64 pv_hz;
	u32 revision;
	bool pending;
	bool valid;
	bool restored;
	u64 generation;
	struct lpt_updater updater;
	struct lpt_page_fields fields;
	struct lpt_restore restore;
	spinlock_t cnt_lock;	/* cnt_restored, cnt_virt, cnt_phys */
	bool cnt_restored;
	u64 cnt_virt;
	u64 cnt_phys;
};

int kvm_arm_pvtime_lpt_init(struct kvm *kvm);
void kvm_arm_pvtime_lpt_destroy(struct kvm *kvm);
int kvm_arm_pvtime_lpt_set_attr(struct kvm *kvm, struct kvm_device_attr *attr);
int kvm_arm_pvtime_lpt_get_attr(struct kvm *kvm, struct kvm_device_attr *attr);
int kvm_arm_pvtime_lpt_has_attr(struct kvm *kvm, struct kvm_device_attr *attr);
bool kvm_arm_pvtime_lpt_valid(struct kvm *kvm);
long kvm_hypercall_pv_lpt(struct kvm_vcpu *vcpu);
u64 kvm_arm_pvtime_lpt_features(struct kvm_vcpu *vcpu, u64 vendor_hyp_bmap_2);
int kvm_arm_pvtime_lpt_vcpu_run(struct kvm_vcpu *vcpu);
void kvm_arm_pvtime_lpt_cnt_set(struct kvm_vcpu *vcpu, u64 virt);

#endif /* __ARM64_KVM_PVTIME_LPT_H__ */
