#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Executed instructions per conversion on a foreign architecture, counted under
# qemu-user: -d in_asm,exec,nochain logs each translated block (its symbol and its
# instructions) and each execution of a block; the count of a function is the sum over
# its blocks of instructions times executions. Each conversion runs twice, 2000 and 4000
# calls, and the difference is divided by 2000: what one call costs in the steady state,
# without the one-off work of the run (the page read's first validation of the page).
#
# usage: bench/qemu_insn.sh ARCH OUT_DIR    (ARCH: aarch64 or armhf)
# Prints one line per conversion: FUNCTION INSTRUCTIONS_PER_CALL.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
arch=${1:?usage: qemu_insn.sh ARCH OUT_DIR}
out=${2:?usage: qemu_insn.sh ARCH OUT_DIR}
case $arch in
aarch64) cc=aarch64-linux-gnu-gcc qemu=qemu-aarch64 ;;
armhf) cc=arm-linux-gnueabihf-gcc qemu=qemu-arm ;;
*) echo "qemu_insn: unknown architecture $arch" >&2; exit 2 ;;
esac
mkdir -p "$out"
bin=$out/insn-$arch
"$cc" -std=c11 -O2 -static -I"$top/include" -I"$top/sim" "$top/bench/insn.c" "$top/sim/peers.c" \
	"$top/sim/peer_timekeeping.c" \
	"$top"/lib/*.c -o "$bin"
count() { # idx fn calls: instructions executed in fn (and, for the page read, lpt_*)
	local log=$out/qemu-$arch-$1-$3.log
	"$qemu" -d in_asm,exec,nochain -D "$log" "$bin" "$1" "$3" >/dev/null
	awk -v fn="$2" '
		function norm(v) { sub(/^0x/, "", v); sub(/^0+/, "", v); return v }
		/^IN: / { sym = $2; start = ""; next }
		/^0x[0-9a-f]+:/ && sym != "" {
			pc = $1; sub(/:$/, "", pc)
			if (start == "") { start = norm(pc); n[start] = 0; owner[start] = sym }
			n[start]++
			next
		}
		/^$/ { sym = ""; start = ""; next }
		/^Trace / { split($0, a, "/"); exec[norm(a[2])]++ }
		END {
			total = 0
			# The page read works in library functions: count those too.
			for (b in n)
				if (owner[b] == fn || (fn == "insn_page_read" && owner[b] ~ /^lpt_/))
					total += n[b] * exec[b]
			printf "%d\n", total
		}' "$log"
	rm -f "$log"
}
while read -r idx fn label; do
	t1=$(count "$idx" "$fn" 2000)
	t2=$(count "$idx" "$fn" 4000)
	awk -v fn="$fn" -v a="$t1" -v b="$t2" 'BEGIN { printf "%s %.1f\n", fn, (b - a) / 2000 }'
done < <("$qemu" "$bin" list)
