/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * A vCPU's registers as a VMM saves and restores them across a migration, shared by the
 * rig's two host programs (vmm/vmm.c, l2/lvmm.c): every register KVM_GET_REG_LIST lists
 * (the timers' KVM_REG_ARM_TIMER_CTL/_CNT/_CVAL among them), read with KVM_GET_ONE_REG
 * and set back with KVM_SET_ONE_REG in the order they were listed.
 */
#ifndef LPT_RIG_REGS_H
#define LPT_RIG_REGS_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/kvm.h>

/* One register and its value (the largest KVM lists for arm64 are 16 bytes: FP/SIMD). */
struct rig_reg {
	uint64_t id;
	uint8_t val[16];
};

static inline size_t rig_reg_size(uint64_t id)
{
	return 1U << ((id & KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT);
}

/* KVM_GET_ONE_REG or KVM_SET_ONE_REG (@nr) of one register: 0 or -errno. */
static inline int rig_one_reg(int vcpu, unsigned long nr, uint64_t id, void *val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)val };

	return ioctl(vcpu, nr, &r) ? -errno : 0;
}

/*
 * Every register KVM_GET_REG_LIST lists, up to @max, into @regs (the vCPU not running).
 * Return: how many, or -errno.
 */
static inline long rig_regs_get(int vcpu, struct rig_reg *regs, size_t max)
{
	struct kvm_reg_list *list = calloc(1, sizeof(*list) + max * sizeof(uint64_t));
	size_t i, n = 0;
	int err = 0;

	if (!list)
		return -ENOMEM;
	list->n = max;
	if (ioctl(vcpu, KVM_GET_REG_LIST, list))
		err = -errno;
	for (i = 0; !err && i < list->n; i++) {
		if (rig_reg_size(list->reg[i]) > sizeof(regs[0].val))
			continue;
		regs[n].id = list->reg[i];
		err = rig_one_reg(vcpu, KVM_GET_ONE_REG, regs[n].id, regs[n].val);
		n++;
	}
	free(list);
	return err ? err : (long)n;
}

/*
 * A vCPU stopped at an MMIO exit, saved: the exit completed (the PC moves past the
 * guest's access) without entering the guest again (immediate_exit), then every
 * register as rig_regs_get(). Return: how many registers, or -errno.
 */
static inline long rig_vcpu_save(int vcpu, struct kvm_run *run, struct rig_reg *regs,
				 size_t max)
{
	int ret;

	run->immediate_exit = 1;
	ret = ioctl(vcpu, KVM_RUN, 0);
	run->immediate_exit = 0;
	if (ret == 0 || errno != EINTR)
		return ret == 0 ? -EIO : -errno;
	return rig_regs_get(vcpu, regs, max);
}

/*
 * The registers back, in the order they were listed; each one KVM refuses is printed
 * (@prog names the program). Return: how many were refused.
 */
static inline unsigned long rig_regs_set(int vcpu, const struct rig_reg *regs, size_t n,
					 const char *prog)
{
	unsigned long failed = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int err = rig_one_reg(vcpu, KVM_SET_ONE_REG, regs[i].id, (void *)regs[i].val);

		if (err) {
			printf("%s: register %#llx not restored (%s)\n", prog,
			       (unsigned long long)regs[i].id, strerror(-err));
			failed++;
		}
	}
	return failed;
}

#endif /* LPT_RIG_REGS_H */
