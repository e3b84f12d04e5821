#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# The main job, from a fresh Debian 12 machine: installs what is missing, builds, and
# runs the migration simulator's default scenario (a VM migrating across 25 MHz, 1 GHz,
# 19.2 MHz and 100 MHz hosts under the strategies none, offset, rfc, lpt, trap, vmclock
# and ideal). The
# table goes to stdout; the time series and its plot to $LPT_BUILD_DIR/sim/ (default
# build/sim/). Arguments go to lpt-sim: a scenario file, --threads, --bench, ...
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${LPT_BUILD_DIR:-$top/build}
"$top/tests/deps.sh" sim
cmake -S "$top" -B "$build/release" -DCMAKE_BUILD_TYPE=Release -DLPT_TESTS=OFF \
	-DLPT_BENCH=OFF >/dev/null
cmake --build "$build/release" -j2 >/dev/null
mkdir -p "$build/sim"
"$build/release/sim/lpt-sim" --csv "$build/sim/lpt-sim.csv" --plot "$build/sim/lpt-sim.png" "$@"
echo "time series: $build/sim/lpt-sim.csv; plot: $build/sim/lpt-sim.png"
