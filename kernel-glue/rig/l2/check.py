#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Checks the consoles of the rig's Linux L2 guests (kernel-glue/rig/l2/run.sh) and prints
the table.

usage: check.py KNOWN NAME[+ERRATUM...]:HOST_HZ:LOG [...]

Each LOG is a host's console: lvmm's "lvmm: run N: pv_hz HZ ...", "l2 N NS LINE" (a guest
console line, NS the host's CLOCK_MONOTONIC_RAW at its first character) and
"l2-end N NS EVENT" lines. KNOWN is a semicolon-separated list of CHECK=DEFECT pairs:
checks that show a defect not fixed yet on guests with LPT. A host NAME+ERRATUM (say
C+1418040) has a CPU with that erratum: each guest must say it turned the workaround on. Such a check that fails
on a guest with LPT is a known failure (listed, not counted as a pass); any other
failure, and any failure of a guest without LPT, fails the run.
"""
import re
import sys

PAGE_IPA = 0x48000000
INRAM_IPA = 0x44000000   # lvmm's +inram: the page inside the memory node
RATE_TOL = 0.02          # guest clocks against the host's, over about 1 s
# The host stamps a console line when its first character reaches lvmm, some time after
# the guest read its clock for it: a mark's line can be late, under emulation on a
# two-CPU guest by tens of ms (24 ms measured, mark 1 of a +trap +smp guest on host C).
# A late middle mark lengthens one of the two 1 s spans and shortens the other by as
# much; a wrong rate moves both alike. So a span off by more than RATE_TOL still passes
# when it is off by at most RATE_TOL plus LINE_LATE_MAX and the 2 s from mark 0 to
# mark 2 keep RATE_TOL.
LINE_LATE_MAX = 0.05
PV_MIN, PV_MAX = 1000000, 2**32 - 1   # the PV rates the guest accepts
# The FSL A-008585 workaround reads the counter twice until both reads agree, at most
# 200 times, and warns once if they never did (drivers/clocksource/arm_arch_timer.c).
# Under emulation two reads always differ: that warning is the workaround's, with or
# without LPT (the rig boots a guest without LPT with the erratum too), not a failure.
FSL_RETRIES = "at drivers/clocksource/arm_arch_timer.c:277 fsl_a008585_read_"
SLEEP_MAX = 1.25         # nanosleep(1 s): at least 1 s, at most this
DELAY_MAX = 2.5          # mdelay(1000): at least 1 s, at most this (each of its 1000
                         # udelay(1000) can overshoot by a WFE trap under emulation)


def parse(path):
    """The guests' runs, and the host kernel's own messages (lines of no run)."""
    runs, host = {}, []
    restored = None     # lvmm's "restored" line, said before the run it restores starts
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"lvmm: run (\d+): pv_hz (\d+)((?: \+\w+)*),", line)
            if m:
                runs[int(m.group(1))] = {"pv": int(m.group(2)), "lines": [], "end": None,
                                         "opts": m.group(3).split(), "invalidated": None,
                                         "cntkctl": [], "saved": None, "restored": restored}
                restored = None
                continue
            m = re.match(r"lvmm: restored (\d+) registers \((\d+) refused\), (\d+) vGIC "
                         r"registers \((\d+) refused\)", line)
            if m:
                restored = [int(x) for x in m.groups()]
                continue
            m = re.match(r"lvmm: saved (\d+) registers, (\d+) vGIC registers", line)
            if m and runs:
                runs[max(runs)]["saved"] = [int(x) for x in m.groups()]
                continue
            m = re.match(r"lvmm: run (\d+): cntkctl (0x[0-9a-f]+|0)$", line)
            if m and int(m.group(1)) in runs:
                runs[int(m.group(1))]["cntkctl"].append(int(m.group(2), 16))
                continue
            m = re.match(r"lvmm: run (\d+): page invalidated at (\d+)", line)
            if m and int(m.group(1)) in runs:
                runs[int(m.group(1))]["invalidated"] = int(m.group(2))
                continue
            m = re.match(r"l2 (\d+) (\d+) (.*)$", line)
            if m and int(m.group(1)) in runs:
                runs[int(m.group(1))]["lines"].append((int(m.group(2)), m.group(3)))
                continue
            m = re.match(r"l2-end (\d+) (\d+) (\S+)", line)
            if m and int(m.group(1)) in runs:
                runs[int(m.group(1))]["end"] = (int(m.group(2)), m.group(3))
                continue
            if not re.match(r"(l2-start|lvmm:) ", line):
                host.append((bool(runs), line))
    return runs, host


EVT_BITS = 0x200fc       # CNTKCTL_EL1's event stream: EVNTEN, EVNTDIR, EVNTI, EVNTIS
STEP_MAX = 2.0           # a migrated guest's CLOCK_MONOTONIC across the migration: at
                         # least 0 (the downtime is hidden), at most this (the guest's own
                         # time between its two reports and the VMM's restore)


def main():
    known = dict(p.split("=") for p in sys.argv[1].split(";") if p)
    rows, notes = [], []
    migrated = None      # (the saved guest's CLOCK_MONOTONIC at its migrate line, its
                         # CNTKCTL there, its host) from a +save run, for the +restore run
    booted_cntkctl = {}  # (host, PV rate) -> CNTKCTL of a guest booted there on LPT

    for name, hz, log in (a.split(":", 2) for a in sys.argv[2:]):
        hz = int(hz)
        name, *errata = name.split("+")
        runs, host_lines = parse(log)
        if not runs:
            rows.append(("guest booted", f"{name} {hz // 1000000} MHz", "-", False,
                         "no guest run in the console", False))
        # The host kernel (KVM and the glue) must not warn while it runs the guests.
        bad = [x for _, x in host_lines if "Oops" in x or "BUG" in x or "WARNING" in x]
        during = [x for in_runs, x in host_lines if in_runs]
        rows.append(("host: no kernel oops/BUG/WARNING", f"{name} {hz // 1000000} MHz", "-",
                     not bad, bad[0][:60] if bad else
                     f"{len(host_lines)} lines, {len(during)} after the first guest started",
                     False))
        # What the host kernel said once the guests began, shown: it explains a failure.
        notes.extend(f"{name}: {x}" for x in during[:10])
        # The event stream of guests booted here on LPT: what a migrated guest must have.
        for r in runs.values():
            if r["pv"] and r["cntkctl"] and not {"+restore", "+fsl", "+inram"} & set(
                    r["opts"]) and any("Hz PV counter on a" in t for _, t in r["lines"]):
                booted_cntkctl[(name, r["pv"])] = r["cntkctl"][-1]
        for nr in sorted(runs):
            r = runs[nr]
            pv = r["pv"]
            host = f"{name} {hz // 1000000} MHz"
            guest = " ".join([f"LPT {pv / 1e6:g} MHz" if pv else "native"] + r["opts"])

            # Known failures apply to guests that run on LPT (it said so).
            uses_lpt = False

            def check(what, ok, detail):
                rows.append((what, host, guest, ok, detail, uses_lpt))

            marks, rep, lpj, reboot_ns = {}, {}, None, None
            lpt_lines = []
            for ns, text in r["lines"]:
                m = re.search(r"lpt-l2: mark (\d) (\d+) (\d+)", text)
                if m:
                    marks[int(m.group(1))] = (ns, int(m.group(2)), int(m.group(3)))
                    continue
                m = re.search(r"lpt-l2: (\w+) ?(.*)", text)
                if m:
                    rep[m.group(1)] = [int(x) for x in m.group(2).split()]
                m = re.search(r"lpj=(\d+)", text)
                if m:
                    lpj = int(m.group(1))
                if "Rebooting in 1 seconds" in text:
                    reboot_ns = ns
                if "LPT" in text:
                    lpt_lines.append(text)
                if ("Oops" in text or "BUG" in text or "WARNING" in text) and not (
                        "+fsl" in r["opts"] and FSL_RETRIES in text):
                    check("no kernel oops/BUG/WARNING", False, text[:60])

            uses_lpt = any("Hz PV counter on a" in x for x in lpt_lines)
            if "+restore" in r["opts"]:
                # Booted on another host: its boot lines are in that host's console.
                uses_lpt = bool(pv)
                rs = r["restored"]
                check("restored: registers and vGIC", rs is not None and rs[1] == 0 and
                      rs[3] == 0, f"{rs[0]} registers, {rs[2]} vGIC registers, "
                      f"{rs[1] + rs[3]} refused" if rs else "no 'restored' line")

            want = (f"arch_timer: LPT: revision 1 page at 0x0*{PAGE_IPA:x}: {pv} Hz PV counter "
                    f"on a {hz} Hz counter")
            if pv and "+inram" in r["opts"]:
                # The page in the memory node, memory the guest kernel allocates: refused,
                # loudly; the native counter.
                want = (rf"arch_timer: LPT: the page at 0x0*{INRAM_IPA:x} is in the kernel's "
                        r"memory: using the native counter")
                check("page in the kernel's memory: refused",
                      any(re.search(want, x) for x in lpt_lines),
                      re.sub(r".*LPT: ", "", lpt_lines[0])[:60] if lpt_lines else "no LPT line")
            elif pv and not PV_MIN <= pv <= PV_MAX:
                # Outside what the guest accepts: refused, loudly; the native counter.
                want = (rf"arch_timer: LPT: a {pv} Hz PV counter is outside \[{PV_MIN}, "
                        rf"{PV_MAX}\] Hz: using the native counter")
                check("PV rate out of bounds: refused", any(re.search(want, x) for x in lpt_lines),
                      re.sub(r".*LPT: ", "", lpt_lines[0])[:60] if lpt_lines else "no LPT line")
            elif pv and "+restore" in r["opts"]:
                pass
            elif pv:
                check("LPT found, page valid, rates", any(re.search(want, x) for x in lpt_lines),
                      re.sub(r".*LPT: ", "", lpt_lines[0])[:60] if lpt_lines else "no LPT line")
            else:
                check("no LPT: native counter", not lpt_lines,
                      lpt_lines[0][:60] if lpt_lines else "no LPT line")
            ncpus = 2 if "+smp" in r["opts"] else 1
            if ncpus > 1:
                said = [x for _, x in r["lines"] if "Brought up" in x]
                check("both CPUs up", any(f"{ncpus} CPUs" in x for x in said),
                      re.sub(r".*smp: ", "", said[0])[:60] if said else "not said")
            for e in errata:
                # A local workaround: said by each CPU as it comes up.
                said = [x for _, x in r["lines"] if f"workaround for ARM erratum {e}" in x]
                check(f"ARM erratum {e} workaround on", len(said) == ncpus,
                      f"{len(said)} lines: " + re.sub(r".*arch_timer: ", "", said[-1])[:50]
                      if said else "not said")
            if "+fsl" in r["opts"]:
                said = [x for _, x in r["lines"] if "workaround for Freescale erratum" in x]
                check("FSL A-008585 workaround on", bool(said),
                      re.sub(r".*arch_timer: ", "", said[0])[:60] if said else "not said")
            if "+invalidate" in r["opts"]:
                # The page invalidated after mark 1: the clock, the timers and the delays
                # go on (the rows below), and the guest says so once, not on each read.
                said = [x for _, x in r["lines"] if "arch_timer: LPT:" in x and "page" in x
                        and ("cannot be read" in x or "unreadable" in x)]
                check("page invalidated: said once", r["invalidated"] is not None and
                      len(said) == 1, f"{len(said)} lines" + (f": {said[0][:40]}" if said
                                                              else "")
                      if r["invalidated"] else "not invalidated")
            end = r["end"][1] if r["end"] else "none"
            if "+save" in r["opts"]:
                # Saved at its migrate line: the rest of its rows come from the host that
                # restores it.
                check("saved at the guest's migrate line", "migrate" in rep and
                      end == "saved" and r["saved"] is not None,
                      f"{r['saved'][0]} registers, {r['saved'][1]} vGIC registers"
                      if r["saved"] else f"end {end}")
                if "migrate" in rep and r["cntkctl"]:
                    migrated = (rep["migrate"][0], r["cntkctl"][-1], name)
                continue
            check("/init ran to its end, panic=1 reset", "done" in rep and end == "reset",
                  f"{'done' if 'done' in rep else 'not done'}, end {end}")
            if "+restore" in r["opts"]:
                if migrated and 0 in marks:
                    step = (marks[0][1] - migrated[0]) / 1e9
                    check("migrated: CLOCK_MONOTONIC across (downtime hidden)",
                          0 <= step <= STEP_MAX, f"step {step * 1e3:+.1f} ms")
                else:
                    check("migrated: CLOCK_MONOTONIC across (downtime hidden)", False,
                          "no saved run or no mark 0")
                ref = booted_cntkctl.get((name, pv))
                got = r["cntkctl"][-1] if r["cntkctl"] else None
                if got is None or ref is None or not ref & 0x4:
                    check("migrated: event stream as a guest booted here", False,
                          "no CNTKCTL" if got is None else
                          f"no LPT {pv / 1e6:g} MHz guest booted on {name} with a stream"
                          if ref is None or not ref & 0x4 else "")
                else:
                    before = f", {migrated[1] & EVT_BITS:#x} on {migrated[2]}" if migrated else ""
                    check("migrated: event stream as a guest booted here",
                          got & EVT_BITS == ref & EVT_BITS,
                          f"CNTKCTL events {got & EVT_BITS:#x}, booted here {ref & EVT_BITS:#x}"
                          + before)

            def span(a, b):
                """Host seconds, guest CLOCK_MONOTONIC seconds and CNTVCT ticks from
                mark a to mark b; None if the console lacks either."""
                if a not in marks or b not in marks:
                    return None
                return ((marks[b][0] - marks[a][0]) / 1e9, (marks[b][1] - marks[a][1]) / 1e9,
                        marks[b][2] - marks[a][2])

            def no_marks(a, b):
                return "no mark " + " or ".join(str(x) for x in (a, b) if x not in marks)

            s01, s12, s02 = span(0, 1), span(1, 2), span(0, 2)

            def rate_check(what, s):
                """A span's rate against the host's (LINE_LATE_MAX above)."""
                wall, mono, _ = s
                detail = f"{mono / wall:.4f}x over {wall:.3f} s"
                if abs(mono / wall - 1) <= RATE_TOL:
                    check(what, True, detail)
                    return
                off = abs(mono - wall)
                whole = s02[1] / s02[0] if s02 else None
                ok = off <= RATE_TOL * wall + LINE_LATE_MAX and whole is not None and \
                    abs(whole - 1) <= RATE_TOL
                check(what, ok, detail + (f"; {off * 1e3:.0f} ms off, marks 0 to 2 "
                                          f"{whole:.4f}x over {s02[0]:.3f} s"
                                          if whole is not None else "; " + no_marks(0, 2)))

            if s01:
                wall = s01[0]
                check("nanosleep(1 s) wall time", 1 - RATE_TOL <= wall <= SLEEP_MAX,
                      f"{wall * 1e3:.1f} ms")
                rate_check("CLOCK_MONOTONIC rate vs host (sleeping)", s01)
            else:
                check("nanosleep(1 s) wall time", False, no_marks(0, 1))
                check("CLOCK_MONOTONIC rate vs host (sleeping)", False, no_marks(0, 1))
            if s12:
                rate_check("CLOCK_MONOTONIC rate vs host (spinning)", s12)
            else:
                check("CLOCK_MONOTONIC rate vs host (spinning)", False, no_marks(1, 2))
            frq = rep.get("cntfrq", [0])[0]
            # Userspace's counter: the native one (LPT's default: the vDSO converts it;
            # where an erratum traps EL0's reads, +fsl, the handlers give the native
            # counter too), the kernel's PV one with lpt_el0=trap (+trap).
            el0_pv = uses_lpt and "+trap" in r["opts"]
            want_frq = pv if el0_pv else hz
            check("EL0 CNTFRQ_EL0: PV if trapped, else native", frq == want_frq,
                  f"{frq / 1e6:g} MHz, want {want_frq / 1e6:g} MHz ("
                  f"{'PV, trapped' if el0_pv else 'native'})")
            if s02 and frq:
                _, mono, ticks = s02
                el0 = ticks / frq / mono
                check("EL0 CNTVCT/CNTFRQ vs CLOCK_MONOTONIC", abs(el0 - 1) <= RATE_TOL,
                      f"{el0:.4f}x, CNTFRQ_EL0 {frq / 1e6:g} MHz")
            else:
                check("EL0 CNTVCT/CNTFRQ vs CLOCK_MONOTONIC", False,
                      no_marks(0, 2) if not s02 else "no cntfrq")
            if "syscalls" in rep and "+fsl" in r["opts"]:
                # The erratum's out-of-line counter read turns the vDSO off, LPT or not.
                n, calls = rep["syscalls"]
                check("clock_gettime makes no system call", None,
                      f"{n} system calls in {calls} calls (the erratum turns the vDSO off)")
            elif "syscalls" in rep and uses_lpt and "+trap" in r["opts"]:
                # Chosen: EL0's counter trapped, the vDSO off.
                n, calls = rep["syscalls"]
                check("clock_gettime makes no system call", None,
                      f"{n} system calls in {calls} calls (lpt_el0=trap turns the vDSO off)")
            elif "syscalls" in rep and uses_lpt and "+invalidate" in r["opts"]:
                # No page to convert by: the vDSO's every read is the system call.
                n, calls = rep["syscalls"]
                check("clock_gettime: system calls, page invalid", n == calls,
                      f"{n} system calls in {calls} calls")
            elif "syscalls" in rep:
                n, calls = rep["syscalls"]
                check("clock_gettime makes no system call", n == 0,
                      f"{n} system calls in {calls} calls")
            else:
                check("clock_gettime makes no system call", False, "no count")
            if "agree" in rep:
                back, bad, rounds = rep["agree"]
                check("clock_gettime: monotonic, agrees with syscall", back == 0 and bad == 0,
                      f"{back} steps back, {bad} of {rounds} rounds out of order")
            else:
                check("clock_gettime: monotonic, agrees with syscall", False, "no report")
            if "ptp" in rep and rep["ptp"][0] == 0:
                # The host's instant as the guest's clock: between two reads of it.
                err, low, sys_ns, high = rep["ptp"]
                check("ptp_kvm cross-timestamp in the guest's clock", low <= sys_ns <= high,
                      f"{(sys_ns - low) / 1e3:+.1f} us after the read before, "
                      f"{(high - sys_ns) / 1e3:.1f} us before the read after")
            elif "ptp" in rep:
                check("ptp_kvm cross-timestamp in the guest's clock", False,
                      f"errno {rep['ptp'][0]}" + (" (open)" if rep["ptp"][1:] == [0, 0, 0]
                                                  else " (PTP_SYS_OFFSET_PRECISE)"))
            else:
                check("ptp_kvm cross-timestamp in the guest's clock", False, "no report")
            if "cost" in rep:
                lib, sysc = rep["cost"]
                check("clock_gettime cost (info)", None,
                      f"{lib / 1e3:.2f} us per call, forced system call {sysc / 1e3:.2f} us")
            if reboot_ns is not None and r["end"]:
                d = (r["end"][0] - reboot_ns) / 1e9
                check("mdelay(1000) as the panic timeout", 1 - RATE_TOL <= d <= DELAY_MAX,
                      f"{d * 1e3:.1f} ms, lpj {lpj if lpj is not None else '(at boot, elsewhere)'} "
                      f"(rate/HZ 250: {hz // 250})")
            else:
                check("mdelay(1000) as the panic timeout", False, "no panic reset")

    npass = nknown = nfail = 0
    print(f"l2: {'check':42} {'host':10} {'guest':12} {'result':16} detail")
    for what, host, guest, ok, detail, lpt in rows:
        d = known.get(what) if lpt else None
        if ok is None:
            res = "info"
        elif ok:
            res = "pass"
            npass += 1
        elif d:
            res = f"KNOWN ({d})"
            nknown += 1
        else:
            res = "FAIL"
            nfail += 1
        print(f"l2: {what:42} {host:10} {guest:12} {res:16} {detail}")
    for x in notes:
        print(f"l2: host kernel after the first guest started: {x}")
    print(f"l2: {npass} passed, {nknown} known failures, {nfail} failed")
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
