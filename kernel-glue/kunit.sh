#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Runs liblpt's KUnit suite inside a real Linux 6.1 kernel (User Mode Linux, built by
# the kernel's own tools/testing/kunit/kunit.py). The core goes into the tree as it is:
# lib/ and include/lpt/ are copied to lib/lpt/ and include/lpt/, with the suite
# (kernel-glue/kunit/), the shared golden checks and vectors (tests/); the patches in
# kernel-glue/patches/ hook lib/lpt/ into the build.
#
# usage: kernel-glue/kunit.sh
# A pristine tree is unpacked once into $LPT_KERNEL_CACHE (default ~/.cache/liblpt), and
# the UML build directory is kept there, so that later runs rebuild only what changed.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${LPT_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/liblpt}
src=$cache/kunit-src/linux-source-6.1
build=$cache/kunit-src/build-um
t0=$(date +%s)

"$top/tests/deps.sh" kernel
if [ ! -f "$src/.lpt-unpacked" ]; then
	echo "kunit: unpacking a pristine tree into $src (once)"
	rm -rf "$cache/kunit-src"
	mkdir -p "$cache/kunit-src"
	tar -C "$cache/kunit-src" -xf /usr/src/linux-source-6.1.tar.xz
	touch "$src/.lpt-unpacked"
fi
"$top/kernel-glue/apply.sh" "$src"
rm -rf "$src/include/lpt" "$src/lib/lpt"
mkdir -p "$src/lib/lpt/golden"
# The core's files are those of its one list, lib/sources.list: lib/X goes to lib/lpt/X,
# include/lpt/X stays include/lpt/X.
mapfile -t core < <(sed -e '/^#/d' -e '/^$/d' "$top/lib/sources.list")
for f in "${core[@]}"; do
	case $f in lib/*) dst=$src/lib/lpt/${f#lib/} ;; *) dst=$src/$f ;; esac
	mkdir -p "$(dirname "$dst")"
	cp "$top/$f" "$dst"
done
cp "$top"/kernel-glue/kunit/Kconfig "$top"/kernel-glue/kunit/Makefile \
	"$top"/kernel-glue/kunit/lpt_kunit.c "$top"/tests/golden_checks.c \
	"$top"/tests/golden_checks.h "$src/lib/lpt/"
cp "$top/tests/golden/lpt_vectors.h" "$src/lib/lpt/golden/"

cd "$src"
status=0
python3 tools/testing/kunit/kunit.py run --build_dir="$build" --jobs=2 --raw_output=kunit \
	--kunitconfig="$top/kernel-glue/kunit/.kunitconfig" >"$cache/kunit.log" 2>&1 || status=$?
# KTAP: every test line "ok", none "not ok", and the suite's own line "ok ... lpt".
grep -E '^ *(not )?ok [0-9]+ |golden vectors checked' "$cache/kunit.log" | sed 's/^ */kunit: /'
passed=$(grep -cE '^ *ok [0-9]+ ' "$cache/kunit.log" || true)
if [ $status -ne 0 ] || grep -qE '^ *not ok ' "$cache/kunit.log" ||
	! grep -qE '^ *ok [0-9]+ lpt$' "$cache/kunit.log"; then
	tail -n 40 "$cache/kunit.log"
	echo "kunit: failed (full log: $cache/kunit.log)"
	exit 1
fi
echo "kunit: $passed ok inside a Linux 6.1 (UML) kernel, $(($(date +%s) - t0)) s in all"
