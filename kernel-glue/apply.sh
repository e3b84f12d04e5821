#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Applies kernel-glue/patches/ to a Linux 6.1 tree unpacked from Debian's
# linux-source-6.1, whatever version of the series the tree had before: the files the
# series touches are first put back as the tarball has them. A stamp in the tree records
# the series applied, so an unchanged series is not applied twice.
#
# usage: kernel-glue/apply.sh TREE
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
tree=${1:?usage: apply.sh TREE}
tarball=/usr/src/linux-source-6.1.tar.xz
stamp=$tree/.lpt-series
want=$(cat "$top"/kernel-glue/patches/*.patch | sha256sum | cut -d' ' -f1)
[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && exit 0

# Every file any version of the series may have touched: this one's, and the last one's.
files=$(sed -n 's|^+++ b/||p' "$top"/kernel-glue/patches/*.patch | sort -u)
[ -f "$stamp.files" ] && files=$(printf '%s\n%s\n' "$files" "$(cat "$stamp.files")" | sort -u)
parent=$(dirname "$tree")
# What each file holds now, and when it changed: a file the new series leaves as it was
# keeps its time, so that a built tree rebuilds only what really changed.
before=$parent/lpt-series.before
(cd "$tree" && for f in $files; do
	if [ -f "$f" ]; then
		printf '%s %s %s\n' "$(sha256sum <"$f" | cut -c1-64)" "$(stat -c %Y "$f")" "$f"
	fi
done) >"$before"
# Files a series creates are not in the tarball: removed first, and tar's "not found"
# for them ignored (a file that fails to come back fails the patch below).
(cd "$tree" && rm -f $files)
# shellcheck disable=SC2046 # one argument per path
tar -C "$parent" -xf "$tarball" $(sed "s|^|$(basename "$tree")/|" <<<"$files") 2>/dev/null || true
for p in "$top"/kernel-glue/patches/*.patch; do
	if ! patch -d "$tree" -p1 -s -f <"$p" >"$parent/lpt-patch.log" 2>&1; then
		cat "$parent/lpt-patch.log"
		echo "kernel: $(basename "$p") does not apply to Linux 6.1"
		exit 1
	fi
done
while read -r sum mtime f; do
	if [ -f "$tree/$f" ] && [ "$(sha256sum <"$tree/$f" | cut -c1-64)" = "$sum" ]; then
		touch -d "@$mtime" "$tree/$f"
	fi
done <"$before"
printf '%s\n' "$files" >"$stamp.files"
echo "$want" >"$stamp"
