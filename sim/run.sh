#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# The main job, from a fresh Debian 12 machine: installs what is missing, builds, and
# runs lpt-convert (until the simulator becomes the main job). Without arguments it
# shows a VM's 1 GHz PV counter on a 19.2 MHz host; with arguments they go to
# lpt-convert (NATIVE_HZ PV_HZ [VALUE...]).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${LPT_BUILD_DIR:-$top/build}/release
"$top/tests/deps.sh" build
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release -DLPT_TESTS=OFF -DLPT_BENCH=OFF >/dev/null
cmake --build "$build" -j2 >/dev/null
if [ $# -eq 0 ]; then
	# One second, one hour and one year of a 19.2 MHz counter.
	set -- 19.2M 1G 19200000 69120000000 605491200000000
fi
exec "$build/sim/lpt-convert" "$@"
