#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# End to end: lpt-sim's default scenario, its table against values derived by hand,
# byte-identical reruns, the CSV and the plot, a scenario error.
# usage: check_sim.sh LPT_SIM WORKDIR
set -u
sim=$1
work=$2
mkdir -p "$work"
fails=0
checks=0
check() { # description command...
	local what=$1
	shift
	checks=$((checks + 1))
	if ! "$@"; then
		echo "FAIL: $what"
		fails=$((fails + 1))
	fi
}

"$sim" --quiet >"$work/a.txt" || { echo "FAIL: lpt-sim exited $?"; exit 1; }
"$sim" --quiet --jobs 1 --csv "$work/a.csv" --plot "$work/a.png" >"$work/b.txt" ||
	{ echo "FAIL: lpt-sim --csv --plot exited $?"; exit 1; }
check "two runs, identical bytes" cmp -s "$work/a.txt" "$work/b.txt"

row() { # table strategy -> the strategy's row of the clock or timers table
	awk -v t="$1" -v s="$2" '$1 == t { on = 1; next } on && $1 == s { print; exit }' "$work/a.txt"
}
field() { # table strategy field (awk's, counting the name; a duration is 2 fields)
	row "$1" "$2" | awk -v c="$3" '{ print $c }'
}
# The guest on the PV counter never sees time step back or a timer fire early.
for s in lpt ideal; do
	check "$s: no backward step" test "$(field clock $s 9)" = 0
	check "$s: no early virtual timer" test "$(field timers $s 3)" = 0
	check "$s: no early physical timer" test "$(field timers $s 4)" = 0
	check "$s: no lost timer" test "$(field timers $s 5)" = 0
done
# The RFC's floors fire timers early.
check "rfc: early timers" test "$(field timers rfc 3)" -gt 0
check "lpt: no traps" test "$(field timers lpt 13)" = 0
# trap: the boot host (25 MHz, no FEAT_ECV) cannot run 1 GHz, so the VM's counter runs at
# 25 MHz; the 1 GHz host (FEAT_ECV) traps and scales to it, the others cannot trap
# (their counters continue unscaled, the native rate taken for 25 MHz: 100 MHz for an
# hour puts it hours ahead).
check "trap: traps on arm-1g" test "$(field timers trap 13)" -gt 0
check "trap: no backward step" test "$(row clock trap | awk '{ print $(NF - 2) }')" = 0
check "trap: no early timer" test "$(field timers trap 3)$(field timers trap 4)" = 00
check "trap: hours ahead" grep -qE '^trap +[0-9]+h[0-9]{2}m' "$work/a.txt"
# Without scaling, an hour on the 1 GHz host runs a 25 MHz guest clock 40 times fast:
# about 39 hours ahead, hours in the table.
check "none: hours off" grep -qE '^none +[0-9]+h[0-9]{2}m' "$work/a.txt"
# The firmware trusts the 25 MHz it read at boot and waits 25 000 000 ticks: 25 ms on
# the 1 GHz host, 25e6 / 19.2e6 = 1.302083 s on the 19.2 MHz one, 250 ms on 100 MHz.
# Columns none offset rfc lpt trap vmclock ideal; the first table is the firmware that
# knows nothing of LPT, the second the LPT-aware one (liblpt's reader on the page).
fw() { # host table(1: not aware, 2: aware)
	awk -v h="$1" -v want="$2" '/firmware waiting/ { n++ }
		n == want && $1 ~ /^[0-9]+h[0-9]+m/ && $2 == h {
		print $3 $4, $5 $6, $7 $8, $9 $10, $11 $12, $13 $14, $15 $16 }' "$work/a.txt"
}
# trap's firmware reads CNTFRQ_EL0 too (it cannot be trapped): 25 MHz, the VM's rate,
# to which the counter is scaled on arm-1g (right there), elsewhere none's errors.
check "firmware on arm-1g" test "$(fw arm-1g 1)" = \
	"-975.000ms -975.000ms -975.000ms -975.000ms 0ns -975.000ms 0ns"
check "firmware on arm-19m2" test "$(fw arm-19m2 1)" = \
	"302.083ms 302.083ms 302.083ms 302.083ms 302.083ms 302.083ms 0ns"
check "firmware on arm-100m" test "$(fw arm-100m 1)" = \
	"-750.000ms -750.000ms -750.000ms -750.000ms -750.000ms -750.000ms 0ns"
# An LPT-aware firmware reads the PV counter and its rate from the page: exact under
# lpt; under rfc a native tick early (the page's rounded-down rscale); the others
# have no page and wait as the unaware one.
check "aware firmware on arm-1g" test "$(fw arm-1g 2)" = \
	"-975.000ms -975.000ms 0ns 0ns 0ns -975.000ms 0ns"
check "aware firmware on arm-100m" test "$(fw arm-100m 2)" = \
	"-750.000ms -750.000ms -10ns 0ns -750.000ms -750.000ms 0ns"
# offset (upstream's counter offset) keeps the physical timer on the guest's counter:
# none loses it once (left on the old host's counter), offset does not.
check "none: a lost timer" test "$(field timers none 5)" = 1
check "offset: no lost timer" test "$(field timers offset 5)" = 0
# vmclock: the clock follows the page (within a ns of true time), the timers do not
# (its tick fires as often as none's and offset's).
check "vmclock: clock within 1 ns" test "$(field clock vmclock 2)" = -1
check "vmclock: timers on the native counter" test "$(field timers vmclock 2)" = \
	"$(field timers offset 2)"
# The CSV: a header, a row per 10 s sample of 4 h, and a PNG.
check "csv header" test "$(head -n1 "$work/a.csv")" = \
	"vm,t_ns,none_err_ns,offset_err_ns,rfc_err_ns,lpt_err_ns,trap_err_ns,vmclock_err_ns,ideal_err_ns"
check "csv rows" test "$(wc -l <"$work/a.csv")" = 1442
check "png" test "$(head -c 4 "$work/a.png" | od -An -c | tr -d ' ')" = '211PNG'
# The tick's interrupts taken one by one give the same bytes as the closed form, which
# the default scenario takes (none, offset and trap; not vmclock, whose clock gains
# nothing on true time there).
"$sim" --quiet --per-tick --jobs 1 --csv "$work/p.csv" >"$work/p.txt"
check "--per-tick: the same table" cmp -s "$work/a.txt" "$work/p.txt"
check "--per-tick: the same CSV" cmp -s "$work/a.csv" "$work/p.csv"
check "closed form taken" test "$("$sim" --quiet --bench --jobs 1 |
	sed -n 's/.*; \([0-9]*\) of the reads timer interrupts taken in closed form$/\1/p')" -gt 0
# The printed default scenario is the one that runs.
"$sim" --print-default >"$work/default.ini"
"$sim" --quiet "$work/default.ini" | tail -n +2 >"$work/c.txt"
check "--print-default runs the same" cmp -s <(tail -n +2 "$work/a.txt") "$work/c.txt"
# A scenario error names file and line; exit status 2.
printf '[scenario]\nduration = 1h\n[host a]\nhz = 0\n' >"$work/bad.ini"
"$sim" --quiet "$work/bad.ini" 2>"$work/bad.err" >/dev/null
check "bad scenario: exit 2" test $? = 2
check "bad scenario: file and line" grep -q "bad.ini:4: \[host a\] hz: 0 is out of range" \
	"$work/bad.err"

echo "lpt-sim: $((checks - fails))/$checks end-to-end checks passed"
[ "$fails" -eq 0 ]
