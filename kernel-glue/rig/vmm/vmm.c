// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The rig's VMM: the emulated host's /init. It runs the probe guest in a KVM VM with
 * LPT, and saves it to, or restores it from, the raw disk /dev/vda, in the order a real
 * VMM must follow (docs/kernel.md, "The VMM's flow"):
 *
 *   start:    create the VM and its memory, load the probe, create and init the vCPU,
 *             set the LPT attributes (page IPA, PV frequency), run.
 *   restore:  create the VM and its memory, copy the saved memory back (it holds the
 *             page the old host published), create and init the vCPU, set every saved
 *             register (KVM_REG_ARM_TIMER_CNT: the virtual counter as it was at the
 *             pause; the timers' CTL and CVAL in the old host's native units), set the
 *             LPT attributes, run: KVM re-bases the page on this host and re-programs
 *             the timers before the guest's first instruction.
 *   save:     at the probe's request: complete the MMIO exit (immediate_exit), read
 *             every register of KVM_GET_REG_LIST, write memory and registers to disk.
 *
 * No vGIC: the timers' interrupts are masked and the probe polls their status
 * (KVM_CAP_ARM_USER_IRQ is what lets a VM run without one). The probe's reports are
 * printed as "report TAG VALUE NS" lines, NS being CLOCK_MONOTONIC_RAW in ns;
 * kernel-glue/e2e.sh checks them.
 *
 * Parameters come from the kernel command line as environment variables (the kernel
 * passes unknown name=value parameters to init): vmm_mode=start|restore,
 * vmm_save=0|1 (save at the probe's request, else stop there), vmm_pv_hz,
 * vmm_gap_ms (a pause between the restore and the first run), vmm_attr_checks=1 (the
 * bad-attribute checks, on a scratch VM), vmm_restore_checks=1 (a corrupted page in the
 * saved state, and a revision 0 page continued, on scratch VMs restored before the
 * real one).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvm.h>

#include <lpt/lpt.h>

#include "../regs.h"
#include "../rig.h"

#define RIG_PROG "vmm"
#include "../host.h"

/* The series' uapi (arch/arm64/include/uapi/asm/kvm.h with kernel-glue/patches/0002). */
#define KVM_ARM_VM_PVTIME_LPT_CTRL	1
#define KVM_ARM_VM_PVTIME_LPT_IPA	0
#define KVM_ARM_VM_PVTIME_LPT_FREQ	1
#define KVM_ARM_VM_PVTIME_LPT_REVISION	2
#define KVM_CAP_ARM_PVTIME_LPT		0x4c50	/* provisional */
#define LPT_FUNC			16	/* ARM_SMCCC_KVM_FUNC_LPT (80) in the probe's report */

#define SAVE_MAGIC	0x4c50545249475631ULL	/* "LPTRIGV1" */
#define MAX_REGS	1024

struct save_header {
	uint64_t magic;
	uint64_t ram_size;
	uint64_t nregs;
	uint64_t pv_hz;
};

static int kvm_fd, vm_fd, vcpu_fd;
static struct kvm_run *run;
static uint8_t *ram;
static struct rig_reg regs[MAX_REGS];

static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *v = getenv(name);

	return v ? strtoull(v, NULL, 0) : dflt;
}

static int vm_attr(int fd, unsigned int ioctl_nr, uint64_t attr, uint64_t *val)
{
	struct kvm_device_attr a = {
		.group = KVM_ARM_VM_PVTIME_LPT_CTRL,
		.attr = attr,
		.addr = (uint64_t)(uintptr_t)val,
	};

	return ioctl(fd, ioctl_nr, &a) ? -errno : 0;
}

static void create_vm(void)
{
	struct kvm_userspace_memory_region mem = {
		.slot = 0,
		.guest_phys_addr = RIG_RAM_BASE,
		.memory_size = RIG_RAM_SIZE,
	};

	vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	if (vm_fd < 0)
		die("KVM_CREATE_VM");
	if (ioctl(vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_USER_IRQ) <= 0)
		die("KVM_CAP_ARM_USER_IRQ");
	/* The page revisions KVM publishes: revision 1 is what this VMM asks for. */
	if (!(ioctl(vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PVTIME_LPT) & (1 << LPT_PAGE_REV1)))
		die("KVM_CAP_ARM_PVTIME_LPT");

	ram = mmap(NULL, RIG_RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ram == MAP_FAILED)
		die("mmap guest memory");
	mem.userspace_addr = (uint64_t)(uintptr_t)ram;
	if (ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &mem))
		die("KVM_SET_USER_MEMORY_REGION");
}

static void create_vcpu(void)
{
	struct kvm_vcpu_init init;
	int size;

	vcpu_fd = ioctl(vm_fd, KVM_CREATE_VCPU, 0);
	if (vcpu_fd < 0)
		die("KVM_CREATE_VCPU");
	if (ioctl(vm_fd, KVM_ARM_PREFERRED_TARGET, &init))
		die("KVM_ARM_PREFERRED_TARGET");
	if (ioctl(vcpu_fd, KVM_ARM_VCPU_INIT, &init))
		die("KVM_ARM_VCPU_INIT");
	size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu_fd, 0);
	if (run == MAP_FAILED)
		die("mmap kvm_run");
}

static int one_reg(unsigned long nr, uint64_t id, void *val)
{
	return rig_one_reg(vcpu_fd, nr, id, val);
}

static void set_lpt(uint64_t pv_hz)
{
	uint64_t ipa = RIG_PAGE_IPA;
	int err;

	err = vm_attr(vm_fd, KVM_SET_DEVICE_ATTR, KVM_ARM_VM_PVTIME_LPT_IPA, &ipa);
	if (!err)
		err = vm_attr(vm_fd, KVM_SET_DEVICE_ATTR, KVM_ARM_VM_PVTIME_LPT_FREQ, &pv_hz);
	if (err) {
		errno = -err;
		die("LPT attributes");
	}
}

static void load_probe(void)
{
	int fd = open("/probe.bin", O_RDONLY);
	ssize_t n;
	uint64_t pc = RIG_RAM_BASE;

	if (fd < 0)
		die("open /probe.bin");
	n = read(fd, ram, RIG_PAGE_IPA - RIG_RAM_BASE);
	if (n <= 0)
		die("read /probe.bin");
	close(fd);
	if (one_reg(KVM_SET_ONE_REG, KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
		    KVM_REG_ARM_CORE_REG(regs.pc), &pc))
		die("set PC");
	printf("vmm: probe loaded (%zd bytes)\n", n);
}

/* The page in guest memory as the core decodes it ("page WHEN ERR REVISION SEQUENCE GENERATION NATIVE_HZ PV_HZ"). */
static void print_page(const char *when)
{
	struct lpt_page_fields f;
	int err = lpt_page_decode(ram + (RIG_PAGE_IPA - RIG_RAM_BASE), 4096, &f);

	if (err) {
		printf("page %s %s\n", when, lpt_error_name(err));
		return;
	}
	printf("page %s LPT_OK %u %llu %llu %llu %llu\n", when, f.revision,
	       (unsigned long long)f.sequence, (unsigned long long)f.generation,
	       (unsigned long long)f.native_hz, (unsigned long long)f.pv_hz);
}

/* Memory, then every register KVM lists, to the disk. */
static void save(uint64_t pv_hz)
{
	struct save_header h = { .magic = SAVE_MAGIC, .ram_size = RIG_RAM_SIZE, .pv_hz = pv_hz };
	long n;
	int fd;

	n = rig_vcpu_save(vcpu_fd, run, regs, MAX_REGS);
	if (n < 0) {
		errno = -n;
		die("saving the vCPU");
	}
	h.nregs = n;
	print_page("saved");
	fd = open("/dev/vda", O_WRONLY);
	if (fd < 0)
		die("open /dev/vda");
	if (write(fd, &h, sizeof(h)) != sizeof(h) || write(fd, ram, RIG_RAM_SIZE) != RIG_RAM_SIZE ||
	    write(fd, regs, n * sizeof(regs[0])) != (ssize_t)(n * sizeof(regs[0])))
		die("write the saved state");
	fsync(fd);
	close(fd);
	printf("vmm: saved %llu registers and %lu KiB of memory\n", (unsigned long long)n,
	       RIG_RAM_SIZE / 1024);
}

/* The saved state back: memory, then every register, in the order they were listed. */
static uint64_t restore(void)
{
	struct save_header h;
	uint64_t failed;
	int fd = open("/dev/vda", O_RDONLY);

	if (fd < 0)
		die("open /dev/vda");
	if (read(fd, &h, sizeof(h)) != sizeof(h) || h.magic != SAVE_MAGIC ||
	    h.ram_size != RIG_RAM_SIZE || h.nregs > MAX_REGS) {
		errno = EINVAL;
		die("no saved state on /dev/vda");
	}
	if (read(fd, ram, RIG_RAM_SIZE) != RIG_RAM_SIZE ||
	    read(fd, regs, h.nregs * sizeof(regs[0])) != (ssize_t)(h.nregs * sizeof(regs[0])))
		die("read the saved state");
	close(fd);
	print_page("restored");
	failed = rig_regs_set(vcpu_fd, regs, h.nregs, RIG_PROG);
	printf("vmm: restored %llu registers (%llu refused)\n", (unsigned long long)h.nregs,
	       (unsigned long long)failed);
	return h.pv_hz;
}

/*
 * Bad attribute calls on a scratch VM with one vCPU: each must fail with its documented
 * error and change nothing. Printed as "attr NAME GOT WANT".
 */
static void attr_checks(uint64_t pv_hz)
{
	static const struct {
		const char *name;
		uint64_t attr;
		uint64_t val;
		int want;
	} bad[] = {
		{ "misaligned-ipa", KVM_ARM_VM_PVTIME_LPT_IPA, RIG_PAGE_IPA + 8, -EINVAL },
		{ "ipa-outside-memory", KVM_ARM_VM_PVTIME_LPT_IPA, RIG_RAM_BASE + RIG_RAM_SIZE, -EINVAL },
		{ "zero-frequency", KVM_ARM_VM_PVTIME_LPT_FREQ, 0, -EINVAL },
		{ "ipa", KVM_ARM_VM_PVTIME_LPT_IPA, RIG_PAGE_IPA, 0 },
		{ "repeated-ipa", KVM_ARM_VM_PVTIME_LPT_IPA, RIG_PAGE_IPA + 64, -EEXIST },
		{ "frequency", KVM_ARM_VM_PVTIME_LPT_FREQ, 0, 0 },
	};
	unsigned int i;
	uint64_t got;

	create_vm();
	create_vcpu();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t val = bad[i].val ? bad[i].val : pv_hz;

		if (!strcmp(bad[i].name, "zero-frequency"))
			val = 0;
		printf("attr %s %d %d\n", bad[i].name,
		       vm_attr(vm_fd, KVM_SET_DEVICE_ATTR, bad[i].attr, &val), bad[i].want);
	}
	got = 0;
	vm_attr(vm_fd, KVM_GET_DEVICE_ATTR, KVM_ARM_VM_PVTIME_LPT_IPA, &got);
	printf("attr ipa-unchanged %d 0\n", got == RIG_PAGE_IPA ? 0 : -EINVAL);
	/* Once a vCPU has run: the probe up to its first report, then the attribute again. */
	load_probe();
	if (ioctl(vcpu_fd, KVM_RUN, 0) || run->exit_reason != KVM_EXIT_MMIO)
		die("scratch VM's first run");
	got = pv_hz;
	printf("attr after-first-run %d %d\n",
	       vm_attr(vm_fd, KVM_SET_DEVICE_ATTR, KVM_ARM_VM_PVTIME_LPT_FREQ, &got), -EBUSY);
	close(vcpu_fd);
	close(vm_fd);
	munmap(ram, RIG_RAM_SIZE);
}

/* Runs the vCPU to the probe's next report: its tag, and its value in @val. */
static uint64_t next_report(uint64_t *val)
{
	if (ioctl(vcpu_fd, KVM_RUN, 0) && errno != EINTR)
		die("KVM_RUN");
	if (run->exit_reason != KVM_EXIT_MMIO || !run->mmio.is_write ||
	    run->mmio.len != 8 || run->mmio.phys_addr < RIG_REPORT_BASE) {
		printf("vmm: unexpected exit %u (addr %#llx)\n", run->exit_reason,
		       (unsigned long long)run->mmio.phys_addr);
		stop(1);
	}
	*val = 0;
	memcpy(val, run->mmio.data, 8);
	return (run->mmio.phys_addr - RIG_REPORT_BASE) / 8;
}

/*
 * A migrated VM whose page arrives corrupted (a multiplier changed on the way): at the
 * first run KVM must invalidate the page and hide the service, neither publishing new
 * counters (the guest's clock back to 0) nor leaving the old host's content valid. On a
 * scratch VM restored from the saved state; printed as "check NAME GOT WANT".
 */
static void restore_checks(void)
{
	uint8_t *page;
	struct lpt_page_fields f;
	uint64_t pv_hz, tag, val, features = ~0ULL;
	int err;

	create_vm();
	create_vcpu();
	pv_hz = restore();
	page = ram + (RIG_PAGE_IPA - RIG_RAM_BASE);
	if (lpt_page_decode(page, 4096, &f)) {
		errno = EINVAL;
		die("the saved page");
	}
	f.to_pv.whole ^= 1;
	lpt_page_encode(page, 4096, &f);
	print_page("corrupted");
	set_lpt(pv_hz);
	/* The probe's first reports on this host: its phase, CNTFRQ, the services bitmap. */
	do {
		tag = next_report(&val);
		if (tag == RIG_FEATURES)
			features = val;
	} while (tag != RIG_FEATURES && tag != RIG_ERROR && tag != RIG_SAVE && tag != RIG_DONE);
	print_page("after-first-run");
	err = lpt_page_decode(page, 4096, &f);
	printf("check corrupted-page-invalidated %d 1\n", !err && !f.sequence);
	printf("check corrupted-page-service-hidden %d 1\n",
	       features != ~0ULL && !(features >> LPT_FUNC & 1));
	close(vcpu_fd);
	close(vm_fd);
	munmap(ram, RIG_RAM_SIZE);
}

/*
 * A revision 0 page (the RFC's layout) continued on this host: the saved page rewritten
 * as the revision 0 content of the same PV counter at the old host's rate (sequence
 * kept), revision 0 asked for. At the first run KVM must rescale CNTVOFF the RFC's way
 * (the vCPU put around the write: lockdep watches) and publish revision 0 at this
 * host's rate, continuing the sequence. On a scratch VM; "check NAME GOT WANT".
 */
static void rev0_check(void)
{
	uint8_t *page;
	struct lpt_page_fields f;
	uint64_t pv_hz, seq, hz, val, rev = LPT_PAGE_REV0;
	int err;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(hz));
	create_vm();
	create_vcpu();
	pv_hz = restore();
	page = ram + (RIG_PAGE_IPA - RIG_RAM_BASE);
	if (lpt_page_decode(page, 4096, &f) || !f.sequence) {
		errno = EINVAL;
		die("the saved page");
	}
	seq = f.sequence;
	if (lpt_page_fields_rev0(&f, f.native_hz, f.pv_hz)) {
		errno = EINVAL;
		die("a revision 0 page");
	}
	f.sequence = seq;
	lpt_page_encode(page, 4096, &f);
	print_page("revision-0");
	if (vm_attr(vm_fd, KVM_SET_DEVICE_ATTR, KVM_ARM_VM_PVTIME_LPT_REVISION, &rev))
		die("KVM_ARM_VM_PVTIME_LPT_REVISION");
	set_lpt(pv_hz);
	next_report(&val);	/* the guest ran: the page was updated before it */
	print_page("revision-0-after-first-run");
	err = lpt_page_decode(page, 4096, &f);
	printf("check revision-0-continued %d 1\n", !err && f.revision == LPT_PAGE_REV0 &&
	       f.sequence == seq + 2 && f.native_hz == hz && f.pv_hz == pv_hz);
	close(vcpu_fd);
	close(vm_fd);
	munmap(ram, RIG_RAM_SIZE);
}

/* Runs until the probe is done or asks to be saved; prints its reports. */
static void run_probe(int do_save, uint64_t pv_hz, uint64_t gap_ms)
{
	uint64_t t_restore = now_ns();

	if (gap_ms) {
		usleep(gap_ms * 1000);
		printf("vmm: first run %llu ns after the restore\n",
		       (unsigned long long)(now_ns() - t_restore));
	}
	for (;;) {
		uint64_t val, tag = next_report(&val);

		printf("report %llu %llu %llu\n", (unsigned long long)tag,
		       (unsigned long long)val, (unsigned long long)now_ns());
		if (tag == RIG_DONE)
			stop(0);
		if (tag == RIG_SAVE) {
			if (do_save)
				save(pv_hz);
			stop(0);
		}
	}
}

int main(void)
{
	const char *mode = getenv("vmm_mode");
	uint64_t pv_hz = env_u64("vmm_pv_hz", 25000000);

	kvm_fd = rig_host_start();
	printf("vmm: mode %s\n", mode ? mode : "(none)");
	if (env_u64("vmm_attr_checks", 0))
		attr_checks(pv_hz);
	if (env_u64("vmm_restore_checks", 0)) {
		restore_checks();
		rev0_check();
	}
	create_vm();
	if (mode && !strcmp(mode, "restore")) {
		create_vcpu();
		pv_hz = restore();
	} else {
		create_vcpu();
		load_probe();
	}
	set_lpt(pv_hz);
	run_probe(env_u64("vmm_save", 0), pv_hz, env_u64("vmm_gap_ms", 0));
	return 0;
}
