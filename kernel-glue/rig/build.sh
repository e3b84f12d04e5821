#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Builds the rig's guest and host programs with the aarch64 cross compiler, and the
# host's initramfs:
#   probe.bin       the probe guest: freestanding, the core's lib/*.c unchanged
#   vmm             the VMM, static, linking the core (lib/*.c) for the page it saves
#   initramfs.cpio  /init (the VMM) and /probe.bin, newc format, uncompressed
#
# usage: kernel-glue/rig/build.sh OUT_DIR
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: build.sh OUT_DIR}
rig=$top/kernel-glue/rig
cc=aarch64-linux-gnu-gcc
warn=(-Wall -Wextra -Werror)
mkdir -p "$out/root"

$cc -std=c11 -O2 "${warn[@]}" -ffreestanding -fno-builtin -nostdlib -static -mgeneral-regs-only \
	-fno-pic -no-pie -fno-stack-protector -I"$top/include" -T "$rig/probe/probe.ld" \
	-Wl,--build-id=none -Wl,--no-warn-rwx-segments \
	-o "$out/probe.elf" "$rig/probe/start.S" "$rig/probe/probe.c" "$top"/lib/*.c -lgcc
aarch64-linux-gnu-objcopy -O binary "$out/probe.elf" "$out/probe.bin"

$cc -std=gnu11 -O2 "${warn[@]}" -static -I"$top/include" -o "$out/vmm" \
	"$rig/vmm/vmm.c" "$top"/lib/*.c
aarch64-linux-gnu-strip "$out/vmm"

cp "$out/vmm" "$out/root/init"
cp "$out/probe.bin" "$out/root/probe.bin"
(cd "$out/root" && printf 'init\nprobe.bin\n' | cpio -o -H newc --quiet >"$out/initramfs.cpio")
echo "rig: probe $(stat -c %s "$out/probe.bin") bytes, VMM $(stat -c %s "$out/vmm") bytes (static, stripped)"
