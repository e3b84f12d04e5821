#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Model-checks tests/model/seqlock.pml with Spin: the protocol must hold, and the
# deliberately broken readers and writer (-DBROKEN, -DRESTART, -DOUTSIDE) must be caught.
set -eu
src=$(cd "$(dirname "$0")" && pwd)/seqlock.pml
work=${1:-$(mktemp -d)}
mkdir -p "$work"
cd "$work"
command -v spin >/dev/null || { echo "model: spin not found (tests/deps.sh test installs it)"; exit 1; }

verify() { # name spin-flags...
	local name=$1
	shift
	rm -rf "$name" && mkdir "$name" && cd "$name"
	spin "$@" -a "$src" >/dev/null
	cc -O2 -DSAFETY -o pan pan.c
	./pan -m100000 >pan.out 2>&1 || true
	cd ..
	grep -E 'errors:|states, stored' "$name/pan.out" | sed -E "s/^ +//; s/^/model: $name: /" >&2
	sed -nE 's/.*errors: ([0-9]+).*/\1/p' "$name/pan.out"
}

ok_errors=$(verify protocol)
bad_errors=$(verify broken -DBROKEN)
restart_errors=$(verify restart -DRESTART)
outside_errors=$(verify outside -DOUTSIDE)
if [ "$ok_errors" != 0 ]; then
	echo "model: the protocol admits a mixed snapshot"
	exit 1
fi
if [ "$bad_errors" = 0 ]; then
	echo "model: the broken reader was not caught: the model checks nothing"
	exit 1
fi
if [ "$restart_errors" = 0 ]; then
	echo "model: a restore restarting the sequence from 0 was not caught"
	exit 1
fi
if [ "$outside_errors" = 0 ]; then
	echo "model: a counter read before the sequence read was not caught"
	exit 1
fi
echo "model: protocol holds over every interleaving, restores and counter reads included; the broken reader, the restarting restore and the counter read outside the window are caught"
