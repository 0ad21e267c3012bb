#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Speed and memory of the generator, beside an I/O floor measured in the same run.

    test/bench/bench.py BUILD_DIR [--counts 1,100,1000,5000] [--runs 7] [--callgrind] [--quadlet PATH]

The wall time includes starting the program through bench-rss, the same for both columns.
For each N it makes N realistic definitions on tmpfs (/dev/shm), runs the generator into a fresh
output directory there, and prints the median wall time, microseconds per definition and peak RSS,
and the same for bench-floor (reads every input, writes one file of the same size and one symlink).
--callgrind also counts user-space instructions per definition with valgrind (stable on a busy
machine). First it prints the cost of starting a trivial process (the floor program with nothing
to do), the yardstick for N=1; last, each target of the speed issue against what was measured,
met or not. The generator and the floor (and, with --quadlet, a Quadlet binary on the same
definitions, through QUADLET_UNIT_DIRS) are run interleaved, so that a busy machine slows all
alike. Not part of the test suite: it measures, it does not judge.
Build with optimisation for figures that mean something: meson setup build-rel --buildtype=release."""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

DEFINITION = """[Unit]
Description=Benchmark container {i}

[Container]
Image=registry.example.org/team/app-{i}:1.{i}
PublishPort=127.0.0.1:{p1}:80
PublishPort={p2}:443/udp
Volume=/srv/app-{i}/data:/data:rw
Volume=/srv/app-{i}/config:/etc/app:ro
Volume=cache-{i}:/cache
Environment=APP_ID={i} MODE=production
Environment="GREETING=hello world {i}" LANG=C.UTF-8 TZ=UTC
Label=org.example.app=app-{i}
Label=org.example.tier=backend
Network=host
Exec=/usr/bin/app --id {i} --message "it's a \\"test\\"" --flag

[Install]
WantedBy=multi-user.target
"""


def make_defs(root, n):
    d = os.path.join(root, f"defs-{n}")
    os.mkdir(d)
    for i in range(n):
        with open(os.path.join(d, f"app-{i}.container"), "w") as f:
            f.write(DEFINITION.format(i=i, p1=10000 + i % 50000, p2=20000 + i % 40000))
    return d


def measure(cmd, env, outdir, rss):
    if os.path.exists(outdir):
        shutil.rmtree(outdir)
    os.mkdir(outdir)
    t0 = time.perf_counter()
    p = subprocess.run([rss] + cmd + [outdir], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"{cmd[0]} failed: {p.stderr}")
    kib = int([l for l in p.stderr.splitlines() if l.startswith("maxrss_kib=")][-1].split("=")[1])
    return wall, kib


def callgrind(cmd, env, outdir, tmp, optional=False):
    if os.path.exists(outdir):
        shutil.rmtree(outdir)
    os.mkdir(outdir)
    out = os.path.join(tmp, "callgrind.out")
    r = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + cmd + [outdir], env=env,
                       capture_output=True, text=True)
    for line in r.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split(":")[-1].strip())
    if optional:
        return None  # valgrind cannot run every program (Go's runtime, for one)
    sys.exit("callgrind gave no count:\n" + r.stderr)


def median_run(cmds, env, out, rss, runs):
    """Each command run `runs` times, interleaved (a, b, a, b...), so that a busy machine slows all
    alike: per command, the median wall time and the largest RSS."""
    res = [[] for _ in cmds]
    for _ in range(runs):
        for k, cmd in enumerate(cmds):
            res[k].append(measure(cmd, env, out, rss))
    return [(statistics.median(w for w, _ in r), max(k for _, k in r)) for r in res]


def targets(rows, start_ms, callgrind_on):
    """The targets of the speed issue, against what was measured: a line each, met or not."""
    by_n = {r["n"]: r for r in rows}
    out = []

    def line(what, value, ok):
        out.append(f"  {'met    ' if ok else 'not met'}  {what}: {value}")
    if callgrind_on:
        for n in (1000, 5000):
            if n in by_n:
                line(f"<= 40,000 instructions a definition at {n}", f"{by_n[n]['instr']:,.0f}", by_n[n]["instr"] <= 40000)
    if 1000 in by_n:
        line("<= 2x the I/O floor's wall time at 1000", f"{by_n[1000]['ratio']:.2f}x", by_n[1000]["ratio"] <= 2)
    if 1 in by_n:
        above = by_n[1]["gen_ms"] - start_ms
        line("startup <= 0.3 ms above a trivial process at 1", f"{above:+.2f} ms", above <= 0.3)
    if 5000 in by_n:
        line("peak RSS < 4 MiB at 5000", f"{by_n[5000]['rss']} KiB", by_n[5000]["rss"] < 4096)
    big = sorted(n for n in by_n if n >= 1000)
    if len(big) >= 2:
        a, b = by_n[big[0]], by_n[big[-1]]
        per = (b["rss"] - a["rss"]) * 1024 / (b["n"] - a["n"])
        line(f"RSS linear in the number of files ({big[0]} to {big[-1]})", f"{per:.0f} bytes a definition", True)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--counts", default="1,100,1000,5000")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--callgrind", action="store_true")
    ap.add_argument("--quadlet", metavar="PATH", help="a quadlet binary, measured on the same definitions in the same run")
    a = ap.parse_args()
    gen = os.path.join(a.build, "generator", "oci-containers-generator")
    floor = os.path.join(a.build, "test", "bench", "bench-floor")
    rss = os.path.join(a.build, "test", "bench", "bench-rss")
    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    rows = []
    with tempfile.TemporaryDirectory(dir=base) as tmp:
        # the cost of starting any program: bench-floor with nothing to read or write
        empty = os.path.join(tmp, "empty")
        os.mkdir(empty)
        t = [measure([floor, empty], {}, os.path.join(tmp, "out"), rss) for _ in range(max(a.runs, 15))]
        start_ms = statistics.median(w for w, _ in t) * 1e3
        print(f"starting a trivial process: {start_ms:.2f} ms (median of {len(t)})")
        print(f"{'N':>6} {'generator ms':>13} {'us/def':>8} {'RSS KiB':>8} | {'floor ms':>9} {'us/def':>8} {'RSS KiB':>8} | ratio"
              + ("  instr/def" if a.callgrind else "")
              + (f" | {'quadlet ms':>10} {'RSS KiB':>8}" + ("  instr/def" if a.callgrind else "") if a.quadlet else ""))
        for n in (int(x) for x in a.counts.split(",")):
            defs = make_defs(tmp, n)
            env = dict(os.environ, OCI_CONTAINERS_UNIT_DIRS=defs, OCI_CONTAINERS_CONF="", QUADLET_UNIT_DIRS=defs)
            out = os.path.join(tmp, "out")
            cmds = [[gen], [floor, defs]] + ([[a.quadlet]] if a.quadlet else [])
            res = median_run(cmds, env, out, rss, a.runs)
            (gw, gr), (fw, fr) = res[0], res[1]
            row = {"n": n, "gen_ms": gw * 1e3, "rss": gr, "ratio": gw / fw}
            line = (f"{n:>6} {gw * 1e3:>13.2f} {gw * 1e6 / n:>8.1f} {gr:>8} | "
                    f"{fw * 1e3:>9.2f} {fw * 1e6 / n:>8.1f} {fr:>8} | {gw / fw:5.2f}")
            if a.callgrind:
                row["instr"] = callgrind([gen], env, out, tmp) / n
                line += f"  {row['instr']:>9.0f}"
            if a.quadlet:
                qw, qr = res[2]
                line += f" | {qw * 1e3:>10.2f} {qr:>8}"
                if a.callgrind:
                    q = callgrind([a.quadlet], env, out, tmp, optional=True)
                    line += f"  {q / n:>9.0f}" if q is not None else f"  {'n/a':>9}"
            rows.append(row)
            print(line, flush=True)
            shutil.rmtree(defs)
    print("targets (the speed issue's):")
    print("\n".join(targets(rows, start_ms, a.callgrind)))


if __name__ == "__main__":
    main()
