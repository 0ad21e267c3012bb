#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The shipped examples: --check finds nothing to say about them (no error, no warning), and the
README's dry-run of examples/ generates a service for every definition in it.

check-examples.py GENERATOR EXAMPLES_DIR"""
import os
import subprocess
import sys

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
    return finish()


if __name__ == "__main__":
    sys.exit(main())
