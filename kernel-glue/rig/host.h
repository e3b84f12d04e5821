/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * What the rig's two host programs (vmm/vmm.c, l2/lvmm.c) share as an emulated host's
 * static /init: the host's clock, and stopping the host. Each defines RIG_PROG, the
 * name its messages carry, before including this.
 */
#ifndef LPT_RIG_HOST_H
#define LPT_RIG_HOST_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <time.h>
#include <unistd.h>

/* The host's CLOCK_MONOTONIC_RAW in ns: what the consoles' lines are timed by. */
static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Powers the emulated host off (QEMU exits): the end of every run. */
static inline void stop(int status)
{
	printf(RIG_PROG ": exit %d\n", status);
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	exit(status);
}

static inline void die(const char *what)
{
	printf(RIG_PROG ": error: %s: %s\n", what, strerror(errno));
	stop(1);
}

#endif /* LPT_RIG_HOST_H */
