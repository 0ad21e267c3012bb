#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The benchmark still runs: bench.py on small inputs (1 and 1,000 definitions), without
callgrind, ends with its targets. It judges no figure (a debug build on a busy machine says
nothing about speed), only that every part of the run goes through and prints what it should.

check-bench.py BENCH_PY BUILD_DIR"""
import subprocess
import sys

bench, build = sys.argv[1:3]
r = subprocess.run([sys.executable, bench, build, "--counts", "1,1000", "--runs", "1"], capture_output=True, text=True,
                   timeout=120)
print(r.stdout, end="")
print(r.stderr, end="", file=sys.stderr)
lines = r.stdout.splitlines()
problems = []
if r.returncode != 0:
    problems.append(f"exit status {r.returncode}")
if "targets (the speed issue's):" not in lines:
    problems.append("no targets header")
if not any(l.split()[:1] == ["1000"] for l in lines):
    problems.append("no row for N=1000")
if not any("of which the output's own I/O" in l for l in lines):
    problems.append("no line for the output's own I/O at 1,000")
if not any(l.startswith("starting a trivial process:") for l in lines):
    problems.append("no startup line")
for p in problems:
    print(f"FAIL {p}")
sys.exit(1 if problems else 0)
