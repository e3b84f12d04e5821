#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Installs the Debian 12 packages liblpt needs, only those missing.
#
# usage: deps.sh [--list] build|sim|test|bench|kernel|e2e
#   --list: print the profile's packages, one a line, and install nothing
#   build: C and C++ compilers and the C library's headers and start files, CMake,
#          pkg-config, libinih, CMocka (the project's default build, tests included, the
#          library installed alone, and its install check's C++17 consumer)
#   sim:   build, plus gnuplot (sim/run.sh draws the simulator's plot)
#   bench: build, plus Valgrind, gnuplot and the cross compilers (bench/run.sh)
#   kernel: build, plus linux-source-6.1, the arm64 cross compiler, sparse and what a
#           kernel build needs (kernel-glue/build.sh)
#   e2e:   kernel, plus qemu-system-arm and cpio (the emulated arm64 rig, kernel-glue/e2e.sh)
#   test:  everything the test command uses (CMocka, lcov, Valgrind, cross compilers,
#          qemu-user, clang with its sanitizer and fuzzer runtime, Spin, debootstrap for
#          the minroot stage)
# Each profile lists all it needs: packages are installed without their recommendations
# (gcc alone cannot link a program), and tests/minroot.sh checks the build, sim and bench
# profiles each alone on a minimal Debian 12 root.
set -eu
list=
if [ "${1:-}" = --list ]; then
	list=1
	shift
fi
profile=${1:-test}
pkgs=(gcc g++ libc6-dev make cmake pkg-config libinih-dev libcmocka-dev)
case $profile in
build) ;;
sim) pkgs+=(gnuplot-nox) ;;
bench)
	pkgs+=(valgrind gnuplot-nox gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf binutils
		libc6-dev-arm64-cross libc6-dev-armhf-cross qemu-user)
	;;
kernel)
	pkgs+=(linux-source-6.1 gcc-aarch64-linux-gnu libc6-dev-arm64-cross sparse bc bison flex
		libssl-dev libelf-dev xz-utils perl python3 patch)
	;;
e2e)
	pkgs+=(linux-source-6.1 gcc-aarch64-linux-gnu libc6-dev-arm64-cross sparse bc bison flex
		libssl-dev libelf-dev xz-utils perl python3 patch)
	pkgs+=(qemu-system-arm cpio)
	;;
test)
	pkgs+=(lcov valgrind clang libclang-rt-14-dev qemu-user
		gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf gcc-s390x-linux-gnu
		libc6-dev-arm64-cross libc6-dev-armhf-cross libc6-dev-s390x-cross binutils spin
		gnuplot-nox linux-source-6.1 sparse bc bison flex libssl-dev libelf-dev xz-utils
		perl python3 patch debootstrap)
	pkgs+=(qemu-system-arm cpio)
	;;
*) echo "usage: deps.sh [--list] build|sim|test|bench|kernel|e2e" >&2; exit 2 ;;
esac
if [ -n "$list" ]; then
	printf '%s\n' "${pkgs[@]}"
	exit 0
fi

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "deps: need root to install: ${missing[*]}" >&2; exit 1; }
	sudo=sudo
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >/dev/null
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
