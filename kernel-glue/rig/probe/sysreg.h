/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* The probe's system register accessors (generic timer) and its SMCCC call. */
#ifndef LPT_RIG_SYSREG_H
#define LPT_RIG_SYSREG_H

#include <stdint.h>

#define SYSREG_READ(name, reg)						\
static inline uint64_t read_##name(void)				\
{									\
	uint64_t v;							\
	__asm__ volatile("isb\n\tmrs %0, " #reg : "=r"(v) :: "memory");	\
	return v;							\
}
#define SYSREG_WRITE(name, reg)						\
static inline void write_##name(uint64_t v)				\
{									\
	__asm__ volatile("msr " #reg ", %0\n\tisb" :: "r"(v) : "memory");	\
}

SYSREG_READ(cntfrq, cntfrq_el0)
SYSREG_READ(cntvct, cntvct_el0)
SYSREG_READ(cntpct, cntpct_el0)
SYSREG_READ(cntv_ctl, cntv_ctl_el0)
SYSREG_READ(cntp_ctl, cntp_ctl_el0)
SYSREG_READ(cntv_cval, cntv_cval_el0)
SYSREG_READ(cntp_cval, cntp_cval_el0)
SYSREG_WRITE(cntv_ctl, cntv_ctl_el0)
SYSREG_WRITE(cntp_ctl, cntp_ctl_el0)
SYSREG_WRITE(cntv_cval, cntv_cval_el0)
SYSREG_WRITE(cntp_cval, cntp_cval_el0)

#define TIMER_ENABLE	1UL
#define TIMER_IMASK	2UL	/* the probe polls the status: no interrupt */
#define TIMER_ISTATUS	4UL

/* An SMCCC fast call over HVC (the KVM conduit): function ID, one argument. */
static inline uint64_t smccc_hvc(uint64_t fid, uint64_t arg)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = arg;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1) :: "x2", "x3", "memory");
	return x0;
}

/* An SMCCC fast call over HVC without argument: the four result registers. */
static inline void smccc_hvc4(uint64_t fid, uint64_t res[4])
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = 0;
	register uint64_t x2 __asm__("x2") = 0;
	register uint64_t x3 __asm__("x3") = 0;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) :: "memory");
	res[0] = x0;
	res[1] = x1;
	res[2] = x2;
	res[3] = x3;
}

#endif /* LPT_RIG_SYSREG_H */
