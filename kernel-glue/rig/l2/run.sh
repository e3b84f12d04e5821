#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# The rig's Linux L2 stage (called by kernel-glue/e2e.sh): the rig's kernel Image booted
# as a guest, with and without LPT, by kernel-glue/rig/l2/lvmm.c on emulated arm64 hosts
# (qemu-system-aarch64, EL2, nested KVM), one after the other:
#   host A, counter at 25 MHz:  a guest without LPT, one with a 100 MHz PV counter, the
#                               same with EL0's counter trapped (lpt_el0=trap), one
#                               offered 500 kHz, below what the guest accepts; with the
#                               FSL A-008585 erratum in the device tree, one without LPT
#                               and one at 100 MHz; last, one at 25 MHz saved to the disk
#                               mid-run (a live migration's source)
#   host B, counter at 1 GHz:   first the guest host A saved, restored and run on (the
#                               migration 25 MHz -> 1 GHz); then a guest without LPT, one
#                               with a 25 MHz PV counter, one at
#                               25 MHz whose page is invalidated as it runs, and one whose
#                               page lvmm puts inside its memory node (refused)
#   host C, counter at 25 MHz, a Neoverse-N1 r3p1 (its MIDR: erratum 1418040, which
#                               the guest kernel's timer works around on each CPU as
#                               it comes up): a guest with a 100 MHz PV counter on two
#                               vCPUs (its second CPU finds the erratum after the
#                               kernel chose its vDSO mode), and the same with EL0's
#                               counter trapped (the erratum's thread switch must not
#                               open it)
# Each guest's /init (kernel-glue/rig/l2/init.c) measures and reports; the consoles are
# checked by kernel-glue/rig/l2/check.py, which prints the table.
#
# usage: kernel-glue/rig/l2/run.sh IMAGE OUT_DIR
# LPT_L2_KNOWN: checks that show a defect not fixed yet, on guests with LPT
# (CHECK=DEFECT;...).
set -eu
top=$(cd "$(dirname "$0")/../../.." && pwd)
image=${1:?usage: run.sh IMAGE OUT_DIR}
out=${2:?usage: run.sh IMAGE OUT_DIR}/l2
l2=$top/kernel-glue/rig/l2
hz_a=25000000
hz_b=1000000000
runs_a=0,100000000,100000000+trap,500000,0+fsl,100000000+fsl,25000000+save
runs_b=25000000+restore,0,25000000,25000000+invalidate,25000000+inram
runs_c=100000000+smp,100000000+smp+trap
midr_n1=0x413fd0c1	# Neoverse-N1 r3p1
known=${LPT_L2_KNOWN-}
cc=aarch64-linux-gnu-gcc
cflags=(-std=gnu11 -O2 -Wall -Wextra -Werror -static -pthread)
t0=$(date +%s)

rm -rf "$out"
mkdir -p "$out/l2root/dev" "$out/root"
$cc "${cflags[@]}" -I"$top/include" -o "$out/lvmm" "$l2/lvmm.c" "$top"/lib/*.c
$cc "${cflags[@]}" -o "$out/init" "$l2/init.c"
aarch64-linux-gnu-strip "$out/lvmm" "$out/init"
cp "$out/init" "$out/l2root/init"
(cd "$out/l2root" && printf 'init\ndev\n' | cpio -o -H newc --quiet >"$out/root/l2.cpio")
cp "$out/lvmm" "$out/root/init"
cp "$image" "$out/root/Image"
(cd "$out/root" && printf 'init\nImage\nl2.cpio\n' | cpio -o -H newc --quiet >"$out/initramfs.cpio")
echo "l2: lvmm $(stat -c %s "$out/lvmm") bytes, guest /init $(stat -c %s "$out/init") bytes (static, stripped)"

# The saved guest: 128 MiB of memory, its page's memslot, registers and vGIC state.
truncate -s 160M "$out/state.img"
host() { # name hz runs [cpu-properties]
	local ts
	ts=$(date +%s)
	timeout 600 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 \
		-cpu max,cntfrq="$2${4:+,$4}" -smp 1 -m 512 -nographic -no-reboot -nic none \
		-drive if=none,file="$out/state.img",format=raw,id=d0 \
		-device virtio-blk-device,drive=d0 \
		-kernel "$image" -initrd "$out/initramfs.cpio" \
		-append "console=ttyAMA0 printk.devkmsg=on panic=-1 lvmm_runs=$3 lvmm_timeout_s=90" \
		</dev/null >"$out/$1.log" 2>&1 || true
	echo "l2: host $1 ($(($2 / 1000000)) MHz${4:+, $4}), guests at $3 Hz: $(($(date +%s) - ts)) s"
}
host a "$hz_a" "$runs_a"
host b "$hz_b" "$runs_b"
host c "$hz_a" "$runs_c" "midr=$midr_n1"

status=0
python3 "$l2/check.py" "$known" "A:$hz_a:$out/a.log" "B:$hz_b:$out/b.log" \
	"C+1418040:$hz_a:$out/c.log" || status=$?
echo "l2: $(($(date +%s) - t0)) s (consoles: $out/{a,b,c}.log)"
exit $status
