#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# lpt-sim --threads: the VMM migrating the vCPUs between hosts of different counters, two
# reader threads on the live page. With the counter read inside the reader's window no
# read may be torn (a value that the content of the host whose counter was read does
# not give); the control reads the counter before the window, and at 10^8 reads must
# show torn reads (it does at a rate of a few per million: that is the bug the window
# fixes). LPT_STRESS_READS sets the reads (default 10^8; the control is then only
# reported).
#
# usage: check_threads.sh LPT_SIM
sim=${1:?usage: check_threads.sh LPT_SIM}
reads=${LPT_STRESS_READS:-100000000}
ini=$(dirname "$0")/threads.ini
status=0

out=$("$sim" --quiet --threads="$reads" "$ini")
rc=$?
line=$(printf '%s\n' "$out" | grep '^threads:')
echo "$line"
if [ $rc -ne 0 ] || ! printf '%s\n' "$line" | grep -q ": $reads reads, .* 0 torn;"; then
	echo "threads: FAILED: torn reads, or not $reads reads, with the counter read inside the window"
	status=1
fi

out=$("$sim" --quiet --threads="$reads" --counter-outside "$ini")
line=$(printf '%s\n' "$out" | grep '^threads:')
echo "$line" | sed 's/^threads: /threads: control: /'
torn=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9][0-9]*\) torn;.*/\1/p')
if [ "$reads" -ge 100000000 ] && { [ -z "$torn" ] || [ "$torn" -eq 0 ]; }; then
	echo "threads: FAILED: the control (counter read before the window) showed no torn read"
	status=1
fi
exit $status
