#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""How the generator walks definitions that refer to each other: what a definition refers to is
processed first, whatever the file names say; a chain of references too deep to follow is refused
with a message and nothing else is lost. And a FIFO among the definitions does not stop the walk.

    test/check-order.py PATH/TO/oci-containers-generator
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checklib import check, finish  # noqa: E402

GEN = os.path.abspath(sys.argv[1])
DEPTH_MAX = 128  # the generator's DEPENDENCY_DEPTH_MAX


def run(defs, *args):
    env = dict(os.environ, OCI_CONTAINERS_UNIT_DIRS=defs, OCI_CONTAINERS_CONF="", SYSTEMD_LOG_TARGET="console")
    out = tempfile.mkdtemp(dir=os.path.dirname(defs))
    p = subprocess.run([GEN, *args, out], env=env, capture_output=True, text=True)
    return p, out


def write(d, name, text):
    with open(os.path.join(d, name), "w") as f:
        f.write(text)


with tempfile.TemporaryDirectory() as tmp:
    # a.container names z.container, which has an error: a learns it although z comes later by name
    defs = os.path.join(tmp, "late")
    os.mkdir(defs)
    write(defs, "a.container", "[Container]\nImage=busybox\nDependsOn=z\n")
    write(defs, "z.container", "[Container]\nImage=busybox\nNoSuchKey=1\n")
    write(defs, "m.container", "[Container]\nImage=busybox\nDependsOn=n\n")
    write(defs, "n.container", "[Container]\nImage=busybox\nServiceName=renamed\n")
    p, out = run(defs)
    units = sorted(os.listdir(out))
    check("a failure later by name reaches what depends on it", "a.service" not in units and "z.service" not in units,
          f"units: {units}")
    check("...and says why", f"{defs}/a.container:3:" in p.stderr and "z.container has errors" in p.stderr, p.stderr)
    check("a unit name set later by name is known to what refers to it",
          "renamed.service" in units and "m.service" in units, f"units: {units}")
    with open(os.path.join(out, "m.service")) as f:
        text = f.read()
    check("...in its Requires= and After=", "Requires=renamed.service" in text and "After=renamed.service" in text, text)

    # a chain deeper than the limit: refused with a message; definitions outside it still generated
    defs = os.path.join(tmp, "deep")
    os.mkdir(defs)
    n = DEPTH_MAX + 10
    for i in range(n):
        dep = f"DependsOn=c{i + 1:04d}\n" if i + 1 < n else ""
        write(defs, f"c{i:04d}.container", f"[Container]\nImage=busybox\n{dep}")
    write(defs, "zz-alone.container", "[Container]\nImage=busybox\n")
    p, out = run(defs)
    units = set(os.listdir(out))
    check("a chain too deep exits non-zero", p.returncode == 1, f"exit {p.returncode}")
    check("...says so", "chain of more than" in p.stderr and "make the chain shorter" in p.stderr, p.stderr[-2000:])
    check("...without a crash", p.returncode in (0, 1), f"exit {p.returncode}")
    check("the rest is generated", "zz-alone.service" in units and f"c{n - 1:04d}.service" in units,
          f"{len(units)} units")

    # a chain within the limit is followed to its end
    defs = os.path.join(tmp, "chain")
    os.mkdir(defs)
    n = DEPTH_MAX - 8
    for i in range(n):
        dep = f"DependsOn=c{i + 1:04d}\n" if i + 1 < n else ""
        write(defs, f"c{i:04d}.container", f"[Container]\nImage=busybox\n{dep}")
    p, out = run(defs)
    units = [u for u in os.listdir(out) if u.endswith(".service") and not u.endswith("-pull.service")]
    check(f"a chain of {n} definitions is generated whole", p.returncode == 0 and len(units) == n,
          f"exit {p.returncode}, {len(units)} units: {p.stderr[-1000:]}")

    # a FIFO named like a definition: refused at once (opening it must not wait for a writer)
    defs = os.path.join(tmp, "fifo")
    os.mkdir(defs)
    os.mkfifo(os.path.join(defs, "pipe.container"))
    write(defs, "ok.container", "[Container]\nImage=busybox\n")
    env = dict(os.environ, OCI_CONTAINERS_UNIT_DIRS=defs, OCI_CONTAINERS_CONF="", SYSTEMD_LOG_TARGET="console")
    out = tempfile.mkdtemp(dir=tmp)
    try:
        p = subprocess.run([GEN, out], env=env, capture_output=True, text=True, timeout=20)
        check("a FIFO named like a definition is skipped with a message", p.returncode == 1 and
              f"{defs}/pipe.container: not a regular file" in p.stderr and "ok.service" in os.listdir(out),
              p.stderr)
    except subprocess.TimeoutExpired:
        check("a FIFO named like a definition is skipped with a message", False, "the generator waited on the FIFO")

sys.exit(finish())
