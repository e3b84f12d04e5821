#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# The README's commands on a minimal Debian 12 system, as a new user would run them: a
# bare root made by `debootstrap --variant=minbase bookworm`, the checkout's git-tracked
# files copied in, and in a chroot, these steps, each starting with its tests/deps.sh
# profile (installed without recommendations, as deps.sh does):
#
#   build  tests/deps.sh build; the README's "Using the library" commands (configure,
#          build, install to /usr/local); tests/install/check.sh (an outside project
#          built against the installed library via find_package and pkg-config)
#   sim    sim/run.sh, the README's main command: the table printed, the CSV and the
#          plot written
#   bench  bench/run.sh --quick (tests/deps.sh bench, the benchmarks built and run,
#          instruction counts under callgrind and qemu-user, the plot, results.md)
#
# and, on request only (they take long):
#
#   kernel tests/deps.sh kernel; kernel-glue/build.sh and kernel-glue/kunit.sh (the
#          kernel tree prepared inside the root)
#   test   tests/run.sh with LPT_STAGES=unit (tests/deps.sh test, then the unit stage)
#
# Each run starts from a fresh copy of the bare root. A step runs in the previous step's
# root (with a fresh copy of the checkout) only if its profile's packages include all
# of the previous profile's, so that the root holds exactly what its own profile would
# install on a new machine; otherwise, or after a failed step, it gets a fresh root
# (LPT_MINROOT_FRESH=1: always).
#
# usage: tests/minroot.sh [STEP...]    (default: build sim bench)
#
# The bare root is made once and kept as a tarball under minroot/ in $LPT_MINROOT_CACHE (default:
# $LPT_CACHE_DIR, else ~/.cache/liblpt), with the .deb files the steps download (the
# packages themselves are installed anew in each step). The mirror is the one the
# host's apt uses for bookworm (LPT_DEBIAN_MIRROR overrides it); the chroot's apt gets
# the host's bookworm, bookworm-updates and bookworm-security sources. Roots are
# unpacked under $LPT_BUILD_DIR/minroot (default build/minroot), on a tmpfs if memory
# allows, and removed afterwards.
# Needs root (or sudo without a password): chroot and mounts. When it cannot run at
# all, it says why and exits 77 (skipped), or 1 if LPT_REQUIRE_ALL=1.
set -eu -o pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
steps=${*:-build sim bench}
for s in $steps; do
	case $s in
	build | sim | bench | kernel | test) ;;
	*) echo "usage: tests/minroot.sh [build|sim|bench|kernel|test]..." >&2; exit 2 ;;
	esac
done

cannot_run() {
	echo "minroot: cannot run: $*" >&2
	if [ "${LPT_REQUIRE_ALL:-0}" = 1 ]; then
		echo "minroot: LPT_REQUIRE_ALL=1: failing instead of skipping" >&2
		exit 1
	fi
	echo "minroot: SKIPPED (not run, nothing checked)" >&2
	exit 77
}

if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
		keep=LPT_BUILD_DIR,LPT_CACHE_DIR,LPT_MINROOT_CACHE,LPT_MINROOT_FRESH,LPT_MINROOT_TMPFS
		exec sudo -n --preserve-env=$keep,LPT_DEBIAN_MIRROR,LPT_REQUIRE_ALL "$0" "$@"
	fi
	cannot_run "needs root for debootstrap, chroot and mounts (run as root or with sudo)"
fi
for t in debootstrap chroot mount umount mountpoint findmnt tar git; do
	command -v $t >/dev/null || cannot_run "$t is missing (tests/deps.sh test installs it)"
done
git -C "$top" rev-parse --git-dir >/dev/null 2>&1 ||
	cannot_run "$top is not a git checkout (the root gets its git-tracked files)"

build=${LPT_BUILD_DIR:-$top/build}
cache=${LPT_MINROOT_CACHE:-${LPT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/liblpt}}/minroot
arch=$(dpkg --print-architecture)
suite=bookworm
tarball=$cache/$suite-minbase-$arch.tar.gz
debs=$cache/apt-archives
work=$build/minroot
mkdir -p "$cache" "$debs/partial" "$work"
# Roots live in memory when there is plenty (a root grows to about 1.5 GB; unpacking,
# dpkg and removal are much faster there), else on disk. LPT_MINROOT_TMPFS=0|1 chooses.
mem_kb=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
tmpfs=${LPT_MINROOT_TMPFS:-$([ "${mem_kb:-0}" -ge $((8 << 20)) ] && echo 1 || echo 0)}

# The host's Debian sources, as "URI SUITE COMPONENTS" lines.
host_sources() {
	apt-get indextargets --format '$(TARGET_OF) $(REPO_URI) $(RELEASE) $(COMPONENT)' |
		awk '$1 == "deb" && $3 ~ /^'$suite'(-updates|-security)?$/ {
			k = $2 " " $3
			if (!(k in seen)) { seen[k] = $4; order[n++] = k }
			else if ((" " seen[k] " ") !~ (" " $4 " ")) seen[k] = seen[k] " " $4
		}
		END { for (i = 0; i < n; i++) print order[i], seen[order[i]] }'
}
sources=$(host_sources)
mirror=${LPT_DEBIAN_MIRROR:-$(awk -v s=$suite '$2 == s { print $1; exit }' <<<"$sources")}
mirror=${mirror:-http://deb.debian.org/debian/}
[ -n "$sources" ] || sources="$mirror $suite main"

# Every mount point under a root, deepest first.
mounts_under() {
	findmnt -rn -o TARGET | awk -v r="$1" 'index($0, r "/") == 1' | sort -r
}

# Unmounts everything under a root and removes it; refuses to remove anything while a
# mount remains (a bind-mounted /dev must never be deleted through the root).
remove_root() { # dir
	local dir=$1 m
	[ -e "$dir" ] || return 0
	for m in $(mounts_under "$dir"); do
		umount "$m" 2>/dev/null || umount -l "$m" || true
	done
	if mountpoint -q "$dir"; then
		umount "$dir" 2>/dev/null || umount -l "$dir" || true
	fi
	if [ -n "$(mounts_under "$dir")" ] || mountpoint -q "$dir"; then
		echo "minroot: still mounted under $dir, not removed:" >&2
		mounts_under "$dir" >&2
		return 1
	fi
	rm -rf --one-file-system "$dir"
}

root=
cleanup() {
	local rc=$?
	[ -z "$root" ] || remove_root "$root" || rc=1
	[ ! -e "$work/bootstrap" ] || remove_root "$work/bootstrap" || rc=1
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

t_all=$(date +%s)

# The bare root, made once.
if [ ! -s "$tarball" ]; then
	echo "minroot: debootstrap --variant=minbase $suite from $mirror (once; kept in $tarball)"
	t0=$(date +%s)
	remove_root "$work/bootstrap"
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	[ -r $keyring ] || cannot_run "$keyring is missing (package debian-archive-keyring)"
	if ! debootstrap --variant=minbase --keyring=$keyring "$suite" "$work/bootstrap" "$mirror" \
		>"$work/debootstrap.log" 2>&1; then
		tail -n 30 "$work/debootstrap.log" >&2
		echo "minroot: debootstrap failed (log: $work/debootstrap.log)" >&2
		exit 1
	fi
	# Downloads are not part of the bare root.
	rm -f "$work/bootstrap"/var/cache/apt/archives/*.deb
	tar --numeric-owner -C "$work/bootstrap" -czf "$tarball.tmp" .
	mv "$tarball.tmp" "$tarball"
	remove_root "$work/bootstrap"
	echo "minroot: bare root made in $(($(date +%s) - t0)) s ($(du -h "$tarball" | cut -f1))"
fi

# The checkout's git-tracked files (as in a clone), with their working-tree contents,
# in /src/liblpt of a root, replacing what was there.
copy_checkout() { # dir
	rm -rf "$1/src/liblpt" && mkdir -p "$1/src/liblpt" || return 1
	git -C "$top" ls-files -z |
		tar -C "$top" --null -T - --ignore-failed-read -cf - 2>/dev/null |
		tar -C "$1/src/liblpt" -xf -
}

# A fresh root from the tarball, with the host's sources, name resolution, the checkout
# and the mounts a chroot needs. Returns 2 if mounting fails.
fresh_root() { # dir
	local dir=$1
	remove_root "$dir" && mkdir -p "$dir" || return 1
	if [ $tmpfs = 1 ]; then
		mount -t tmpfs -o size=6g,mode=755 lpt-minroot "$dir" || return 2
	fi
	tar --numeric-owner -C "$dir" -xpzf "$tarball" || return 1
	awk '{ printf "deb %s %s", $1, $2; for (i = 3; i <= NF; i++) printf " %s", $i; print "" }' \
		<<<"$sources" >"$dir/etc/apt/sources.list" || return 1
	rm -f "$dir"/etc/apt/sources.list.d/*
	# The root is thrown away: dpkg need not sync every file it unpacks.
	echo force-unsafe-io >"$dir/etc/dpkg/dpkg.cfg.d/minroot-unsafe-io" || return 1
	cp -L /etc/resolv.conf "$dir/etc/resolv.conf" || return 1
	copy_checkout "$dir" || return 1
	mount -t proc proc "$dir/proc" && mount --rbind /dev "$dir/dev" &&
		mount --make-rslave "$dir/dev" &&
		mount --bind "$debs" "$dir/var/cache/apt/archives" || return 2
}

# Whether a step may run in the root the previous one used: only if its profile's
# packages include all of the previous profile's, so the root then holds exactly what
# the step's profile alone would install (LPT_MINROOT_FRESH=1: never).
may_reuse() { # previous-step step
	[ -n "$1" ] && [ "${LPT_MINROOT_FRESH:-0}" != 1 ] || return 1
	[ -z "$(comm -23 <("$top/tests/deps.sh" --list "$1" | sort) \
		<("$top/tests/deps.sh" --list "$2" | sort))" ]
}

# Forgets the .deb files no longer downloadable (the cache does not grow), then
# removes the root.
drop_root() { # dir
	local t0=$(date +%s)
	in_root "$1" 'apt-get -qq autoclean' || true
	local t1=$(date +%s)
	remove_root "$1" || return 1
	echo "minroot: root removed (apt-get autoclean $((t1 - t0)) s, removal $(($(date +%s) - t1)) s)"
}

in_root() { # dir command
	chroot "$1" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash -c "set -eu; cd /src/liblpt; $2"
}

step_build() {
	in_root "$1" 'tests/deps.sh build
		cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
		cmake --build build/release -j2 >/dev/null
		cmake --install build/release --prefix /usr/local >/dev/null
		test -s /usr/local/lib/liblpt.a -a -s /usr/local/include/lpt/lpt.h
		tests/install/check.sh /src/liblpt /tmp/install-check
		xargs -d "\\n" rm -f <build/release/install_manifest.txt'
}

step_sim() {
	local out=$work/sim.out
	in_root "$1" 'sim/run.sh' | tee "$out" || return 1
	# The table: one row per strategy in the clock and the timer tables.
	local s
	for s in none rfc lpt trap ideal; do
		[ "$(grep -c "^$s " "$out")" -ge 2 ] ||
			{ echo "minroot: sim: no rows for $s in the table" >&2; return 1; }
	done
	grep -q '^clock .*max error' "$out" || { echo "minroot: sim: no clock table" >&2; return 1; }
	in_root "$1" 'csv=build/sim/lpt-sim.csv png=build/sim/lpt-sim.png
		test "$(wc -l <"$csv")" -gt 2 || { echo "minroot: sim: $csv empty" >&2; exit 1; }
		test "$(head -c 4 "$png" | od -An -c | tr -d " ")" = "211PNG" ||
			{ echo "minroot: sim: $png is not a PNG" >&2; exit 1; }
		echo "minroot: sim: $csv ($(wc -l <"$csv") lines), $png ($(wc -c <"$png") bytes)"'
}

step_bench() {
	in_root "$1" 'bench/run.sh --quick --out /tmp/bench
		grep -q "^## Instructions per conversion" /tmp/bench/results.md
		! grep -q "| ? |" /tmp/bench/results.md ||
			{ echo "minroot: bench: instruction counts missing" >&2; exit 1; }
		test -s /tmp/bench/results-precision.png
		echo "minroot: bench: results.md ($(wc -l </tmp/bench/results.md) lines), plot written"'
}

step_kernel() {
	in_root "$1" 'tests/deps.sh kernel
		LPT_KERNEL_CACHE=/tmp/kernel-cache kernel-glue/build.sh
		LPT_KERNEL_CACHE=/tmp/kernel-cache kernel-glue/kunit.sh'
}

step_test() {
	in_root "$1" 'LPT_STAGES=unit tests/run.sh'
}

failed=()
prev=
for s in $steps; do
	t0=$(date +%s)
	echo "== minroot: $s"
	if [ -n "$root" ] && may_reuse "$prev" "$s"; then
		# The previous step's build trees and files go; its packages stay.
		copy_checkout "$root" && rm -rf "${root:?}"/tmp/* || exit 1
		echo "minroot: $s: in the $prev step's root (the $s profile includes the $prev" \
			"profile's packages)"
	else
		[ -z "$root" ] || drop_root "$root"
		root=$work/root
		rc=0
		fresh_root "$root" || rc=$?
		if [ $rc -ne 0 ]; then
			remove_root "$root" || true
			[ $rc -ne 2 ] ||
				cannot_run "mounting /proc, /dev or the package cache in the root failed"
			echo "minroot: $s: could not prepare the root" >&2
			exit 1
		fi
		echo "minroot: $s: fresh root ready in $(($(date +%s) - t0)) s" \
			"($([ $tmpfs = 1 ] && echo tmpfs || echo on disk))"
	fi
	prev=$s
	if "step_$s" "$root"; then
		echo "minroot: $s: ok ($(($(date +%s) - t0)) s)"
	else
		echo "minroot: $s: FAILED ($(($(date +%s) - t0)) s)"
		failed+=("$s")
		prev=	# whatever the step left half done is not reused
	fi
done
[ -z "$root" ] || drop_root "$root"
root=
echo "minroot: $(($(date +%s) - t_all)) s in all"
[ ${#failed[@]} -eq 0 ] || { echo "minroot: failed: ${failed[*]}" >&2; exit 1; }
echo "minroot: passed: $steps"
