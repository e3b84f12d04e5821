#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Writes the golden page images of tests/golden/ from the ABI's definition alone
(docs/abi.md), with Python's exact integers: nothing from liblpt is used.

usage: make_golden.py OUTDIR
"""
import struct
import sys


def ilog2(v):
    return v.bit_length() - 1


def rfc(frm, to):
    """The Aug 2020 RFC: intbits, fracbits, floor(2^fracbits * to / from)."""
    intbits = ilog2(to // frm) + 1 if to >= frm else 1
    fracbits = 64 - intbits
    return (to << fracbits) // frm, fracbits


def exact(frm, to):
    """liblpt: floor(to / from) and ceil((to mod from) * 2^128 / from)."""
    whole, rest = divmod(to, frm)
    frac = -(-(rest << 128) // frm)
    return whole, frac >> 64, frac & (2**64 - 1)


def rev0(native, pv, seq):
    m, f = rfc(native, pv)
    rm, rf = rfc(pv, native)
    return struct.pack("<IIQIIQQII", 0, 0, seq, native, pv, m, rm, f, rf)


def rev1(native, pv, width, gen, seq, vnb, vpb, pnb, ppb):
    tp = exact(native, pv)
    tn = exact(pv, native)
    head = struct.pack("<IIQQQQII", 1, 0, seq, gen, native, pv, width, 0)
    body = struct.pack("<QQQQ", vnb, vpb, pnb, ppb) + struct.pack("<6Q", *tp, *tn)
    return head + body + bytes(64)


def hexdump(b):
    return "".join("%s\n" % b[i:i + 16].hex(" ") for i in range(0, len(b), 16))


out = sys.argv[1]
# A VM with a 1 GHz PV counter on a 19.2 MHz host, published twice (sequence 4).
with open(out + "/page_rev0.hex", "w") as f:
    f.write(hexdump(rev0(19200000, 1000000000, 4)))
# The same VM, revision 1: 56-bit counter, generation 3, distinct bases per counter.
with open(out + "/page_rev1.hex", "w") as f:
    f.write(hexdump(rev1(19200000, 1000000000, 56, 3, 6,
                         0x0123456789ab, 0x1000000000, 0x0123456789ab, 0xfedcba98765)))
