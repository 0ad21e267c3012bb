#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The shipped examples: --check finds nothing to say about them (no error, no warning), the
README's dry-run of examples/ generates a service for every definition in it, and shows the drop-in
of oci-containers.target as generation writes it.

check-examples.py GENERATOR EXAMPLES_DIR"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checklib import check, check_summary, finish, wrapped  # noqa: E402

SERVICE = {".container": "{}.service", ".network": "{}-network.service", ".volume": "{}-volume.service", ".pod": "{}-pod.service"}


def main():
    gen, ex = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    env = dict(os.environ, OCI_CONTAINERS_CONF=os.path.join(ex, "oci-containers.conf"), OCI_CONTAINERS_UNIT_DIRS="/nonexistent")
    for args, d in (([], ex), (["--user"], os.path.join(ex, "user"))):
        r = subprocess.run([*wrapped(gen), *args, "--check", d], capture_output=True, text=True, env=env)
        check(f"--check {' '.join(args)} {os.path.basename(d)}/: nothing to report", r.returncode == 0 and not r.stdout and not check_summary(r.stderr),
              r.stdout + r.stderr)

    r = subprocess.run([*wrapped(gen), "--dry-run"], capture_output=True, text=True, env=dict(env, OCI_CONTAINERS_UNIT_DIRS=ex))
    check("the README's dry-run of examples/ succeeds, silently", r.returncode == 0 and not r.stderr, f"exit {r.returncode}: {r.stderr}")
    made = {line[3:-3] for line in r.stdout.split("\n") if line.startswith("---") and line.endswith("---") and ":" not in line}
    want = set()
    for f in os.listdir(ex):
        stem, ext = os.path.splitext(f)
        if ext in SERVICE:
            want.add(SERVICE[ext].format(stem))
    check("every example definition makes its service", want and want <= made, f"missing: {sorted(want - made)}")

    # what --dry-run prints of the drop-in of oci-containers.target is the file generation writes
    dropin = "oci-containers.target.d/oci-containers-generator.conf"
    blocks = r.stdout.split(f"---{dropin}---\n")
    shown = blocks[1].split("\n---")[0] if len(blocks) == 2 else None
    with tempfile.TemporaryDirectory() as out:
        g = subprocess.run([*wrapped(gen), out], capture_output=True, text=True, env=dict(env, OCI_CONTAINERS_UNIT_DIRS=ex))
        path = os.path.join(out, dropin)
        written = open(path, encoding="utf-8").read() if os.path.isfile(path) else None
    check("--dry-run shows the drop-in of oci-containers.target once, as generation writes it",
          g.returncode == 0 and written is not None and shown is not None and shown.rstrip("\n") == written.rstrip("\n")
          and "\n[Unit]\n" in written and "\nWants=web.service\n" in written,
          f"exit {g.returncode}: {g.stderr}\nshown: {shown!r}\nwritten: {written!r}")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
