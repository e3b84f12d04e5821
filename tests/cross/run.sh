#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Cross-builds the unit tests for one architecture and runs them under qemu-user.
#
# usage: run.sh ARCH SOURCE_DIR BUILD_DIR     (ARCH: aarch64, armhf, s390x)
#
# CMocka and libinih (for the simulator's tests) for ARCH come from Debian's own packages: apt fetches them with a private
# package list in a cache directory (the machine's dpkg architectures are not touched)
# and dpkg-deb unpacks them into a sysroot there. The cache is reused when present.
# The random-input counts are LPT_TEST_SCALE_PCT percent of the native run's (default
# 10: emulation is about ten times slower); the exhaustive parts always run in full.
# Exit 77 (skipped) when the cross compiler or qemu is missing, unless LPT_REQUIRE_ALL=1.
set -eu
arch=${1:?usage: run.sh ARCH SOURCE_DIR BUILD_DIR}
top=${2:?usage: run.sh ARCH SOURCE_DIR BUILD_DIR}
build=${3:?usage: run.sh ARCH SOURCE_DIR BUILD_DIR}
case $arch in
aarch64) triple=aarch64-linux-gnu deb=arm64 qemu=qemu-aarch64 ;;
armhf) triple=arm-linux-gnueabihf deb=armhf qemu=qemu-arm ;;
s390x) triple=s390x-linux-gnu deb=s390x qemu=qemu-s390x ;;
*) echo "cross: unknown architecture $arch" >&2; exit 2 ;;
esac

for tool in "$triple-gcc" "$qemu" dpkg-deb apt-get; do
	if ! command -v "$tool" >/dev/null; then
		echo "cross-$arch: $tool not found (tests/deps.sh test installs it)"
		[ "${LPT_REQUIRE_ALL:-0}" = 1 ] && exit 1
		exit 77
	fi
done

cache=${LPT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/liblpt}/cross
sysroot=$cache/sysroot-$arch
if [ ! -f "$sysroot/usr/lib/$triple/pkgconfig/cmocka.pc" ] ||
	[ ! -f "$sysroot/usr/lib/$triple/pkgconfig/inih.pc" ]; then
	apt_opts=(-q -o "APT::Architectures=$deb" -o "Dir::State::Lists=$cache/apt/lists"
		-o "Dir::Cache=$cache/apt/cache" -o "Debug::NoLocking=1"
		-o "APT::Sandbox::User=root")
	mkdir -p "$cache/apt/lists/partial" "$cache/apt/cache/archives/partial" "$cache/debs-$arch"
	# An index that fails to download (another architecture's, a mirror hiccup) is
	# only fatal if the packages cannot be found afterwards.
	apt-get "${apt_opts[@]}" update >"$cache/apt-update-$arch.log" 2>&1 || true
	(cd "$cache/debs-$arch" && apt-get "${apt_opts[@]}" download "libcmocka0:$deb" "libcmocka-dev:$deb" \
		"libinih1:$deb" "libinih-dev:$deb") \
		>"$cache/apt-download-$arch.log" 2>&1 || {
		echo "cross-$arch: could not fetch CMocka or libinih for $deb from Debian's mirror:"
		tail -n 5 "$cache/apt-update-$arch.log" "$cache/apt-download-$arch.log"
		exit 1
	}
	rm -rf "$sysroot"
	for f in "$cache/debs-$arch"/*.deb; do
		dpkg-deb -x "$f" "$sysroot"
	done
fi

# CMocka's pkg-config file, from the sysroot.
export PKG_CONFIG_SYSROOT_DIR=$sysroot
export PKG_CONFIG_LIBDIR=$sysroot/usr/lib/$triple/pkgconfig
cmake -S "$top" -B "$build" -DCMAKE_TOOLCHAIN_FILE="$top/tests/cross/$arch.cmake" \
	-DLPT_SYSROOT="$sysroot" -DLPT_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build.configure.log" 2>&1 ||
	{ cat "$build.configure.log"; exit 1; }
cmake --build "$build" -j2 >"$build.build.log" 2>&1 || { tail -n 40 "$build.build.log"; exit 1; }
cd "$build"
LPT_TEST_SCALE_PCT=${LPT_TEST_SCALE_PCT:-10} ctest -L unit --output-on-failure -j2
