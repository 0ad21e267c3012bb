#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""--check: FILE:LINE:COLUMN: error|warning: message on standard output, every error of a file in
line order, nothing written, and the exit status tells whether any definition has an error.

check-mode.py GENERATOR"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checklib import check, finish, wrapped  # noqa: E402


def run(gen, *args, cwd=None):
    env = dict(os.environ, OCI_CONTAINERS_CONF="", OCI_CONTAINERS_UNIT_DIRS="/nonexistent")
    return subprocess.run([*wrapped(gen), "--check", *args], capture_output=True, text=True, env=env, cwd=cwd)


def main():
    gen = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        good = os.path.join(tmp, "good.container")
        bad = os.path.join(tmp, "bad.container")
        warn = os.path.join(tmp, "warn.container")
        with open(good, "w") as f:
            f.write("[Container]\nImage=docker.io/library/nginx\n")
        with open(bad, "w") as f:
            f.write("[Container]\nImage=docker.io/library/nginx\n\nPrivileged=maybe\n")
        with open(warn, "w") as f:
            f.write("[Container]\nImage=nginx\n")

        r = run(gen, good)
        check("a good file passes", r.returncode == 0 and r.stdout == "", f"{r.returncode} {r.stdout!r}")

        r = run(gen, bad, good)
        check("an error fails", r.returncode == 1, f"exit {r.returncode}")
        check("the error names file, line and the column of the value",
              r.stdout.startswith(f"{bad}:4:12: error: Privileged= takes a boolean"), repr(r.stdout))
        check("only the bad file is reported", good not in r.stdout, repr(r.stdout))

        r = run(gen, warn)
        check("a warning alone passes", r.returncode == 0, f"exit {r.returncode}")
        check("the warning is shown", f"{warn}:2:7: warning: Image=nginx is a short name" in r.stdout, repr(r.stdout))

        r = run(gen, tmp)
        check("a directory is checked as a search path", r.returncode == 1 and f"{bad}:4:12:" in r.stdout, repr(r.stdout))
        check("nothing is written", sorted(os.listdir(tmp)) == ["bad.container", "good.container", "warn.container"],
              repr(os.listdir(tmp)))

        r = run(gen, "bad.container", cwd=tmp)
        check("a relative file is reported by its absolute path", r.stdout.startswith(f"{bad}:4:12: error:"), repr(r.stdout))

        spaced = os.path.join(tmp, "sub", "spaced.container")
        os.mkdir(os.path.dirname(spaced))
        with open(spaced, "w") as f:
            f.write("[Container]\nImage=docker.io/library/nginx\n  Privileged =  maybe\n[Bogus]\nX=1\n")
        r = run(gen, spaced)
        check("the column skips blanks around '='", f"{spaced}:3:17: error: Privileged=" in r.stdout, repr(r.stdout))
        check("a message about no assignment is at column 1", f"{spaced}:4:1: warning: unknown section [Bogus]" in r.stdout,
              repr(r.stdout))

        # the column is the value's, from the definition as it was read: past a quote the reader
        # removes, in a drop-in as in the file, for a [Service] line as for a key of the table
        quoted = os.path.join(tmp, "sub", "quoted.container")
        os.makedirs(quoted + ".d")
        with open(quoted, "w") as f:
            f.write('[Container]\nImage = "nginx"\n[Service]\nExecStart=\n')
        with open(os.path.join(quoted + ".d", "10-x.conf"), "w") as f:
            f.write("[Container]\n\nReadOnly =   maybe\n")
        r = run(gen, quoted)
        check("the column of a quoted value is past the quote", f"{quoted}:2:10: warning: Image=nginx" in r.stdout, repr(r.stdout))
        check("...of a [Service] line", f"{quoted}:4:11: error: ExecStart=" in r.stdout, repr(r.stdout))
        check("...of a drop-in's line", f"{quoted}.d/10-x.conf:3:14: error: ReadOnly=" in r.stdout, repr(r.stdout))

        r = run(gen, os.path.join(tmp, "missing.container"))
        check("a missing file is an error", r.returncode == 1 and "cannot read" in r.stdout, repr(r.stdout))

        # one file of a directory: what it refers to, its drop-ins and its template come from its
        # directory; the other files there are not checked unless it needs them
        d = os.path.join(tmp, "siblings")
        os.makedirs(os.path.join(d, "member.container.d"))
        with open(os.path.join(d, "member.container"), "w") as f:
            f.write("[Container]\nImage=docker.io/library/nginx\nPod=team.pod\n")
        with open(os.path.join(d, "member.container.d", "10-bad.conf"), "w") as f:
            f.write("[Container]\nPrivileged=maybe\n")
        with open(os.path.join(d, "team.pod"), "w") as f:
            f.write("[Pod]\nPublishPort=8080:80\n")
        with open(os.path.join(d, "unrelated.container"), "w") as f:
            f.write("[Container]\nBogus=1\n")
        r = run(gen, os.path.join(d, "member.container"))
        check("--check FILE finds the definitions it refers to beside it",
              "no definition team.pod" not in r.stdout, repr(r.stdout))
        check("...and reads its drop-ins", r.returncode == 1 and
              f"{d}/member.container.d/10-bad.conf:2:12: error: Privileged=" in r.stdout, repr(r.stdout))
        check("...but does not check the other files there", "unrelated" not in r.stdout, repr(r.stdout))

        # every error of a file, in line order: an unknown key does not hide the others, and the
        # checks of the values (by the option table) do not print out of line order
        many = os.path.join(tmp, "many.container")
        with open(many, "w") as f:
            f.write("[Container]\nNetwork=none.network\nBogus=1\nImage=docker.io/library/nginx\n"
                    "PublishPort=99999:80\nPrivileged = maybe\n")
        r = run(gen, many)
        got = [ln.split(" error: ")[0] for ln in r.stdout.splitlines()]
        check("every error of a file is reported, in line order, with its column",
              r.returncode == 1 and got == [f"{many}:2:9:", f"{many}:3:7:", f"{many}:5:13:", f"{many}:6:14:"], repr(r.stdout))
    return finish()


if __name__ == "__main__":
    sys.exit(main())
