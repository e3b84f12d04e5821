// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The Linux L2 guest's /init (kernel-glue/rig/l2/lvmm.c boots it): measures what the
 * guest's userspace sees of time and reports it through /dev/kmsg, one "lpt-l2: ..."
 * line each; the VMM stamps every console line with its host's CLOCK_MONOTONIC_RAW.
 *
 *   migrate MONO CNTVCT   with lpt_l2_migrate=1 on the command line (the VMM saves the
 *                         VM at this line and restores it on another host): the same
 *                         as a mark, before; everything below runs on the new host
 *   mark N MONO CNTVCT    CLOCK_MONOTONIC (ns) and CNTVCT_EL0 at EL0, around
 *                         nanosleep(1 s) (marks 0, 1) and a 1 s spin on CLOCK_MONOTONIC
 *                         (marks 1, 2)
 *   cntfrq HZ             CNTFRQ_EL0 at EL0
 *   agree BACK BAD N      N rounds of clock_gettime(CLOCK_MONOTONIC) through the C
 *                         library, forced through the system call, through the C
 *                         library again: BAD rounds where the three are not in order,
 *                         BACK C library reads below the one before (then 10 N C
 *                         library reads in a row: BACK counts those too)
 *   ptp ERR LOW SYS HIGH  ptp_kvm's cross-timestamp (/dev/ptp0, PTP_SYS_OFFSET_PRECISE):
 *                         ERR 0 or the ioctl's errno, SYS its CLOCK_REALTIME (ns),
 *                         LOW and HIGH clock_gettime(CLOCK_REALTIME) before and after
 *   cost LIBC SYSCALL     ns per clock_gettime(CLOCK_MONOTONIC), through the C library
 *                         (the vDSO when it can) and forced through the system call
 *   syscalls N CALLS      system calls clock_gettime made in CALLS C library calls,
 *                         counted by a ptrace(PTRACE_SYSCALL) parent
 *   done
 *
 * Then it exits: the kernel panics and, with panic=1, spends 1 s in mdelay() before its
 * reset, which the VMM times.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/ptp_clock.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define COST_CALLS	1000
#define TRACED_CALLS	100
#define AGREE_ROUNDS	2000

static int kmsg = -1;

static void report(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n = snprintf(buf, sizeof(buf), "lpt-l2: ");

	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (kmsg >= 0 && write(kmsg, buf, n) != n)
		return;
}

/* A clock through the C library (the vDSO when it can), in ns. */
static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

static uint64_t mono_ns_syscall(void)
{
	struct timespec ts;

	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t cntvct(void)
{
	uint64_t v;

	asm volatile("isb; mrs %0, cntvct_el0" : "=r"(v) :: "memory");
	return v;
}

static uint64_t cntfrq(void)
{
	uint64_t v;

	asm volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

/* clock_gettime() system calls made by TRACED_CALLS C library calls; -1 if unknown. */
static long count_syscalls(void)
{
	struct __ptrace_syscall_info info;
	long count = 0;
	int status, i;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		for (i = 0; i < TRACED_CALLS; i++)
			mono_ns();
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
		return -1;
	ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)PTRACE_O_TRACESYSGOOD);
	for (;;) {
		if (ptrace(PTRACE_SYSCALL, pid, NULL, NULL))
			return -1;
		if (waitpid(pid, &status, 0) != pid)
			return -1;
		if (WIFEXITED(status))
			return count;
		if (!WIFSTOPPED(status) || WSTOPSIG(status) != (SIGTRAP | 0x80))
			continue;
		if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(info), &info) > 0 &&
		    info.op == PTRACE_SYSCALL_INFO_ENTRY && info.entry.nr == SYS_clock_gettime)
			count++;
	}
}

/* ptp_kvm's cross-timestamp: the guest's CLOCK_REALTIME at the host's instant. */
static void ptp(void)
{
	struct ptp_sys_offset_precise p;
	uint64_t low, high;
	int fd = open("/dev/ptp0", O_RDWR), err = 0;

	if (fd < 0) {
		report("ptp %d 0 0 0\n", errno);
		return;
	}
	memset(&p, 0, sizeof(p));
	low = clock_ns(CLOCK_REALTIME);
	if (ioctl(fd, PTP_SYS_OFFSET_PRECISE, &p))
		err = errno;
	high = clock_ns(CLOCK_REALTIME);
	close(fd);
	report("ptp %d %llu %llu %llu\n", err, (unsigned long long)low,
	       (unsigned long long)((uint64_t)p.sys_realtime.sec * 1000000000ULL +
				    p.sys_realtime.nsec), (unsigned long long)high);
}

/* The C library's clock (the vDSO's when it can) against the system call's. */
static void agree(void)
{
	uint64_t a, b, c, prev = 0;
	long back = 0, bad = 0;
	int i;

	for (i = 0; i < AGREE_ROUNDS; i++) {
		a = mono_ns();
		b = mono_ns_syscall();
		c = mono_ns();
		bad += !(a <= b && b <= c);
		back += a < prev;
		prev = c;
	}
	for (i = 0; i < 10 * AGREE_ROUNDS; i++) {
		a = mono_ns();
		back += a < prev;
		prev = a;
	}
	report("agree %ld %ld %d\n", back, bad, AGREE_ROUNDS);
}

int main(void)
{
	struct timespec one = { 1, 0 };
	uint64_t t, t0, t1;
	int i;

	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	kmsg = open("/dev/kmsg", O_WRONLY);

	report("start\n");
	if (getenv("lpt_l2_migrate"))
		report("migrate %llu %llu\n", (unsigned long long)mono_ns(),
		       (unsigned long long)cntvct());
	report("cntfrq %llu\n", (unsigned long long)cntfrq());
	report("mark 0 %llu %llu\n", (unsigned long long)mono_ns(), (unsigned long long)cntvct());
	nanosleep(&one, NULL);
	t = mono_ns();
	report("mark 1 %llu %llu\n", (unsigned long long)t, (unsigned long long)cntvct());
	while (mono_ns() - t < 1000000000ULL)
		;
	report("mark 2 %llu %llu\n", (unsigned long long)mono_ns(), (unsigned long long)cntvct());

	agree();
	ptp();
	t0 = mono_ns();
	for (i = 0; i < COST_CALLS; i++)
		mono_ns();
	t1 = mono_ns();
	t = mono_ns_syscall();
	for (i = 0; i < COST_CALLS; i++)
		mono_ns_syscall();
	t = mono_ns_syscall() - t;
	report("cost %llu %llu\n", (unsigned long long)((t1 - t0) / COST_CALLS),
	       (unsigned long long)(t / COST_CALLS));
	report("syscalls %ld %d\n", count_syscalls(), TRACED_CALLS);
	report("done\n");
	return 0;
}
