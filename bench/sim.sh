#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# The simulator's measured results for docs/simulator.md: the default scenario's table
# and plot, the fleet (10 000 VMs x 100 migrations: run time, guest counter reads per
# CPU second, peak memory, on 1 job and on every CPU; and on 1 job with --per-tick, the
# baseline of the simulator's shortcuts, checked to give the same bytes) and the threaded
# page mode (10^8 reads against a writer that never stops).
#
# usage: bench/sim.sh [--quick] [--out DIR]
#   --quick: a 100-VM fleet and 10^6 threaded reads (the smoke run; figures not meaningful)
#   --out DIR: write there instead of docs/ (default)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
quick=
out=$top/docs
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--out) out=$2; shift ;;
	*) echo "usage: bench/sim.sh [--quick] [--out DIR]" >&2; exit 2 ;;
	esac
	shift
done
"$top/tests/deps.sh" sim
build=$(realpath -m -- "${LPT_BUILD_DIR:-$top/build}/bench-sim${quick:+-quick}")
out=$(realpath -m -- "$out")	# before the cd below
mkdir -p "$out" "$build"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release -DLPT_TESTS=OFF -DLPT_BENCH=OFF \
	>"$build.configure.log"
cmake --build "$build" -j2 --target lpt-sim >"$build.build.log"
sim=$build/sim/lpt-sim
# lpt-sim prints the scenario's path as given: relative to the checkout, never the
# machine's absolute paths (the results are committed).
cd "$top"
fleet=sim/scenarios/fleet.ini
reads=100000000
if [ -n "$quick" ]; then
	sed 's/^count = 10000$/count = 100/' "$fleet" >"$build/fleet.ini"
	fleet=$(realpath --relative-to="$top" "$build/fleet.ini")
	reads=1000000
fi

echo "bench: simulator, default scenario" >&2
"$sim" --quiet --csv "$build/default.csv" --plot "$out/simulator-default.png" \
	>"$build/default.txt"
echo "bench: simulator, fleet" >&2
"$sim" --quiet --bench --jobs 1 "$fleet" >"$build/fleet1.txt"
"$sim" --quiet --bench "$fleet" >"$build/fleet.txt"
cmp -s <(grep -v '^bench:' "$build/fleet1.txt") <(grep -v '^bench:' "$build/fleet.txt") ||
	{ echo "bench: the fleet's results depend on the number of jobs" >&2; exit 1; }
# The baseline, in the same run: every timer interrupt taken one by one.
"$sim" --quiet --bench --jobs 1 --per-tick "$fleet" >"$build/fleet1-per-tick.txt"
cmp -s <(grep -v '^bench:' "$build/fleet1.txt") <(grep -v '^bench:' "$build/fleet1-per-tick.txt") ||
	{ echo "bench: the fleet's results differ with --per-tick" >&2; exit 1; }
cpu_s() { sed -n 's/^bench: .* (1 job, \([0-9.]*\) CPU s).*/\1/p' "$1"; }
ratio=$(awk -v a="$(cpu_s "$build/fleet1-per-tick.txt")" -v b="$(cpu_s "$build/fleet1.txt")" \
	'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
echo "bench: simulator, threads" >&2
"$sim" --quiet --threads="$reads" sim/scenarios/default.ini >"$build/threads.txt"

{
	echo "# Simulator results (measured)"
	echo
	echo "Written by \`bench/sim.sh\` on $(uname -m), $(nproc) CPUs"
	echo "($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
	echo "$(cc --version | head -n1). Explained in [simulator.md](simulator.md)."
	echo
	echo "## Default scenario (\`sim/run.sh\`, \`lpt-sim\` without arguments)"
	echo
	echo '```'
	cat "$build/default.txt"
	echo '```'
	echo
	echo "![guest clock error per strategy](simulator-default.png)"
	echo
	echo "## Fleet (\`sim/scenarios/fleet.ini\`)"
	echo
	echo '```'
	grep -v '^bench:' "$build/fleet.txt"
	echo '```'
	echo
	echo "Speed (same results on 1 job and on all CPUs, checked byte for byte):"
	echo
	echo "- 1 job: $(sed -n 's/^bench: //p' "$build/fleet1.txt")"
	echo "- all CPUs: $(sed -n 's/^bench: //p' "$build/fleet.txt")"
	echo "- baseline, 1 job, \`--per-tick\` (every timer interrupt one by one, the counters"
	echo "  read at each; the same results): $(sed -n 's/^bench: //p' "$build/fleet1-per-tick.txt")"
	echo "- CPU time per-tick / shortcuts, 1 job: $ratio"
	echo
	echo "## Threads (\`lpt-sim --threads\`)"
	echo
	echo "- $(sed -n 's/^threads: //p' "$build/threads.txt")"
} >"$out/simulator-results.md"
grep -h '^\(bench\|threads\):' "$build/fleet1.txt" "$build/fleet.txt" \
	"$build/fleet1-per-tick.txt" "$build/threads.txt"
echo "bench: CPU time per-tick / shortcuts, 1 job: $ratio"
