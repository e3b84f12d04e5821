/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * What the rig's two host programs (vmm/vmm.c, l2/lvmm.c) share as an emulated host's
 * static /init: starting, the host's clock, and stopping the host. Each defines RIG_PROG,
 * the name its messages carry, before including this.
 */
#ifndef LPT_RIG_HOST_H
#define LPT_RIG_HOST_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
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

/*
 * Starts the host program: mounts /dev, sends standard output to /dev/kmsg and opens
 * /dev/kvm (its descriptor returned). Every line written is one whole printk record, so
 * the host kernel's own messages (a warning, an RCU stall) never land inside one of ours
 * on the shared console: the console is parsed line by line. The kernel's command line
 * must say printk.devkmsg=on, or /dev/kmsg drops all but 10 lines in 5 s.
 */
static inline int rig_host_start(void)
{
	int fd;

	mkdir("/dev", 0755);
	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) && errno != EBUSY)
		die("mount /dev");
	fd = open("/dev/kmsg", O_WRONLY);
	if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
		die("/dev/kmsg as standard output");
	close(fd);
	/* One write(2), so one record, per line. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open("/dev/kvm", O_RDWR);
	if (fd < 0)
		die("open /dev/kvm");
	return fd;
}

#endif /* LPT_RIG_HOST_H */
