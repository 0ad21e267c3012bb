#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Broken surroundings: a clear message and a non-zero exit, the other definitions still generated,
and nothing half-written.

check-faults.py GENERATOR"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checklib import check, finish, wrapped  # noqa: E402


def run(gen, defs, out):
    env = dict(os.environ, OCI_CONTAINERS_CONF="", OCI_CONTAINERS_UNIT_DIRS=defs)
    return subprocess.run([*wrapped(gen), out], capture_output=True, text=True, env=env)


def main():
    gen = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        defs = os.path.join(tmp, "defs")
        os.mkdir(defs)
        with open(os.path.join(defs, "good.container"), "w") as f:
            f.write("[Container]\nImage=docker.io/library/nginx\n")

        r = run(gen, defs, os.path.join(tmp, "missing"))
        check("a missing output directory is one clear message", r.returncode == 1 and
              r.stderr.count("Cannot write units to") == 1, repr(r.stderr))
        notdir = os.path.join(tmp, "file")
        open(notdir, "w").close()
        r = run(gen, defs, notdir)
        check("an output path that is a file is refused", r.returncode == 1 and "Not a directory" in r.stderr, repr(r.stderr))

        # a file over the size limit, a directory and a dangling link named like definitions,
        # an unreadable one: each is skipped with a message, the good one still generated
        with open(os.path.join(defs, "big.container"), "w") as f:
            f.write("[Container]\nImage=x\n" + "# padding\n" * 120000)
        os.mkdir(os.path.join(defs, "dir.container"))
        os.symlink("/nonexistent/target", os.path.join(defs, "dangling.container"))
        with open(os.path.join(defs, "many.container"), "w") as f:
            f.write("[Container]\nImage=docker.io/library/nginx\n" + "".join(f"Label=k{i}=v\n" for i in range(10001)))
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        r = run(gen, defs, out)
        check("the run reports failure", r.returncode == 1, f"exit {r.returncode}")
        check("the good definition is generated", os.path.exists(os.path.join(out, "good.service")), repr(os.listdir(out)))
        check("a file over 1 MiB is refused", "big.container: file is larger than 1 MiB" in r.stderr, repr(r.stderr))
        check("a directory named like a definition is skipped", "dir.container: not a regular file" in r.stderr, repr(r.stderr))
        check("a dangling link is skipped", "dangling.container: cannot open" in r.stderr, repr(r.stderr))
        check("more than 10,000 assignments are refused", "many.container:10002: more than 10000 assignments" in r.stderr,
              repr(r.stderr[-300:]))
        units = sorted(n for n in os.listdir(out) if n.endswith(".service"))
        check("only the good definition's units are written", units == ["good-pull.service", "good.service"], repr(units))
        modes = {n: oct(os.stat(os.path.join(out, n)).st_mode & 0o777) for n in units}
        check("units are 0644", set(modes.values()) == {"0o644"}, repr(modes))

        # the same inputs give the same bytes, whatever order the directory lists them in
        out2 = os.path.join(tmp, "out2")
        os.mkdir(out2)
        run(gen, defs, out2)
        same = all(open(os.path.join(out, n), "rb").read() == open(os.path.join(out2, n), "rb").read() for n in units)
        check("a second run writes the same bytes", same)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
