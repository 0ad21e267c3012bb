#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Speed and memory of the generator, beside an I/O floor measured in the same run.

    test/bench/bench.py BUILD_DIR [--counts 1,100,1000,5000] [--big] [--runs 7] [--callgrind]
                        [--callgrind-max 10000] [--no-limits] [--quadlet PATH]

For each N it makes N realistic definitions on tmpfs (/dev/shm), runs the generator into a fresh
output directory there, and prints a row: the median wall time, microseconds and system calls a
definition, peak RSS, and the same for bench-floor (reads every input, writes one file of the same
size and one symlink: what any generator must do at the least). The wall time is bench-rss's, from
its fork of the program to the program's end, the same for every column. The generator, the floor and, with
--quadlet, a Quadlet binary on the same definitions (through QUADLET_UNIT_DIRS) are run
interleaved, so that a busy machine slows all alike.

System calls are counted with strace -f -c at N and 2N definitions: (calls(2N) - calls(N)) / N,
and listed by name for one N (1,000 where measured). Without strace, or where it cannot trace,
that part is skipped with a notice.

--callgrind also counts user-space instructions a definition with valgrind (stable on a busy
machine), up to --callgrind-max definitions ("skipped" above); at N=1 those of no definition, of a
minimal one (Image= only) and of the realistic one, and what the first minimal definition costs
more than each of 1,000, so that a startup which grows with the option table shows; and, unless --no-limits, the inputs at the generator's limits (1 MiB files, 10,000
assignments in one file, 1,000 drop-ins for one definition), each at size S and 2S: their growth
(I(2S) - I(0)) / (I(S) - I(0)) is 2.0 where the cost is linear.

--big adds 10,000 and 100,000 definitions to --counts (the same as --counts
1,100,1000,5000,10000,100000: about 2 GB of tmpfs and a few minutes, most of them in strace).

First it prints the cost of starting a trivial process (the floor program with nothing to do),
interleaved with the generator at one definition, which it is the yardstick for; then the table;
last, each target of the speed issue against what was measured, "met" or "not met". It measures,
it does not judge: the exit status is 0 either way (test/bench/check-bench.py only runs it).
Build with optimisation for figures that mean something, as the packages are built (debian/rules):
meson setup build-rel --buildtype=release -Db_lto=true. The build's options are printed first."""
import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_inputs import DEFINITION, LIMITS, MINIMAL, make_defs, remove_defs  # noqa: E402
from bench_run import callgrind, measure, interleaved, per_definition, strace_missing, syscalls  # noqa: E402

INSTR_TARGET = 40000
WALL_TARGET = 2.0         # times the floor's wall time at 1,000
STARTUP_TARGET_MS = 0.3   # above a trivial process, at one definition
RSS_TARGET_KIB = 4096     # at 5,000
SYSCALL_TARGET = 2.0      # times the floor's system calls a definition
LIMIT_GROWTH = 2.5        # instructions at 2S against S; linear is 2.0
OUTPUT_UNITS = 2          # files the generator writes for a bench definition: its unit, NAME-pull.service


def parse_args():
    ap = argparse.ArgumentParser(description="Speed and memory of the generator beside an I/O floor.")
    ap.add_argument("build", help="a meson build directory (release, for figures that mean something)")
    ap.add_argument("--counts", default="1,100,1000,5000", help="numbers of definitions, comma-separated")
    ap.add_argument("--big", action="store_true", help="add 10,000 and 100,000 to --counts")
    ap.add_argument("--runs", type=int, default=7, help="timed runs of each program at each N")
    ap.add_argument("--callgrind", action="store_true", help="count instructions (valgrind), and the limits")
    ap.add_argument("--callgrind-max", type=int, default=10000, metavar="N", help="no callgrind above N definitions")
    ap.add_argument("--no-limits", action="store_true", help="with --callgrind, leave the inputs at the limits out")
    ap.add_argument("--quadlet", metavar="PATH", help="a Quadlet binary, measured on the same definitions in the same run")
    a = ap.parse_args()
    a.counts = sorted({int(x) for x in a.counts.split(",")} | ({10000, 100000} if a.big else set()))
    if a.quadlet and not os.access(a.quadlet, os.X_OK):
        ap.error(f"--quadlet {a.quadlet}: not an executable file")
    if a.callgrind and shutil.which("valgrind") is None:
        ap.error("--callgrind needs valgrind (apt-get install -y valgrind)")
    return a


def environment(defs):
    return dict(os.environ, OCI_CONTAINERS_UNIT_DIRS=defs, OCI_CONTAINERS_CONF="", QUADLET_UNIT_DIRS=defs)


def startup_ms(a, progs, tmp):
    """Milliseconds to start a trivial process (bench-floor with nothing to read or write), and the
    generator's (and Quadlet's) at one realistic definition, interleaved with it: the fastest of
    each, as what is measured is a fraction of a millisecond, which any other process on a busy
    machine only ever adds to."""
    gen, floor, rss = progs
    empty, one = os.path.join(tmp, "empty"), os.path.join(tmp, "one")
    os.mkdir(empty)
    make_defs(one, 0, 1)
    runs = max(a.runs, 200)
    cmds = [[floor, empty], [gen]] + ([[a.quadlet]] if a.quadlet else [])
    ms = [w * 1e3 for w, _ in interleaved(cmds, environment(one), os.path.join(tmp, "out"), rss, runs, pick=min)]
    shutil.rmtree(one)
    print(f"starting a trivial process: {ms[0]:.2f} ms; the generator at one definition: {ms[1]:.2f} ms"
          + (f"; quadlet: {ms[2]:.2f} ms" if a.quadlet else "") + f" (interleaved, fastest of {runs})")
    return ms


def startup_instructions(gen, tmp):
    """Instructions at N=0; at N=1 for the minimal and the realistic definition; and a minimal
    definition's at 1,000, so that what the first one costs beyond it (one-off work, such as
    walking the option table) shows."""
    res = {}
    for name, n, text in (("none", 0, MINIMAL), ("minimal", 1, MINIMAL), ("realistic", 1, DEFINITION),
                          ("each", 1000, MINIMAL)):
        defs = os.path.join(tmp, f"startup-{name}")
        make_defs(defs, 0, n, text)
        res[name] = callgrind([gen], environment(defs), os.path.join(tmp, "out"), tmp)
        shutil.rmtree(defs)
    res["each"] = (res["each"] - res["none"]) // 1000
    res["one-off"] = res["minimal"] - res["none"] - res["each"]
    print(f"instructions at N=1: Image= only {res['minimal']:,}, realistic {res['realistic']:,}; no definition "
          f"{res['none']:,}; Image= only at 1,000: {res['each']:,} a definition, so {res['one-off']:+,} once")
    return res


def count_syscalls(cmds, defs, n, tmp):
    """System calls a definition of each command, from N to 2N definitions."""
    env, out = environment(defs), os.path.join(tmp, "out")
    at_n = [syscalls(c, env, out, tmp) for c in cmds]
    make_defs(defs, n, 2 * n)
    at_2n = [syscalls(c, env, out, tmp) for c in cmds]
    remove_defs(defs, n, 2 * n)
    return [per_definition(a, b, n) for a, b in zip(at_n, at_2n)]


def header(a, strace_ok):
    instr = "  instr/def" if a.callgrind else ""
    calls = f" {'calls':>6}" if strace_ok else ""
    line = (f"{'N':>6} {'generator ms':>13} {'us/def':>8} {'RSS KiB':>8}{calls}{instr} | "
            f"{'floor ms':>9} {'us/def':>8} {'RSS KiB':>8}{calls} | ratio")
    if a.quadlet:
        line += f" | {'quadlet ms':>10} {'RSS KiB':>8}{calls}{instr}"
    return line


def measure_row(n, a, progs, tmp, strace_ok):
    """The figures at n definitions, and the table's line of them."""
    gen, floor, rss = progs
    defs, out = os.path.join(tmp, f"defs-{n}"), os.path.join(tmp, "out")
    make_defs(defs, 0, n)
    env = environment(defs)
    cmds = [[gen], [floor, defs]] + ([[a.quadlet]] if a.quadlet else [])
    # at 1,000, also the floor writing what the generator writes for a definition (its unit and
    # NAME-pull.service, one link): what of the generator's time its output's I/O alone costs
    shape = [[floor, f"--units={OUTPUT_UNITS}", defs]] if n == 1000 else []
    times = interleaved(cmds + shape, env, out, rss, a.runs)
    row = {"n": n, "ms": [w * 1e3 for w, _ in times[:len(cmds)]], "rss": [k for _, k in times[:len(cmds)]]}
    row["ratio"] = times[0][0] / times[1][0]
    row["shape"] = times[-1][0] / times[1][0] if shape else None
    row["calls"] = count_syscalls(cmds, defs, n, tmp) if strace_ok else None
    row["instr"] = [None] * len(cmds)
    if a.callgrind and n <= a.callgrind_max:
        row["instr"][0] = callgrind([gen], env, out, tmp) / n
        if a.quadlet:
            q = callgrind([a.quadlet], env, out, tmp, optional=True)
            row["instr"][2] = q / n if q is not None else None
    shutil.rmtree(defs)

    def cols(k, width, per_def=True):
        s = f"{row['ms'][k]:>{width}.2f}"
        if per_def:
            s += f" {row['ms'][k] * 1e3 / n:>8.1f}"
        s += f" {row['rss'][k]:>8}"
        if strace_ok:
            s += f" {row['calls'][k]['total']:>6.1f}"
        if a.callgrind and k != 1:
            i = row["instr"][k]
            s += f"  {i:>9.0f}" if i is not None else f"  {'skipped' if n > a.callgrind_max else 'n/a':>9}"
        return s
    line = f"{n:>6} {cols(0, 13)} | {cols(1, 9)} | {row['ratio']:5.2f}"
    if a.quadlet:
        line += f" | {cols(2, 10, per_def=False)}"
    return row, line


def print_syscall_names(rows, names):
    """Which system calls a definition costs, by name, at 1,000 and at the largest N measured."""
    measured = [r for r in rows if r["calls"]]
    for r in [r for r in measured if r["n"] == 1000 and r is not measured[-1]] + measured[-1:]:
        print(f"system calls a definition, from {r['n']:,} to {2 * r['n']:,} definitions:")
        for name, calls in zip(names, r["calls"]):
            each = sorted(((k, v) for k, v in calls.items() if k != "total"), key=lambda kv: (-kv[1], kv[0]))
            print(f"  {name + ':':<10} {calls['total']:5.1f} = "
                  + ", ".join(f"{k} {v:.2f}".rstrip("0").rstrip(".") for k, v in each))


def measure_limits(gen, tmp):
    """Instructions of each input at the limits at sizes 0, S and 2S, and the growth."""
    print("inputs at the limits (instructions; growth = (I(2S) - I(0)) / (I(S) - I(0)), linear is 2.0):")
    res = []
    for name, make, size, unit in LIMITS:
        counts = []
        for k, s in enumerate((0, size, 2 * size)):
            defs = os.path.join(tmp, f"limit-{k}")
            make(defs, s)
            counts.append(callgrind([gen], environment(defs), os.path.join(tmp, "out"), tmp))
            shutil.rmtree(defs)
        growth = (counts[2] - counts[0]) / max(1, counts[1] - counts[0])
        res.append((name, growth))
        print(f"  {name:<34} S={size:,} {unit}: I(0) {counts[0]:,}, I(S) {counts[1]:,}, I(2S) {counts[2]:,}; "
              f"growth {growth:.2f}")
    return res


def targets(rows, start_ms, start_instr, limits, quadlet):
    """The targets of the speed issue, against what was measured: a line each, met or not; with
    Quadlet's figure beside the generator's where one was measured."""
    by_n = {r["n"]: r for r in rows}
    out = []

    def line(what, value, ok, q=None):
        out.append(f"  {'met    ' if ok else 'not met'}  {what}: {value}" + (f" (quadlet: {q})" if quadlet and q else ""))
    for r in rows:
        i = r["instr"][0]
        if r["n"] >= 1000 and i is not None:
            q = r["instr"][2] if quadlet else None
            line(f"<= {INSTR_TARGET:,} instructions a definition at {r['n']:,}", f"{i:,.0f}", i <= INSTR_TARGET,
                 f"{q:,.0f}" if q is not None else "n/a")
    if 1000 in by_n:
        r = by_n[1000]
        line(f"<= {WALL_TARGET:g}x the I/O floor's wall time at 1,000", f"{r['ratio']:.2f}x", r["ratio"] <= WALL_TARGET,
             f"{r['ms'][2] / r['ms'][1]:.2f}x" if quadlet else None)
        if r.get("shape"):
            out.append(f"           of which the output's own I/O ({OUTPUT_UNITS} files and 1 link a definition, written by "
                       f"bench-floor --units={OUTPUT_UNITS}): {r['shape']:.2f}x, the rest the generator's work: "
                       f"{r['ratio'] - r['shape']:+.2f}x")
    calls = [r for r in rows if r["calls"]]
    if calls:
        r = next((r for r in calls if r["n"] == 1000), calls[-1])
        g, f = r["calls"][0]["total"], r["calls"][1]["total"]
        line(f"<= {SYSCALL_TARGET:g}x the floor's system calls a definition at {r['n']:,}", f"{g:.1f} against {f:.1f}",
             g <= SYSCALL_TARGET * f, f"{r['calls'][2]['total']:.1f}" if quadlet else None)
    above = start_ms[1] - start_ms[0]
    line(f"startup <= {STARTUP_TARGET_MS} ms above a trivial process at 1", f"{above:+.2f} ms",
         above <= STARTUP_TARGET_MS, f"{start_ms[2] - start_ms[0]:+.2f} ms" if quadlet else None)
    if start_instr:
        line(f"startup does not grow with unused keys: the first Image= only definition <= {INSTR_TARGET:,} more "
             "than each of 1,000", f"{start_instr['one-off']:+,} (N=1: {start_instr['minimal']:,}, realistic "
             f"{start_instr['realistic']:,})", start_instr["one-off"] <= INSTR_TARGET)
    if 5000 in by_n:
        r = by_n[5000]
        line("peak RSS < 4 MiB at 5,000", f"{r['rss'][0]} KiB", r["rss"][0] < RSS_TARGET_KIB,
             f"{r['rss'][2]} KiB" if quadlet else None)
    if len(rows) >= 3:
        # linear: the last step costs no more a definition than the first up to 1,000 (below that,
        # RSS moves in pages and arenas), give or take
        a = rows[0]
        b = next((r for r in rows[1:] if r["n"] >= 1000), rows[1])
        c, d = rows[-2:]
        first = (b["rss"][0] - a["rss"][0]) * 1024 / (b["n"] - a["n"])
        last = (d["rss"][0] - c["rss"][0]) * 1024 / (d["n"] - c["n"])
        line(f"peak RSS linear in the number of files: bytes a definition from {c['n']:,} to {d['n']:,} <= 1.5 times "
             f"from {a['n']:,} to {b['n']:,}", f"{last:.0f} against {first:.0f}", last <= 1.5 * first + 64)
    for name, growth in limits:
        line(f"{name}: instructions at 2S <= {LIMIT_GROWTH} times at S", f"{growth:.2f}", growth <= LIMIT_GROWTH)
    return out


def build_options(build):
    """The build's optimisation as meson recorded it ("buildtype=release b_lto=true"), and a
    warning where it is not the one figures are meant for; None where meson left no record."""
    try:
        with open(os.path.join(build, "meson-info", "intro-buildoptions.json")) as f:
            opts = {o["name"]: o["value"] for o in json.load(f)}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    text = " ".join(f"{k}={str(opts[k]).lower()}" for k in ("buildtype", "optimization", "b_lto") if k in opts)
    if opts.get("buildtype") != "release" or not opts.get("b_lto"):
        text += " (the figures are meant for --buildtype=release -Db_lto=true)"
    return text


def main():
    a = parse_args()
    opts = build_options(a.build)
    if opts:
        print(f"build: {opts}")
    progs = [os.path.join(a.build, "generator", "oci-containers-generator"),
             os.path.join(a.build, "test", "bench", "bench-floor"), os.path.join(a.build, "test", "bench", "bench-rss")]
    for p in progs:
        if not os.access(p, os.X_OK):
            sys.exit(f"{p}: missing; build first (ninja -C {a.build})")
    why = strace_missing()
    if why:
        print(f"notice: {why}: system calls are not counted")
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    rows, limits, start_instr = [], [], None
    with tempfile.TemporaryDirectory(dir=base) as tmp:
        start = startup_ms(a, progs, tmp)
        if a.callgrind:
            start_instr = startup_instructions(progs[0], tmp)
        print(header(a, why is None))
        for n in a.counts:
            row, line = measure_row(n, a, progs, tmp, why is None)
            rows.append(row)
            print(line, flush=True)
        print_syscall_names(rows, ["generator", "floor"] + (["quadlet"] if a.quadlet else []))
        if a.callgrind and not a.no_limits:
            limits = measure_limits(progs[0], tmp)
    print("targets (the speed issue's):")
    print("\n".join(targets(rows, start, start_instr, limits, a.quadlet)))


if __name__ == "__main__":
    main()
