#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Builds a fuzzer with clang (libFuzzer, ASan, UBSan) and runs it for a while on its
# committed corpus, in a scratch copy so that the corpus is not rewritten.
#   page:      page decoding, validation and reading (fuzz_page.c, corpus/)
#   scenario:  the simulator's scenario parser (fuzz_scenario.c, corpus-scenario/,
#              scenario.dict; links libinih)
#
# usage: run.sh SOURCE_DIR WORK_DIR [SECONDS] [page|scenario]   (default 20 s, page)
set -eu
top=${1:?usage: run.sh SOURCE_DIR WORK_DIR [SECONDS] [page|scenario]}
work=${2:?usage: run.sh SOURCE_DIR WORK_DIR [SECONDS] [page|scenario]}
secs=${3:-${LPT_FUZZ_SECONDS:-20}}
target=${4:-page}
command -v clang >/dev/null || { echo "fuzz: clang not found (tests/deps.sh test installs it)"; exit 1; }
rm -rf "$work"
mkdir -p "$work/corpus"
cc=(clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
	-I"$top/include")
case $target in
page)
	"${cc[@]}" "$top/tests/fuzz/fuzz_page.c" "$top"/lib/*.c -o "$work/fuzz"
	cp "$top"/tests/fuzz/corpus/* "$work/corpus/"
	opts=(-max_len=256)
	what=
	;;
scenario)
	"${cc[@]}" -I"$top/sim" "$top/tests/fuzz/fuzz_scenario.c" "$top/sim/scenario.c" \
		"$top/sim/parse.c" "$top/sim/timeline.c" "$top"/lib/*.c -linih -o "$work/fuzz"
	cp "$top"/tests/fuzz/corpus-scenario/* "$work/corpus/"
	opts=(-max_len=4096 -dict="$top/tests/fuzz/scenario.dict" -timeout=10 -rss_limit_mb=1024)
	what="scenario parser: "
	;;
*) echo "fuzz: unknown target $target (page, scenario)"; exit 2 ;;
esac
"$work/fuzz" -max_total_time="$secs" "${opts[@]}" -print_final_stats=1 "$work/corpus" \
	>"$work/fuzz.log" 2>&1 || { tail -n 40 "$work/fuzz.log"; exit 1; }
execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$work/fuzz.log")
cov=$(grep -oE 'cov: [0-9]+' "$work/fuzz.log" | tail -n1)
echo "fuzz: ${what}${execs:-?} executions in ${secs} s, ${cov:-cov: ?} edges, no crash, no sanitizer report"
