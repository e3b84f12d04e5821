#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# The rig's L2 console checker (kernel-glue/rig/l2/check.py) on made-up consoles: a whole
# console passes; a console that lost a line, or whose line a host kernel message cut in
# two, or whose host kernel warned, or whose clock runs 3% fast, fails with a row that
# says so (never a traceback, which is what a lost "mark 0" line gave in CI); a mark's
# line stamped late by the host within LINE_LATE_MAX passes.
set -u
top=${1:?usage: l2_consoles.sh SOURCE_DIR}
check=$top/kernel-glue/rig/l2/check.py
command -v python3 >/dev/null || {
	echo "l2 consoles: no python3 (tests/deps.sh test): skipped"
	exit 77
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# One guest without LPT on a 25 MHz host: the lines lvmm and /init print, in order.
# Host ns, then guest CLOCK_MONOTONIC ns and CNTVCT at the marks: 1 s apart each.
console() {
	cat <<'LOG'
Booting Linux on physical CPU 0x0000000000
lvmm: run 0: pv_hz 0, kernel 1 bytes, initramfs 1 bytes, DTB 1 bytes
l2-start 0 1000000000
l2 0 1100000000 lpt-l2: start
l2 0 1200000000 lpt-l2: cntfrq 25000000
l2 0 2000000000 lpt-l2: mark 0 1000000000 25000000
l2 0 3000000000 lpt-l2: mark 1 2000000000 50000000
l2 0 4000000000 lpt-l2: mark 2 3000000000 75000000
l2 0 4050000000 lpt-l2: agree 0 0 2000
l2 0 4060000000 lpt-l2: ptp 0 1000 1500 2000
l2 0 4100000000 lpt-l2: cost 137 15623
l2 0 4200000000 lpt-l2: syscalls 0 100
l2 0 4300000000 lpt-l2: done
l2 0 4400000000 Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000000
l2 0 4500000000 Rebooting in 1 seconds..
l2-end 0 5500000000 reset
lvmm: exit 0
LOG
}

expect() { # name want-status want-row-regex
	local out rc
	out=$(python3 "$check" "" "A:25000000:$tmp/$1.log" 2>&1)
	rc=$?
	if [ $rc -ne "$2" ] || ! grep -qE "$3" <<<"$out" || grep -q Traceback <<<"$out"; then
		echo "l2 consoles: $1: exit $rc (want $2), want a row matching '$3':"
		sed 's/^/  /' <<<"$out"
		status=1
	else
		echo "l2 consoles: $1: ok"
	fi
}

console >"$tmp/whole.log"
expect whole 0 "^l2: 12 passed, 0 known failures, 0 failed"
console | sed 's/ptp 0 1000 1500 2000/ptp 22 1000 0 2000/' >"$tmp/ptp-einval.log"
expect ptp-einval 1 "ptp_kvm cross-timestamp in the guest's clock .* FAIL +errno 22 \(PTP_SYS_OFFSET_PRECISE\)"
console | sed 's/agree 0 0 2000/agree 0 3 2000/' >"$tmp/disagree.log"
expect disagree 1 "clock_gettime: monotonic, agrees with syscall .* FAIL +0 steps back, 3 of 2000"
console | sed '/mark 0/d' >"$tmp/lost-mark.log"
expect lost-mark 1 "nanosleep\(1 s\) wall time .* FAIL +no mark 0"
console | sed 's/^\(l2 0 2000000000 lpt-l2: ma\)\(.*\)/\1\nrcu: INFO: a host kernel message\n\2/' \
	>"$tmp/cut-line.log"
expect cut-line 1 "EL0 CNTVCT/CNTFRQ vs CLOCK_MONOTONIC .* FAIL +no mark 0"
console | sed 's/^l2-end .*/WARNING: CPU: 0 PID: 1 at arch\/arm64\/kvm\/x.c:1\n&/' \
	>"$tmp/host-warning.log"
expect host-warning 1 "host: no kernel oops/BUG/WARNING .* FAIL +WARNING: CPU: 0"
# Mark 1's line stamped 25 ms late (the guest read its clock on time): the sleep looks
# 2.4% slow and the spin 2.6% fast, marks 0 to 2 keep the rate: both pass. 80 ms late
# is more than a line's lateness: both fail. A clock 3% fast over both spans fails.
console | sed 's/^l2 0 3000000000 /l2 0 3025000000 /' >"$tmp/mark1-late.log"
expect mark1-late 0 "rate vs host \(spinning\) .* pass +1\.0256x over 0\.975 s; 25 ms off, marks 0 to 2 1\.0000x"
console | sed 's/^l2 0 3000000000 /l2 0 3080000000 /' >"$tmp/mark1-very-late.log"
expect mark1-very-late 1 "rate vs host \(sleeping\) .* FAIL +0\.9259x over 1\.080 s; 80 ms off"
console | sed -e 's/mark 1 2000000000 50000000/mark 1 2030000000 50750000/' \
	-e 's/mark 2 3000000000 75000000/mark 2 3060000000 76500000/' >"$tmp/fast.log"
expect fast 1 "rate vs host \(spinning\) .* FAIL +1\.0300x over 1\.000 s; 30 ms off, marks 0 to 2 1\.0300x"
# A guest offered a page inside its memory node (+inram): its refusal passes; a guest
# that took the page (the line a guest on LPT prints) fails the refusal row.
inram() { # the guest's LPT line
	console | sed -e 's/pv_hz 0,/pv_hz 25000000 +inram,/' \
		-e "s/^l2 0 1100000000 lpt-l2: start/l2 0 1050000000 $1\n&/"
}
inram "arch_timer: LPT: the page at 0x0000000044000000 is in the kernel's memory: using the native counter" \
	>"$tmp/inram-refused.log"
expect inram-refused 0 "page in the kernel's memory: refused .* pass "
inram "arch_timer: LPT: revision 1 page at 0x0000000044000000: 25000000 Hz PV counter on a 25000000 Hz counter" \
	>"$tmp/inram-taken.log"
expect inram-taken 1 "page in the kernel's memory: refused .* FAIL +revision 1 page at"
exit $status
