/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Live Physical Time (LPT), the arm64 guest side of the architected timer
 * (drivers/clocksource/arm_arch_timer_lpt.c). Installed as
 * include/clocksource/arm_arch_timer_lpt.h by liblpt's kernel-glue/build.sh.
 */
#ifndef __CLKSOURCE_ARM_ARCH_TIMER_LPT_H
#define __CLKSOURCE_ARM_ARCH_TIMER_LPT_H

#include <linux/jump_label.h>
#include <linux/types.h>

#include <clocksource/arm_arch_timer.h>

#ifdef CONFIG_ARM_ARCH_TIMER_LPT
DECLARE_STATIC_KEY_FALSE(arch_timer_lpt_key);

/*
 * arch_timer_lpt_active() - Whether the kernel's counter is the PV counter: set once at
 * boot, when the page was found valid. A static key: tested on the counter's read paths.
 */
static __always_inline bool arch_timer_lpt_active(void)
{
	return static_branch_unlikely(&arch_timer_lpt_key);
}

struct lpt_map;

bool arch_timer_lpt_probe(u64 native_hz, bool phys);
bool arch_timer_lpt_vdso(void);
unsigned long arch_timer_lpt_vdso_pfn(void);
void arch_timer_lpt_vdso_update(u64 *seq, struct lpt_map *virt);
bool arch_timer_lpt_el0_native(void);
bool arch_timer_lpt_el0_pv(void);
u64 arch_timer_lpt_el0_counter(void);
u32 arch_timer_lpt_el0_rate(void);
u32 arch_timer_lpt_rate(void);
u32 arch_timer_lpt_native_rate(void);
u64 arch_timer_lpt_read(void);
u64 arch_timer_lpt_read_by(u64 (*read_native)(const void *ctx), const void *ctx);
void arch_timer_lpt_set_cval(u64 evt, bool phys);
u32 arch_timer_lpt_cntkctl(u32 cntkctl);
#else
static inline bool arch_timer_lpt_probe(u64 native_hz, bool phys) { return false; }
static inline bool arch_timer_lpt_active(void) { return false; }
static inline bool arch_timer_lpt_vdso(void) { return false; }
static inline unsigned long arch_timer_lpt_vdso_pfn(void) { return 0; }
static inline bool arch_timer_lpt_el0_native(void) { return false; }
static inline bool arch_timer_lpt_el0_pv(void) { return false; }
static inline u64 arch_timer_lpt_el0_counter(void) { return arch_timer_read_counter(); }
static inline u32 arch_timer_lpt_el0_rate(void) { return arch_timer_get_rate(); }
static inline u32 arch_timer_lpt_rate(void) { return 0; }
static inline u32 arch_timer_lpt_native_rate(void) { return 0; }
static inline u64 arch_timer_lpt_read(void) { return 0; }
static inline u64 arch_timer_lpt_read_by(u64 (*read_native)(const void *ctx),
					 const void *ctx) { return read_native(ctx); }
static inline void arch_timer_lpt_set_cval(u64 evt, bool phys) { }
static inline u32 arch_timer_lpt_cntkctl(u32 cntkctl) { return cntkctl; }
#endif

#endif /* __CLKSOURCE_ARM_ARCH_TIMER_LPT_H */
