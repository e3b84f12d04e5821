#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Runs the speed and precision benchmarks and writes docs/results.md with their tables,
# the machine and compiler they ran on, instruction counts (callgrind on this machine,
# disassembly for x86-64, aarch64 and armhf) and the precision plot.
#
# usage: bench/run.sh [--quick] [--out DIR]
#   --quick: tiny runs (the test command's smoke run; figures not meaningful)
#   --out DIR: write there instead of docs/ (default)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
quick=
out=$top/docs
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=--quick ;;
	--out) out=$2; shift ;;
	*) echo "usage: bench/run.sh [--quick] [--out DIR]" >&2; exit 2 ;;
	esac
	shift
done
"$top/tests/deps.sh" bench
build=${LPT_BUILD_DIR:-$top/build}/bench${quick:+-quick}
mkdir -p "$out" "$build"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release -DLPT_TESTS=OFF >"$build.configure.log"
cmake --build "$build" -j2 >"$build.build.log"
b=$build/bench

echo "bench: speed" >&2
"$b/bench_speed" $quick >"$build/speed.md"
echo "bench: precision" >&2
"$b/bench_precision" $quick --pairs "$out/results-precision-pairs.md" --plot "$build/plot.dat" \
	>"$build/precision.md"

echo "bench: instruction counts" >&2
calls=1000000
[ -n "$quick" ] && calls=1000
{
	echo "| conversion | x86-64, executed per call (callgrind) | x86-64 | aarch64 | armhf |"
	echo "|---|---|---|---|---|"
	declare -A static
	for arch in x86-64:gcc aarch64:aarch64-linux-gnu-gcc armhf:arm-linux-gnueabihf-gcc; do
		name=${arch%%:*} cc=${arch#*:}
		"$cc" -std=c11 -O2 -DINSN_NO_MAIN -I"$top/include" -c "$top/bench/insn.c" -o "$build/insn-$name.o"
		objdump=${cc%gcc}objdump
		while read -r fn count; do
			static[$name:$fn]=$count
		done < <("$objdump" -d --no-show-raw-insn "$build/insn-$name.o" | awk '
			/^[0-9a-f]+ <insn_[a-z_0-9]+>:/ { fn = $2; gsub(/[<>:]/, "", fn); next }
			/^$/ { fn = "" }
			fn != "" && /^ +[0-9a-f]+:\t/ { n[fn]++ }
			END { for (f in n) print f, n[f] }')
	done
	while read -r idx fn label; do
		valgrind --tool=callgrind --callgrind-out-file="$build/cg.$idx" --toggle-collect="$fn" \
			"$b/insn" "$idx" "$calls" >/dev/null 2>&1
		total=$(sed -nE 's/^summary: ([0-9]+)/\1/p' "$build/cg.$idx")
		per=$(awk -v t="$total" -v c="$calls" 'BEGIN { printf "%.1f", t / c }')
		if [ "$fn" = insn_page_read ]; then
			# Its work is in the library, out of line: no static count of the wrapper.
			echo "| $label | $per | - | - | - |"
		else
			echo "| $label | $per | ${static[x86-64:$fn]:-?} | ${static[aarch64:$fn]:-?} | ${static[armhf:$fn]:-?} |"
		fi
	done < <("$b/insn" list)
} >"$build/insn.md"

echo "bench: plot" >&2
gnuplot <<GP
set terminal png size 960,600 font ",10"
set output "$out/results-precision.png"
set title "Largest conversion error, 19.2 MHz host counter to a 1 GHz PV counter (Hyper-V's page cannot scale up)"
set xlabel "elapsed time (s)"
set ylabel "largest |error| (PV ticks, ns); exact = 0 drawn at 0.1"
set logscale xy
set format y "10^{%L}"
set format x "10^{%L}"
set key top left
set grid
plot for [i=2:9] "$build/plot.dat" using 1:i with linespoints title columnhead(i)
GP

cpu=$(sed -nE 's/^model name\s*: //p' /proc/cpuinfo | head -n1)
{
	echo "# Measured results"
	echo
	echo "Written by \`bench/run.sh\`${quick:+ (quick run: figures not meaningful)}. Machine: ${cpu:-unknown CPU}, $(nproc) cores,"
	echo "$(uname -sm); compiler: $(gcc --version | head -n1); liblpt $(git -C "$top" describe --always --dirty 2>/dev/null || echo '(no git)')."
	echo "Schemes as defined in \`bench/peers.c\`; the reference is the exact rational result,"
	echo "computed by the big-integer oracle of \`tests/oracle.c\`."
	echo
	echo "## Precision"
	echo
	cat "$build/precision.md"
	echo
	echo "The per-pair table is in [results-precision-pairs.md](results-precision-pairs.md)."
	echo
	echo "![error against elapsed time](results-precision.png)"
	echo
	echo "## Speed"
	echo
	cat "$build/speed.md"
	echo
	echo "## Instructions per conversion"
	echo
	echo "Executed instructions per call on this machine (callgrind, the out-of-line wrapper's"
	echo "call and return included), and the static length of each wrapper's body by disassembly"
	echo "(gcc 12, -O2) for three architectures: a count, not a time."
	echo
	cat "$build/insn.md"
} >"$out/results.md"
echo "bench: wrote $out/results.md" >&2
