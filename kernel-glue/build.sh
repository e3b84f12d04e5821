#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Builds liblpt's core in a real Linux 6.1 arm64 tree (Debian's linux-source-6.1, cross
# gcc), as it is: lib/ and include/lpt/ are copied beside kernel-glue/core/ and built as a
# module with W=1 and sparse (C=2), warnings as errors. The module may need from the
# kernel only symbols arm64 exports (memset/memcpy and the stack protector's); a compiler
# runtime helper such as __udivti3 fails the build. scripts/checkpatch.pl --strict checks
# the core and the glue.
#
# usage: kernel-glue/build.sh [WORK_DIR]
# The tree is unpacked and prepared once in $LPT_KERNEL_CACHE (default
# ~/.cache/liblpt/linux-source-6.1) and reused.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$top/build/kernel}
cache=${LPT_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/liblpt}
tree=$cache/linux-source-6.1
make_args=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- -j2)
t0=$(date +%s)

"$top/tests/deps.sh" kernel
mkdir -p "$cache" "$work"
if [ ! -f "$tree/.lpt-prepared" ]; then
	echo "kernel: unpacking and preparing $tree (once)"
	rm -rf "$tree"
	tar -C "$cache" -xf /usr/src/linux-source-6.1.tar.xz
	make -C "$tree" "${make_args[@]}" defconfig >"$work/defconfig.log" 2>&1
	make -C "$tree" "${make_args[@]}" modules_prepare >"$work/modules_prepare.log" 2>&1
	touch "$tree/.lpt-prepared"
fi
t1=$(date +%s)

# The series in kernel-glue/patches/ hooks the glue in; the core goes to lib/lpt/ and
# include/lpt/ as it is (the module build below sees the same headers), the new glue
# files to their places.
# The core's files are those of its one list, lib/sources.list: lib/X goes to lib/lpt/X,
# include/lpt/X stays include/lpt/X.
mapfile -t core < <(sed -e '/^#/d' -e '/^$/d' "$top/lib/sources.list")
"$top/kernel-glue/apply.sh" "$tree"
rm -rf "$tree/include/lpt" "$tree/lib/lpt"
for f in "${core[@]}"; do
	case $f in lib/*) dst=$tree/lib/lpt/${f#lib/} ;; *) dst=$tree/$f ;; esac
	mkdir -p "$(dirname "$dst")"
	cp "$top/$f" "$dst"
done
cp "$top/kernel-glue/kunit/Kconfig" "$top/kernel-glue/kunit/Makefile" "$tree/lib/lpt/"
cp "$top/kernel-glue/kvm/pvtime_lpt.c" "$tree/arch/arm64/kvm/"
cp "$top/kernel-glue/kvm/kvm_pvtime_lpt.h" "$tree/arch/arm64/include/asm/"
cp "$top/kernel-glue/guest/arm_arch_timer_lpt.c" "$tree/drivers/clocksource/"
cp "$top/kernel-glue/guest/arm_arch_timer_lpt.h" "$tree/include/clocksource/"

# The core alone, as a module.
mod=$work/core
rm -rf "$mod"
mkdir -p "$mod"
cp "$top"/kernel-glue/core/* "$mod/"
for f in "${core[@]}"; do
	case $f in lib/*) dst=$mod/lpt/${f#lib/} ;; *) dst=$mod/$f ;; esac
	mkdir -p "$(dirname "$dst")"
	cp "$top/$f" "$dst"
done
if ! make -C "$tree" "${make_args[@]}" M="$mod" W=1 C=2 KCFLAGS=-Werror modules >"$work/core.log" 2>&1; then
	tail -n 40 "$work/core.log"
	echo "kernel: the core does not build in the kernel tree"
	exit 1
fi
if grep -E 'warning:|error:' "$work/core.log"; then
	echo "kernel: compiler or sparse warnings (above)"
	exit 1
fi
# Without vmlinux's Module.symvers modpost lists every symbol the module takes from the
# kernel: each must be one arm64 exports.
undefined=$(sed -nE 's/^WARNING: modpost: "([^"]+)" .* undefined!$/\1/p' "$work/core.log" | sort -u)
allowed='^(memset|memcpy|memmove|__stack_chk_fail|__stack_chk_guard|_mcount|__fentry__)$'
bad=$(grep -vE "$allowed" <<<"$undefined" || true)
if [ -n "$bad" ]; then
	echo "kernel: the core needs symbols the kernel does not export: $bad"
	exit 1
fi
echo "kernel: core built with W=1 and sparse, no warning; symbols from the kernel: $(tr '\n' ' ' <<<"$undefined")"

# Every object the series adds or changes, built with W=1 and sparse (C=1) in the
# defconfig with KVM and CONFIG_ARM_ARCH_TIMER_LPT on.
t2=$(date +%s)
"$tree/scripts/config" --file "$tree/.config" -e KVM -e LPT -e ARM_ARCH_TIMER_LPT
make -C "$tree" "${make_args[@]}" olddefconfig >"$work/olddefconfig.log" 2>&1
for opt in CONFIG_KVM CONFIG_LPT CONFIG_ARM_ARCH_TIMER_LPT; do
	grep -q "^$opt=y" "$tree/.config" || { echo "kernel: $opt is not set"; exit 1; }
done
# New files: W=1, sparse, every warning an error (kernel-doc's too).
objs=()
for f in "${core[@]}"; do
	case $f in lib/*.c) objs+=("lib/lpt/$(basename "$f" .c).o") ;; esac
done
objs+=(arch/arm64/kvm/pvtime_lpt.o drivers/clocksource/arm_arch_timer_lpt.o)
# Existing files the series changes: compiler warnings are errors; their own kernel-doc
# and sparse remarks (present before the series) are not.
# (The vDSO is built by the tree's prepare step, under the same flags.)
touched=(arch/arm64/kvm/hypercalls.o arch/arm64/kvm/arm.o arch/arm64/kvm/arch_timer.o
	drivers/clocksource/arm_arch_timer.o arch/arm64/lib/delay.o
	arch/arm64/kernel/vdso.o kernel/time/vsyscall.o)
# Changed files that have W=1 warnings of their own (traps.c's esr_class_str table
# initialises fields twice): sparse and the default warnings, as errors.
touched_w0=(arch/arm64/kernel/traps.o arch/arm64/kernel/process.o arch/arm64/kernel/perf_event.o)
if ! make -C "$tree" "${make_args[@]}" W=1 C=1 KCFLAGS=-Werror "${objs[@]}" >"$work/glue.log" 2>&1 ||
	! make -C "$tree" "${make_args[@]}" W=1 C=1 CFLAGS_KERNEL=-Werror "${touched[@]}" \
		>>"$work/glue.log" 2>&1 ||
	! make -C "$tree" "${make_args[@]}" C=1 CFLAGS_KERNEL=-Werror "${touched_w0[@]}" \
		>>"$work/glue.log" 2>&1; then
	grep -E 'error|warning' "$work/glue.log" | head -n 40
	tail -n 20 "$work/glue.log"
	echo "kernel: the glue does not build in the kernel tree"
	exit 1
fi
# sparse reports as warnings; only the files of this series count (the tree's own
# headers have a few of their own under W=1).
if grep -E '^(lib/lpt|include/lpt|arch/arm64/kvm/pvtime_lpt|drivers/clocksource/arm_arch_timer_lpt|include/clocksource/arm_arch_timer_lpt|arch/arm64/include/asm/kvm_pvtime_lpt)[^:]*:[0-9]+:[0-9]+: (warning|error)' \
	"$work/glue.log"; then
	echo "kernel: warnings in the glue (above)"
	exit 1
fi
echo "kernel: glue built in the tree with W=1 and sparse: ${#objs[@]} new and $((${#touched[@]} + ${#touched_w0[@]})) changed objects ($(($(date +%s) - t2)) s)"

# checkpatch --strict on the glue and on the core. The core is portable C11, so it keeps
# uint64_t rather than u64 and has no BIT() or ARRAY_SIZE(); those checks are off for it.
checkpatch=$tree/scripts/checkpatch.pl
portable=PREFER_KERNEL_TYPES,BIT_MACRO,ARRAY_SIZE,CAMELCASE
status=0
for f in "$top"/kernel-glue/core/*.c "$top"/kernel-glue/kvm/* "$top"/kernel-glue/guest/* \
	"${core[@]/#/$top/}"; do
	ignore=
	case $f in "$top"/lib/* | "$top"/include/*) ignore="--ignore $portable" ;; esac
	if ! perl "$checkpatch" --no-tree --strict --quiet --show-types $ignore -f "$f" \
		>"$work/checkpatch.log" 2>&1; then
		cat "$work/checkpatch.log"
		status=1
	fi
done
# The series itself (the hooks in existing files).
for p in "$top"/kernel-glue/patches/*.patch; do
	if ! perl "$checkpatch" --no-tree --strict --quiet --show-types "$p" >"$work/checkpatch.log" 2>&1; then
		cat "$work/checkpatch.log"
		status=1
	fi
done
if [ $status -ne 0 ]; then
	echo "kernel: checkpatch --strict found the problems above"
	exit 1
fi
echo "kernel: checkpatch --strict clean; tree preparation $((t1 - t0)) s, build $(($(date +%s) - t1)) s"
