# SPDX-License-Identifier: LGPL-2.1-or-later
"""How the benchmark runs a program into a fresh output directory: wall time and peak RSS (through
bench-rss), user-space instructions (valgrind's callgrind), system calls (strace -c)."""
import os
import shutil
import statistics
import subprocess
import sys


def fresh(outdir):
    if os.path.exists(outdir):
        shutil.rmtree(outdir)
    os.mkdir(outdir)


said = set()


def measure(cmd, env, outdir, rss):
    """Seconds and peak RSS in KiB of one run of cmd OUTDIR, as bench-rss measures them (from its
    fork of the command to the command's end: not the time Python takes to start bench-rss, which
    is more than a millisecond and varies by more than what is measured at one definition); what it
    says on stderr (the inputs are meant to make it say nothing), once."""
    fresh(outdir)
    p = subprocess.run([rss] + cmd + [outdir], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit(f"{cmd[0]} failed: {p.stderr}")
    ours = {l.split("=")[0]: int(l.split("=")[1]) for l in p.stderr.splitlines() if l.startswith(("maxrss_kib=", "wall_us="))}
    kib, wall = ours["maxrss_kib"], ours["wall_us"] / 1e6
    words = [l for l in p.stderr.splitlines() if not l.startswith(("maxrss_kib=", "wall_us="))]
    if words and cmd[0] not in said:
        said.add(cmd[0])
        print(f"notice: {os.path.basename(cmd[0])} wrote {len(words)} lines on stderr, the first: {words[0][:200]}")
    return wall, kib


def interleaved(cmds, env, outdir, rss, runs, pick=statistics.median):
    """Each command run `runs` times, interleaved (a, b, a, b...), so that a busy machine slows all
    alike: per command, the median (or what pick chooses) wall time and the largest RSS."""
    res = [[] for _ in cmds]
    for _ in range(runs):
        for k, cmd in enumerate(cmds):
            res[k].append(measure(cmd, env, outdir, rss))
    return [(pick([w for w, _ in r]), max(k for _, k in r)) for r in res]


def callgrind(cmd, env, outdir, tmp, optional=False):
    """User-space instructions of one run of cmd OUTDIR; None where valgrind cannot run the program
    and optional is set (Go's runtime, for one)."""
    fresh(outdir)
    out = os.path.join(tmp, "callgrind.out")
    r = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + cmd + [outdir], env=env,
                       capture_output=True, text=True)
    count = [int(l.split(":")[-1].strip()) for l in r.stderr.splitlines() if "Collected :" in l]
    if count and r.returncode == 0:
        return count[-1]
    if optional:
        return None
    sys.exit(f"{cmd[0]} under callgrind: exit {r.returncode}:\n" + r.stderr[-2000:])


def strace_missing():
    """Why system calls cannot be counted here, or None."""
    if shutil.which("strace") is None:
        return "strace is not installed (apt-get install -y strace)"
    r = subprocess.run(["strace", "-f", "-c", "-o", os.devnull, "true"], capture_output=True, text=True)
    if r.returncode != 0:
        return "strace cannot trace here: " + (r.stderr.strip().splitlines() or ["?"])[-1]
    return None


def syscalls(cmd, env, outdir, tmp):
    """System calls of one run of cmd OUTDIR, its threads and children included: name -> count."""
    fresh(outdir)
    summary = os.path.join(tmp, "strace.out")
    r = subprocess.run(["strace", "-f", "-c", "-o", summary] + cmd + [outdir], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"{cmd[0]} under strace: exit {r.returncode}: {r.stderr[-2000:]}")
    counts = {}
    with open(summary) as f:
        for line in f:
            # % time, seconds, usecs/call, calls, [errors,] syscall
            w = line.split()
            if len(w) >= 5 and w[3].isdigit() and w[-1] != "total":
                counts[w[-1]] = counts.get(w[-1], 0) + int(w[3])
    return counts


def per_definition(at_n, at_2n, n):
    """What each of n more definitions costs: name -> (calls(2N) - calls(N)) / N, the total under
    "total"; names whose count does not grow are left out."""
    d = {k: (at_2n.get(k, 0) - at_n.get(k, 0)) / n for k in set(at_n) | set(at_2n)}
    d = {k: v for k, v in d.items() if abs(v) >= 0.005}
    d["total"] = (sum(at_2n.values()) - sum(at_n.values())) / n
    return d
