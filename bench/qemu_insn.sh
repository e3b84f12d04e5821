#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# Executed instructions per conversion on a foreign architecture, counted under
# qemu-user: -d in_asm,exec,nochain logs each translated block (its symbol and its
# instructions) and each execution of a block; the count of a function is the sum over
# its blocks of instructions times executions, divided by the calls made (2000; the page
# read's one-off validation of the page is spread over them).
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
"$cc" -std=c11 -O2 -static -I"$top/include" "$top/bench/insn.c" "$top/bench/peers.c" \
	"$top"/lib/*.c -o "$bin"
calls=2000
while read -r idx fn label; do
	log=$out/qemu-$arch-$idx.log
	"$qemu" -d in_asm,exec,nochain -D "$log" "$bin" "$idx" "$calls" >/dev/null
	awk -v fn="$fn" -v calls="$calls" '
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
			printf "%s %.1f\n", fn, total / calls
		}' "$log"
done < <("$qemu" "$bin" list)
