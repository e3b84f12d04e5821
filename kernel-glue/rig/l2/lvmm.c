// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The rig's Linux-guest VMM: the emulated host's /init when the guest is Linux (the
 * same 6.1 Image as the host, kernel-glue/rig/image.sh) instead of the probe. It boots
 * that kernel as an L2 guest, once per entry of lvmm_runs, each in a new VM:
 *
 *   memory     128 MiB at 0x40000000 (the DT's memory node); the kernel at +2 MiB, the
 *              initramfs (/l2.cpio, whose /init is kernel-glue/rig/l2/init.c) and the DTB
 *              near the top
 *   LPT page   in a 64 KiB memslot of its own at 0x48000000, outside the memory node
 *   GICv3      in-kernel (KVM_DEV_TYPE_ARM_VGIC_V3): distributor 0x08000000,
 *              redistributor 0x080a0000
 *   UART       0x09000000: a PL011 as far as earlycon needs it (UARTDR written, every
 *              read 0: the FIFO never full, never busy), emulated here on MMIO exits
 *   PSCI       0.2+ over HVC (KVM's); SYSTEM_RESET or SYSTEM_OFF ends the run
 *
 * The device tree is written here (a minimal FDT writer, fdt_*() below). Each console
 * line is printed as "l2 RUN NS LINE", NS being CLOCK_MONOTONIC_RAW at the line's first
 * character; the end of a run as "l2-end RUN NS EVENT". The guest's /init exits when
 * done, so the kernel panics with panic=1: its "Rebooting in 1 seconds.." line and the
 * reset that follows are one second of mdelay() (kernel/panic.c), timed by these stamps.
 *
 * Parameters (kernel command line, as environment variables): lvmm_runs, a comma-
 * separated list of runs (default "0"), each a PV frequency in Hz, 0 meaning no LPT,
 * and options after '+':
 *
 *   +fsl         the timer's DT node says fsl,erratum-a008585: the guest kernel reads
 *                the counter and programs its timers through the erratum's workaround
 *   +invalidate  once the guest's console says "lpt-l2: mark 1", the page is
 *                invalidated (sequence 0, lpt_page_invalidate()), as KVM leaves it
 *                when an update fails: the guest runs on without a readable page
 *   +inram       the page at INRAM_IPA, inside the memory node (a VMM that forgot to
 *                keep it out): memory the guest kernel maps and allocates, which the
 *                guest must refuse, keeping the native counter
 *   +save        the guest is told to migrate (lpt_l2_migrate=1 on its command line:
 *                its /init prints "lpt-l2: migrate" and goes on); at that line the VM
 *                is saved to the raw disk /dev/vda (memory, the page's memslot, every
 *                register of KVM_GET_REG_LIST, the vGIC's state) and the run ends
 *   +restore     instead of a boot, the VM saved on another host is restored from
 *                /dev/vda, in the VMM's order (docs/kernel.md), and runs on here
 *   +trap        clocksource.arm_arch_timer.lpt_el0=trap on the guest's command line:
 *                EL0's counter reads trap and return the PV counter, no LPT vDSO
 *   +smp         two vCPUs (the second started by the guest through PSCI CPU_ON,
 *                run by a thread of its own); not with +save or +restore
 *
 * At the guest's "lpt-l2: mark 2" line (and "migrate" before a save) the vCPU's
 * CNTKCTL_EL1 (the event stream the guest kernel programmed) is read and printed:
 * "lvmm: run N: cntkctl 0xVALUE".
 *
 * lvmm_timeout_s, per run (default 240).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvm.h>

#include <lpt/page_writer.h>

#define RIG_PROG "lvmm"
#include "../host.h"
#include "../regs.h"

/* The series' uapi (arch/arm64/include/uapi/asm/kvm.h with kernel-glue/patches/0002). */
#define KVM_ARM_VM_PVTIME_LPT_CTRL	1
#define KVM_ARM_VM_PVTIME_LPT_IPA	0
#define KVM_ARM_VM_PVTIME_LPT_FREQ	1

#define RAM_BASE	0x40000000ULL
#define RAM_SIZE	0x08000000ULL	/* 128 MiB */
#define KERNEL_IPA	(RAM_BASE + 0x00200000ULL)
#define INITRD_IPA	(RAM_BASE + 0x06000000ULL)
#define DTB_IPA		(RAM_BASE + 0x07e00000ULL)
#define PAGE_IPA	0x48000000ULL	/* its own memslot, outside the memory node */
#define PAGE_SLOT_SIZE	0x10000ULL
#define INRAM_IPA	(RAM_BASE + 0x04000000ULL)	/* +inram: in the memory node */
#define GICD_BASE	0x08000000ULL
#define GICD_SIZE	0x10000ULL
#define GICR_BASE	0x080a0000ULL
#define GICR_SIZE	0x20000ULL	/* a vCPU's redistributor */
#define MAX_VCPUS	2
#define UART_BASE	0x09000000ULL
#define UART_SIZE	0x1000ULL

static int kvm_fd;
static char cmdline[256];

/* One entry of lvmm_runs. */
struct run_opts {
	uint64_t pv_hz;		/* 0: no LPT */
	int fsl;		/* the FSL A-008585 erratum in the DT */
	int invalidate;		/* the page invalidated after "mark 1" */
	int inram;		/* the page in the memory node */
	int save;		/* saved at the guest's "migrate" line */
	int restore;		/* restored from the disk instead of booted */
	int trap;		/* lpt_el0=trap on the guest's command line */
	int smp;		/* two vCPUs */
};

/* ---- the saved state on /dev/vda ---- */

#define SAVE_MAGIC	0x4c50544c32563101ULL	/* "LPTL2V1" and a version */
#define MAX_REGS	1024
#define MAX_GIC		256

struct save_header {
	uint64_t magic;
	uint64_t ram_size;
	uint64_t page_slot_size;
	uint64_t nregs;
	uint64_t ngic;
	uint64_t pv_hz;
};

/* One vGIC register: its attribute group and attribute, and its value. */
struct gic_reg {
	uint32_t group;
	uint32_t size;		/* 4 or 8 bytes */
	uint64_t attr;
	uint64_t val;
};

static struct rig_reg regs[MAX_REGS];
static struct gic_reg gic_regs[MAX_GIC];

/* The whole of @len bytes to or from @fd (a large transfer can be short). */
static int xfer(int fd, void *buf, size_t len, int do_write)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = do_write ? write(fd, p, len) : read(fd, p, len);

		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* ---- a minimal flattened device tree writer (version 17, no reserve map entries) ---- */

static uint8_t fdt_struct[4096], fdt_strings[1024];
static size_t fdt_slen, fdt_tlen;

static void fdt_put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void fdt_bytes(const void *data, size_t len)
{
	if (fdt_slen + ((len + 3) & ~3UL) > sizeof(fdt_struct)) {
		errno = ENOSPC;
		die("device tree");
	}
	memcpy(fdt_struct + fdt_slen, data, len);
	memset(fdt_struct + fdt_slen + len, 0, ((len + 3) & ~3UL) - len);
	fdt_slen += (len + 3) & ~3UL;
}

static void fdt_token(uint32_t tok)
{
	uint8_t b[4];

	fdt_put32(b, tok);
	fdt_bytes(b, 4);
}

static void fdt_begin(const char *name)
{
	fdt_token(1);
	fdt_bytes(name, strlen(name) + 1);
}

static void fdt_end(void)
{
	fdt_token(2);
}

static uint32_t fdt_name(const char *name)
{
	size_t off = 0;

	while (off < fdt_tlen) {
		if (!strcmp((char *)fdt_strings + off, name))
			return off;
		off += strlen((char *)fdt_strings + off) + 1;
	}
	if (fdt_tlen + strlen(name) + 1 > sizeof(fdt_strings)) {
		errno = ENOSPC;
		die("device tree strings");
	}
	strcpy((char *)fdt_strings + fdt_tlen, name);
	fdt_tlen += strlen(name) + 1;
	return off;
}

static void fdt_prop(const char *name, const void *val, size_t len)
{
	uint8_t b[8];

	fdt_token(3);
	fdt_put32(b, len);
	fdt_put32(b + 4, fdt_name(name));
	fdt_bytes(b, 8);
	if (len)
		fdt_bytes(val, len);
}

/* A property of 32-bit cells: n values. */
static void fdt_cells(const char *name, int n, const uint32_t *v)
{
	uint8_t b[64];
	int i;

	for (i = 0; i < n; i++)
		fdt_put32(b + 4 * i, v[i]);
	fdt_prop(name, b, 4 * n);
}

static void fdt_u32(const char *name, uint32_t v)
{
	fdt_cells(name, 1, &v);
}

static void fdt_str(const char *name, const char *s)
{
	fdt_prop(name, s, strlen(s) + 1);
}

/* Writes the blob to @dst (at most @max bytes); returns its size. */
static size_t fdt_finish(uint8_t *dst, size_t max)
{
	size_t rsv = 40, st = rsv + 16, strs = st + fdt_slen, total = strs + fdt_tlen;
	uint32_t hdr[10] = { 0xd00dfeed, total, st, strs, rsv, 17, 16, 0, fdt_tlen, fdt_slen };
	int i;

	if (total > max) {
		errno = ENOSPC;
		die("device tree size");
	}
	for (i = 0; i < 10; i++)
		fdt_put32(dst + 4 * i, hdr[i]);
	memset(dst + rsv, 0, 16);
	memcpy(dst + st, fdt_struct, fdt_slen);
	memcpy(dst + strs, fdt_strings, fdt_tlen);
	return total;
}

static size_t make_dtb(uint8_t *dst, size_t max, uint64_t initrd_size, int fsl,
		       const char *bootargs, int ncpus)
{
	const uint32_t gic_phandle = 1;
	char name[16];
	int i;

	fdt_slen = fdt_tlen = 0;
	fdt_begin("");
	fdt_u32("#address-cells", 2);
	fdt_u32("#size-cells", 2);
	fdt_str("compatible", "linux,dummy-virt");
	fdt_u32("interrupt-parent", gic_phandle);

	fdt_begin("chosen");
	fdt_str("bootargs", bootargs);
	fdt_cells("linux,initrd-start", 2, (uint32_t[]){ INITRD_IPA >> 32, (uint32_t)INITRD_IPA });
	fdt_cells("linux,initrd-end", 2, (uint32_t[]){ (INITRD_IPA + initrd_size) >> 32,
						      (uint32_t)(INITRD_IPA + initrd_size) });
	fdt_end();

	fdt_begin("memory@40000000");
	fdt_str("device_type", "memory");
	fdt_cells("reg", 4, (uint32_t[]){ 0, RAM_BASE, 0, RAM_SIZE });
	fdt_end();

	fdt_begin("cpus");
	fdt_u32("#address-cells", 1);
	fdt_u32("#size-cells", 0);
	for (i = 0; i < ncpus; i++) {
		snprintf(name, sizeof(name), "cpu@%d", i);
		fdt_begin(name);
		fdt_str("device_type", "cpu");
		fdt_str("compatible", "arm,arm-v8");
		fdt_u32("reg", i);
		fdt_str("enable-method", "psci");
		fdt_end();
	}
	fdt_end();

	fdt_begin("psci");
	fdt_prop("compatible", "arm,psci-1.0\0arm,psci-0.2", 26);
	fdt_str("method", "hvc");
	fdt_end();

	fdt_begin("intc@8000000");
	fdt_str("compatible", "arm,gic-v3");
	fdt_u32("#interrupt-cells", 3);
	fdt_prop("interrupt-controller", NULL, 0);
	fdt_cells("reg", 8, (uint32_t[]){ 0, GICD_BASE, 0, GICD_SIZE, 0, GICR_BASE, 0,
					  GICR_SIZE * ncpus });
	fdt_u32("phandle", gic_phandle);
	fdt_end();

	/* PPIs, level high: secure and non-secure physical, virtual, hypervisor. */
	fdt_begin("timer");
	fdt_str("compatible", "arm,armv8-timer");
	fdt_cells("interrupts", 12, (uint32_t[]){ 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4 });
	fdt_prop("always-on", NULL, 0);
	if (fsl)
		fdt_prop("fsl,erratum-a008585", NULL, 0);
	fdt_end();

	fdt_end();
	fdt_token(9);
	return fdt_finish(dst, max);
}

/* ---- the VM ---- */

static size_t load_file(const char *path, uint8_t *dst, size_t max)
{
	int fd = open(path, O_RDONLY);
	size_t n = 0;
	ssize_t r;

	if (fd < 0)
		die(path);
	while ((r = read(fd, dst + n, max - n)) > 0)
		n += r;
	if (r < 0 || n == max)
		die(path);
	close(fd);
	return n;
}

static int one_reg(int fd, uint64_t id, uint64_t val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)&val };

	return ioctl(fd, KVM_SET_ONE_REG, &r);
}

static void vgic_attr(int fd, uint32_t group, uint64_t attr, uint64_t *val)
{
	struct kvm_device_attr a = { .group = group, .attr = attr,
				     .addr = (uint64_t)(uintptr_t)val };

	if (ioctl(fd, KVM_SET_DEVICE_ATTR, &a))
		die("vGIC attribute");
}

/*
 * The vGICv3 state a migration carries for this VM (one vCPU, MPIDR 0, no LPIs, the 32
 * SPIs of VGIC_NR_IRQS set before the vGIC's init, none of them used), in the order it
 * is restored: the distributor's control, the redistributor's SGI/PPI state (the
 * timers' PPIs), the SPIs' state, then the CPU interface (ICC_SRE_EL1 and ICC_CTLR_EL1
 * first), as QEMU's kvm_arm_gicv3_put() does. ICC_AP0R1..3_EL1 and ICC_AP1R1..3_EL1,
 * which KVM does not give with 5 priority bits, are saved only if it does. Not
 * carried, as this VM has no use for them (a VMM with more must): line levels
 * (KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO) of level SPIs from userspace devices, GICD_IIDR,
 * KVM_GET_MP_STATE and KVM_GET_VCPU_EVENTS; with more vCPUs, QEMU's order (targets and
 * configuration before pending state, enables and active state cleared first).
 */
#define VGIC_NR_IRQS	64	/* SGIs, PPIs and 32 SPIs */
#define GICR_SGI(off)	(0x10000 + (off))
#define ICC(crn, crm, op2) \
	((3ULL << KVM_REG_ARM64_SYSREG_OP0_SHIFT) | ((uint64_t)(crn) << KVM_REG_ARM64_SYSREG_CRN_SHIFT) | \
	 ((uint64_t)(crm) << KVM_REG_ARM64_SYSREG_CRM_SHIFT) | \
	 ((uint64_t)(op2) << KVM_REG_ARM64_SYSREG_OP2_SHIFT))

static size_t gic_list(struct gic_reg *g)
{
	static const uint32_t sgi[] = { 0x080, 0x100, 0x200, 0x300, 0x400, 0x404, 0x408, 0x40c,
					0x410, 0x414, 0x418, 0x41c, 0xc00, 0xc04, 0xd00 };
	static const uint32_t spi[] = { 0x084, 0x104, 0x204, 0x304, 0x420, 0x424, 0x428, 0x42c,
					0x430, 0x434, 0x438, 0x43c, 0xc08, 0xc0c, 0xd04 };
	static const uint64_t icc[] = { ICC(12, 12, 5), ICC(12, 12, 4), ICC(12, 12, 6),
					ICC(12, 12, 7), ICC(4, 6, 0), ICC(12, 8, 3),
					ICC(12, 12, 3), ICC(12, 8, 4), ICC(12, 8, 5),
					ICC(12, 8, 6), ICC(12, 8, 7), ICC(12, 9, 0),
					ICC(12, 9, 1), ICC(12, 9, 2), ICC(12, 9, 3) };
	size_t i, n = 0;

	g[n++] = (struct gic_reg){ KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 4, 0x0, 0 };	/* GICD_CTLR */
	g[n++] = (struct gic_reg){ KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, 4, 0x0, 0 };	/* GICR_CTLR */
	for (i = 0; i < sizeof(sgi) / sizeof(sgi[0]); i++)
		g[n++] = (struct gic_reg){ KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, 4, GICR_SGI(sgi[i]), 0 };
	for (i = 0; i < sizeof(spi) / sizeof(spi[0]); i++)
		g[n++] = (struct gic_reg){ KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 4, spi[i], 0 };
	for (i = 0; i < 32; i++) {	/* GICD_IROUTER<n> of the SPIs, two halves each */
		g[n++] = (struct gic_reg){ KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 4, 0x6100 + 8 * i, 0 };
		g[n++] = (struct gic_reg){ KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 4, 0x6104 + 8 * i, 0 };
	}
	for (i = 0; i < sizeof(icc) / sizeof(icc[0]); i++)
		g[n++] = (struct gic_reg){ KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS, 8, icc[i], 0 };
	return n;
}

static int gic_access(int fd, unsigned long nr, struct gic_reg *g)
{
	uint32_t v32 = (uint32_t)g->val;
	struct kvm_device_attr a = { .group = g->group, .attr = g->attr,
				     .addr = g->size == 4 ? (uint64_t)(uintptr_t)&v32 :
							    (uint64_t)(uintptr_t)&g->val };

	if (ioctl(fd, nr, &a))
		return -errno;
	if (g->size == 4)
		g->val = v32;
	return 0;
}

/* ICC_AP0R1..3_EL1 and ICC_AP1R1..3_EL1: present only with more priority bits. */
static int gic_optional(const struct gic_reg *g)
{
	return g->group == KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS &&
	       ((g->attr >= ICC(12, 8, 5) && g->attr <= ICC(12, 8, 7)) ||
		(g->attr >= ICC(12, 9, 1) && g->attr <= ICC(12, 9, 3)));
}

/* The vGIC's registers, into gic_regs[]; only an optional one may be absent. */
static size_t gic_save(int fd)
{
	struct gic_reg all[MAX_GIC];
	size_t i, n = 0, total = gic_list(all);

	for (i = 0; i < total; i++) {
		if (!gic_access(fd, KVM_GET_DEVICE_ATTR, &all[i]))
			gic_regs[n++] = all[i];
		else if (!gic_optional(&all[i]))
			die("reading a vGIC register");
	}
	return n;
}

static int one_reg_u64(int fd, uint64_t id, uint64_t *val)
{
	return rig_one_reg(fd, KVM_GET_ONE_REG, id, val);
}

#define CNTKCTL_EL1	ARM64_SYS_REG(3, 0, 14, 1, 0)

/*
 * The VM to the disk at the guest's "migrate" line: the MMIO exit completed first (the
 * guest's store retired) without entering the guest, then memory, the page's memslot,
 * every register, the vGIC.
 */
static void save(int vcpu, int gic_fd, struct kvm_run *run, const uint8_t *ram,
		 const uint8_t *pg, uint64_t pv_hz)
{
	struct save_header h = { .magic = SAVE_MAGIC, .ram_size = RAM_SIZE,
				 .page_slot_size = PAGE_SLOT_SIZE, .pv_hz = pv_hz };
	long n;
	int fd;

	n = rig_vcpu_save(vcpu, run, regs, MAX_REGS);
	if (n < 0) {
		errno = -n;
		die("saving the vCPU");
	}
	h.nregs = n;
	h.ngic = gic_save(gic_fd);
	fd = open("/dev/vda", O_WRONLY);
	if (fd < 0)
		die("open /dev/vda");
	if (xfer(fd, &h, sizeof(h), 1) || xfer(fd, (void *)ram, RAM_SIZE, 1) ||
	    xfer(fd, (void *)pg, PAGE_SLOT_SIZE, 1) ||
	    xfer(fd, regs, h.nregs * sizeof(regs[0]), 1) ||
	    xfer(fd, gic_regs, h.ngic * sizeof(gic_regs[0]), 1))
		die("write the saved state");
	fsync(fd);
	close(fd);
	printf("lvmm: saved %llu registers, %llu vGIC registers, %llu MiB of memory\n",
	       (unsigned long long)h.nregs, (unsigned long long)h.ngic,
	       (unsigned long long)(RAM_SIZE >> 20));
}

/* Memory and the page's memslot back from the disk (before the vCPU exists). */
static void restore_memory(uint8_t *ram, uint8_t *pg, struct save_header *h)
{
	int fd = open("/dev/vda", O_RDONLY);

	if (fd < 0)
		die("open /dev/vda");
	if (xfer(fd, h, sizeof(*h), 0) || h->magic != SAVE_MAGIC ||
	    h->ram_size != RAM_SIZE || h->page_slot_size != PAGE_SLOT_SIZE ||
	    h->nregs > MAX_REGS || h->ngic > MAX_GIC) {
		errno = EINVAL;
		die("no saved state on /dev/vda");
	}
	if (xfer(fd, ram, RAM_SIZE, 0) || xfer(fd, pg, PAGE_SLOT_SIZE, 0) ||
	    xfer(fd, regs, h->nregs * sizeof(regs[0]), 0) ||
	    xfer(fd, gic_regs, h->ngic * sizeof(gic_regs[0]), 0))
		die("read the saved state");
	close(fd);
}

/* Every register, then the vGIC (initialized), in the saved order. */
static void restore_cpu(int vcpu, int gic_fd, const struct save_header *h)
{
	unsigned long failed = rig_regs_set(vcpu, regs, h->nregs, RIG_PROG), gic_failed = 0;
	uint64_t i;

	for (i = 0; i < h->ngic; i++) {
		if (gic_access(gic_fd, KVM_SET_DEVICE_ATTR, &gic_regs[i])) {
			printf("lvmm: vGIC register %u:%#llx not restored (%s)\n", gic_regs[i].group,
			       (unsigned long long)gic_regs[i].attr, strerror(errno));
			gic_failed++;
		}
	}
	printf("lvmm: restored %llu registers (%lu refused), %llu vGIC registers (%lu refused)\n",
	       (unsigned long long)h->nregs, failed, (unsigned long long)h->ngic, gic_failed);
}

static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
	(void)sig;
	ticks++;
}

#define CORE_REG(r) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
		     KVM_REG_ARM_CORE_REG(r))

/* What the vCPU threads of a run share. */
struct vm_run {
	int nr;
	const struct run_opts *o;
	int ncpus;
	int vcpu[MAX_VCPUS];
	struct kvm_run *run[MAX_VCPUS];
	pthread_t thread[MAX_VCPUS];
	int gic_fd;
	uint8_t *ram, *pg;
	uint64_t t0, timeout_s;
	pthread_mutex_t lock;	/* the console line and the end */
	char line[512];
	size_t len;
	uint64_t line_ns;
	const char *end;	/* why the run ended; NULL while it runs (atomic) */
};

/* One vCPU thread's argument. */
struct vcpu_arg {
	struct vm_run *v;
	int idx;
};

/*
 * Ends the run (the first reason stays) and gets every vCPU thread out of KVM_RUN: one
 * about to enter it sees immediate_exit, one inside it gets a signal.
 */
static void run_end(struct vm_run *v, int idx, const char *why)
{
	const char *none = NULL;
	int i;

	__atomic_compare_exchange_n(&v->end, &none, why, false, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	for (i = 0; i < v->ncpus; i++) {
		v->run[i]->immediate_exit = 1;
		if (i != idx)
			pthread_kill(v->thread[i], SIGALRM);
	}
}

static const char *run_ended(struct vm_run *v)
{
	return __atomic_load_n(&v->end, __ATOMIC_SEQ_CST);
}

/*
 * A character the guest wrote to the UART from vCPU @idx. A whole line is printed with
 * the host's time of its first character, and acted on: CNTKCTL_EL1 read at "mark 2"
 * (and "migrate"), the VM saved at "migrate", the page invalidated at "mark 1". The
 * register and the save are the boot vCPU's, on one-vCPU runs only (another thread's
 * vCPU cannot be read while it runs).
 */
static void console_put(struct vm_run *v, int idx, char ch)
{
	const struct run_opts *o = v->o;
	const char *line = v->line;
	uint64_t a;

	pthread_mutex_lock(&v->lock);
	if (!v->len)
		v->line_ns = now_ns();
	if (ch != '\n' && v->len < sizeof(v->line) - 1) {
		if (ch != '\r')
			v->line[v->len++] = ch;
		pthread_mutex_unlock(&v->lock);
		return;
	}
	v->line[v->len] = 0;
	printf("l2 %d %llu %s\n", v->nr, (unsigned long long)v->line_ns, line);
	v->len = 0;
	if (v->ncpus == 1 && idx == 0 && (strstr(line, "lpt-l2: mark 2") ||
					  (o->save && strstr(line, "lpt-l2: migrate")))) {
		if (one_reg_u64(v->vcpu[0], CNTKCTL_EL1, &a))
			die("CNTKCTL_EL1");
		printf("lvmm: run %d: cntkctl %#llx\n", v->nr, (unsigned long long)a);
	}
	if (v->ncpus == 1 && o->save && strstr(line, "lpt-l2: migrate")) {
		save(v->vcpu[0], v->gic_fd, v->run[0], v->ram, v->pg, o->pv_hz);
		run_end(v, idx, "saved");
	}
	if (o->invalidate && strstr(line, "lpt-l2: mark 1")) {
		if (lpt_page_invalidate(v->pg, PAGE_SLOT_SIZE))
			die("invalidating the page");
		printf("lvmm: run %d: page invalidated at %llu\n", v->nr,
		       (unsigned long long)now_ns());
	}
	pthread_mutex_unlock(&v->lock);
}

/* Runs vCPU @idx until the run ends. */
static void *vcpu_loop(void *arg)
{
	const struct vcpu_arg *va = arg;
	struct vm_run *v = va->v;
	struct kvm_run *run = v->run[va->idx];

	while (!run_ended(v)) {
		if (ioctl(v->vcpu[va->idx], KVM_RUN, 0)) {
			if (errno != EINTR)
				die("KVM_RUN");
			if (now_ns() - v->t0 > v->timeout_s * 1000000000ULL)
				run_end(v, va->idx, "timeout");
			continue;
		}
		switch (run->exit_reason) {
		case KVM_EXIT_MMIO:
			if (run->mmio.phys_addr < UART_BASE ||
			    run->mmio.phys_addr >= UART_BASE + UART_SIZE) {
				printf("lvmm: MMIO %s at %#llx outside the UART\n",
				       run->mmio.is_write ? "write" : "read",
				       (unsigned long long)run->mmio.phys_addr);
				run_end(v, va->idx, "bad-mmio");
				break;
			}
			if (!run->mmio.is_write) {
				memset(run->mmio.data, 0, sizeof(run->mmio.data));
				break;
			}
			if (run->mmio.phys_addr == UART_BASE)
				console_put(v, va->idx, run->mmio.data[0]);
			break;
		case KVM_EXIT_SYSTEM_EVENT:
			run_end(v, va->idx,
				run->system_event.type == KVM_SYSTEM_EVENT_RESET ? "reset" :
				run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN ? "off" :
				"event");
			break;
		default:
			printf("lvmm: unexpected exit %u\n", run->exit_reason);
			run_end(v, va->idx, "bad-exit");
		}
	}
	return NULL;
}

/* Boots the kernel once, as @o says. */
static void boot(int nr, const struct run_opts *o, uint64_t timeout_s)
{
	struct kvm_create_device gic = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	struct kvm_userspace_memory_region mem = { .slot = 0, .guest_phys_addr = RAM_BASE,
						    .memory_size = RAM_SIZE };
	static struct vm_run v;
	struct vcpu_arg args[MAX_VCPUS];
	struct kvm_vcpu_init init;
	struct save_header saved;
	uint8_t *ram, *pg;
	uint64_t a, kernel_size = 0, initrd_size = 0, dtb_size = 0;
	char bootargs[320];
	int vm, size, i;

	memset(&v, 0, sizeof(v));
	pthread_mutex_init(&v.lock, NULL);
	v.nr = nr;
	v.o = o;
	v.ncpus = o->smp ? 2 : 1;
	v.t0 = now_ns();
	v.timeout_s = timeout_s;
	if (o->smp && (o->save || o->restore)) {
		errno = EINVAL;
		die("+smp with +save or +restore");
	}
	vm = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	if (vm < 0)
		die("KVM_CREATE_VM");
	ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pg = mmap(NULL, PAGE_SLOT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ram == MAP_FAILED || pg == MAP_FAILED)
		die("mmap guest memory");
	v.ram = ram;
	v.pg = pg;
	mem.userspace_addr = (uint64_t)(uintptr_t)ram;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mem))
		die("KVM_SET_USER_MEMORY_REGION (RAM)");
	mem = (struct kvm_userspace_memory_region){ .slot = 1, .guest_phys_addr = PAGE_IPA,
						    .memory_size = PAGE_SLOT_SIZE,
						    .userspace_addr = (uint64_t)(uintptr_t)pg };
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mem))
		die("KVM_SET_USER_MEMORY_REGION (page)");

	if (o->restore) {
		restore_memory(ram, pg, &saved);
	} else {
		snprintf(bootargs, sizeof(bootargs), "%s%s%s", cmdline,
			 o->save ? " lpt_l2_migrate=1" : "",
			 o->trap ? " clocksource.arm_arch_timer.lpt_el0=trap" : "");
		kernel_size = load_file("/Image", ram + (KERNEL_IPA - RAM_BASE),
					INITRD_IPA - KERNEL_IPA);
		initrd_size = load_file("/l2.cpio", ram + (INITRD_IPA - RAM_BASE),
					DTB_IPA - INITRD_IPA);
		dtb_size = make_dtb(ram + (DTB_IPA - RAM_BASE), 0x10000, initrd_size, o->fsl,
				    bootargs, v.ncpus);
	}

	/* The vGIC before the vCPUs, its addresses, then its init once they exist. */
	if (ioctl(vm, KVM_CREATE_DEVICE, &gic))
		die("KVM_CREATE_DEVICE (vGICv3)");
	v.gic_fd = gic.fd;
	a = GICD_BASE;
	vgic_attr(gic.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &a);
	a = GICR_BASE;
	vgic_attr(gic.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &a);

	size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	for (i = 0; i < v.ncpus; i++) {
		v.vcpu[i] = ioctl(vm, KVM_CREATE_VCPU, i);
		if (v.vcpu[i] < 0)
			die("KVM_CREATE_VCPU");
		if (ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init))
			die("KVM_ARM_PREFERRED_TARGET");
		init.features[0] |= 1U << KVM_ARM_VCPU_PSCI_0_2;
		/* The others wait for the guest's PSCI CPU_ON. */
		if (i)
			init.features[0] |= 1U << KVM_ARM_VCPU_POWER_OFF;
		if (ioctl(v.vcpu[i], KVM_ARM_VCPU_INIT, &init))
			die("KVM_ARM_VCPU_INIT");
		v.run[i] = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, v.vcpu[i], 0);
		if (v.run[i] == MAP_FAILED)
			die("mmap kvm_run");
	}
	{
		uint32_t nr_irqs = VGIC_NR_IRQS;
		struct kvm_device_attr at = { .group = KVM_DEV_ARM_VGIC_GRP_NR_IRQS,
					      .addr = (uint64_t)(uintptr_t)&nr_irqs };

		if (ioctl(gic.fd, KVM_SET_DEVICE_ATTR, &at))
			die("vGIC interrupts");
	}
	vgic_attr(gic.fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
	if (o->restore)
		restore_cpu(v.vcpu[0], gic.fd, &saved);
	else if (one_reg(v.vcpu[0], CORE_REG(regs.pc), KERNEL_IPA) ||
		 one_reg(v.vcpu[0], CORE_REG(regs.regs[0]), DTB_IPA))
		die("boot registers");

	if (o->pv_hz) {
		struct kvm_device_attr at = { .group = KVM_ARM_VM_PVTIME_LPT_CTRL,
					      .attr = KVM_ARM_VM_PVTIME_LPT_IPA,
					      .addr = (uint64_t)(uintptr_t)&a };

		a = o->inram ? INRAM_IPA : PAGE_IPA;
		if (ioctl(vm, KVM_SET_DEVICE_ATTR, &at))
			die("LPT page IPA");
		at.attr = KVM_ARM_VM_PVTIME_LPT_FREQ;
		a = o->pv_hz;
		if (ioctl(vm, KVM_SET_DEVICE_ATTR, &at))
			die("LPT frequency");
	}
	printf("lvmm: run %d: pv_hz %llu%s%s%s%s%s%s%s, kernel %llu bytes, initramfs %llu bytes, DTB %llu bytes\n",
	       nr, (unsigned long long)o->pv_hz, o->fsl ? " +fsl" : "",
	       o->invalidate ? " +invalidate" : "", o->inram ? " +inram" : "",
	       o->save ? " +save" : "", o->restore ? " +restore" : "",
	       o->trap ? " +trap" : "", o->smp ? " +smp" : "", (unsigned long long)kernel_size,
	       (unsigned long long)initrd_size, (unsigned long long)dtb_size);
	printf("l2-start %d %llu\n", nr, (unsigned long long)now_ns());

	v.thread[0] = pthread_self();
	for (i = 0; i < v.ncpus; i++)
		args[i] = (struct vcpu_arg){ .v = &v, .idx = i };
	for (i = 1; i < v.ncpus; i++) {
		errno = pthread_create(&v.thread[i], NULL, vcpu_loop, &args[i]);
		if (errno)
			die("pthread_create");
	}
	vcpu_loop(&args[0]);
	for (i = 1; i < v.ncpus; i++)
		pthread_join(v.thread[i], NULL);

	printf("l2-end %d %llu %s\n", nr, (unsigned long long)now_ns(), run_ended(&v));
	if (v.len) {
		v.line[v.len] = 0;
		printf("l2 %d %llu %s\n", nr, (unsigned long long)v.line_ns, v.line);
	}
	for (i = 0; i < v.ncpus; i++) {
		munmap(v.run[i], size);
		close(v.vcpu[i]);
	}
	close(gic.fd);
	close(vm);
	munmap(ram, RAM_SIZE);
	munmap(pg, PAGE_SLOT_SIZE);
	pthread_mutex_destroy(&v.lock);
}

int main(void)
{
	const char *runs = getenv("lvmm_runs");
	const char *t = getenv("lvmm_timeout_s");
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { { 1, 0 }, { 1, 0 } };
	char *list, *tok, *save;
	int nr = 0;

	kvm_fd = rig_host_start();
	/* A 1 s tick interrupts KVM_RUN (no SA_RESTART), for the per-run timeout. */
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	snprintf(cmdline, sizeof(cmdline),
		 "earlycon=pl011,mmio32,0x%llx keep_bootcon printk.devkmsg=on panic=1 rdinit=/init",
		 (unsigned long long)UART_BASE);
	list = strdup(runs ? runs : "0");
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		struct run_opts o = { .pv_hz = strtoull(tok, NULL, 0),
				      .fsl = !!strstr(tok, "+fsl"),
				      .invalidate = !!strstr(tok, "+invalidate"),
				      .inram = !!strstr(tok, "+inram"),
				      .save = !!strstr(tok, "+save"),
				      .restore = !!strstr(tok, "+restore"),
				      .trap = !!strstr(tok, "+trap"),
				      .smp = !!strstr(tok, "+smp") };

		boot(nr++, &o, t ? strtoull(t, NULL, 0) : 240);
	}
	stop(0);
	return 0;
}
