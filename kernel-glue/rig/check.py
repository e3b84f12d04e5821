#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Checks the rig's console logs (one per host, in run order) and prints the table.

usage: check.py PV_HZ KNOWN NAME:HOST_HZ:LOG [NAME:HOST_HZ:LOG ...]

KNOWN is a semicolon-separated list of CHECK=REASON pairs: checks that show a defect not
fixed yet, or a limit of Linux 6.1. Such a check that fails is a known failure (listed,
not counted as a pass);
any other failure fails the run. Exit status 0 when every other check passes.
"""
import re
import sys

# The probe's report tags (kernel-glue/rig/rig.h, enum rig_tag, in order).
TAGS = ("HELLO CNTFRQ FEATURES IPA SNAP_ERR REVISION GENERATION NATIVE_HZ PV_HZ PV NATIVE "
        "TIMERS EARLY CVAL_BAD LATE_MAX TIMEOUT PV_LAST PV_FIRST MIG_CVAL_OK MIG_EARLY "
        "MIG_TIMEOUT MIG_LATE_V MIG_LATE_P ERROR SAVE DONE").split()
PAGE_IPA = 0x40300000
LPT_FUNC = 16            # ARM_SMCCC_KVM_FUNC_LPT (80): its bit in the probe's FEATURES (64-95)
RATE_TOL = 0.01          # PV rate against the host's CLOCK_MONOTONIC_RAW, over 1 PV second
GAP_SLACK_NS = 250e6     # restore->first guest read beyond the VMM's measured pause
MIN_TIMERS = 1000


def parse(path):
    reports, attrs, gap_ns, kernel = [], [], None, []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip()
            m = re.search(r"report (\d+) (\d+) (\d+)$", line)
            if m:
                tag, val, ns = (int(x) for x in m.groups())
                reports.append((TAGS[tag] if tag < len(TAGS) else str(tag), val, ns))
                continue
            m = re.search(r"(attr|check) (\S+) (-?\d+) (-?\d+)$", line)
            if m:
                kind = "attribute" if m.group(1) == "attr" else "restore"
                attrs.append((f"{kind}: {m.group(2)}", int(m.group(3)), int(m.group(4))))
                continue
            m = re.search(r"vmm: first run (\d+) ns after the restore", line)
            if m:
                gap_ns = int(m.group(1))
            if "LPT" in line or "Oops" in line or "BUG" in line or "WARNING" in line:
                kernel.append(line)
    return reports, attrs, gap_ns, kernel


def main():
    pv_hz = int(sys.argv[1])
    known = dict(p.split("=") for p in sys.argv[2].split(";") if p)
    hosts = [a.split(":", 2) for a in sys.argv[3:]]
    rows = []

    def check(name, host, ok, detail):
        rows.append((name, host, ok, detail))

    prev = None
    boot_hz = int(hosts[0][1])
    for name, hz, log in hosts:
        hz = int(hz)
        h = f"{name} {hz // 1000000} MHz"
        reports, attrs, gap_ns, kernel = parse(log)
        r = {}
        pvs = []
        for tag, val, ns in reports:
            r.setdefault(tag, val)
            if tag in ("PV", "NATIVE"):
                pvs.append((tag, val, ns))
        for line in kernel:
            if "Oops" in line or "BUG" in line or "WARNING" in line:
                check("no kernel oops/BUG/WARNING", h, False, line[:60])
        if "ERROR" in r:
            check("probe ran to its end", h, False, f"gave up at {r['ERROR']}")
        disc = (r.get("FEATURES", 0) >> LPT_FUNC & 1 and r.get("IPA") == PAGE_IPA
                and r.get("SNAP_ERR") == 0 and r.get("CNTFRQ") == hz and r.get("NATIVE_HZ") == hz
                and r.get("PV_HZ") == pv_hz and r.get("REVISION") == 1)
        check("discovery, page valid, native rate", h, disc,
              f"cntfrq {r.get('CNTFRQ')} page native {r.get('NATIVE_HZ')} pv {r.get('PV_HZ')} "
              f"gen {r.get('GENERATION')}")
        pv = [x for x in pvs if x[0] == "PV"]
        nat = [x for x in pvs if x[0] == "NATIVE"]
        if len(pv) >= 2 and len(nat) >= 2:
            dt = (pv[1][2] - pv[0][2]) / 1e9
            rate = (pv[1][1] - pv[0][1]) / dt
            check("PV rate vs CLOCK_MONOTONIC_RAW", h, abs(rate / pv_hz - 1) <= RATE_TOL,
                  f"{rate / 1e6:.4f} MHz over {dt:.3f} s (tolerance {RATE_TOL:.0%})")
            if hz != boot_hz:
                # A guest without LPT keeps the frequency it read at boot.
                fast = (nat[1][1] - nat[0][1]) / boot_hz / dt
                check("without LPT the guest clock runs", h,
                      abs(fast / (hz / boot_hz) - 1) <= RATE_TOL,
                      f"{fast:.2f}x fast (counter {hz // 1000000} MHz, guest assumes "
                      f"{boot_hz // 1000000} MHz)")
        else:
            check("PV rate vs CLOCK_MONOTONIC_RAW", h, False, "no rate window")
        n = r.get("TIMERS", 0)
        check("loop timers: none early", h, n >= MIN_TIMERS and r.get("EARLY") == 0
              and r.get("TIMEOUT") == 0,
              f"{n} timers, {r.get('EARLY')} early, {r.get('TIMEOUT')} timed out, latest "
              f"{r.get('LATE_MAX', 0) * 1e6 / pv_hz:.0f} us after CVAL")
        if prev is not None:
            step = r.get("PV_FIRST", 0) - prev
            step_ns = step * 1e9 / pv_hz
            ok = gap_ns is not None and gap_ns <= step_ns <= gap_ns + GAP_SLACK_NS
            check("PV across the migration (downtime hidden)", h, ok,
                  f"step {step_ns / 1e6:+.1f} ms, pause before first run "
                  f"{(gap_ns or 0) / 1e6:.1f} ms")
            for bit, kind in ((0, "virtual"), (1, "physical")):
                ok = bool(r.get("MIG_CVAL_OK", 0) >> bit & 1)
                check(f"carried {kind} timer: CVAL as the core computes", h, ok,
                      "re-programmed" if ok else "not the core's value")
                late = r.get("MIG_LATE_V" if bit == 0 else "MIG_LATE_P", 0)
                early = r.get("MIG_EARLY", 0) >> bit & 1
                tout = r.get("MIG_TIMEOUT", 0) >> bit & 1
                check(f"carried {kind} timer: fires, not early", h, not early and not tout,
                      "early" if early else "never fired" if tout else
                      f"{late * 1e6 / pv_hz:.0f} us late")
        prev = r.get("PV_LAST")
        for name, got, want in attrs:
            if name in ("attribute: ipa", "attribute: frequency"):
                continue
            check(name, h, got == want, f"got {got}, want {want}")

    npass = nknown = nfail = 0
    print(f"e2e: {'check':50} {'host':12} {'result':18} detail")
    for name, host, ok, detail in rows:
        d = known.get(name)
        if ok:
            res = "pass"
            npass += 1
        elif d:
            res = f"KNOWN ({d})"
            nknown += 1
        else:
            res = "FAIL"
            nfail += 1
        print(f"e2e: {name:50} {host:12} {res:18} {detail}")
    print(f"e2e: {npass} passed, {nknown} known failures, {nfail} failed")
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
