#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Hostile and careless input: lpt-sim and lpt-convert run on scenario files and command
# lines someone else wrote. Each case gives the exit status it expects (a regular
# expression) and a substring of the output (stdout and stderr together); each runs bounded
# in time (timeout) and in memory (ulimit -v, except under ASan, whose shadow memory needs
# more address space than any sensible limit).
#
# Scenario cases are the files in scenarios/: their first lines say what they expect:
#   ; expect: STATUS SUBSTRING      (required, first line)
#   ; args: OPTIONS...              (more lpt-sim options, before the file)
#   ; absent: FILE                  (a file that must not exist afterwards)
#   ; xfail: WHY                    (known to fail until WHY is fixed; passing fails)
#   ; timeout: SECONDS              (a shorter bound than the default)
# Command-line cases and generated files (NUL bytes, over-long files) are below.
#
# usage: run.sh LPT_SIM LPT_CONVERT WORK_DIR [asan]
#   LPT_MEMCHECK=1 runs every case under Valgrind memcheck (an error fails the case).
set -u
sim=${1:?usage: run.sh LPT_SIM LPT_CONVERT WORK_DIR [asan]}
conv=${2:?usage: run.sh LPT_SIM LPT_CONVERT WORK_DIR [asan]}
work=${3:?usage: run.sh LPT_SIM LPT_CONVERT WORK_DIR [asan]}
asan=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
secs=${LPT_HOSTILE_SECONDS:-30}
mem_kib=${LPT_HOSTILE_MEM_KIB:-1048576}	# 1 GiB of address space per case
wrap=()
if [ "${LPT_MEMCHECK:-0}" = 1 ]; then
	wrap=(valgrind -q --error-exitcode=99 --leak-check=full
		--errors-for-leak-kinds=definite,indirect --trace-children=no)
	secs=$((secs * 10))
	mem_kib=$((mem_kib * 4))
fi
[ "$asan" = asan ] && mem_kib=unlimited

rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)
pass=0
fails=0
xfails=0

# Runs one case in $work: bounded, its output in $work/out.
bounded() { # command...
	(cd "$work" && ulimit -v "$mem_kib" && exec timeout -k 5 "$case_secs" "${wrap[@]}" "$@") \
		>"$work/out" 2>&1
}

# check NAME STATUS-REGEX SUBSTRING [xfail-reason] -- command...
check() {
	local name=$1 want=$2 text=$3 xfail=$4 got ok=1 why=
	shift 5
	case_secs=${case_secs:-$secs}
	bounded "$@"
	got=$?
	if [ "$got" = 124 ] || [ "$got" = 137 ]; then
		ok=0; why="no end within $case_secs s"
	elif [ "$got" = 99 ] && [ ${#wrap[@]} -gt 0 ]; then
		ok=0; why="memcheck found errors"
	elif ! [[ $got =~ ^($want)$ ]]; then
		ok=0; why="exit $got, wanted $want"
	elif [ -n "$text" ] && ! grep -qF -- "$text" "$work/out"; then
		ok=0; why="no '$text' in the output"
	elif grep -qE 'Sanitizer|runtime error' "$work/out"; then
		ok=0; why="sanitizer report"
	fi
	case_secs=
	if [ -n "$xfail" ]; then
		if [ $ok = 1 ]; then
			echo "FAIL: $name: passes now: remove its xfail ($xfail)"
			fails=$((fails + 1))
		else
			echo "XFAIL: $name: $why ($xfail)"
			xfails=$((xfails + 1))
		fi
		return
	fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $name: $why"
		head -c 2000 "$work/out"
		fails=$((fails + 1))
	fi
}

# The scenario files.
for f in "$here"/scenarios/*.ini; do
	name=$(basename "$f")
	first=$(head -n1 "$f")
	[[ $first == "; expect: "* ]] || { echo "FAIL: $name: no '; expect:' line"; fails=$((fails + 1)); continue; }
	first=${first#; expect: }
	want=${first%% *}
	text=${first#* }
	args=$(sed -n 's/^; args: //p' "$f")
	absent=$(sed -n 's/^; absent: //p' "$f")
	xfail=$(sed -n 's/^; xfail: //p' "$f")
	case_secs=$(sed -n 's/^; timeout: //p' "$f")
	[ -n "$case_secs" ] && [ ${#wrap[@]} -gt 0 ] && case_secs=$((case_secs * 3))
	cp "$f" "$work/$name"
	# shellcheck disable=SC2086 # the options are words
	check "$name" "$want" "$text" "$xfail" -- "$sim" --quiet $args "$name"
	if [ -n "$absent" ] && [ -e "$work/$absent" ]; then
		echo "FAIL: $name: $absent was created"
		fails=$((fails + 1))
	fi
done

# Generated files.
good='[scenario]
duration = 10s
sample = 1s
[host a]
hz = 25M
[vm g]
pv_hz = 1G
boot = a'
printf '[scenario]\nseed = 4\0 2\nduration = 10s\n' >"$work/nul.ini"
check nul.ini 2 "nul.ini:2: a NUL byte" "" -- "$sim" --quiet nul.ini
{ echo "$good"; head -c 2000000 /dev/zero | tr '\0' '\n'; } >"$work/big.ini"
check big.ini 2 "big.ini: larger than 1048576 bytes" "" -- "$sim" --quiet big.ini
check /dev/zero 2 "/dev/zero:1: a NUL byte" "" -- "$sim" --quiet /dev/zero
mkdir -p "$work/dir.ini"
check directory 2 "dir.ini: cannot read: Is a directory" "" -- "$sim" --quiet dir.ini
check missing 2 "none.ini: cannot open: No such file or directory" "" -- "$sim" --quiet none.ini
echo "$good" >"$work/good.ini"

# lpt-sim's command line (getopt_long).
check "--seed=5" 0 "good.ini, seed 5" "" -- "$sim" --quiet --seed=5 good.ini
check "--seed 010" 0 "good.ini, seed 10" "" -- "$sim" --quiet --seed 010 good.ini
check "--seed 0x10" 0 "good.ini, seed 16" "" -- "$sim" --quiet --seed 0x10 good.ini
check "--seed -1" 2 "--seed: '-1' is not a number" "" -- "$sim" --quiet --seed -1 good.ini
check "--seed missing" 2 "requires an argument" "" -- "$sim" --seed
check "--bogus" 2 "unrecognized option '--bogus'" "" -- "$sim" --bogus
check "-x" 2 "invalid option -- 'x'" "" -- "$sim" -x
check "two files" 2 "one scenario file" "" -- "$sim" good.ini good.ini
check "-- then a file" 0 "scenario -good.ini, seed 1" "" -- bash -c 'cp good.ini ./-good.ini && exec "$@"' _ \
	"${wrap[@]}" "$sim" --quiet -- -good.ini
check "--jobs 0" 2 "--jobs: 1 to 256" "" -- "$sim" --jobs 0 good.ini
check "--threads=0" 2 "--threads" "" -- "$sim" --threads=0 good.ini
check "csv in a missing directory" 1 "cannot write no/such/x.csv: No such file or directory" "" -- \
	"$sim" --quiet --csv no/such/x.csv good.ini
check "plot path with quotes" 0 "good.ini, seed 1" "" -- "$sim" --quiet --csv "it's.csv" \
	--plot "x'.system('touch pwned2').'.png" good.ini
if [ -e "$work/pwned2" ]; then echo "FAIL: a --plot path ran a command"; fails=$((fails + 1)); fi
if [ ${#wrap[@]} -eq 0 ] && ! [ -s "$work/x'.system('touch pwned2').'.png" ]; then
	echo "FAIL: the plot with quotes in its path was not written"; fails=$((fails + 1))
fi
check "plot alone" 0 "good.ini, seed 1" "" -- "$sim" --quiet --plot p.png good.ini

# lpt-convert's.
check "convert 010" 0 "native 10 -> pv 400 (floor)" "" -- "$conv" 25M 1G 010
check "convert 0x10" 0 "native 16 -> pv 640 (floor)" "" -- "$conv" 25M 1G 0x10
check "convert 08" 0 "native 8 -> pv 320 (floor)" "" -- "$conv" 25M 1G 08
check "convert 0x" 2 "not a 64-bit value: '0x'" "" -- "$conv" 25M 1G 0x
check "convert floor too large" 1 "native 18446744073709551615 -> pv: does not fit in 64 bits" "" -- \
	"$conv" 25M 1G 18446744073709551615
check "convert ceil too large" 1 "pv 18446744073709551615 -> native: does not fit in 64 bits" "" -- \
	"$conv" 1G 25M 18446744073709551615
check "convert largest fitting" 0 "native 461168601842738790 -> pv 18446744073709551600 (floor)" "" -- \
	"$conv" 25M 1G 461168601842738790
check "convert --" 0 "native_hz=25000000" "" -- "$conv" -- 25M 1G
check "convert --bogus" 2 "unrecognized option '--bogus'" "" -- "$conv" --bogus
check "convert negative" 2 "not a 64-bit value: '-5'" "" -- "$conv" 25M 1G -5
check "evtstrm 1" 2 "evtstrm: PV_HZ 1 Hz is below the 10 kHz" "" -- "$conv" evtstrm 1
check "evtstrm host 1" 2 "evtstrm: native 1 Hz is below" "" -- "$conv" evtstrm 1G 1
check "encode sequence 3" 2 "--sequence: 3 is odd" "" -- \
	"$conv" page encode --revision 1 --native-hz 25M --pv-hz 1G --sequence 3 -o s3.bin
check "encode sequence 0" 2 "--sequence: 0" "" -- \
	"$conv" page encode --revision 1 --native-hz 25M --pv-hz 1G --sequence 0 -o s0.bin
check "encode sequence 010" 0 "" "" -- \
	"$conv" page encode --revision 1 --native-hz 25M --pv-hz 1G --sequence 010 -o s10.bin
check "decode sequence 010" 0 "sequence=10" "" -- "$conv" page decode s10.bin
check "encode width 010" 1 "width" "" -- \
	"$conv" page encode --revision 1 --native-hz 25M --pv-hz 1G --width 010 -o w.bin
check "decode a directory" 2 "dir.ini: Is a directory" "" -- "$conv" page decode dir.ini
check "decode missing" 2 "none.bin: No such file or directory" "" -- "$conv" page decode none.bin
check "decode /dev/zero" 1 "error=" "" -- "$conv" page decode /dev/zero

echo "hostile: $pass cases passed, $xfails known failures, $fails failed"
[ "$fails" -eq 0 ]
