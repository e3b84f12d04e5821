#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Builds the page fuzzer with clang (libFuzzer, ASan, UBSan) and runs it for a while on
# the committed corpus, in a scratch copy so that the corpus is not rewritten.
#
# usage: run.sh SOURCE_DIR WORK_DIR [SECONDS]   (default 20 s)
set -eu
top=${1:?usage: run.sh SOURCE_DIR WORK_DIR [SECONDS]}
work=${2:?usage: run.sh SOURCE_DIR WORK_DIR [SECONDS]}
secs=${3:-${LPT_FUZZ_SECONDS:-20}}
command -v clang >/dev/null || { echo "fuzz: clang not found (tests/deps.sh test installs it)"; exit 1; }
rm -rf "$work"
mkdir -p "$work/corpus"
clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I"$top/include" "$top/tests/fuzz/fuzz_page.c" "$top"/lib/*.c -o "$work/fuzz_page"
cp "$top"/tests/fuzz/corpus/* "$work/corpus/"
"$work/fuzz_page" -max_total_time="$secs" -max_len=256 -print_final_stats=1 "$work/corpus" \
	>"$work/fuzz.log" 2>&1 || { tail -n 40 "$work/fuzz.log"; exit 1; }
execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$work/fuzz.log")
cov=$(grep -oE 'cov: [0-9]+' "$work/fuzz.log" | tail -n1)
echo "fuzz: ${execs:-?} executions in ${secs} s, ${cov:-cov: ?} edges, no crash, no sanitizer report"
