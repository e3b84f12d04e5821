#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# lpt-convert end to end: conversions, frequency parsing, page encode/decode round trips,
# the golden pages, and the exit status of every error path.
#
# usage: check_convert.sh LPT_CONVERT SOURCE_DIR WORK_DIR
set -u
c=${1:?usage: check_convert.sh LPT_CONVERT SOURCE_DIR WORK_DIR}
top=${2:?}
work=${3:?}
mkdir -p "$work"
fails=0
pass=0

expect() { # description expected-status command...
	local what=$1 want=$2
	shift 2
	"$@" >"$work/out" 2>"$work/err"
	local got=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL: $what: exit $got, wanted $want"; cat "$work/out" "$work/err"
		fails=$((fails + 1))
	else
		pass=$((pass + 1))
	fi
}
has() { # description pattern
	if grep -qx -- "$2" "$work/out"; then pass=$((pass + 1)); else
		echo "FAIL: $1: no line '$2' in:"; cat "$work/out"; fails=$((fails + 1)); fi
}

expect "one second at 19.2 MHz" 0 "$c" 19.2M 1GHz 19200000
has "floor" "native 19200000 -> pv 1000000000 (floor)"
has "ceil" "pv 19200000 -> native 368640 (ceil)"
expect "62.5 MHz" 0 "$c" "62.5 MHz" 1G 0x10
has "62.5 parsed" "native_hz=62500000"
expect "fractional Hz" 2 "$c" 19.25 1G
expect "garbage" 2 "$c" 25Mx 1G
expect "zero" 1 "$c" 0 1G
expect "above 2^40" 1 "$c" 2000G 1G
expect "bad value" 2 "$c" 25M 1G -5
expect "no arguments" 2 "$c"

expect "golden rev 0" 0 "$c" page decode "$top/tests/fuzz/corpus/page_rev0.bin"
has "rev 0 mult" "scale_mult=0xd055555555555555"
has "rev 0 valid" "valid=yes"
expect "golden rev 1" 0 "$c" page decode "$top/tests/fuzz/corpus/page_rev1.bin"
has "rev 1 generation" "generation=3"
for bad in mult:LPT_EMULT seq0:LPT_ENOTREADY odd:LPT_EBUSY rev2:LPT_EREVISION; do
	expect "rev 1 $bad" 1 "$c" page decode "$top/tests/fuzz/corpus/page_rev1_${bad%%:*}.bin"
	has "rev 1 $bad named" "error=${bad#*:}"
done
expect "short" 1 "$c" page decode "$top/tests/fuzz/corpus/short.bin"
has "short named" "error=LPT_ESHORT"
expect "missing file" 2 "$c" page decode "$work/nonexistent"

expect "encode rev 1" 0 "$c" page encode --revision 1 --native-hz 25M --pv-hz 1G --width 56 \
	--generation 9 --virt-native-base 0x1000 --phys-pv-base 77 -o "$work/p1.bin"
expect "decode rev 1" 0 "$c" page decode "$work/p1.bin"
has "width" "width=56"
has "generation" "generation=9"
has "phys pv base" "phys_pv_base=0x000000000000004d"
has "multiplier" "to_pv_whole=40"
expect "encode rev 0" 0 "$c" page encode --revision 0 --native-hz 24M --pv-hz 1G -o "$work/p0.bin"
expect "decode rev 0" 0 "$c" page decode "$work/p0.bin"
has "fracbits" "fracbits=58"
# The encoder writes exactly what the independent generator writes.
expect "encode like golden" 0 "$c" page encode --revision 1 --native-hz 19.2M --pv-hz 1G --width 56 \
	--generation 3 --sequence 6 --virt-native-base 0x0123456789ab --virt-pv-base 0x1000000000 \
	--phys-native-base 0x0123456789ab --phys-pv-base 0xfedcba98765 -o "$work/g1.bin"
if cmp -s "$work/g1.bin" "$top/tests/fuzz/corpus/page_rev1.bin"; then pass=$((pass + 1)); else
	echo "FAIL: encoder output differs from the golden page"; fails=$((fails + 1)); fi
expect "encode bad width" 1 "$c" page encode --revision 1 --native-hz 25M --pv-hz 1G --width 40 -o "$work/x"
expect "encode rev 0 too fast" 1 "$c" page encode --revision 0 --native-hz 5G --pv-hz 1G -o "$work/x"
expect "encode bad revision" 2 "$c" page encode --revision 2 --native-hz 1 --pv-hz 1 -o "$work/x"
expect "encode no output" 2 "$c" page encode --revision 1 --native-hz 1 --pv-hz 1

expect "evtstrm table" 0 "$c" evtstrm 1G 19.2M
has "19.2 MHz row" "| 19200000 Hz | no | 15 | 3413.333 | 9 | 53.333 | 0.814 |"

echo "lpt-convert: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
