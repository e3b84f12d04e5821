#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# The core must build with no C library and no compiler runtime: compile every lib/*.c
# (and tests/freestanding_use.c, which instantiates the public inlines) with
# -ffreestanding -nostdlib for each target, link the objects into one relocatable
# object, and fail if it needs any symbol from outside. Also checks that the kernel is
# the business of include/lpt/port.h alone.
# Exit 77 (skipped) when a compiler is missing, unless LPT_REQUIRE_ALL=1.
set -u
top=${1:?usage: freestanding.sh SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
missing=0

check() { # name cc [flags...]
	local name=$1 cc=$2
	shift 2
	if ! command -v "$cc" >/dev/null; then
		echo "freestanding: $name: $cc not found"
		missing=1
		return
	fi
	for opt in -O0 -O2 -Os; do
		local objs=()
		for src in "$top"/lib/*.c "$top"/tests/freestanding_use.c; do
			local obj="$tmp/$name$opt-$(basename "$src" .c).o"
			if ! "$cc" -std=c11 $opt -Wall -Wextra -Werror -ffreestanding -nostdlib \
				-I"$top/include" "$@" -c "$src" -o "$obj"; then
				echo "freestanding: $name $opt: $src does not compile"
				status=1
				continue
			fi
			objs+=("$obj")
		done
		"$cc" -r -nostdlib "${objs[@]}" -o "$tmp/$name$opt.o" || { status=1; continue; }
		local undef
		undef=$(nm -u "$tmp/$name$opt.o" | awk '{print $2}' | tr '\n' ' ')
		if [ -n "$undef" ]; then
			echo "freestanding: $name $opt: needs outside symbols: $undef"
			status=1
		else
			echo "freestanding: $name $opt: no outside symbol"
		fi
	done
}

check x86-64 gcc
check x86-64-portable gcc -DLPT_NO_INT128
check x86-64-clang clang
check armhf arm-linux-gnueabihf-gcc
check aarch64 aarch64-linux-gnu-gcc
check s390x s390x-linux-gnu-gcc

# One door to the environment.
doors=$(grep -rlE '__KERNEL__|#include <(linux|asm|std)' "$top/lib" "$top/include" | grep -v 'include/lpt/port.h$')
if [ -n "$doors" ]; then
	echo "freestanding: only include/lpt/port.h may include system headers or test __KERNEL__: $doors"
	status=1
fi
# No floating point in the core.
if grep -rnwE 'float|double' "$top/lib" "$top/include" --include='*.[ch]' |
	grep -vE '^[^:]+:[0-9]+:\s*(/?\*|//)'; then
	echo "freestanding: floating point in the core"
	status=1
fi

if [ $status -ne 0 ]; then
	exit 1
fi
if [ $missing -ne 0 ] && [ "${LPT_REQUIRE_ALL:-0}" != 1 ]; then
	exit 77
fi
exit $missing
