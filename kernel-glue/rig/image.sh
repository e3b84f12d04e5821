#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Builds the rig's arm64 kernel Image: Debian's Linux 6.1 with the project's series
# (kernel-glue/patches/ applied by kernel-glue/apply.sh; the core and the glue files copied
# in as kernel-glue/build.sh does), configured from tinyconfig plus kernel-glue/rig/rig.config.
#
# usage: kernel-glue/rig/image.sh      prints the Image's path on its last line
# The tree lives in $LPT_KERNEL_CACHE/rig-src (default ~/.cache/liblpt) and is kept for
# incremental builds; the Image is stored as $LPT_KERNEL_CACHE/rig/Image-KEY, KEY being the
# hash of the series, the fragment and every file copied into the tree: a warm run with
# nothing changed builds nothing. Cold: about 11 min on 2 cores.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${LPT_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/liblpt}
src=$cache/rig-src/linux-source-6.1
out=$cache/rig
make_args=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- -j2)
fragment=$top/kernel-glue/rig/rig.config

# Destination in the tree of every file copied in (source:destination).
# The core's files are those of its one list, lib/sources.list: lib/X goes to lib/lpt/X,
# include/lpt/X stays include/lpt/X.
copies=()
while read -r f; do
	case $f in lib/*) copies+=("$top/$f:lib/lpt/${f#lib/}") ;; *) copies+=("$top/$f:$f") ;; esac
done < <(sed -e '/^#/d' -e '/^$/d' "$top/lib/sources.list")
for f in "$top"/kernel-glue/kunit/Kconfig "$top"/kernel-glue/kunit/Makefile; do
	copies+=("$f:lib/lpt/$(basename "$f")")
done
copies+=("$top/kernel-glue/kvm/pvtime_lpt.c:arch/arm64/kvm/pvtime_lpt.c"
	"$top/kernel-glue/kvm/kvm_pvtime_lpt.h:arch/arm64/include/asm/kvm_pvtime_lpt.h"
	"$top/kernel-glue/guest/arm_arch_timer_lpt.c:drivers/clocksource/arm_arch_timer_lpt.c"
	"$top/kernel-glue/guest/arm_arch_timer_lpt.h:include/clocksource/arm_arch_timer_lpt.h")

key=$( (cat "$top"/kernel-glue/patches/*.patch "$fragment"
	for c in "${copies[@]}"; do echo "${c#*:}"; cat "${c%%:*}"; done) | sha256sum | cut -c1-16)
image=$out/Image-$key
if [ -f "$image" ]; then
	echo "rig: kernel Image up to date ($image)"
	echo "$image"
	exit 0
fi

"$top/tests/deps.sh" e2e >&2
t0=$(date +%s)
mkdir -p "$out"
if [ ! -f "$src/.lpt-unpacked" ]; then
	echo "rig: unpacking a tree into $src (once)"
	rm -rf "$cache/rig-src"
	mkdir -p "$cache/rig-src"
	tar -C "$cache/rig-src" -xf /usr/src/linux-source-6.1.tar.xz
	touch "$src/.lpt-unpacked"
fi
"$top/kernel-glue/apply.sh" "$src"
# Copy only what differs, so that make rebuilds only what changed.
for c in "${copies[@]}"; do
	dst=$src/${c#*:}
	mkdir -p "$(dirname "$dst")"
	cmp -s "${c%%:*}" "$dst" || cp "${c%%:*}" "$dst"
done

# tinyconfig + the fragment; every option of the fragment must come out as written.
cfg_key=$( (cat "$fragment" "$top"/kernel-glue/patches/*.patch) | sha256sum | cut -c1-16)
if [ "$(cat "$src/.lpt-config" 2>/dev/null)" != "$cfg_key" ]; then
	make -C "$src" "${make_args[@]}" KCONFIG_ALLCONFIG="$fragment" tinyconfig \
		>"$out/config.log" 2>&1 || { tail -n 20 "$out/config.log"; exit 1; }
	echo "$cfg_key" >"$src/.lpt-config"
fi
bad=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=n) opt=${line%=n}; grep -q "^$opt=" "$src/.config" && { echo "rig: $opt is set"; bad=1; } ;;
	CONFIG_*) grep -qx "$line" "$src/.config" || { echo "rig: $line is not in .config"; bad=1; } ;;
	esac
done <"$fragment"
[ $bad -eq 0 ] || exit 1

echo "rig: building the kernel Image (cold: about 11 min on 2 cores)"
if ! make -C "$src" "${make_args[@]}" Image >"$out/build.log" 2>&1; then
	grep -E 'error|warning' "$out/build.log" | head -n 40
	tail -n 20 "$out/build.log"
	echo "rig: the kernel Image does not build (log: $out/build.log)"
	exit 1
fi
rm -f "$out"/Image-*
cp "$src/arch/arm64/boot/Image" "$image"
echo "rig: kernel Image built in $(($(date +%s) - t0)) s ($(stat -c %s "$image") bytes)"
echo "$image"
