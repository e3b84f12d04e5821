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

mod=$work/core
rm -rf "$mod"
mkdir -p "$mod/include" "$mod/lpt"
cp "$top"/kernel-glue/core/* "$mod/"
cp -r "$top/include/lpt" "$mod/include/"
cp "$top"/lib/*.c "$mod/lpt/"
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

# checkpatch --strict on the glue and on the core. The core is portable C11, so it keeps
# uint64_t rather than u64 and has no BIT() or ARRAY_SIZE(); those checks are off for it.
checkpatch=$tree/scripts/checkpatch.pl
portable=PREFER_KERNEL_TYPES,BIT_MACRO,ARRAY_SIZE,CAMELCASE
status=0
for f in "$top"/kernel-glue/core/*.c "$top"/lib/*.c "$top"/include/lpt/*.h; do
	ignore=
	case $f in "$top"/lib/* | "$top"/include/*) ignore="--ignore $portable" ;; esac
	if ! perl "$checkpatch" --no-tree --strict --quiet --show-types $ignore -f "$f" \
		>"$work/checkpatch.log" 2>&1; then
		cat "$work/checkpatch.log"
		status=1
	fi
done
if [ $status -ne 0 ]; then
	echo "kernel: checkpatch --strict found the problems above"
	exit 1
fi
echo "kernel: checkpatch --strict clean; tree preparation $((t1 - t0)) s, build $(($(date +%s) - t1)) s"
