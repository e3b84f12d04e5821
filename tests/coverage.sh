#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Collects line and branch coverage of the core (lib/ and include/lpt/) from a build
# made with -DLPT_COVERAGE=ON after its tests ran; writes an HTML report and fails if
# fewer than LPT_COVERAGE_MIN (default 95) percent of the lines ran.
set -eu
top=${1:?usage: coverage.sh SOURCE_DIR BUILD_DIR}
dir=${2:?usage: coverage.sh SOURCE_DIR BUILD_DIR}
min=${LPT_COVERAGE_MIN:-95}
rc=(--rc lcov_branch_coverage=1)
lcov -q "${rc[@]}" --capture --directory "$dir" --output-file "$dir/all.info" 2>/dev/null
lcov -q "${rc[@]}" --extract "$dir/all.info" "$top/lib/*" "$top/include/lpt/*" \
	--output-file "$dir/core.info" 2>/dev/null
genhtml -q "${rc[@]}" "$dir/core.info" --output-directory "$dir/html" >/dev/null 2>&1
summary=$(lcov "${rc[@]}" --summary "$dir/core.info" 2>&1)
lines=$(sed -nE 's/.*lines\.+: ([0-9.]+)%.*/\1/p' <<<"$summary")
branches=$(sed -nE 's/.*branches\.+: ([0-9.]+)%.*/\1/p' <<<"$summary")
echo "coverage: lib/ and include/lpt/: lines ${lines}%, branches ${branches:-n/a}% (report: $dir/html/index.html)"
awk -v l="$lines" -v m="$min" 'BEGIN { exit !(l + 0 >= m + 0) }' || {
	echo "coverage: below the ${min}% line threshold"
	exit 1
}
